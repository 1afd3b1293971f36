import { ValidationError } from '@qtp/core';
import { checkCovariance, type Matrix, quadraticForm } from './checks.js';
import type { PortfolioWeights } from './mean-variance.js';

/**
 * Returns `n` equal weights, `1 / n` each.
 * @throws {@link @qtp/core!ValidationError} naming `assets` when `n` is not an integer >= 1
 * @example
 * ```ts
 * import { equalWeight } from '@qtp/portfolio';
 * equalWeight(4); // [0.25, 0.25, 0.25, 0.25]
 * ```
 */
export function equalWeight(assets: number): number[] {
  if (!Number.isInteger(assets) || assets < 1) {
    throw new ValidationError('assets', 'be an integer >= 1', assets);
  }
  return new Array<number>(assets).fill(1 / assets);
}

/**
 * Returns weights proportional to the inverse of each asset's volatility, `1 / sqrt(S_ii)`,
 * summing to 1: the risk parity portfolio when the assets are uncorrelated.
 *
 * @param covariance - the assets' covariance matrix (only the diagonal is read for the weights)
 * @throws {@link @qtp/core!ValidationError} naming `covariance[i][i]` for a variance that is not positive
 * @example
 * ```ts
 * import { inverseVolatility } from '@qtp/portfolio';
 * inverseVolatility([[0.04, 0], [0, 0.01]]).weights; // [0.333.., 0.666..]
 * ```
 */
export function inverseVolatility(covariance: Matrix): PortfolioWeights {
  checkCovariance(covariance);
  const inverse = covariance.map((row, i) => 1 / Math.sqrt(row[i]!));
  const total = inverse.reduce((a, b) => a + b, 0);
  const weights = inverse.map((v) => v / total);
  const variance = quadraticForm(covariance, weights);
  return { weights, variance, volatility: Math.sqrt(variance) };
}
