import { normalDensity, normalQuantile } from './normal-distribution.js';
import { momentsOf, sortedCopy, sortedQuantile } from './statistics.js';
import { checkReturns } from './validate.js';
import { checkVaROptions, type VaROptions } from './var-options.js';

/**
 * Returns the historical expected shortfall (conditional VaR) of a return series: minus the mean
 * of the returns at or below the historical quantile at 1 - confidence (the same type-7 quantile
 * as {@link historicalVaR}). The result is a loss fraction of one period, at least the
 * historical VaR; scaled by the square root of `horizon`, and a money amount when
 * `portfolioValue` is given.
 *
 * @param returns - per-period simple returns, finite, at least 2
 * @param options - the confidence, and optionally the horizon and the portfolio value
 * @throws ValidationError when the series is empty, too short or holds a non-finite value, the
 *   confidence is not strictly between 0 and 1, or an option is unknown or out of range
 * @example
 * ```ts
 * import { historicalExpectedShortfall } from '@qtp/risk';
 * // the 20 % quantile is -0.014; only -0.03 lies at or below it
 * historicalExpectedShortfall([-0.03, -0.01, 0, 0.01, 0.02], { confidence: 0.8 }); // 0.03
 * ```
 */
export function historicalExpectedShortfall(
  returns: ArrayLike<number>,
  options: VaROptions,
): number {
  const { tail, scale } = checkVaROptions(options);
  const sorted = sortedCopy(checkReturns('returns', returns, 2));
  return tailMean(sorted, sortedQuantile(sorted, tail)) * -scale;
}

/** Returns the mean of the values at or below `quantile` in a series sorted ascending. */
export function tailMean(sorted: ArrayLike<number>, quantile: number): number {
  // The first order statistic is always at or below a type-7 quantile, so the tail is never empty.
  let sum = 0;
  let count = 0;
  for (let i = 0; i < sorted.length && sorted[i]! <= quantile; i++) {
    sum += sorted[i]!;
    count++;
  }
  return sum / count;
}

/**
 * Returns the parametric (normal) expected shortfall of a return series:
 * -mean + sd φ(z) / (1 - confidence), where φ is the standard normal density, z the standard
 * normal quantile at 1 - confidence, mean the sample mean and sd the sample standard deviation
 * (divisor n - 1). The result is a loss fraction of one period; scaled by the square root of
 * `horizon`, and a money amount when `portfolioValue` is given.
 *
 * @param returns - per-period simple returns, finite, at least 2
 * @param options - the confidence, and optionally the horizon and the portfolio value
 * @throws ValidationError when the series is empty, too short or holds a non-finite value, the
 *   confidence is not strictly between 0 and 1, or an option is unknown or out of range
 * @example
 * ```ts
 * import { parametricExpectedShortfall } from '@qtp/risk';
 * // mean 0, sd 0.011547: 2.3378 standard deviations at 97.5 %
 * parametricExpectedShortfall([-0.01, 0.01, -0.01, 0.01], { confidence: 0.975 }); // 0.02699...
 * ```
 */
export function parametricExpectedShortfall(
  returns: ArrayLike<number>,
  options: VaROptions,
): number {
  const { tail, scale } = checkVaROptions(options);
  const { mean, standardDeviation } = momentsOf(checkReturns('returns', returns, 2));
  return (-mean + (standardDeviation * normalDensity(normalQuantile(tail))) / tail) * scale;
}
