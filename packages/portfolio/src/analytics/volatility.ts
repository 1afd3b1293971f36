import { sampleStandardDeviation } from 'simple-statistics';
import { asNumberArray, checkFiniteSeries, checkNumberAbove } from './validate.js';

/**
 * Returns the sample standard deviation (divisor n - 1) of per-period returns, or `null` when
 * there are fewer than two returns. Returns exactly 0 when every return is equal, rather than the
 * rounding noise a two-pass formula can leave.
 *
 * @param returns - per-period simple returns, finite
 * @throws ValidationError when a return is not finite
 * @example
 * ```ts
 * import { returnStandardDeviation } from '@qtp/portfolio';
 * returnStandardDeviation([0.01, -0.01, 0.02]); // 0.01527...
 * ```
 */
export function returnStandardDeviation(returns: ArrayLike<number>): number | null {
  checkFiniteSeries('returns', returns);
  return standardDeviationOf(returns);
}

/** {@link returnStandardDeviation} of returns already checked to be finite. */
export function standardDeviationOf(returns: ArrayLike<number>): number | null {
  if (returns.length < 2) return null;
  if (isConstant(returns)) return 0;
  return sampleStandardDeviation(asNumberArray(returns));
}

/**
 * Returns the annualized volatility of per-period returns: their sample standard deviation
 * (divisor n - 1) times the square root of periods per year, or `null` when there are fewer
 * than two returns.
 *
 * @param returns - per-period simple returns, finite
 * @param periodsPerYear - periods in a year, positive (see {@link inferPeriodsPerYear})
 * @throws ValidationError when a return is not finite or `periodsPerYear` is not positive
 * @example
 * ```ts
 * import { annualizedVolatility } from '@qtp/portfolio';
 * annualizedVolatility([0.01, -0.01, 0.02], 252); // 0.2424...
 * ```
 */
export function annualizedVolatility(
  returns: ArrayLike<number>,
  periodsPerYear: number,
): number | null {
  checkNumberAbove('periodsPerYear', periodsPerYear, 0);
  const deviation = returnStandardDeviation(returns);
  return deviation === null ? null : deviation * Math.sqrt(periodsPerYear);
}

function isConstant(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}
