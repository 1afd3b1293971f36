import { ValidationError } from '@qtp/core';
import type { FeatureMatrix } from './feature-pipeline.js';
import { type TrainingSet, trainingSet } from './linear-model.js';
import type { Model } from './model.js';
import type { TimeSplit } from './time-splits.js';

/** How well a model's test predictions matched the targets. */
export interface ModelMetrics {
  /** The number of test rows scored (rows with NaN features or targets are left out). */
  readonly rows: number;
  /** The mean of `(prediction - target) ** 2`. */
  readonly meanSquaredError: number;
  /** The Pearson correlation of predictions and targets (the information coefficient); NaN when either is constant. */
  readonly correlation: number;
  /** For 0/1 targets, the share of rows where `prediction >= 0.5` matches the target; NaN otherwise. */
  readonly accuracy: number;
}

/** One window of {@link walkForwardModels}: the model trained on it and how it did on the next block. */
export interface WalkForwardModelFold<M extends Model> {
  /** The model trained on the window. */
  readonly model: M;
  /** The rows trained on. */
  readonly trainRows: number;
  /** The first and last bar index of the test block. */
  readonly testStart: number;
  readonly testEnd: number;
  /** The model's scores on the test block. */
  readonly metrics: ModelMetrics;
}

/** The result of {@link walkForwardModels}. */
export interface WalkForwardModelResult<M extends Model> {
  /** One entry per split, in order. */
  readonly folds: WalkForwardModelFold<M>[];
  /**
   * Out-of-sample scores, one per row of the matrix: each test row scored by the model trained
   * before it, NaN elsewhere. A backtest of these scores trades no model on data it was fitted to.
   */
  readonly predictions: Float64Array;
  /** The metrics over every test row together. */
  readonly metrics: ModelMetrics;
}

/** Options of {@link walkForwardModels}. */
export interface WalkForwardModelOptions<M extends Model> {
  /** The features, in batch. */
  readonly matrix: FeatureMatrix;
  /** One target per row (a label), NaN where unknown. */
  readonly targets: ArrayLike<number>;
  /** The splits, from {@link walkForwardSplits} (or {@link purgedKFoldSplits}) with purging. */
  readonly splits: readonly TimeSplit[];
  /** Trains a model on one window's rows, such as `(set) => trainLogisticModel(set.rows, set.targets)`. */
  readonly train: (set: TrainingSet) => M;
}

function metricsOf(predictions: readonly number[], targets: readonly number[]): ModelMetrics {
  const n = predictions.length;
  if (n === 0)
    return { rows: 0, meanSquaredError: Number.NaN, correlation: Number.NaN, accuracy: Number.NaN };
  let mse = 0;
  let mp = 0;
  let mt = 0;
  for (let i = 0; i < n; i++) {
    mse += (predictions[i]! - targets[i]!) ** 2 / n;
    mp += predictions[i]! / n;
    mt += targets[i]! / n;
  }
  let cov = 0;
  let vp = 0;
  let vt = 0;
  for (let i = 0; i < n; i++) {
    cov += (predictions[i]! - mp) * (targets[i]! - mt);
    vp += (predictions[i]! - mp) ** 2;
    vt += (targets[i]! - mt) ** 2;
  }
  const binary = targets.every((t) => t === 0 || t === 1);
  let hits = 0;
  if (binary)
    for (let i = 0; i < n; i++) if ((predictions[i]! >= 0.5 ? 1 : 0) === targets[i]) hits++;
  return {
    rows: n,
    meanSquaredError: mse,
    correlation: vp > 0 && vt > 0 ? cov / Math.sqrt(vp * vt) : Number.NaN,
    accuracy: binary ? hits / n : Number.NaN,
  };
}

/**
 * Trains a model on each split's training rows and scores it on the split's test block: walk-forward
 * retraining, with each fold's metrics and the out-of-sample scores of every test row.
 *
 * @throws {@link @qtp/core!ValidationError} naming `targets` when it is not one per row, or
 *   `splits[i]` when a split has no row to train on
 * @example
 * ```ts
 * import { forwardReturns, trainLinearModel, walkForwardModels, walkForwardSplits } from '@qtp/strategy/ml';
 * const targets = forwardReturns(series.close, 12);
 * const labelEnd = Array.from(targets, (_, t) => t + 12);
 * const { folds, predictions } = walkForwardModels({
 *   matrix,
 *   targets,
 *   splits: walkForwardSplits(matrix.length, { trainSize: 2000, testSize: 500, labelEnd }),
 *   train: (set) => trainLinearModel(set.rows, set.targets),
 * });
 * console.log(folds.map((fold) => fold.metrics.correlation));
 * ```
 */
export function walkForwardModels<M extends Model>(
  options: WalkForwardModelOptions<M>,
): WalkForwardModelResult<M> {
  const { matrix, targets, splits } = options;
  if (targets.length !== matrix.length) {
    throw new ValidationError(
      'targets.length',
      `equal the number of rows ${matrix.length}`,
      targets.length,
    );
  }
  const predictions = new Float64Array(matrix.length).fill(Number.NaN);
  const allPredicted: number[] = [];
  const allTargets: number[] = [];
  const folds = splits.map((split, k): WalkForwardModelFold<M> => {
    const set = trainingSet(matrix, targets, split.train);
    if (set.rows.length === 0) {
      throw new ValidationError(
        `splits[${k}].train`,
        'hold rows with every feature and the target defined',
        0,
      );
    }
    const model = options.train(set);
    const test = trainingSet(matrix, targets, split.test);
    const scored = test.rows.map((row) => model.predict(row));
    test.indices.forEach((i, j) => {
      predictions[i] = scored[j]!;
    });
    allPredicted.push(...scored);
    allTargets.push(...test.targets);
    return {
      model,
      trainRows: set.rows.length,
      testStart: split.test[0] ?? -1,
      testEnd: split.test[split.test.length - 1] ?? -1,
      metrics: metricsOf(scored, test.targets),
    };
  });
  return { folds, predictions, metrics: metricsOf(allPredicted, allTargets) };
}
