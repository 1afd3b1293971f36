import { ValidationError } from '@qtp/core';
import {
  checkCovariance,
  checkVector,
  diagonalMean,
  dot,
  type Matrix,
  quadraticForm,
  scaleMatrix,
} from './checks.js';
import { solveQuadraticProgram } from './quadratic-program.js';
import { boundConstraints, resolveBounds, type WeightBoundsOptions } from './weight-bounds.js';

/** The weights a construction chose, with the portfolio's risk and, where known, its return. */
export interface PortfolioWeights {
  /** One weight per asset, in the order of the covariance matrix, summing to 1. */
  readonly weights: number[];
  /** The portfolio variance `w' S w`, in the units of the covariance. */
  readonly variance: number;
  /** The square root of the variance. */
  readonly volatility: number;
  /** `mu' w` when expected returns were given. */
  readonly expectedReturn?: number;
}

/** Options of {@link maximumSharpe}. */
export interface MaximumSharpeOptions extends WeightBoundsOptions {
  /** The risk-free rate per period, in the units of the expected returns; default 0. */
  readonly riskFreeRate?: number;
}

function result(
  covariance: Matrix,
  weights: number[],
  expected?: readonly number[],
): PortfolioWeights {
  const variance = quadraticForm(covariance, weights);
  const base = { weights, variance, volatility: Math.sqrt(variance) };
  return expected === undefined ? base : { ...base, expectedReturn: dot(expected, weights) };
}

// The optimisers see the covariance scaled to a unit diagonal mean: the argmin is the same and
// the solver's tolerances are then relative to the problem's own size.
function scaled(covariance: Matrix): number[][] {
  return scaleMatrix(covariance, 1 / diagonalMean(covariance));
}

/**
 * Returns the minimum variance portfolio: the weights summing to 1, within the bounds, that
 * minimise `w' S w`, solved as a quadratic program (Goldfarb-Idnani, from the `quadprog` package).
 *
 * @param covariance - the assets' covariance matrix, symmetric positive definite
 * @param options - bounds on the weights; long-only by default
 * @throws {@link @qtp/core!ValidationError} naming `covariance[i][j]` for a bad matrix, or the
 *   bounds when no portfolio fits them
 * @example
 * ```ts
 * import { minimumVariance, sampleCovariance } from '@qtp/portfolio';
 * const covariance = sampleCovariance([[0.01, -0.02, 0.03, 0], [0.02, -0.01, 0, 0.01]]);
 * minimumVariance(covariance, { upper: 0.8 }).weights;
 * ```
 */
export function minimumVariance(
  covariance: Matrix,
  options: WeightBoundsOptions = {},
): PortfolioWeights {
  const n = checkCovariance(covariance);
  const bounds = resolveBounds(options, n);
  const weights = solveQuadraticProgram({
    quadratic: scaled(covariance),
    linear: new Array<number>(n).fill(0),
    equalities: [{ coefficients: new Array<number>(n).fill(1), bound: 1 }],
    inequalities: boundConstraints(bounds),
  });
  return result(covariance, weights);
}

/**
 * Returns the minimum variance portfolio whose expected return `mu' w` equals `target`, with
 * weights summing to 1 within the bounds: one point of the efficient frontier.
 *
 * @param covariance - the assets' covariance matrix
 * @param expectedReturns - one expected return per asset, per period
 * @param target - the portfolio's expected return, in the same units
 * @throws {@link @qtp/core!ValidationError} naming `target` when no portfolio within the bounds reaches it
 * @example
 * ```ts
 * import { targetReturn } from '@qtp/portfolio';
 * targetReturn([[0.04, 0.006], [0.006, 0.01]], [0.08, 0.03], 0.05).weights; // [0.4, 0.6]
 * ```
 */
export function targetReturn(
  covariance: Matrix,
  expectedReturns: readonly number[],
  target: number,
  options: WeightBoundsOptions = {},
): PortfolioWeights {
  const n = checkCovariance(covariance);
  checkVector(expectedReturns, n, 'expectedReturns');
  if (!Number.isFinite(target)) throw new ValidationError('target', 'be finite', target);
  const bounds = resolveBounds(options, n);
  let weights: number[];
  try {
    weights = solveQuadraticProgram({
      quadratic: scaled(covariance),
      linear: new Array<number>(n).fill(0),
      equalities: [
        { coefficients: new Array<number>(n).fill(1), bound: 1 },
        { coefficients: [...expectedReturns], bound: target },
      ],
      inequalities: boundConstraints(bounds),
    });
  } catch (error) {
    throw new ValidationError('target', 'be reachable by weights within the bounds', target, {
      cause: error,
    });
  }
  return result(covariance, weights, expectedReturns);
}

/**
 * Returns the tangency portfolio: the weights summing to 1, within the bounds, that maximise the
 * Sharpe ratio `(mu' w - rf) / sqrt(w' S w)`. Solved exactly as a quadratic program in the
 * homogeneous form (Cornuejols and Tutuncu): minimise `y' S y` subject to `(mu - rf)' y = 1`
 * and the bounds scaled by `sum(y)`, then `w = y / sum(y)`.
 *
 * @param covariance - the assets' covariance matrix
 * @param expectedReturns - one expected return per asset, per period
 * @param options - bounds (long-only by default) and the risk-free rate per period
 * @throws {@link @qtp/core!ValidationError} naming `expectedReturns` when no portfolio within the
 *   bounds has an expected return above the risk-free rate
 * @example
 * ```ts
 * import { maximumSharpe } from '@qtp/portfolio';
 * const { weights, expectedReturn, volatility } = maximumSharpe(
 *   [[0.04, 0.006], [0.006, 0.01]], [0.08, 0.03], { riskFreeRate: 0.01 },
 * );
 * ```
 */
export function maximumSharpe(
  covariance: Matrix,
  expectedReturns: readonly number[],
  options: MaximumSharpeOptions = {},
): PortfolioWeights {
  const n = checkCovariance(covariance);
  checkVector(expectedReturns, n, 'expectedReturns');
  const riskFree = options.riskFreeRate ?? 0;
  if (!Number.isFinite(riskFree)) {
    throw new ValidationError('riskFreeRate', 'be finite', riskFree);
  }
  const bounds = resolveBounds(options, n);
  // Excess returns scaled to order 1 as well; (mu - rf)' y = 1 fixes the scale of y only.
  const excess = expectedReturns.map((r) => r - riskFree);
  const size = Math.max(...excess.map(Math.abs));
  if (!(size > 0)) {
    throw new ValidationError('expectedReturns', 'differ from the risk-free rate', expectedReturns);
  }
  const ones = new Array<number>(n).fill(1);
  let y: number[];
  try {
    y = solveQuadraticProgram({
      quadratic: scaled(covariance),
      linear: new Array<number>(n).fill(0),
      equalities: [{ coefficients: excess.map((e) => e / size), bound: 1 }],
      inequalities: [{ coefficients: ones, bound: 0 }, ...boundConstraints(bounds, ones)],
    });
  } catch (error) {
    throw new ValidationError(
      'expectedReturns',
      `include a portfolio within the bounds above the risk-free rate ${riskFree}`,
      expectedReturns,
      { cause: error },
    );
  }
  const total = y.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    throw new ValidationError(
      'expectedReturns',
      `include a portfolio within the bounds above the risk-free rate ${riskFree}`,
      expectedReturns,
    );
  }
  return result(
    covariance,
    y.map((v) => v / total),
    expectedReturns,
  );
}
