import {
  inferBarIntervalMs,
  inferPeriodsPerYear,
  periodsPerYearForInterval,
  perPeriodRate,
} from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('inferPeriodsPerYear', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ curve, options, expected }) => {
    const market = options.market ?? 'crypto';
    expectClose(inferPeriodsPerYear(curve.times, { market }), expected.periodsPerYear);
  });

  it('takes the median spacing, so missing bars and weekends do not stretch the interval', () => {
    expect(inferBarIntervalMs([0, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, 35 * MINUTE])).toBe(
      5 * MINUTE,
    );
    const weekdays = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11].map((d) => d * DAY);
    expect(inferPeriodsPerYear(weekdays, { market: 'stock' })).toBe(252);
  });

  it('takes the spacing of evenly spaced times, for odd and even counts', () => {
    expect(inferBarIntervalMs([0, MINUTE, 2 * MINUTE])).toBe(MINUTE);
    expect(inferBarIntervalMs([7, 7 + MINUTE, 7 + 2 * MINUTE, 7 + 3 * MINUTE])).toBe(MINUTE);
    expect(inferBarIntervalMs([0, 0.1, 0.2])).toBe(0.1);
  });

  it('counts 365 days of 24 hours on the crypto calendar', () => {
    expect(periodsPerYearForInterval(DAY)).toBe(365);
    expect(periodsPerYearForInterval(5 * MINUTE)).toBe(105_120);
    expect(periodsPerYearForInterval(60 * MINUTE, { market: 'crypto' })).toBe(8760);
  });

  it('counts 252 sessions of 6.5 hours on the stock calendar for bars of a day or shorter', () => {
    expect(periodsPerYearForInterval(DAY, { market: 'stock' })).toBe(252);
    expect(periodsPerYearForInterval(5 * MINUTE, { market: 'stock' })).toBe(252 * 78);
    expect(
      periodsPerYearForInterval(30 * MINUTE, { market: 'stock', sessionMs: 8 * 60 * MINUTE }),
    ).toBe(252 * 16);
    // A bar longer than a session but shorter than a day is still one bar a session.
    expect(periodsPerYearForInterval(12 * 60 * MINUTE, { market: 'stock' })).toBe(252);
  });

  it('counts calendar days for bars longer than a day on both calendars', () => {
    expect(periodsPerYearForInterval(7 * DAY, { market: 'stock' })).toBe(365 / 7);
    expect(periodsPerYearForInterval(7 * DAY, { market: 'crypto' })).toBe(365 / 7);
  });

  it('returns null when there are fewer than two timestamps', () => {
    expect(inferBarIntervalMs([])).toBeNull();
    expect(inferPeriodsPerYear([1_000])).toBeNull();
  });

  it('rejects unsorted or repeated times, an unknown market and a bad session length', () => {
    expect(catchValidationError(() => inferPeriodsPerYear([0, 2, 1])).field).toBe('times[2]');
    expect(catchValidationError(() => inferPeriodsPerYear([0, 1, 1])).rule).toMatch(
      /strictly increasing/,
    );
    expect(
      catchValidationError(() => inferPeriodsPerYear([0, 1], { market: 'forex' as 'stock' })).field,
    ).toBe('market');
    expect(
      catchValidationError(() => periodsPerYearForInterval(DAY, { sessionMs: 2 * DAY })).field,
    ).toBe('sessionMs');
    expect(catchValidationError(() => periodsPerYearForInterval(0)).field).toBe('intervalMs');
  });
});

describe('perPeriodRate', () => {
  it('compounds back to the annual rate over a year of periods', () => {
    const rate = perPeriodRate({ riskFreeRate: 0.04, periodsPerYear: 252 });
    expectClose((1 + rate) ** 252 - 1, 0.04);
    expect(perPeriodRate({ riskFreeRate: 0, periodsPerYear: 365 })).toBe(0);
  });

  it('rejects a rate of -100 % or worse', () => {
    expect(
      catchValidationError(() => perPeriodRate({ riskFreeRate: -1, periodsPerYear: 252 })).field,
    ).toBe('riskFreeRate');
  });
});
