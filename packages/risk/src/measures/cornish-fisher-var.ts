import { ValidationError } from '@qtp/core';
import { normalQuantile } from './normal-distribution.js';
import { momentsOf } from './statistics.js';
import { checkReturns } from './validate.js';
import { checkVaROptions, type VaROptions } from './var-options.js';

/**
 * Returns the Cornish-Fisher (modified) value at risk of a return series: the normal quantile
 * z at 1 - confidence adjusted for the moment skewness S and the moment excess kurtosis K of the
 * returns with the fourth-order expansion
 * `z + (z² - 1) S / 6 + (z³ - 3z) K / 24 - (2z³ - 5z) S² / 36`, then -(mean + sd z_cf) with the
 * sample mean and sample standard deviation (divisor n - 1). The result is a loss fraction of one
 * period; scaled by the square root of `horizon`, and a money amount when `portfolioValue` is
 * given. The expansion is an approximation: far in the tail of strongly skewed returns it can
 * stop growing with the confidence.
 *
 * @param returns - per-period simple returns, finite, at least 4, not all equal
 * @param options - the confidence, and optionally the horizon and the portfolio value
 * @throws ValidationError when the series is empty, too short, holds a non-finite value or has
 *   no dispersion, the confidence is not strictly between 0 and 1, or an option is unknown or
 *   out of range
 * @example
 * ```ts
 * import { cornishFisherVaR } from '@qtp/risk';
 * // symmetric returns with excess kurtosis -2: the modified quantile is thinner than the normal
 * cornishFisherVaR([-0.01, 0.01, -0.01, 0.01], { confidence: 0.99 }); // 0.02146...
 * ```
 */
export function cornishFisherVaR(returns: ArrayLike<number>, options: VaROptions): number {
  const { tail, scale } = checkVaROptions(options);
  const { mean, standardDeviation, skewness, excessKurtosis } = momentsOf(
    checkReturns('returns', returns, 4),
  );
  if (!(standardDeviation > 0)) {
    throw new ValidationError(
      'returns',
      'not all be equal: skewness and kurtosis need dispersion',
      `every return ${returns[0]}`,
    );
  }
  const z = normalQuantile(tail);
  const z2 = z * z;
  const z3 = z2 * z;
  const adjusted =
    z +
    ((z2 - 1) * skewness) / 6 +
    ((z3 - 3 * z) * excessKurtosis) / 24 -
    ((2 * z3 - 5 * z) * skewness * skewness) / 36;
  return -(mean + standardDeviation * adjusted) * scale;
}
