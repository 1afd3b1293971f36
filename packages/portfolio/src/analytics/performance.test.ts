import { computePerformance, simpleReturns } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  catchValidationError,
  expectAllClose,
  expectClose,
  expectPeriodsClose,
  loadReferenceCases,
} from '../../test/reference.js';

const DAY = 86_400_000;

describe('computePerformance', () => {
  it.each(loadReferenceCases())(
    'matches pandas on every metric for $name',
    ({ curve, options, trades, expected }) => {
      const report = computePerformance(curve, { ...options, trades });
      expect(report.start).toBe(expected.start);
      expect(report.end).toBe(expected.end);
      expect(report.numberOfReturns).toBe(expected.numberOfReturns);
      for (const key of [
        'periodsPerYear',
        'yearLengthDays',
        'totalReturn',
        'cagr',
        'annualizedVolatility',
        'sharpeRatio',
        'sortinoRatio',
        'calmarRatio',
        'maxDrawdown',
        'exposureTime',
      ] as const) {
        expectClose(report[key], expected[key], key);
      }
      expect({ ...report.maxDrawdownPeriod, depth: 0 }).toEqual({
        ...expected.maxDrawdownPeriod,
        depth: 0,
      });
      expectClose(report.maxDrawdownPeriod!.depth, expected.maxDrawdownPeriod.depth, 'depth');
      expect(report.longestDrawdownMs).toBe(expected.longestDrawdownMs);
      expect(report.longestDrawdownPeriods).toBe(expected.longestDrawdownPeriods);
      expect(report.yearBasis).toBe(expected.yearBasis);
      if (expected.drawdowns !== undefined) {
        expectAllClose(report.drawdowns, expected.drawdowns, 'drawdowns');
      }
      if (expected.daily !== undefined) expectPeriodsClose(report.daily, expected.daily, 'daily');
      expectPeriodsClose(report.monthly, expected.monthly, 'monthly');
      expect(report.bestPeriod!.start).toBe(expected.bestPeriod.start);
      expectClose(report.bestPeriod!.return, expected.bestPeriod.return, 'bestPeriod');
      expect(report.worstPeriod!.start).toBe(expected.worstPeriod.start);
      expectClose(report.worstPeriod!.return, expected.worstPeriod.return, 'worstPeriod');
      for (const key of Object.keys(expected.trades) as (keyof typeof expected.trades)[]) {
        expectClose(report.trades[key], expected.trades[key], `trades.${key}`);
      }
    },
  );

  it('measures a return series as the curve it compounds to', () => {
    const { curve, options, expected } = loadReferenceCases()[1]!;
    const report = computePerformance(
      { times: curve.times.subarray(1), returns: simpleReturns(curve.values) },
      options,
    );
    // The start is one bar interval before the first return, where the curve also starts.
    expect(report.start).toBe(expected.start);
    for (const key of [
      'totalReturn',
      'cagr',
      'sharpeRatio',
      'sortinoRatio',
      'maxDrawdown',
    ] as const) {
      expectClose(report[key], expected[key], key);
    }
  });

  it('uses given periods per year instead of inferring them', () => {
    const curve = { times: [0, DAY, 2 * DAY, 3 * DAY], values: [100, 104, 99, 107] };
    expect(computePerformance(curve).periodsPerYear).toBe(365);
    expect(computePerformance(curve, { market: 'stock' }).periodsPerYear).toBe(252);
    const report = computePerformance(curve, { periodsPerYear: 12 });
    expect(report.periodsPerYear).toBe(12);
    expect(
      report.annualizedVolatility! / computePerformance(curve).annualizedVolatility!,
    ).toBeCloseTo(Math.sqrt(12 / 365), 12);
  });

  it('reports an empty curve with nulls and empty tables rather than throwing', () => {
    const report = computePerformance({ times: [], values: [] });
    expect(report).toMatchObject({
      start: null,
      end: null,
      numberOfReturns: 0,
      periodsPerYear: null,
      totalReturn: null,
      cagr: null,
      sharpeRatio: null,
      sortinoRatio: null,
      calmarRatio: null,
      maxDrawdown: 0,
      maxDrawdownPeriod: null,
      longestDrawdownMs: 0,
      bestPeriod: null,
      daily: [],
      monthly: [],
      exposureTime: null,
    });
  });

  it('reports a single point as a flat curve with no returns', () => {
    const report = computePerformance({ times: [DAY], values: [50] });
    expect(report.totalReturn).toBe(0);
    expect(report.cagr).toBeNull();
    expect(report.annualizedVolatility).toBeNull();
    expect(report.daily).toEqual([{ start: DAY, return: 0 }]);
  });

  it('gives null ratios, never NaN or Infinity, for a flat curve, so the report survives JSON', () => {
    const report = computePerformance({ times: [0, DAY, 2 * DAY], values: [5, 5, 5] });
    expect(report.sharpeRatio).toBeNull();
    expect(report.sortinoRatio).toBeNull();
    expect(report.calmarRatio).toBeNull();
    expect(JSON.parse(JSON.stringify({ ...report, drawdowns: [] })).sharpeRatio).toBeNull();
  });

  it('rejects bad input with a ValidationError naming the field and the rule', () => {
    const times = [0, DAY, 2 * DAY];
    expect(
      catchValidationError(() => computePerformance({ times, values: [1, Number.NaN, 2] })).field,
    ).toBe('values[1]');
    expect(
      catchValidationError(() => computePerformance({ times, values: [1, -2, 2] })).rule,
    ).toMatch(/be positive/);
    expect(
      catchValidationError(() =>
        computePerformance({ times: [0, 2 * DAY, DAY], values: [1, 2, 3] }),
      ).message,
    ).toBe(
      'times[2]: must be greater than times[1] (172800000): times must be strictly increasing, was 86400000',
    );
    expect(catchValidationError(() => computePerformance({ times, values: [1, 2] })).field).toBe(
      'values',
    );
    expect(
      catchValidationError(() =>
        computePerformance(
          { times, values: [1, 2, 3] },
          { trades: [{ entryTime: 0, exitTime: 1, pnl: Number.NaN }] },
        ),
      ).field,
    ).toBe('trades[0].pnl');
    expect(
      catchValidationError(() =>
        computePerformance({ times, values: [1, 2, 3] }, { periodsPerYear: -1 }),
      ).field,
    ).toBe('periodsPerYear');
    expect(
      catchValidationError(() =>
        computePerformance({ times, values: [1, 2, 3] }, { riskFreeRate: Number.NaN }),
      ).field,
    ).toBe('riskFreeRate');
    expect(
      catchValidationError(() =>
        computePerformance({ times, values: [1, 2, 3] }, { periodsPerYear: Number.NaN }),
      ).field,
    ).toBe('periodsPerYear');
    expect(
      catchValidationError(() =>
        computePerformance({ times, values: [1, 2, 3] }, { periodPerYear: 365 } as never),
      ).field,
    ).toBe('periodPerYear');
    expect(
      catchValidationError(() =>
        computePerformance({ times, values: [1, 2, 3] }, { market: 'stock', yearLengthDays: 365 }),
      ).field,
    ).toBe('yearLengthDays');
  });

  it('counts the CAGR year as the calendar does: 365 days for crypto, 252 sessions for stocks', () => {
    // Two returns a week apart, +10 % in all: on the crypto calendar that is 14 of 365 days; on
    // the stock calendar the weekly bars count 365 / 7 periods a year, so 2 returns are 14 / 365
    // of a year too, and a 252-period daily year makes 2 returns 2 / 252 of a year.
    const week = 7 * DAY;
    const curve = { times: [0, week, 2 * week], values: [100, 105, 110] };
    const crypto = computePerformance(curve);
    expect(crypto).toMatchObject({ yearBasis: 'calendar', yearLengthDays: 365 });
    expectClose(crypto.cagr, 1.1 ** (365 / 14) - 1, 'crypto cagr');
    const stock = computePerformance(curve, { market: 'stock', periodsPerYear: 252 });
    expect(stock).toMatchObject({
      yearBasis: 'periods',
      yearLengthDays: null,
      periodsPerYear: 252,
    });
    expectClose(stock.cagr, 1.1 ** (252 / 2) - 1, 'stock cagr');
  });
});
