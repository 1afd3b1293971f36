import type { AlignedReturns } from './aligned-returns.js';
import { choleskyFactor, columnMeans, sampleCovariance } from './covariance.js';
import { checkSeed, DEFAULT_MONTE_CARLO_PATHS } from './monte-carlo-var.js';
import { normalQuantile } from './normal-distribution.js';
import {
  type CheckedPortfolio,
  checkPortfolio,
  PORTFOLIO_OPTION_KEYS,
  type PortfolioVaROptions,
  weightedSeries,
} from './portfolio-exposures.js';
import { Xoshiro128 } from './random.js';
import { selectQuantile, sortedCopy, sortedQuantile } from './statistics.js';
import { checkInteger, checkOptionKeys } from './validate.js';

/**
 * Returns the portfolio's return (with `weights`) or money P&L (with `positions`) of each period
 * of the aligned returns: the sum over assets of exposure times return. Feed it to any
 * single-series measure, such as `cornishFisherVaR`.
 *
 * @param data - aligned returns from {@link alignReturns}
 * @param options - exactly one of `weights` or `positions`
 * @throws ValidationError when both or neither holdings are given, a holding names an unknown
 *   asset or is not finite, or an option is unknown
 * @example
 * ```ts
 * import { alignReturns, portfolioReturns } from '@qtp/risk';
 * const data = alignReturns({
 *   BTC: { times: [1, 2, 3], prices: [100, 110, 99] },
 *   ETH: { times: [1, 2, 3], prices: [10, 11, 12.1] },
 * });
 * portfolioReturns(data, { weights: { BTC: 0.5, ETH: 0.5 } }); // Float64Array [0.1, 0] (to rounding)
 * ```
 */
export function portfolioReturns(
  data: AlignedReturns,
  options: Pick<PortfolioVaROptions, 'weights' | 'positions'>,
): Float64Array {
  checkOptionKeys(options, ['weights', 'positions']);
  const { exposures } = checkPortfolio(data, { ...options, confidence: 0.5 });
  return weightedSeries(data.returns, exposures);
}

/**
 * Returns the historical value at risk of a portfolio: minus the type-7 quantile at
 * 1 - confidence of its per-period returns (weights) or money P&L (positions) over the aligned
 * history, the holdings held constant. Scaled by the square root of `horizon`; with weights, a
 * money amount when `portfolioValue` is given.
 *
 * @param data - aligned returns from {@link alignReturns}
 * @param options - the confidence, exactly one of `weights` or `positions`, and optionally the
 *   horizon and (with weights) the portfolio value
 * @throws ValidationError when an option is missing, unknown or out of range
 * @example
 * ```ts
 * import { alignReturns, portfolioHistoricalVaR } from '@qtp/risk';
 * const data = alignReturns({
 *   BTC: { times: [1, 2, 3, 4, 5], prices: [100, 98, 99, 95, 97] },
 *   ETH: { times: [1, 2, 3, 4, 5], prices: [10, 9.5, 9.8, 9.6, 10] },
 * });
 * portfolioHistoricalVaR(data, { confidence: 0.9, positions: { BTC: 1, ETH: 10 } });
 * ```
 */
export function portfolioHistoricalVaR(data: AlignedReturns, options: PortfolioVaROptions): number {
  const { exposures, tail, scale } = checkPortfolio(data, options);
  const sorted = sortedCopy(weightedSeries(data.returns, exposures));
  return -sortedQuantile(sorted, tail) * scale;
}

/**
 * Returns the parametric (normal, variance-covariance) value at risk of a portfolio:
 * -(wᵀμ + z sqrt(wᵀΣw)), with μ the sample means and Σ the sample covariance (divisor n - 1) of
 * the aligned asset returns, w the weights or money exposures and z the standard normal quantile
 * at 1 - confidence. Scaled by the square root of `horizon`; with weights, a money amount when
 * `portfolioValue` is given.
 *
 * @param data - aligned returns from {@link alignReturns}
 * @param options - the confidence, exactly one of `weights` or `positions`, and optionally the
 *   horizon and (with weights) the portfolio value
 * @throws ValidationError when an option is missing, unknown or out of range
 * @example
 * ```ts
 * import { alignReturns, portfolioParametricVaR } from '@qtp/risk';
 * const data = alignReturns({
 *   BTC: { times: [1, 2, 3, 4, 5], prices: [100, 98, 99, 95, 97] },
 *   ETH: { times: [1, 2, 3, 4, 5], prices: [10, 9.5, 9.8, 9.6, 10] },
 * });
 * portfolioParametricVaR(data, { confidence: 0.99, weights: { BTC: 0.7, ETH: 0.3 } });
 * ```
 */
