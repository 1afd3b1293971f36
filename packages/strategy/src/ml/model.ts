/**
 * What a strategy needs from a trained model: a score for one row of features. The score is
 * whatever the model gives: a probability of a rise for a classifier, an expected return for a
 * regression, a class index. {@link ModelStrategy} turns it into orders with thresholds.
 *
 * @example
 * ```ts
 * import type { Model } from '@qtp/strategy/ml';
 * // A rule as a model: positive momentum scores 1.
 * const momentum: Model = { featureCount: 1, predict: (features) => (features[0]! > 0 ? 1 : 0) };
 * ```
 */
export interface Model {
  /** The number of features `predict` reads, in the order of the pipeline's names. */
  readonly featureCount: number;
  /** Returns the score of one row of features. */
  predict(features: ArrayLike<number>): number;
}
