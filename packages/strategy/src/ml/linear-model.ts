/// <reference path="./ml-logistic-regression.d.ts" />
import { ValidationError } from '@qtp/core';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import type { FeatureMatrix } from './feature-pipeline.js';
import type { Model } from './model.js';

/** How a {@link LinearModel} turns its linear score into a prediction. */
export type LinearLink = 'identity' | 'logistic';

/** The parameters of a {@link LinearModel}, as plain JSON. */
export interface LinearModelParameters {
  /** The link: `identity` for a regression, `logistic` for the probability of class 1. */
  readonly link: LinearLink;
  /** One weight per standardised feature. */
  readonly weights: readonly number[];
  /** The constant term. */
  readonly intercept: number;
  /** The mean subtracted from each feature before weighting; default 0s. */
  readonly means?: readonly number[];
  /** The scale each centred feature is divided by; default 1s. */
  readonly scales?: readonly number[];
}

/**
 * A linear model `link(intercept + sum(w_i (x_i - mean_i) / scale_i))`: a linear regression with
 * the identity link, or a logistic regression giving the probability of class 1. It predicts in
 * O(features) without allocating, so it runs per bar; {@link trainLinearModel} and
 * {@link trainLogisticModel} fit one in-process.
 *
 * @example
 * ```ts
 * import { LinearModel } from '@qtp/strategy/ml';
 * const model = new LinearModel({ link: 'logistic', weights: [2], intercept: 0 });
 * model.predict([0]); // 0.5
 * ```
 */
export class LinearModel implements Model {
  /** The parameters, as given. */
  readonly parameters: LinearModelParameters;
  /** The number of features read. */
  readonly featureCount: number;
  private readonly w: Float64Array;
  private readonly m: Float64Array;
  private readonly s: Float64Array;

  /**
   * Creates a model from its parameters (from a fit, or from `toJSON` of an earlier one).
   * @throws {@link @qtp/core!ValidationError} naming `weights`, `means` or `scales` when lengths differ or a value is not finite
   */
  constructor(parameters: LinearModelParameters) {
    const n = parameters.weights.length;
    const check = (
      name: string,
      values: readonly number[] | undefined,
      fallback: number,
    ): Float64Array => {
      const list = values ?? new Array<number>(n).fill(fallback);
      if (list.length !== n)
        throw new ValidationError(
          `${name}.length`,
          `equal the number of weights ${n}`,
          list.length,
        );
      list.forEach((v, i) => {
        if (!Number.isFinite(v)) throw new ValidationError(`${name}[${i}]`, 'be finite', v);
      });
      return Float64Array.from(list);
    };
    this.w = check('weights', parameters.weights, 0);
    this.m = check('means', parameters.means, 0);
    this.s = check('scales', parameters.scales, 1);
    if (!Number.isFinite(parameters.intercept)) {
      throw new ValidationError('intercept', 'be finite', parameters.intercept);
    }
    this.parameters = parameters;
    this.featureCount = n;
  }

  /** Returns the linear score through the link: a value, or a probability for the logistic link. */
  predict(features: ArrayLike<number>): number {
    let z = this.parameters.intercept;
    for (let i = 0; i < this.w.length; i++)
      z += (this.w[i]! * (features[i]! - this.m[i]!)) / this.s[i]!;
    return this.parameters.link === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
  }

  /** Returns the parameters, to store the model and rebuild it with the constructor. */
  toJSON(): LinearModelParameters {
    return this.parameters;
  }
}

/** Rows of features with their targets, ready to fit. */
export interface TrainingSet {
  /** One row of features per sample. */
  readonly rows: number[][];
  /** One target per row. */
  readonly targets: number[];
  /** The matrix row each sample came from. */
  readonly indices: number[];
}

/**
 * Returns the rows of `matrix` at `indices` (default all) with their `targets`, leaving out every
 * row where a feature or the target is NaN (warm-up, or a label without enough future).
 *
 * @throws {@link @qtp/core!ValidationError} naming `targets` when it is not one per row
 * @example
 * ```ts
 * import { forwardReturns, trainingSet } from '@qtp/strategy/ml';
 * const { rows, targets } = trainingSet(matrix, forwardReturns(series.close, 12), split.train);
 * ```
 */
export function trainingSet(
  matrix: FeatureMatrix,
  targets: ArrayLike<number>,
  indices?: ArrayLike<number>,
): TrainingSet {
  if (targets.length !== matrix.length) {
    throw new ValidationError(
      'targets.length',
      `equal the number of rows ${matrix.length}`,
      targets.length,
    );
  }
  const rows: number[][] = [];
  const ys: number[] = [];
  const kept: number[] = [];
  const count = indices === undefined ? matrix.length : indices.length;
  for (let k = 0; k < count; k++) {
    const i = indices === undefined ? k : indices[k]!;
    const y = targets[i]!;
    if (Number.isNaN(y)) continue;
    const row = matrix.columns.map((column) => column[i]!);
    if (row.some(Number.isNaN)) continue;
    rows.push(row);
    ys.push(y);
    kept.push(i);
  }
  return { rows, targets: ys, indices: kept };
}

