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
