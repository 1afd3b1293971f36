import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readCsvBars,
  runBacktest,
  runWalkForward,
  type WalkForwardOptions,
  type WalkForwardTraining,
} from '@qtp/backtest';
import { type Bar, BarSeries, isQtpError } from '@qtp/core';
import { barFillModel } from '@qtp/exchange';
import {
  FeaturePipeline,
  type FeatureSpec,
  forwardReturns,
  type LinearModel,
  ModelStrategy,
  trainingSet,
  trainLogisticModel,
} from '@qtp/strategy/ml';
import { afterAll, describe, expect, it } from 'vitest';
import { smaSpec, XRPETH, XRPETH_5M, xrp } from './test-setup.js';

const features: readonly FeatureSpec[] = [
  { kind: 'indicator', indicator: 'rsi' },
  { kind: 'return', period: 1 },
];
const pipeline = new FeaturePipeline(features);

/** Rows of features and whether the next close is higher, over the given bars only. */
function labelled(bars: readonly Bar[]) {
  const series = BarSeries.fromBars(bars);
  const ups = Array.from(forwardReturns(series.close, 1), (r) =>
    Number.isNaN(r) ? Number.NaN : r > 0 ? 1 : 0,
  );
  return trainingSet(pipeline.compute(series), ups);
}

const seen: { bars: readonly Bar[]; startMs: number; endMs: number }[] = [];

const training: WalkForwardTraining<LinearModel> = {
  train: (bars, window) => {
    seen.push({ bars, startMs: window.startMs, endMs: window.endMs });
    const set = labelled(bars);
    return trainLogisticModel(set.rows, set.targets);
  },
  strategy: (model, id, params) => new ModelStrategy({ id, params, model, features }),
  evaluate: (model, bars) => {
    const set = labelled(bars);
    let hits = 0;
    set.rows.forEach((row, i) => {
      if ((model.predict(row) >= 0.5 ? 1 : 0) === set.targets[i]) hits++;
    });
    return { rows: set.rows.length, accuracy: hits / set.rows.length };
  },
};

const { strategy: _named, ...plainSpec } = smaSpec;
const options: WalkForwardOptions<LinearModel> = {
  ...plainSpec,
  strategyId: 'logit',
  params: { instrumentId: XRPETH, quantity: '150' },
  grid: [
    { buyThreshold: 0.5, sellThreshold: 0.5 },
    { buyThreshold: 0.52, sellThreshold: 0.48 },
  ],
  trainBars: 300,
  testBars: 100,
  training,
};

const directory = mkdtempSync(join(tmpdir(), 'walk-forward-training-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes a copy of the bar file whose bars after `afterMs` have their prices scaled. */
function perturbedFile(afterMs: number): string {
  const [header, ...rows] = readFileSync(XRPETH_5M, 'utf8').trim().split('\n');
  const out = rows.map((row, i) => {
    const cells = row.split(',');
    // The file's time is the open time: a bar opening after `afterMs` closes after it.
    if (Number(cells[0]) <= afterMs) return row;
    const factor = 1 + 0.05 * Math.sin(i);
    return [
      cells[0],
      ...cells.slice(1, 5).map((v) => (Number(v) * factor).toFixed(8)),
      cells[5],
    ].join(',');
  });
  const path = join(directory, 'perturbed.csv');
  writeFileSync(path, `${[header, ...out].join('\n')}\n`);
  return path;
}

async function allBars(path: string): Promise<Bar[]> {
  const bars: Bar[] = [];
  for await (const bar of readCsvBars(path, { instrumentId: XRPETH, interval: '5m' }))
    bars.push(bar);
  return bars;
}

describe('runWalkForward with training', () => {
  it('trains each window on its training bars alone and trades that model out of sample', async () => {
    seen.length = 0;
    const analysis = await runWalkForward(options);
    const bars = await allBars(XRPETH_5M);
    expect(analysis.windows).toHaveLength(4);
    expect(seen).toHaveLength(4);
    for (const [w, window] of analysis.windows.entries()) {
      const given = seen[w]!;
      expect(given.bars).toHaveLength(300);
      expect(given.startMs).toBe(window.train.startMs);
      expect(given.endMs).toBe(window.train.endMs);
      expect(given.bars[0]!.closeTimeMs).toBe(window.train.startMs);
      expect(given.bars.at(-1)!.closeTimeMs).toBe(window.train.endMs);

      // The out-of-sample run equals a backtest of the same model over the test bars alone.
      const model = window.model!.model;
      const direct = await runBacktest({
        instruments: [xrp],
        data: bars.filter(
          (bar) => bar.closeTimeMs >= window.test.startMs && bar.closeTimeMs <= window.test.endMs,
        ),
        strategy: new ModelStrategy({
          id: 'logit',
          params: { instrumentId: XRPETH, quantity: '150', ...window.params },
          model,
          features,
        }),
        balances: { ETH: '1' },
        fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
        seed: 3,
      });
      expect(direct.equityCurve.values).toHaveLength(100);
      expect(window.outOfSample.result.equityCurve.values).toEqual(direct.equityCurve.values);
      expect(window.outOfSample.result.fills).toHaveLength(direct.fills.length);
      expect(window.outOfSample.result.strategy.id).toBe('logit');
    }
    expect(analysis.windows.some((window) => window.outOfSample.result.fills.length > 0)).toBe(
      true,
    );
    // Windows that slide see other bars, so they fit other models.
    expect(analysis.windows[1]!.model!.model.toJSON()).not.toEqual(
      analysis.windows[0]!.model!.model.toJSON(),
    );
  });

  it("reports each model's metrics on its training and its test span", async () => {
    const analysis = await runWalkForward(options);
    for (const window of analysis.windows) {
      const { inSample, outOfSample } = window.model!;
      // RSI(14) and a one-bar return are ready from the 15th bar; the last bar has no label.
      expect(inSample.rows).toBe(300 - 14 - 1);
      expect(outOfSample.rows).toBe(100 - 14 - 1);
      expect(inSample.accuracy).toBeGreaterThan(0);
      expect(inSample.accuracy).toBeLessThanOrEqual(1);
      expect(outOfSample.accuracy).toBeGreaterThanOrEqual(0);
    }
  });

  it("fits a window's model the same when the bars after its training span change", async () => {
    const original = await runWalkForward(options);
    const first = original.windows[0]!;
    const perturbed = await runWalkForward({
      ...options,
      data: [{ path: perturbedFile(first.train.endMs), instrumentId: XRPETH, interval: '5m' }],
    });
    const again = perturbed.windows[0]!;
    expect(again.train).toEqual(first.train);
    expect(again.model!.model.toJSON()).toEqual(first.model!.model.toJSON());
    expect(again.model!.inSample).toEqual(first.model!.inSample);
    expect(again.inSample.score).toBe(first.inSample.score);
    expect(again.scores).toEqual(first.scores);
    // The check can fail: the next window trains on changed bars and fits another model.
    expect(perturbed.windows[1]!.model!.model.toJSON()).not.toEqual(
      original.windows[1]!.model!.model.toJSON(),
    );
  });

  it('rejects a spec that also names a strategy', async () => {
    const error = await runWalkForward({ ...options, strategy: 'sma-crossover' }).catch(
      (caught: unknown) => caught,
    );
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toContain('strategy');
  });
});
