import {
  annualizedVolatility,
  bestPeriod,
  cagr,
  computePerformance,
  drawdownPeriods,
  drawdownSeries,
  inferPeriodsPerYear,
  maxDrawdown,
  maxDrawdownPeriod,
  periodReturns,
  sharpeRatio,
  simpleReturns,
  sortinoRatio,
  worstPeriod,
} from '@qtp/portfolio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const MINUTE = 60_000;
const DAY = 86_400_000;

// Curves a backtest produces: even or uneven spacing, flat stretches, single points and none.
const curves = fc
  .record({
    start: fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
    steps: fc.array(
      fc.record({
        gap: fc.constantFrom(MINUTE, MINUTE, MINUTE, 3 * MINUTE, DAY, 7 * DAY),
        move: fc.oneof(fc.constant(0), fc.double({ min: -0.05, max: 0.05, noNaN: true })),
      }),
      { maxLength: 300 },
    ),
    even: fc.boolean(),
    first: fc.double({ min: 1, max: 1e9, noNaN: true }),
  })
  .map(({ start, steps, even, first }) => {
    const times = [start];
    const values = [first];
    for (const { gap, move } of steps) {
      times.push(times.at(-1)! + (even ? MINUTE : gap));
      values.push(values.at(-1)! * (1 + move));
    }
    return { times, values };
  });

const options = fc.record(
  {
    riskFreeRate: fc.constantFrom(0, 0.03, -0.01),
    target: fc.constantFrom(0, 0.0001, -0.0002),
    market: fc.constantFrom('crypto' as const, 'stock' as const),
  },
  { requiredKeys: [] },
);

describe('computePerformance against the public metric functions', () => {
  it('reports to the last bit what each public function computes on its own', () => {
    fc.assert(
      fc.property(curves, options, (curve, opts) => {
        const report = computePerformance(curve, opts);
        const periodsPerYear = inferPeriodsPerYear(curve.times, { market: opts.market });
        expect(report.periodsPerYear).toBe(periodsPerYear);
        const returns = simpleReturns(curve.values);
        expect(report.numberOfReturns).toBe(returns.length);
        expect(report.maxDrawdown).toBe(maxDrawdown(curve.values));
        expect(report.drawdowns).toStrictEqual(drawdownSeries(curve.values));
        expect(report.maxDrawdownPeriod).toStrictEqual(maxDrawdownPeriod(curve));
        const periods = drawdownPeriods(curve);
        expect(report.longestDrawdownPeriods).toBe(
          Math.max(0, ...periods.map((period) => period.durationPeriods)),
        );
        const bars = periodReturns(curve, 'bar');
        expect(report.bestPeriod).toStrictEqual(bestPeriod(bars));
        expect(report.worstPeriod).toStrictEqual(worstPeriod(bars));
        expect(report.daily).toStrictEqual(periodReturns(curve, 'day'));
        expect(report.monthly).toStrictEqual(periodReturns(curve, 'month'));
        if (periodsPerYear === null) return;
        const ratio = { periodsPerYear, riskFreeRate: opts.riskFreeRate };
        const volatility =
          returns.length < 2 ? null : annualizedVolatility(returns, { periodsPerYear });
        expect(report.annualizedVolatility).toBe(volatility);
        expect(report.sharpeRatio).toBe(returns.length < 2 ? null : sharpeRatio(returns, ratio));
        expect(report.sortinoRatio).toBe(
          returns.length === 0 ? null : sortinoRatio(returns, { ...ratio, target: opts.target }),
        );
        const yearBasis = opts.market === 'stock' ? 'periods' : 'calendar';
        expect(report.cagr).toBe(cagr(curve, { yearBasis, periodsPerYear }));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same days when a day ends one millisecond after a point', () => {
    // Points on both sides of UTC midnight, the last one a millisecond before it.
    const midnight = 19_723 * DAY;
    const times = [midnight - 2, midnight - 1, midnight, midnight + DAY - 1, midnight + DAY];
    const curve = { times, values: [100, 101, 102, 103, 104] };
    expect(computePerformance(curve).daily).toStrictEqual([
      { start: midnight - DAY, return: 101 / 100 - 1 },
      { start: midnight, return: 103 / 101 - 1 },
      { start: midnight + DAY, return: 104 / 103 - 1 },
    ]);
  });
});
