import { ValidationError } from '@qtp/core';
import { Xoshiro128 } from './random.js';
import { momentsOf, selectQuantile } from './statistics.js';
import { checkInteger, checkReturns } from './validate.js';
import { checkVaROptions, VAR_OPTION_KEYS, type VaROptions } from './var-options.js';

/** How {@link monteCarloVaR} draws its paths. */
export type MonteCarloMethod = 'normal' | 'bootstrap';

/** Options of {@link monteCarloVaR}: those of every VaR, and how to simulate. */
export interface MonteCarloVaROptions extends VaROptions {
  /**
   * `normal` (default) draws each path from a normal distribution with the sample mean and sample
   * standard deviation (divisor n - 1) of the returns; `bootstrap` draws each path from the
   * returns themselves, with replacement.
   */
  readonly method?: MonteCarloMethod;
  /** The number of simulated one-period returns, an integer of at least 2 (default 10,000). */
  readonly paths?: number;
  /** The seed of the generator, an integer (default 1): the same seed gives the same figure. */
  readonly seed?: number;
}

/** The number of paths {@link monteCarloVaR} simulates when none is given. */
export const DEFAULT_MONTE_CARLO_PATHS = 10_000;

const MONTE_CARLO_KEYS = [...VAR_OPTION_KEYS, 'method', 'paths', 'seed'];

/**
 * Returns the Monte Carlo value at risk of a return series: minus the type-7 quantile at
 * 1 - confidence of `paths` simulated one-period returns, drawn from a normal distribution with
 * the sample moments (`method: 'normal'`) or resampled from the history (`method: 'bootstrap'`)
 * with a seeded xoshiro128** generator. The result is a loss fraction of one period; scaled by
 * the square root of `horizon`, and a money amount when `portfolioValue` is given. Its standard
 * error shrinks as 1 / sqrt(paths).
 *
 * @param returns - per-period simple returns, finite, at least 2
 * @param options - the confidence, the method, paths and seed, and optionally the horizon and the
 *   portfolio value
 * @throws ValidationError when the series is empty, too short or holds a non-finite value, the
 *   confidence is not strictly between 0 and 1, or an option is unknown or out of range
 * @example
 * ```ts
 * import { monteCarloVaR } from '@qtp/risk';
 * const returns = [-0.021, 0.004, 0.013, -0.008, 0.017, -0.002, 0.009, -0.015];
 * monteCarloVaR(returns, { confidence: 0.95, method: 'bootstrap', paths: 50_000, seed: 7 }); // 0.021
 * ```
 */
export function monteCarloVaR(returns: ArrayLike<number>, options: MonteCarloVaROptions): number {
  const { tail, scale } = checkVaROptions(options, MONTE_CARLO_KEYS);
  const method = options.method ?? 'normal';
  if (method !== 'normal' && method !== 'bootstrap') {
    throw new ValidationError('method', "be 'normal' or 'bootstrap'", method);
  }
  const paths = checkInteger('paths', options.paths, 2, DEFAULT_MONTE_CARLO_PATHS);
  const seed = checkSeed(options.seed);
  const series = checkReturns('returns', returns, 2);
  const random = new Xoshiro128(seed);
  const simulated = new Float64Array(paths);
  if (method === 'normal') {
    const { mean, standardDeviation } = momentsOf(series);
    for (let i = 0; i < paths; i++) simulated[i] = mean + standardDeviation * random.nextNormal();
  } else {
    const n = series.length;
    for (let i = 0; i < paths; i++) simulated[i] = series[random.nextInt(n)]!;
  }
  return -selectQuantile(simulated, tail) * scale;
}

/** Returns `seed` when it is an integer, 1 when absent; throws otherwise. */
export function checkSeed(seed: unknown): number {
  if (seed === undefined) return 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ValidationError('seed', 'be an integer', seed);
  }
  return seed;
}
