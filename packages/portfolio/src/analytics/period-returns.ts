import { ValidationError } from '@qtp/core';
import type { EquityCurve } from './equity-curve.js';
import { checkEquityCurve } from './validate.js';

/**
 * The length of the periods in a {@link periodReturns} table: each bar of the curve, or a UTC
 * calendar day, month or year.
 */
export type ReturnPeriod = 'bar' | 'day' | 'month' | 'year';

/** The simple return of one period. */
export interface PeriodReturn {
  /** The start of the period, epoch milliseconds (UTC midnight for calendar periods). */
  readonly start: number;
  /** The simple return over the period, as a fraction (0.01 is 1 %). */
  readonly return: number;
}

const DAY_MS = 86_400_000;

function periodStart(time: number, period: Exclude<ReturnPeriod, 'bar'>): number {
  if (period === 'day') return Math.floor(time / DAY_MS) * DAY_MS;
  const date = new Date(time);
  return period === 'month'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)
    : Date.UTC(date.getUTCFullYear(), 0, 1);
}

/**
 * Returns the simple return of each period of an equity curve, in time order.
 *
 * - `'bar'`: one entry per consecutive pair of observations; `start` is the earlier time and the
 *   return is `values[i] / values[i - 1] - 1`.
 * - `'day'`, `'month'`, `'year'`: one entry per UTC calendar period that holds at least one
 *   observation (periods without one are left out, so a stock series has no weekend days). A
 *   period's return is its last value over the last value of the previous listed period, minus 1;
 *   the first period is measured from the curve's first value.
 *
 * @param curve - the equity curve
 * @param period - the period length
 * @throws ValidationError when the curve is invalid (see {@link EquityCurve}) or the period is unknown
 * @example
 * ```ts
 * import { periodReturns } from '@qtp/portfolio';
 * const hour = 3_600_000;
 * periodReturns({ times: [0, 12 * hour, 24 * hour, 36 * hour], values: [100, 110, 99, 108.9] }, 'day');
 * // [{ start: 0, return: ≈0.1 }, { start: 86400000, return: ≈-0.01 }]
 * ```
 */
export function periodReturns(curve: EquityCurve, period: ReturnPeriod): PeriodReturn[] {
  checkEquityCurve(curve);
  const { times, values } = curve;
  const table: PeriodReturn[] = [];
  if (period === 'bar') {
    for (let i = 1; i < values.length; i++) {
      table.push({ start: times[i - 1]!, return: values[i]! / values[i - 1]! - 1 });
    }
    return table;
  }
  if (period !== 'day' && period !== 'month' && period !== 'year') {
    throw new ValidationError('period', "be 'bar', 'day', 'month' or 'year'", period);
  }
  return calendarReturnsOf(curve, period);
}

/** {@link periodReturns} by calendar period, of a curve already checked. */
export function calendarReturnsOf(
  curve: EquityCurve,
  period: Exclude<ReturnPeriod, 'bar'>,
): PeriodReturn[] {
  const { times, values } = curve;
  const table: PeriodReturn[] = [];
  if (values.length === 0) return table;
  let base = values[0]!;
  let start = periodStart(times[0]!, period);
  let end = sameUntil(start, period);
  for (let i = 1; i <= values.length; i++) {
    let next = Number.NaN;
    if (i < values.length) {
      const time = times[i]!;
      // Times increase, so a time the Date constructor (which truncates) puts before the next
      // period's start is in the current one; this skips building a Date for every point.
      if (Math.trunc(time) < end) continue;
      next = periodStart(time, period);
      if (next === start) continue;
    }
    // `next` differs (or the curve ended): observation i - 1 closes the current period.
    const close = values[i - 1]!;
    table.push({ start, return: close / base - 1 });
    base = close;
    start = next;
    end = sameUntil(start, period);
  }
  return table;
}

// The time before which a later observation is surely in the period starting at `start`, so
// the loop skips the exact check. For a month or a year, the next one's start. For a day, one
// millisecond short of the next day: below that, time / DAY_MS rounds to a quotient under the
// next whole day whenever |start| < 1e14 (the quotient's rounding error is then below 1e-12 of a
// day), so the floor is the same day. NaN, which sends every point down the exact path, for
// other days and for times outside the Date range.
function sameUntil(start: number, period: Exclude<ReturnPeriod, 'bar'>): number {
  if (Number.isNaN(start)) return Number.NaN;
  if (period === 'day') return Math.abs(start) < 1e14 ? start + DAY_MS - 1 : Number.NaN;
  const date = new Date(start);
  return period === 'month'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
    : Date.UTC(date.getUTCFullYear() + 1, 0, 1);
}

/**
 * Returns the bars with the highest and the lowest return of a checked curve (the first, when
 * tied), as {@link bestPeriod} and {@link worstPeriod} would find them in the `'bar'` table,
 * without building the table.
 */
export function barExtremesOf(curve: EquityCurve): {
  best: PeriodReturn | null;
  worst: PeriodReturn | null;
} {
  const { times, values } = curve;
  if (values.length < 2) return { best: null, worst: null };
  let best = 1;
  let worst = 1;
  let bestReturn = values[1]! / values[0]! - 1;
  let worstReturn = bestReturn;
  for (let i = 2; i < values.length; i++) {
    const r = values[i]! / values[i - 1]! - 1;
    if (r > bestReturn) {
      best = i;
      bestReturn = r;
    }
    if (r < worstReturn) {
      worst = i;
      worstReturn = r;
    }
  }
  return {
    best: { start: times[best - 1]!, return: bestReturn },
    worst: { start: times[worst - 1]!, return: worstReturn },
  };
}

/**
 * Returns the period with the highest return (the first, when tied), or `null` for an empty table.
 *
 * @param periods - a period table, as from {@link periodReturns}
 * @example
 * ```ts
 * import { bestPeriod } from '@qtp/portfolio';
 * bestPeriod([{ start: 0, return: 0.02 }, { start: 60_000, return: 0.05 }]); // { start: 60000, return: 0.05 }
 * ```
 */
export function bestPeriod(periods: readonly PeriodReturn[]): PeriodReturn | null {
  let best: PeriodReturn | null = null;
  for (const period of periods) if (best === null || period.return > best.return) best = period;
  return best;
}

/**
 * Returns the period with the lowest return (the first, when tied), or `null` for an empty table.
 *
 * @param periods - a period table, as from {@link periodReturns}
 * @example
 * ```ts
 * import { worstPeriod } from '@qtp/portfolio';
 * worstPeriod([{ start: 0, return: 0.02 }, { start: 60_000, return: -0.01 }]); // { start: 60000, return: -0.01 }
 * ```
 */
export function worstPeriod(periods: readonly PeriodReturn[]): PeriodReturn | null {
  let worst: PeriodReturn | null = null;
  for (const period of periods) if (worst === null || period.return < worst.return) worst = period;
  return worst;
}