export function portfolioParametricVaR(data: AlignedReturns, options: PortfolioVaROptions): number {
  const checked = checkPortfolio(data, options);
  return parametricFigures(data, checked).total;
}

/** The parametric figures of a portfolio, shared with the component decomposition. */
export interface ParametricFigures {
  /** The scaled VaR. */
  readonly total: number;
  /** The scaled marginal VaR per asset: d VaR / d exposure. */
  readonly marginal: Float64Array;
}

/** Returns the parametric VaR and its gradient with respect to the exposures. */
export function parametricFigures(
  data: AlignedReturns,
  checked: CheckedPortfolio,
): ParametricFigures {
  const { exposures, tail, scale } = checked;
  const d = exposures.length;
  const means = columnMeans(data.returns);
  const covariance = sampleCovariance(data.returns, means);
  const sigmaW = new Float64Array(d);
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < d; i++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += covariance[i * d + j]! * exposures[j]!;
    sigmaW[i] = sum;
    mean += exposures[i]! * means[i]!;
    variance += exposures[i]! * sum;
  }
  const sigma = Math.sqrt(Math.max(variance, 0));
  const z = normalQuantile(tail);
  const marginal = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    // With no risk at all the volatility term has no gradient; only the mean term remains.
    const volatility = sigma > 0 ? (z * sigmaW[i]!) / sigma : 0;
    marginal[i] = -(means[i]! + volatility) * scale;
  }
  return { total: -(mean + z * sigma) * scale, marginal };
}

/** Options of {@link portfolioMonteCarloVaR}: those of the portfolio measures, and how many paths. */
export interface PortfolioMonteCarloVaROptions extends PortfolioVaROptions {
  /** The number of simulated periods, an integer of at least 2 (default 10,000). */
  readonly paths?: number;
  /** The seed of the generator, an integer (default 1): the same seed gives the same figure. */
  readonly seed?: number;
}

/**
 * Returns the Monte Carlo value at risk of a portfolio: each path draws one period's asset
 * returns from a multivariate normal with the sample means and sample covariance (divisor n - 1)
 * of the aligned returns, through the Cholesky factor L of the covariance (r = μ + L z, z standard
 * normal from a seeded xoshiro128** generator), and values the holdings on it; the figure is minus
 * the type-7 quantile at 1 - confidence of the simulated P&L. The paths reuse typed arrays and
 * allocate nothing each. Scaled by the square root of `horizon`; with weights, a money amount
 * when `portfolioValue` is given.
 *
 * @param data - aligned returns from {@link alignReturns}
 * @param options - the confidence, exactly one of `weights` or `positions`, paths and seed, and
 *   optionally the horizon and (with weights) the portfolio value
 * @throws ValidationError when an option is missing, unknown or out of range
 * @example
 * ```ts
 * import { alignReturns, portfolioMonteCarloVaR } from '@qtp/risk';
 * const data = alignReturns({
 *   BTC: { times: [1, 2, 3, 4, 5], prices: [100, 98, 99, 95, 97] },
 *   ETH: { times: [1, 2, 3, 4, 5], prices: [10, 9.5, 9.8, 9.6, 10] },
 * });
 * portfolioMonteCarloVaR(data, { confidence: 0.99, weights: { BTC: 0.7, ETH: 0.3 }, seed: 3 });
 * ```
 */
export function portfolioMonteCarloVaR(
  data: AlignedReturns,
  options: PortfolioMonteCarloVaROptions,
): number {
  const { exposures, tail, scale } = checkPortfolio(data, options, [
    ...PORTFOLIO_OPTION_KEYS,
    'paths',
    'seed',
  ]);
  const paths = checkInteger('paths', options.paths, 2, DEFAULT_MONTE_CARLO_PATHS);
  const random = new Xoshiro128(checkSeed(options.seed));
  const d = exposures.length;
  const means = columnMeans(data.returns);
  const lower = choleskyFactor(sampleCovariance(data.returns, means), d);
  let meanPnl = 0;
  for (let i = 0; i < d; i++) meanPnl += exposures[i]! * means[i]!;
  const z = new Float64Array(d);
  const simulated = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    for (let j = 0; j < d; j++) z[j] = random.nextNormal();
    let pnl = meanPnl;
    for (let i = 0; i < d; i++) {
      // The asset's simulated return less its mean: row i of L times z.
      let shock = 0;
      const row = i * d;
      for (let j = 0; j <= i; j++) shock += lower[row + j]! * z[j]!;
      pnl += exposures[i]! * shock;
    }
    simulated[p] = pnl;
  }
  return -selectQuantile(simulated, tail) * scale;
}
