import { sortedCopy, sortedQuantile } from './statistics.js';
import { checkReturns } from './validate.js';
import { checkVaROptions, type VaROptions } from './var-options.js';

/**
 * Returns the historical value at risk of a return series: minus the empirical quantile of the
 * returns at 1 - confidence, interpolated linearly between order statistics (R's type 7,
 * numpy's `linear`). The result is a loss fraction of one period, positive when the quantile is a
 * loss (negative when even the tail quantile is a gain); scaled by the square root of
 * `horizon`, and a money amount when `portfolioValue` is given.
 *
 * @param returns - per-period simple returns, finite, at least 2
 * @param options - the confidence, and optionally the horizon and the portfolio value
 * @throws ValidationError when the series is empty, too short or holds a non-finite value, the
 *   confidence is not strictly between 0 and 1, or an option is unknown or out of range
 * @example
 * ```ts
 * import { historicalVaR } from '@qtp/risk';
 * historicalVaR([-0.03, -0.01, 0, 0.01, 0.02], { confidence: 0.8 }); // 0.014
 * ```
 */
export function historicalVaR(returns: ArrayLike<number>, options: VaROptions): number {
  const { tail, scale } = checkVaROptions(options);
  const sorted = sortedCopy(checkReturns('returns', returns, 2));
  return -sortedQuantile(sorted, tail) * scale;
}
