import { bestPeriod, periodReturns, worstPeriod } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  catchValidationError,
  expectClose,
  expectPeriodsClose,
  loadReferenceCases,
} from '../../test/reference.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('periodReturns', () => {
  it.each(loadReferenceCases())('matches pandas resampling for $name', ({ curve, expected }) => {
    if (expected.daily !== undefined) {
      expectPeriodsClose(periodReturns(curve, 'day'), expected.daily, 'daily');
    }
    expectPeriodsClose(periodReturns(curve, 'month'), expected.monthly, 'monthly');
    expectPeriodsClose(periodReturns(curve, 'year'), expected.yearly, 'yearly');
    const bars = periodReturns(curve, 'bar');
    expect(bars.length).toBe(expected.numberOfReturns);
    for (const [actual, reference] of [
      [bestPeriod(bars)!, expected.bestPeriod],
      [worstPeriod(bars)!, expected.worstPeriod],
    ] as const) {
      expect(actual.start).toBe(reference.start);
      expectClose(actual.return, reference.return);
    }
  });

  it('measures each UTC day from the close of the previous listed day, the first from the first value', () => {
    const curve = { times: [0, 12 * HOUR, DAY, 36 * HOUR], values: [100, 110, 99, 108.9] };
    const daily = periodReturns(curve, 'day');
    expect(daily.map((p) => p.start)).toEqual([0, DAY]);
    expectClose(daily[0]!.return, 0.1);
    expectClose(daily[1]!.return, 108.9 / 110 - 1);
  });

  it('leaves out days without an observation and measures across the gap', () => {
    const curve = { times: [0, 3 * DAY + HOUR, 3 * DAY + 2 * HOUR], values: [100, 90, 120] };
    const daily = periodReturns(curve, 'day');
    expect(daily.map((p) => p.start)).toEqual([0, 3 * DAY]);
    expect(daily.map((p) => p.return)).toEqual([0, 120 / 100 - 1]);
  });

  it('starts months and years at UTC midnight of their first day', () => {
    const jan31 = Date.UTC(2024, 0, 31, 23);
    const feb1 = Date.UTC(2024, 1, 1, 1);
    const monthly = periodReturns({ times: [jan31, feb1], values: [100, 105] }, 'month');
    expect(monthly.map((p) => p.start)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)]);
    const yearly = periodReturns({ times: [jan31, feb1], values: [100, 105] }, 'year');
    expect(yearly).toEqual([{ start: Date.UTC(2024, 0, 1), return: 105 / 100 - 1 }]);
  });

  it('puts an observation one millisecond before a month or year ends in that period', () => {
    const end = Date.UTC(2024, 1, 1);
    const times = [Date.UTC(2024, 0, 1), end - 1, end - 0.5, end, Date.UTC(2025, 0, 1) - 0.25];
    const values = [100, 101, 102, 103, 104];
    expect(periodReturns({ times, values }, 'month').map((p) => p.start)).toEqual([
      Date.UTC(2024, 0, 1),
      end,
      Date.UTC(2024, 11, 1),
    ]);
    expect(periodReturns({ times, values }, 'month')[0]!.return).toBe(102 / 100 - 1);
    expect(periodReturns({ times, values }, 'year')).toEqual([
      { start: Date.UTC(2024, 0, 1), return: 104 / 100 - 1 },
    ]);
  });

  it('starts each bar period at the earlier of its two observations', () => {
    expect(periodReturns({ times: [5, 9], values: [4, 5] }, 'bar')).toEqual([
      { start: 5, return: 0.25 },
    ]);
  });

  it('returns empty tables for an empty curve and no bars for a single point', () => {
    expect(periodReturns({ times: [], values: [] }, 'day')).toEqual([]);
    expect(periodReturns({ times: [1], values: [3] }, 'bar')).toEqual([]);
    expect(periodReturns({ times: [1], values: [3] }, 'month')).toEqual([{ start: 0, return: 0 }]);
  });

  it('rejects an unknown period length', () => {
    const curve = { times: [0], values: [1] };
    expect(catchValidationError(() => periodReturns(curve, 'week' as 'day')).field).toBe('period');
  });
});

describe('bestPeriod and worstPeriod', () => {
  it('pick the first of tied periods and return null for an empty table', () => {
    const periods = [
      { start: 0, return: 0.1 },
      { start: 1, return: -0.2 },
      { start: 2, return: 0.1 },
      { start: 3, return: -0.2 },
    ];
    expect(bestPeriod(periods)).toEqual({ start: 0, return: 0.1 });
    expect(worstPeriod(periods)).toEqual({ start: 1, return: -0.2 });
    expect(bestPeriod([])).toBeNull();
    expect(worstPeriod([])).toBeNull();
  });
});
