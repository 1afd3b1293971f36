import { ValidationError } from '@qtp/core';
import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import {
  checkCovariance,
  checkVector,
  diagonalMean,
  type Matrix,
  quadraticForm,
  scaleMatrix,
} from './checks.js';
import type { PortfolioWeights } from './mean-variance.js';

/** Options of {@link riskParity}. */
export interface RiskParityOptions {
  /**
   * Each asset's share of the portfolio's risk, positive and summing to 1; default equal shares
   * (equal risk contribution).
   */
  readonly budgets?: readonly number[];
  /** The largest change of any weight at which the solver stops; default 1e-12. */
  readonly tolerance?: number;
  /** The most Newton steps; default 100. */
  readonly maxIterations?: number;
}

/** The result of {@link riskParity}: the weights and each asset's share of the risk. */
export interface RiskParityWeights extends PortfolioWeights {
  /** `w_i (S w)_i / w' S w` for each asset, summing to 1. */
  readonly riskContributions: number[];
}

/**
 * Returns the long-only risk budgeting portfolio: the weights, summing to 1, at which each
 * asset's contribution to the portfolio variance, `w_i (S w)_i`, is its budget's share of it.
 * With the default equal budgets this is the equal risk contribution (ERC) portfolio. Solved by
 * damped Newton steps on the convex form of Spinu (2013), `min y' S y / 2 - sum(b_i log y_i)`,
 * whose unique minimiser scaled to sum 1 is the answer; the linear systems are solved by
 * Cholesky decomposition from `ml-matrix`.
 *
 * @param covariance - the assets' covariance matrix, symmetric positive definite
 * @throws {@link @qtp/core!ValidationError} naming `budgets[i]` for a budget that is not positive,
 *   or `covariance` when the solver does not converge
 * @example
 * ```ts
 * import { riskParity } from '@qtp/portfolio';
 * riskParity([[0.04, 0], [0, 0.01]]).weights; // [0.333.., 0.666..]: half the risk each
 * ```
 */
export function riskParity(covariance: Matrix, options: RiskParityOptions = {}): RiskParityWeights {
  const n = checkCovariance(covariance);
  const budgets = options.budgets ?? new Array<number>(n).fill(1 / n);
  checkVector(budgets, n, 'budgets');
  budgets.forEach((b, i) => {
    if (!(b > 0)) throw new ValidationError(`budgets[${i}]`, 'be greater than 0', b);
  });
  const totalBudget = budgets.reduce((a, b) => a + b, 0);
  if (Math.abs(totalBudget - 1) > 1e-9) {
    throw new ValidationError('budgets', 'sum to 1', totalBudget);
  }
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  const s = scaleMatrix(covariance, 1 / diagonalMean(covariance));
  const sigma = new MlMatrix(s);
  // Start from inverse volatility, scaled so the first-order conditions are of order 1.
  let y = s.map((row, i) => 1 / Math.sqrt(row[i]!));
  const objective = (v: readonly number[]): number =>
    quadraticForm(s, v) / 2 - v.reduce((sum, vi, i) => sum + budgets[i]! * Math.log(vi), 0);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const sy = sigma.mmul(MlMatrix.columnVector(y)).to1DArray();
    const gradient = y.map((yi, i) => sy[i]! - budgets[i]! / yi);
    // At the optimum y_i (S y)_i = b_i: stop once the first-order conditions hold to rounding.
    if (Math.max(...gradient.map((g, i) => Math.abs(g * y[i]!))) <= 1e-14) {
      return finish(covariance, y);
    }
    const hessian = sigma.clone();
    for (let i = 0; i < n; i++)
      hessian.set(i, i, hessian.get(i, i) + budgets[i]! / (y[i]! * y[i]!));
    const step = new CholeskyDecomposition(hessian)
      .solve(MlMatrix.columnVector(gradient))
      .to1DArray();
    // Backtrack to stay positive and to decrease the objective (Armijo), with a float's slack.
    let t = 1;
    const start = objective(y);
    const slope = -step.reduce((sum, d, i) => sum + d * gradient[i]!, 0);
    const slack = 1e-15 * Math.abs(start);
    let next = y.map((yi, i) => yi - step[i]!);
    while (next.some((v) => !(v > 0)) || objective(next) > start + 1e-4 * t * slope + slack) {
      t /= 2;
      if (t < 1e-20) break;
      next = y.map((yi, i) => yi - t * step[i]!);
    }
    const before = y.reduce((a, b) => a + b, 0);
    const after = next.reduce((a, b) => a + b, 0);
    const change = Math.max(...next.map((v, i) => Math.abs(v / after - y[i]! / before)));
    y = next;
    if (change <= tolerance && t === 1) return finish(covariance, y);
  }
  throw new ValidationError(
    'covariance',
    `allow a risk parity solution within ${maxIterations} steps`,
    covariance,
  );
}

function finish(covariance: Matrix, y: readonly number[]): RiskParityWeights {
  const total = y.reduce((a, b) => a + b, 0);
  const weights = y.map((v) => v / total);
  const variance = quadraticForm(covariance, weights);
  const riskContributions = weights.map((w, i) => {
    let row = 0;
    for (let j = 0; j < weights.length; j++) row += covariance[i]![j]! * weights[j]!;
    return (w * row) / variance;
  });
  return { weights, variance, volatility: Math.sqrt(variance), riskContributions };
}
