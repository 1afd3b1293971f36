import { sampleStandardDeviation } from 'simple-statistics';
import { asNumberArray, checkFiniteSeries, checkNumberAbove, checkOptionKeys } from './validate.js';

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

/** Options for {@link annualizedVolatility}. */
export interface VolatilityOptions {
  /** Periods in a year, positive (see {@link inferPeriodsPerYear}). */
  readonly periodsPerYear: number;
}

/**
 * Returns the annualized volatility of per-period returns: their sample standard deviation
 * (divisor n - 1) times the square root of periods per year, or `null` when there are fewer
 * than two returns.
 *
 * @param returns - per-period simple returns, finite
 * @param options - the periods per year
 * @throws ValidationError when a return is not finite, `periodsPerYear` is not positive or an
 *   option is unknown
 * @example
 * ```ts
 * import { annualizedVolatility } from '@qtp/portfolio';
 * annualizedVolatility([0.01, -0.01, 0.02], { periodsPerYear: 252 }); // 0.2424...
 * ```
 */
export function annualizedVolatility(
  returns: ArrayLike<number>,
  options: VolatilityOptions,
): number | null {
  checkOptionKeys(options, ['periodsPerYear']);
  const periodsPerYear = options?.periodsPerYear;
  checkNumberAbove('periodsPerYear', periodsPerYear, 0);
  const deviation = returnStandardDeviation(returns);
  return deviation === null ? null : deviation * Math.sqrt(periodsPerYear);
}

function isConstant(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}
