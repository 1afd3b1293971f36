import { BarSeries, isQtpError } from '@qtp/core';
import {
  FeaturePipeline,
  featuresToCsv,
  forwardReturns,
  LinearModel,
  trainingSet,
  trainLinearModel,
  trainLogisticModel,
} from '@qtp/strategy/ml';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../test/bar-series-fixture.js';

// A deterministic spread of points: no randomness in tests, yet no pattern a model could exploit.
const wave = (i: number, k: number) => (Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1;

describe('trainLinearModel', () => {
  it('recovers the coefficients of noise-free data', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [wave(i, 1) * 10, wave(i, 2) * 0.01]);
    const targets = rows.map(([a, b]) => 2 + 3 * a! - 400 * b!);
    const model = trainLinearModel(rows, targets);
    expect(model.predict([1, 0])).toBeCloseTo(5, 9);
    expect(model.predict([0, 0.01])).toBeCloseTo(-2, 9);
  });

  it('fits the least-squares slope cov(x, y) / var(x) on noisy data', () => {
    const xs = Array.from({ length: 200 }, (_, i) => wave(i, 3));
    const ys = xs.map((x, i) => 1.5 * x + 0.3 * wave(i, 4));
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope =
      xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) /
      xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const model = trainLinearModel(
      xs.map((x) => [x]),
      ys,
    );
    expect(model.predict([mx + 1]) - model.predict([mx])).toBeCloseTo(slope, 10);
    expect(model.predict([mx])).toBeCloseTo(my, 10);
  });

  it('round-trips through its JSON parameters', () => {
    const model = trainLinearModel([[0], [1], [2]], [1, 3, 5]);
    const copy = new LinearModel(JSON.parse(JSON.stringify(model)));
    expect(copy.predict([7])).toBe(model.predict([7]));
  });
});

describe('trainLogisticModel', () => {
  it('reaches the maximum likelihood: the score equations hold at the fit', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [wave(i, 5) * 4, wave(i, 6)]);
    // Classes drawn from a logistic in the first feature, deterministically.
    const classes = rows.map(([a], i) =>
      1 / (1 + Math.exp(-1.5 * a!)) > (wave(i, 7) + 1) / 2 ? 1 : 0,
    );
    const model = trainLogisticModel(rows, classes, { steps: 5000 });
    // d logL / d beta = sum (y - p) x = 0 for the intercept and each feature.
    const residual = rows.map((row, i) => classes[i]! - model.predict(row));
    const mean = (f: (i: number) => number) => rows.reduce((s, _, i) => s + f(i), 0) / rows.length;
    expect(Math.abs(mean((i) => residual[i]!))).toBeLessThan(1e-6);
    expect(Math.abs(mean((i) => residual[i]! * rows[i]![0]!))).toBeLessThan(1e-5);
    expect(Math.abs(mean((i) => residual[i]! * rows[i]![1]!))).toBeLessThan(1e-5);
    expect(model.predict([3, 0])).toBeGreaterThan(model.predict([-3, 0]));
  });

  it('rejects a single class and a class other than 0 or 1', () => {
    const field = (classes: number[]) => {
      try {
        trainLogisticModel([[1], [2], [3]], classes);
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION')).toBe(true);
        return (error as { field: string }).field;
      }
      throw new Error('expected a ValidationError');
    };
    expect(field([1, 1, 1])).toBe('targets');
    expect(field([0, 2, 1])).toBe('targets[1]');
  });
});

describe('trainingSet and featuresToCsv on real bars', () => {
  const series = fixtureSeries('XRPETH-5m', 'XRPETH');
  const matrix = new FeaturePipeline([
    { kind: 'indicator', indicator: 'rsi' },
    { kind: 'return', period: 3 },
  ]).compute(series);
  const label = forwardReturns(series.close, 6);

  it('leaves out warm-up rows and rows without a label', () => {
    const set = trainingSet(matrix, label);
    expect(set.indices[0]).toBe(14);
    expect(set.indices.at(-1)).toBe(series.length - 7);
    expect(set.rows.length).toBe(series.length - 14 - 6);
    expect(set.rows[0]).toEqual([matrix.columns[0]![14], matrix.columns[1]![14]]);
  });

  it('writes a header, the open time and numbers that read back exactly', () => {
    const csv = featuresToCsv(matrix, { labels: { fwd_6: label } });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,rsi_14,ret_3,fwd_6');
    expect(lines.length).toBe(series.length + 1);
    const row20 = lines[21]!.split(',');
    expect(Number(row20[0])).toBe(series.time[20]);
    expect(Number(row20[1])).toBe(matrix.columns[0]![20]);
    expect(Number(row20[3])).toBe(label[20]);
    expect(lines[1]!.split(',')[1]).toBe('');
    const complete = featuresToCsv(matrix, { labels: { fwd_6: label }, dropIncomplete: true });
    expect(complete.trim().split('\n').length).toBe(series.length - 20 + 1);
  });

  it('keeps an empty series to its header', () => {
    const empty = new FeaturePipeline([{ kind: 'field', source: 'close' }]).compute(
      new BarSeries(),
    );
    expect(featuresToCsv(empty)).toBe('time,close\n');
  });
});
