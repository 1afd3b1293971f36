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
  if (values.length === 0) return table;
  let base = values[0]!;
  let start = periodStart(times[0]!, period);
  for (let i = 1; i <= values.length; i++) {
    const next = i < values.length ? periodStart(times[i]!, period) : Number.NaN;
    if (next === start) continue;
    // `next` differs (or the curve ended): observation i - 1 closes the current period.
    const close = values[i - 1]!;
    table.push({ start, return: close / base - 1 });
    base = close;
    start = next;
  }
  return table;
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
