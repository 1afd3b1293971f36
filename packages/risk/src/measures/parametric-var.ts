import { normalQuantile } from './normal-distribution.js';
import { momentsOf } from './statistics.js';
import { checkReturns } from './validate.js';
import { checkVaROptions, type VaROptions } from './var-options.js';

/**
 * Returns the parametric (normal, variance-covariance) value at risk of a return series:
 * -(mean + sd z), where mean is the sample mean, sd the sample standard deviation (divisor
 * n - 1) and z the standard normal quantile at 1 - confidence. The result is a loss fraction of
 * one period; scaled by the square root of `horizon`, and a money amount when `portfolioValue`
 * is given.
 *
 * @param returns - per-period simple returns, finite, at least 2
 * @param options - the confidence, and optionally the horizon and the portfolio value
 * @throws ValidationError when the series is empty, too short or holds a non-finite value, the
 *   confidence is not strictly between 0 and 1, or an option is unknown or out of range
 * @example
 * ```ts
 * import { parametricVaR } from '@qtp/risk';
 * // mean 0, sd 0.011547 (n - 1): 2.3263 standard deviations at 99 %
 * parametricVaR([-0.01, 0.01, -0.01, 0.01], { confidence: 0.99 }); // 0.02686...
 * ```
 */
export function parametricVaR(returns: ArrayLike<number>, options: VaROptions): number {
  const { tail, scale } = checkVaROptions(options);
  const { mean, standardDeviation } = momentsOf(checkReturns('returns', returns, 2));
  return -(mean + standardDeviation * normalQuantile(tail)) * scale;
}
