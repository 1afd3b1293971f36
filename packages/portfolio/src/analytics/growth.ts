import { ValidationError } from '@qtp/core';
import type { EquityCurve } from './equity-curve.js';
import {
  checkEquityCurve,
  checkEquityValues,
  checkNumberAbove,
  checkOptionKeys,
} from './validate.js';

/** One day in milliseconds. */
const DAY_MS = 86_400_000;

/**
 * How annualised figures count a year:
 * - `'calendar'`: a year is `yearLengthDays` days of elapsed time (365 for a market that trades
 *   around the clock); CAGR divides the time from the first to the last point by it.
 * - `'periods'`: a year is `periodsPerYear` periods (252 daily sessions for a stock market);
 *   CAGR divides the number of returns by it, so weekends and holidays do not count.
 */
export type YearBasis = 'calendar' | 'periods';

/** The year length of the `'calendar'` basis when none is given: 365 days. */
export const DEFAULT_YEAR_LENGTH_DAYS = 365;

/** Options for {@link cagr} and {@link calmarRatio}. */
export interface CagrOptions {
  /** How a year is counted; `'calendar'` when omitted. */
  readonly yearBasis?: YearBasis | undefined;
  /** The days in a year on the `'calendar'` basis, positive; 365 when omitted. */
  readonly yearLengthDays?: number | undefined;
  /** The periods in a year on the `'periods'` basis, positive; required there. */
  readonly periodsPerYear?: number | undefined;
}

/** The option keys {@link cagr} accepts. */
const CAGR_KEYS = ['yearBasis', 'yearLengthDays', 'periodsPerYear'] as const;

/**
 * Returns the total return of an equity curve: last value / first value - 1, or `null` when
 * there are no values.
 *
 * @param values - equity values, finite and positive
 * @throws ValidationError when a value is not finite or not positive
 * @example
 * ```ts
 * import { totalReturn } from '@qtp/portfolio';
 * totalReturn([100, 120, 110]); // ≈ 0.1
 * ```
 */
export function totalReturn(values: ArrayLike<number>): number | null {
  checkEquityValues(values);
  return totalReturnOf(values);
}

/** {@link totalReturn} of values already checked. */
export function totalReturnOf(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  return values[values.length - 1]! / values[0]! - 1;
}

/** The year of a checked {@link CagrOptions}: its basis and the one length that applies. */
export interface ResolvedYear {
  /** How a year is counted. */
  readonly yearBasis: YearBasis;
  /** The days in a year on the `'calendar'` basis, else `null`. */
  readonly yearLengthDays: number | null;
  /** The periods in a year: always set on the `'periods'` basis; `null` when not given. */
  readonly periodsPerYear: number | null;
}

/** Checks and resolves {@link CagrOptions}, naming the bad field. */
export function resolveYear(options: CagrOptions): ResolvedYear {
  const yearBasis = options.yearBasis ?? 'calendar';
  if (yearBasis !== 'calendar' && yearBasis !== 'periods') {
    throw new ValidationError('yearBasis', "be 'calendar' or 'periods'", yearBasis);
  }
  if (yearBasis === 'periods') {
    checkNumberAbove('periodsPerYear', options.periodsPerYear as number, 0);
    return { yearBasis, yearLengthDays: null, periodsPerYear: options.periodsPerYear! };
  }
  const yearLengthDays = options.yearLengthDays ?? DEFAULT_YEAR_LENGTH_DAYS;
  checkNumberAbove('yearLengthDays', yearLengthDays, 0);
  if (options.periodsPerYear !== undefined) {
    checkNumberAbove('periodsPerYear', options.periodsPerYear, 0);
  }
  return { yearBasis, yearLengthDays, periodsPerYear: options.periodsPerYear ?? null };
}

/**
 * Returns the compound annual growth rate of an equity curve: (last / first) ^ (1 / years) - 1.
 * On the `'calendar'` basis (the default) years is the time from the first to the last point
 * divided by `yearLengthDays` days (365 unless given); on the `'periods'` basis it is the number
 * of returns (points - 1) divided by `periodsPerYear`, the year the Sharpe ratio uses.
 *
 * Returns `null` when the curve has fewer than two points (no time has passed).
 *
 * @param curve - the equity curve
 * @param options - how a year is counted (see {@link YearBasis})
 * @throws ValidationError when the curve or an option is invalid, or an option is unknown
 * @example
 * ```ts
 * import { cagr } from '@qtp/portfolio';
 * const year = 365 * 86_400_000;
 * cagr({ times: [0, 2 * year], values: [100, 121] }); // ≈ 0.1
 * cagr({ times: [0, 1, 2], values: [100, 110, 121] }, { yearBasis: 'periods', periodsPerYear: 1 }); // ≈ 0.1
 * ```
 */
export function cagr(curve: EquityCurve, options: CagrOptions = {}): number | null {
  checkOptionKeys(options, CAGR_KEYS);
  const year = resolveYear(options);
  checkEquityCurve(curve);
  return cagrOf(curve, year);
}

/** {@link cagr} of a curve and a year already checked. */
export function cagrOf(curve: EquityCurve, year: ResolvedYear): number | null {
  const n = curve.values.length;
  if (n < 2) return null;
  const years =
    year.yearBasis === 'periods'
      ? (n - 1) / year.periodsPerYear!
      : (curve.times[n - 1]! - curve.times[0]!) / (year.yearLengthDays! * DAY_MS);
  return (curve.values[n - 1]! / curve.values[0]!) ** (1 / years) - 1;
}
