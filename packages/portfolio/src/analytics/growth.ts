import type { EquityCurve } from './equity-curve.js';
import { checkEquityCurve, checkEquityValues } from './validate.js';

/** The length of the year CAGR divides elapsed time by: 365.25 days, in milliseconds. */
export const CAGR_YEAR_MS = 365.25 * 86_400_000;

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

/**
 * Returns the compound annual growth rate of an equity curve:
 * (last / first) ^ (1 / years) - 1, where years is the time from the first to the last timestamp
 * divided by a 365.25-day year ({@link CAGR_YEAR_MS}), so leap years count on average.
 *
 * Returns `null` when the curve has fewer than two points (no time has passed).
 *
 * @param curve - the equity curve
 * @throws ValidationError when the curve is invalid (see {@link EquityCurve})
 * @example
 * ```ts
 * import { cagr } from '@qtp/portfolio';
 * const year = 365.25 * 86_400_000;
 * cagr({ times: [0, 2 * year], values: [100, 121] }); // ≈ 0.1
 * ```
 */
export function cagr(curve: EquityCurve): number | null {
  checkEquityCurve(curve);
  return cagrOf(curve);
}

/** {@link cagr} of a curve already checked. */
export function cagrOf(curve: EquityCurve): number | null {
  const n = curve.values.length;
  if (n < 2) return null;
  const years = (curve.times[n - 1]! - curve.times[0]!) / CAGR_YEAR_MS;
  return (curve.values[n - 1]! / curve.values[0]!) ** (1 / years) - 1;
}
