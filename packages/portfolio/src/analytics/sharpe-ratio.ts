import { mean } from 'simple-statistics';
import { perPeriodRateOf } from './periods-per-year.js';
import { asNumberArray, checkFiniteSeries, checkNumberAbove, checkOptionKeys } from './validate.js';
import { standardDeviationOf } from './volatility.js';

/** Options for {@link sharpeRatio} and {@link sortinoRatio}. */
export interface RatioOptions {
  /** Periods in a year, positive (see {@link inferPeriodsPerYear}). */
  readonly periodsPerYear: number;
  /**
   * The annual risk-free rate as a fraction (0.04 is 4 %), greater than -1; 0 when omitted.
   * It is turned into a per-period rate by {@link perPeriodRate}.
   */
  readonly riskFreeRate?: number | undefined;
}

/** The option keys {@link sharpeRatio} accepts. */
const RATIO_KEYS = ['periodsPerYear', 'riskFreeRate'] as const;

/**
 * Returns the annualized Sharpe ratio of per-period returns: the mean of (return minus the
 * per-period risk-free rate) divided by the sample standard deviation of the returns (divisor
 * n - 1), times the square root of periods per year.
 *
 * Returns `null` when there are fewer than two returns or every return is equal (zero volatility).
 *
 * @param returns - per-period simple returns, finite
 * @param options - periods per year and the annual risk-free rate
 * @throws ValidationError when a return or an option is invalid or unknown, naming it
 * @example
 * ```ts
 * import { sharpeRatio } from '@qtp/portfolio';
 * sharpeRatio([0.01, -0.005, 0.012, 0.003], { periodsPerYear: 252, riskFreeRate: 0.02 });
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, options: RatioOptions): number | null {
  checkFiniteSeries('returns', returns);
  checkOptionKeys(options, RATIO_KEYS);
  checkNumberAbove('periodsPerYear', options.periodsPerYear, 0);
  const riskFree = perPeriodRateOf(options.riskFreeRate ?? 0, options.periodsPerYear);
  const deviation = standardDeviationOf(returns);
  if (deviation === null || deviation === 0) return null;
  return (meanExcess(returns, riskFree) / deviation) * Math.sqrt(options.periodsPerYear);
}

/** Returns the mean of `returns[i] - rate`; an internal helper shared with the Sortino ratio. */
export function meanExcess(returns: ArrayLike<number>, rate: number): number {
  // r - 0 is r exactly, so the common zero rate needs no copy of the returns.
  if (rate === 0) return mean(asNumberArray(returns));
  const excess = new Float64Array(returns.length);
  for (let i = 0; i < excess.length; i++) excess[i] = returns[i]! - rate;
  return mean(asNumberArray(excess));
}
