import { BarSeries, isQtpError } from '@qtp/core';
import { atr, rsi, sma } from '@qtp/strategy';
import {
  FEATURE_INDICATORS,
  FeaturePipeline,
  type FeatureSpec,
  featureRow,
} from '@qtp/strategy/ml';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../test/bar-series-fixture.js';

// Every indicator, plus returns, rolling statistics and lagged fields: 35 features.
const SPECS: FeatureSpec[] = [
  ...FEATURE_INDICATORS.map((indicator): FeatureSpec => ({ kind: 'indicator', indicator })),
  { kind: 'indicator', indicator: 'adx', output: 'plusDi' },
  {
    kind: 'indicator',
    indicator: 'macd',
    output: 'histogram',
    params: { fast: 5, slow: 13, signal: 4 },
  },
  { kind: 'indicator', indicator: 'bollinger', output: 'lower', params: { period: 10, k: 1.5 } },
  { kind: 'indicator', indicator: 'stochastic', output: 'd' },
  { kind: 'indicator', indicator: 'sma', params: { period: 5 }, source: 'volume', lag: 2 },
  { kind: 'return', period: 1 },
  { kind: 'return', period: 12, log: true },
  { kind: 'rolling', statistic: 'std', period: 30, of: 'return' },
  { kind: 'rolling', statistic: 'zscore', period: 50, source: 'volume' },
  { kind: 'rolling', statistic: 'max', period: 10, of: 'return', lag: 3 },
  { kind: 'field', source: 'volume', lag: 1 },
];

function streamAll(pipeline: FeaturePipeline, series: BarSeries): Float64Array[] {
  const stream = pipeline.stream();
  const rows: Float64Array[] = [];
  for (let i = 0; i < series.length; i++) rows.push(Float64Array.from(stream.update(series.at(i))));
  return rows;
}

describe('FeaturePipeline', () => {
  it.each([
    ['ADABTC-1m-first1500', 'ADABTC'],
    ['XRPETH-5m', 'XRPETH'],
  ])('computes the same numbers in batch and streaming on %s, bit for bit', (name, symbol) => {
    const series = fixtureSeries(name, symbol);
    const pipeline = new FeaturePipeline(SPECS);
    expect(pipeline.names.length).toBe(SPECS.length);
    const matrix = pipeline.compute(series);
    const rows = streamAll(pipeline, series);
    let defined = 0;
    for (let i = 0; i < series.length; i++) {
      for (let j = 0; j < SPECS.length; j++) {
        const batch = matrix.columns[j]![i]!;
        const streamed = rows[i]![j]!;
        if (!Object.is(batch, streamed)) {
          throw new Error(
            `${pipeline.names[j]} at bar ${i}: batch ${batch}, streaming ${streamed}`,
          );
        }
        if (!Number.isNaN(batch)) defined++;
      }
    }
    // Most values are past warm-up, so the comparison is not of NaNs.
    expect(defined).toBeGreaterThan(0.9 * series.length * SPECS.length);
  });

  it('gives the batch indicator values, lagged and returned as declared', () => {
    const series = fixtureSeries('XRPETH-5m', 'XRPETH');
    const matrix = new FeaturePipeline([
      { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
      { kind: 'indicator', indicator: 'atr', params: { period: 7 }, lag: 3 },
      { kind: 'return', period: 5 },
      { kind: 'rolling', statistic: 'mean', period: 4, of: 'return' },
    ]).compute(series);
    expect(matrix.names).toEqual(['rsi_14', 'atr_7_lag3', 'ret_5', 'mean_4_ret']);
    const close = series.close;
    expect(Array.from(matrix.columns[0]!)).toEqual(Array.from(rsi(close, 14)));
    const atr7 = atr(series.high, series.low, close, 7);
    expect(matrix.columns[1]![100]).toBe(atr7[97]);
    expect(matrix.columns[1]![2]).toBeNaN();
    expect(matrix.columns[2]![10]).toBe(close[10]! / close[5]! - 1);
    expect(matrix.columns[2]![4]).toBeNaN();
    // The mean of the four one-bar returns ending at bar 8, written out.
    const r = (i: number) => close[i]! / close[i - 1]! - 1;
    expect(matrix.columns[3]![8]).toBeCloseTo((r(5) + r(6) + r(7) + r(8)) / 4, 15);
    expect(matrix.columns[3]![3]).toBeNaN();
    expect(matrix.columns[3]![4]).toBeCloseTo((r(1) + r(2) + r(3) + r(4)) / 4, 15);
    expect(featureRow(matrix, 50)[0]).toBe(matrix.columns[0]![50]);
    expect(sma(close, 3)[2]).toBeCloseTo((close[0]! + close[1]! + close[2]!) / 3, 15);
  });

  it('never looks ahead: changing bars after t leaves every feature up to t unchanged', () => {
    const series = fixtureSeries('ADABTC-1m-first1500', 'ADABTC');
    const pipeline = new FeaturePipeline(SPECS);
    const before = pipeline.compute(series);
    for (const cut of [60, 400, 1100]) {
      // Future bars scaled by a varying factor (still valid bars), volumes changed.
      const columns = {
        time: series.time,
        open: Float64Array.from(series.open),
        high: Float64Array.from(series.high),
        low: Float64Array.from(series.low),
        close: Float64Array.from(series.close),
        volume: Float64Array.from(series.volume),
      };
      for (let i = cut + 1; i < series.length; i++) {
        const f = 1 + 0.05 * Math.sin(i);
        columns.open[i]! *= f;
        columns.high[i]! *= f * 1.01;
        columns.low[i]! *= f * 0.99;
        columns.close[i]! *= f;
        columns.volume[i]! = columns.volume[i]! * 3 + 1;
      }
      const after = pipeline.compute(BarSeries.fromColumns(columns));
      let changedLater = 0;
      for (let j = 0; j < SPECS.length; j++) {
        const a = before.columns[j]!;
        const b = after.columns[j]!;
        for (let i = 0; i <= cut; i++) {
          if (!Object.is(a[i], b[i]))
            throw new Error(`${pipeline.names[j]} at ${i} changed (cut ${cut})`);
        }
        if (!Object.is(a[cut + 5], b[cut + 5])) changedLater++;
      }
      // The perturbation is real: most features do change after the cut.
      expect(changedLater).toBeGreaterThan(SPECS.length / 2);
    }
  });

  it('names the declaration at fault', () => {
    const field = (specs: unknown): string => {
      try {
        new FeaturePipeline(specs as FeatureSpec[]);
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION')).toBe(true);
        return (error as { field: string }).field;
      }
      throw new Error('expected a ValidationError');
    };
    expect(field([{ kind: 'return', period: 0 }])).toBe('[0].period');
    expect(
      field([
        { kind: 'field', source: 'close' },
        { kind: 'indicator', indicator: 'rsi', params: { length: 3 } },
      ]),
    ).toBe('[1].params.length');
    expect(field([{ kind: 'indicator', indicator: 'macd', output: 'line' }])).toBe('[0].output');
    expect(
      field([
        { kind: 'field', source: 'close' },
        { kind: 'field', source: 'close' },
      ]),
    ).toBe('names');
    expect(field([{ kind: 'indicator', indicator: 'atr', source: 'open' }])).toBe('[0].source');
  });
});
