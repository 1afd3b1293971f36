import { ValidationError } from '@qtp/core';
import { median } from 'simple-statistics';
import { asNumberArray, checkNumberAbove, checkOptionKeys, checkTimes } from './validate.js';

/** One day in milliseconds. */
const DAY_MS = 86_400_000;

/**
 * The trading calendar that turns a bar interval into periods per year: `'crypto'` trades around
 * the clock on 365 days a year; `'stock'` trades 252 sessions a year.
 */
export type MarketCalendar = 'crypto' | 'stock';

/** Options for {@link inferPeriodsPerYear}. */
export interface PeriodsPerYearOptions {
  /** The trading calendar; `'crypto'` when omitted. */
  readonly market?: MarketCalendar | undefined;
  /**
   * The length of one stock-market session in milliseconds, used for intraday stock bars;
   * 23 400 000 (6.5 hours, a NYSE session) when omitted. Must be positive and at most one day.
   */
  readonly sessionMs?: number | undefined;
}

/**
 * Returns the bar interval of a series: the median spacing between consecutive timestamps, in
 * milliseconds, or `null` when there are fewer than two timestamps.
 *
 * The median, not the mean, so that missing bars and weekend gaps do not stretch the interval.
 *
 * @param times - epoch milliseconds, strictly increasing
 * @throws ValidationError when a time is not finite or the times are not strictly increasing
 * @example
 * ```ts
 * import { inferBarIntervalMs } from '@qtp/portfolio';
 * inferBarIntervalMs([0, 300_000, 600_000, 1_500_000]); // 300000
 * ```
 */
export function inferBarIntervalMs(times: ArrayLike<number>): number | null {
  checkTimes('times', times);
  return barIntervalOf(times);
}

/** {@link inferBarIntervalMs} of times already checked. */
export function barIntervalOf(times: ArrayLike<number>): number | null {
  if (times.length < 2) return null;
  // Evenly spaced bars, the usual case, have their spacing as the median (for an even count,
  // the mean of two equal middle spacings is that spacing exactly): no array to sort.
  const first = times[1]! - times[0]!;
  let even = true;
  for (let i = 2; i < times.length && even; i++) even = times[i]! - times[i - 1]! === first;
  if (even) return first;
  // A typed array: median copies and partially sorts it, much faster than a plain array.
  const spacings = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) spacings[i - 1] = times[i]! - times[i - 1]!;
  return median(asNumberArray(spacings));
}

/**
 * Returns how many bars of the given interval make a year on the given calendar.
 *
 * - Bars longer than a day count calendar time on both calendars: 365 days / interval.
 * - `'crypto'`, bars of a day or shorter: 365 days / interval (1-day bars: 365, 5-minute bars:
 *   105 120).
 * - `'stock'`, bars of a day or shorter: 252 sessions times the bars in a session,
 *   252 × max(1, sessionMs / interval) (daily bars: 252, 5-minute bars: 19 656).
 *
 * @param intervalMs - the bar interval in milliseconds, positive
 * @param options - the market calendar and the stock session length
 * @throws ValidationError when the interval, the market or the session length is invalid
 * @example
 * ```ts
 * import { periodsPerYearForInterval } from '@qtp/portfolio';
 * periodsPerYearForInterval(86_400_000, { market: 'stock' }); // 252
 * periodsPerYearForInterval(300_000); // 105120
 * ```
 */
export function periodsPerYearForInterval(
  intervalMs: number,
  options: PeriodsPerYearOptions = {},
): number {
  checkNumberAbove('intervalMs', intervalMs, 0);
  const { market, sessionMs } = resolveCalendar(options);
  if (market === 'crypto' || intervalMs > DAY_MS) return (365 * DAY_MS) / intervalMs;
  return 252 * Math.max(1, sessionMs / intervalMs);
}

/** Checks the calendar options and fills in their defaults, naming the bad field. */
export function resolveCalendar(options: PeriodsPerYearOptions): {
  market: MarketCalendar;
  sessionMs: number;
} {
  checkOptionKeys(options, ['market', 'sessionMs']);
  const market = options.market ?? 'crypto';
  const sessionMs = options.sessionMs ?? 23_400_000;
  if (market !== 'crypto' && market !== 'stock') {
    throw new ValidationError('market', "be 'crypto' or 'stock'", market);
  }
  checkNumberAbove('sessionMs', sessionMs, 0);
  if (sessionMs > DAY_MS) {
    throw new ValidationError('sessionMs', `be at most one day (${DAY_MS})`, sessionMs);
  }
  return { market, sessionMs };
}

/**
 * Returns the periods per year of a series from its bar interval (the median spacing of its
 * timestamps, see {@link inferBarIntervalMs}) and calendar (see
 * {@link periodsPerYearForInterval}), or `null` when there are fewer than two timestamps.
 *
 * @param times - epoch milliseconds, strictly increasing
 * @param options - the market calendar and the stock session length
 * @throws ValidationError when the times are not finite and strictly increasing, or an option is invalid
 * @example
 * ```ts
 * import { inferPeriodsPerYear } from '@qtp/portfolio';
 * const fiveMinutes = [0, 300_000, 600_000, 900_000];
 * inferPeriodsPerYear(fiveMinutes); // 105120
 * inferPeriodsPerYear(fiveMinutes, { market: 'stock' }); // 19656
 * ```
 */
export function inferPeriodsPerYear(
  times: ArrayLike<number>,
  options: PeriodsPerYearOptions = {},
): number | null {
  resolveCalendar(options);
  checkTimes('times', times);
  return periodsPerYearOf(times, options);
}

/** {@link inferPeriodsPerYear} of times already checked; checks the options. */
export function periodsPerYearOf(
  times: ArrayLike<number>,
  options: PeriodsPerYearOptions,
): number | null {
  resolveCalendar(options);
  const intervalMs = barIntervalOf(times);
  return intervalMs === null ? null : periodsPerYearForInterval(intervalMs, options);
}

/** Options for {@link perPeriodRate}. */
export interface PerPeriodRateOptions {
  /** The annual rate as a fraction (0.04 is 4 %), greater than -1. */
  readonly riskFreeRate: number;
  /** Periods in a year, positive. */
  readonly periodsPerYear: number;
}

/**
 * Returns the per-period rate that compounds to an annual rate over a year of
 * `periodsPerYear` periods: (1 + riskFreeRate) ^ (1 / periodsPerYear) - 1.
 *
 * @param options - the annual rate and the periods per year
 * @throws ValidationError when the rate is not above -1, the periods are not positive or an
 *   option is unknown
 * @example
 * ```ts
 * import { perPeriodRate } from '@qtp/portfolio';
 * perPeriodRate({ riskFreeRate: 0.04, periodsPerYear: 252 }); // 0.0001556...
 * ```
 */
export function perPeriodRate(options: PerPeriodRateOptions): number {
  checkOptionKeys(options, ['riskFreeRate', 'periodsPerYear']);
  return perPeriodRateOf(options.riskFreeRate, options.periodsPerYear);
}

/** {@link perPeriodRate} of a rate and periods not yet checked; checks them. */
export function perPeriodRateOf(annualRate: number, periodsPerYear: number): number {
  checkNumberAbove('riskFreeRate', annualRate, -1);
  checkNumberAbove('periodsPerYear', periodsPerYear, 0);
  return (1 + annualRate) ** (1 / periodsPerYear) - 1;
}