function standardisation(
  rows: readonly (readonly number[])[],
  field: string,
): { means: number[]; scales: number[] } {
  if (rows.length < 2) throw new ValidationError(`${field}.length`, 'be at least 2', rows.length);
  const n = rows[0]!.length;
  const means = new Array<number>(n).fill(0);
  const scales = new Array<number>(n).fill(0);
  for (const row of rows) {
    if (row.length !== n) throw new ValidationError(`${field}[].length`, `equal ${n}`, row.length);
    for (let j = 0; j < n; j++) means[j]! += row[j]! / rows.length;
  }
  for (const row of rows)
    for (let j = 0; j < n; j++) scales[j]! += (row[j]! - means[j]!) ** 2 / rows.length;
  // A constant feature keeps scale 1: it then only shifts the intercept.
  return { means, scales: scales.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

function checkTargets(rows: readonly unknown[], targets: readonly number[]): void {
  if (targets.length !== rows.length) {
    throw new ValidationError(
      'targets.length',
      `equal the number of rows ${rows.length}`,
      targets.length,
    );
  }
  targets.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValidationError(`targets[${i}]`, 'be finite', v);
  });
}

/**
 * Fits a linear regression by least squares (`ml-regression-multivariate-linear`) on
 * standardised features and returns it as a {@link LinearModel} with the identity link.
 *
 * @param rows - one row of finite features per sample, at least 2 rows
 * @param targets - one finite target per row, such as a forward return
 * @throws {@link @qtp/core!ValidationError} naming `rows` or `targets` for missing or bad data
 * @example
 * ```ts
 * import { trainLinearModel } from '@qtp/strategy/ml';
 * const model = trainLinearModel([[0], [1], [2]], [1, 3, 5]);
 * model.predict([3]); // 7
 * ```
 */
export function trainLinearModel(
  rows: readonly (readonly number[])[],
  targets: readonly number[],
): LinearModel {
  checkTargets(rows, targets);
  const { means, scales } = standardisation(rows, 'rows');
  const x = rows.map((row) => row.map((v, j) => (v - means[j]!) / scales[j]!));
  const fit = new MultivariateLinearRegression(
    x,
    targets.map((y) => [y]),
    { intercept: true, statistics: false },
  );
  const n = means.length;
  const weights = fit.weights.slice(0, n).map((w) => w[0]!);
  const intercept = fit.weights[n]![0]!;
  return new LinearModel({ link: 'identity', weights, intercept, means, scales });
}

/** Options of {@link trainLogisticModel}. */
export interface LogisticTrainingOptions {
  /** Gradient steps; default 2000. */
  readonly steps?: number;
  /** The step size; default 0.5 divided by the number of rows. */
  readonly learningRate?: number;
}

/**
 * Fits a logistic regression of class 1 against class 0 (`ml-logistic-regression`, gradient
 * ascent on the log-likelihood) on standardised features with an intercept, and returns it as a
 * {@link LinearModel} whose `predict` is the probability of class 1.
 *
 * @param rows - one row of finite features per sample, at least 2 rows
 * @param classes - 0 or 1 for each row, both present
 * @throws {@link @qtp/core!ValidationError} naming `targets[i]` for a class other than 0 or 1, or
 *   `targets` when only one class is present
 * @example
 * ```ts
 * import { trainLogisticModel } from '@qtp/strategy/ml';
 * const model = trainLogisticModel([[-2], [-1], [1], [2]], [0, 0, 1, 1]);
 * model.predict([3]) > 0.5; // true
 * ```
 */
export function trainLogisticModel(
  rows: readonly (readonly number[])[],
  classes: readonly number[],
  options: LogisticTrainingOptions = {},
): LinearModel {
  checkTargets(rows, classes);
  classes.forEach((c, i) => {
    if (c !== 0 && c !== 1) throw new ValidationError(`targets[${i}]`, 'be 0 or 1', c);
  });
  if (!classes.includes(0) || !classes.includes(1)) {
    throw new ValidationError('targets', 'hold both classes 0 and 1', classes.length);
  }
  const { means, scales } = standardisation(rows, 'rows');
  const x = new Matrix(rows.map((row) => [...row.map((v, j) => (v - means[j]!) / scales[j]!), 1]));
  const fit = new LogisticRegression({
    numSteps: options.steps ?? 2000,
    learningRate: options.learningRate ?? 0.5 / rows.length,
  });
  fit.train(x, Matrix.columnVector([...classes]));
  // Classifier 1 scores "not class 1", so its negated weights score class 1.
  const raw = fit
    .toJSON()
    .classifiers[1]!.weights.to1DArray()
    .map((w) => -w);
  const n = means.length;
  return new LinearModel({
    link: 'logistic',
    weights: raw.slice(0, n),
    intercept: raw[n]!,
    means,
    scales,
  });
}
