import { perPeriodRate } from './periods-per-year.js';
import { meanExcess, type RatioOptions } from './sharpe-ratio.js';
import { checkFinite, checkFiniteSeries, checkNumberAbove } from './validate.js';

/** Options for {@link sortinoRatio}. */
export interface SortinoRatioOptions extends RatioOptions {
  /**
   * The per-period minimum acceptable return that separates downside from upside; the
   * per-period risk-free rate when omitted.
   */
  readonly target?: number | undefined;
}

/**
 * Returns the downside deviation of per-period returns below a per-period target:
 * sqrt(mean(min(r - target, 0)²)) over all periods, counting periods above the target as 0.
 * Returns `null` when there are no returns.
 *
 * @param returns - per-period simple returns, finite
 * @param target - the per-period minimum acceptable return; 0 when omitted
 * @throws ValidationError when a return or the target is not finite
 * @example
 * ```ts
 * import { downsideDeviation } from '@qtp/portfolio';
 * downsideDeviation([0.02, -0.01, 0.01, -0.03]); // sqrt((0.0001 + 0.0009) / 4) = 0.0158...
 * ```
 */
export function downsideDeviation(returns: ArrayLike<number>, target = 0): number | null {
  checkFiniteSeries('returns', returns);
  checkFinite('target', target);
  return downsideDeviationOf(returns, target);
}

/** {@link downsideDeviation} of returns and a target already checked to be finite. */
export function downsideDeviationOf(returns: ArrayLike<number>, target: number): number | null {
  if (returns.length === 0) return null;
  let sumOfSquares = 0;
  for (let i = 0; i < returns.length; i++) {
    const shortfall = Math.min(returns[i]! - target, 0);
    sumOfSquares += shortfall * shortfall;
  }
  return Math.sqrt(sumOfSquares / returns.length);
}

/**
 * Returns the annualized Sortino ratio of per-period returns: the mean of (return minus the
 * per-period risk-free rate) divided by the downside deviation below the target (see
 * {@link downsideDeviation}), times the square root of periods per year.
 *
 * Returns `null` when there are no returns or no return falls below the target (zero downside
 * deviation).
 *
 * @param returns - per-period simple returns, finite
 * @param options - periods per year, the annual risk-free rate and the per-period target
 * @throws ValidationError when a return or an option is invalid
 * @example
 * ```ts
 * import { sortinoRatio } from '@qtp/portfolio';
 * sortinoRatio([0.01, -0.005, 0.012, -0.002], { periodsPerYear: 365 });
 * ```
 */
export function sortinoRatio(
  returns: ArrayLike<number>,
  options: SortinoRatioOptions,
): number | null {
  checkFiniteSeries('returns', returns);
  checkNumberAbove('periodsPerYear', options.periodsPerYear, 0);
  const riskFree = perPeriodRate(options.riskFreeRate ?? 0, options.periodsPerYear);
  const deviation = downsideDeviation(returns, options.target ?? riskFree);
  if (deviation === null || deviation === 0) return null;
  return (meanExcess(returns, riskFree) / deviation) * Math.sqrt(options.periodsPerYear);
}
