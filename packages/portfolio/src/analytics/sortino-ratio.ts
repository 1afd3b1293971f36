import { perPeriodRateOf } from './periods-per-year.js';
import { meanExcess, type RatioOptions } from './sharpe-ratio.js';
import { checkFinite, checkFiniteSeries, checkNumberAbove, checkOptionKeys } from './validate.js';

/** Options for {@link sortinoRatio}. */
export interface SortinoRatioOptions extends RatioOptions {
  /**
   * The per-period minimum acceptable return that separates downside from upside; the
   * per-period risk-free rate when omitted.
   */
  readonly target?: number | undefined;
}

/** Options for {@link downsideDeviation}. */
export interface DownsideDeviationOptions {
  /** The per-period minimum acceptable return, finite; 0 when omitted. */
  readonly target?: number | undefined;
}

/**
 * Returns the downside deviation of per-period returns below a per-period target:
 * sqrt(mean(min(r - target, 0)²)) over all periods, counting periods above the target as 0.
 * Returns `null` when there are no returns.
 *
 * @param returns - per-period simple returns, finite
 * @param options - the per-period target
 * @throws ValidationError when a return or the target is not finite, or an option is unknown
 * @example
 * ```ts
 * import { downsideDeviation } from '@qtp/portfolio';
 * downsideDeviation([0.02, -0.01, 0.01, -0.03]); // sqrt((0.0001 + 0.0009) / 4) = 0.0158...
 * downsideDeviation([0.02, -0.01], { target: 0.01 }); // sqrt(0.0004 / 2) = 0.0141...
 * ```
 */
export function downsideDeviation(
  returns: ArrayLike<number>,
  options: DownsideDeviationOptions = {},
): number | null {
  checkFiniteSeries('returns', returns);
  checkOptionKeys(options, ['target']);
  const target = options.target ?? 0;
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
  checkOptionKeys(options, ['periodsPerYear', 'riskFreeRate', 'target']);
  checkNumberAbove('periodsPerYear', options.periodsPerYear, 0);
  const riskFree = perPeriodRateOf(options.riskFreeRate ?? 0, options.periodsPerYear);
  const target = options.target ?? riskFree;
  checkFinite('target', target);
  const deviation = downsideDeviationOf(returns, target);
  if (deviation === null || deviation === 0) return null;
  return (meanExcess(returns, riskFree) / deviation) * Math.sqrt(options.periodsPerYear);
}
