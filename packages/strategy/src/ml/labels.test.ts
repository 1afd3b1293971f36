import { BarSeries, isQtpError } from '@qtp/core';
import { forwardReturns, tripleBarrierLabels } from '@qtp/strategy/ml';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../test/bar-series-fixture.js';

function series(rows: [high: number, low: number, close: number][]): BarSeries {
  return BarSeries.fromColumns({
    time: rows.map((_, i) => i * 60_000),
    open: rows.map(([, , c]) => c),
    high: rows.map(([h]) => h),
    low: rows.map(([, l]) => l),
    close: rows.map(([, , c]) => c),
    volume: rows.map(() => 1),
  });
}

describe('forwardReturns', () => {
  it('returns close[t + h] / close[t] - 1 and NaN where the future is missing', () => {
    const r = forwardReturns([100, 110, 99, 121], 2);
    expect(r[0]).toBeCloseTo(-0.01, 15);
    expect(r[1]).toBeCloseTo(0.1, 15);
    expect(r[2]).toBeNaN();
    expect(r[3]).toBeNaN();
    expect(forwardReturns([100, 110], 1, { log: true })[0]).toBeCloseTo(Math.log(1.1), 15);
  });

  it('rejects a horizon below one', () => {
    expect(() => forwardReturns([1, 2], 0)).toThrow(/horizon: must be an integer >= 1/);
  });
});

describe('tripleBarrierLabels', () => {
  const bars = series([
    [100, 100, 100],
    [101, 99.5, 100.5], // neither 102 nor 99 from bar 0
    [102.5, 100, 102], // upper of bar 0 (102) touched here
    [102, 98, 99],
    [100, 97, 98],
    [99, 97.5, 98.5],
  ]);

  it('labels the first barrier touched, worked by hand', () => {
    const { labels, endIndex, returns } = tripleBarrierLabels(bars, {
      horizon: 3,
      takeProfit: 0.02,
      stopLoss: 0.01,
    });
    // Bar 0: upper 102, lower 99. Bar 2's high 102.5 reaches 102 first.
    expect(labels[0]).toBe(1);
    expect(endIndex[0]).toBe(2);
    expect(returns[0]).toBe(0.02);
    // Bar 1: entry 100.5, upper 102.51, lower 99.495. Bar 2 touches neither; bar 3's low 98 stops.
    expect(labels[1]).toBe(-1);
    expect(endIndex[1]).toBe(3);
    // Bar 2: entry 102, lower 100.98: bar 3's low 98 stops, although its high 102 is below 104.04.
    expect(labels[2]).toBe(-1);
    // Bar 4: entry 98, upper 99.96, lower 97.02: bar 5 (high 99, low 97.5) touches neither and
    // there is no bar 7 for the vertical barrier, so no label.
    expect(labels[4]).toBeNaN();
    expect(endIndex[4]).toBe(-1);
  });

  it('counts a bar that reaches both barriers as the stop, and labels the vertical barrier', () => {
    const wide = series([
      [100, 100, 100],
      [103, 98, 100],
      [100.5, 99.5, 100.2],
      [100.5, 99.5, 100.4],
    ]);
    const { labels } = tripleBarrierLabels(wide, { horizon: 1, takeProfit: 0.02, stopLoss: 0.01 });
    expect(labels[0]).toBe(-1);
    expect(labels[1]).toBe(0);
    const signed = tripleBarrierLabels(wide, {
      horizon: 1,
      takeProfit: 0.02,
      stopLoss: 0.01,
      vertical: 'sign',
    });
    expect(signed.labels[1]).toBe(1);
    expect(signed.returns[1]).toBeCloseTo(0.002, 15);
  });

  it('decides every label within the horizon on real bars', () => {
    const real = fixtureSeries('XRPETH-5m', 'XRPETH');
    const { labels, endIndex } = tripleBarrierLabels(real, {
      horizon: 12,
      takeProfit: 0.005,
      stopLoss: 0.005,
    });
    for (let t = 0; t < real.length; t++) {
      if (Number.isNaN(labels[t]!)) {
        expect(t + 12).toBeGreaterThanOrEqual(real.length);
        continue;
      }
      expect(endIndex[t]).toBeGreaterThan(t);
      expect(endIndex[t]).toBeLessThanOrEqual(t + 12);
    }
    const counts = [-1, 0, 1].map((v) => Array.from(labels).filter((l) => l === v).length);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('rejects a stop loss of 1 or more', () => {
    try {
      tripleBarrierLabels(bars, { horizon: 3, takeProfit: 0.02, stopLoss: 1 });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
    }
  });
});
