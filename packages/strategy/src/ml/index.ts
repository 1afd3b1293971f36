/**
 * QTP machine learning hooks: feature pipelines declared as data and computed identically in
 * batch over a `BarSeries` and bar by bar, labels (forward returns, triple barrier), time splits
 * with purging and an embargo, CSV export, the `Model` interface with in-process linear and
 * logistic models, and `ModelStrategy`, which trades a model's scores.
 *
 * @example
 * ```ts
 * import { FeaturePipeline, forwardReturns } from '@qtp/strategy/ml';
 * const pipeline = new FeaturePipeline([{ kind: 'indicator', indicator: 'rsi' }]);
 * ```
 *
 * @module
 */

export type { FeaturesCsvOptions } from './export-csv.js';
export { featuresToCsv } from './export-csv.js';
export type { FeatureMatrix, FeatureStream } from './feature-pipeline.js';
export { FeaturePipeline, featureRow } from './feature-pipeline.js';
export type {
  FeatureIndicator,
  FeatureSpec,
  FieldFeature,
  IndicatorFeature,
  PriceField,
  ReturnFeature,
  RollingFeature,
} from './feature-spec.js';
export { FEATURE_INDICATORS, parseFeatureSpecs } from './feature-spec.js';
export type { ForwardReturnOptions, TripleBarrierLabels, TripleBarrierOptions } from './labels.js';
export { forwardReturns, tripleBarrierLabels } from './labels.js';
export type {
  LinearLink,
  LinearModelParameters,
  LogisticTrainingOptions,
  TrainingSet,
} from './linear-model.js';
export {
  LinearModel,
  trainingSet,
  trainLinearModel,
  trainLogisticModel,
} from './linear-model.js';
export type { Model } from './model.js';
export type { ModelStrategyOptions, ModelStrategyParams } from './model-strategy.js';
export { ModelStrategy, modelStrategySchema } from './model-strategy.js';
export type {
  PurgedKFoldOptions,
  PurgeOptions,
  TimeSplit,
  WalkForwardSplitOptions,
} from './time-splits.js';
export { purgedKFoldSplits, walkForwardSplits } from './time-splits.js';
export type {
  ModelMetrics,
  WalkForwardModelFold,
  WalkForwardModelOptions,
  WalkForwardModelResult,
} from './walk-forward-models.js';
export { walkForwardModels } from './walk-forward-models.js';
