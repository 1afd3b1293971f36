import * as strategy from '@qtp/strategy';
import * as ml from '@qtp/strategy/ml';
import * as arrow from '@qtp/strategy/ml/arrow';
import * as onnx from '@qtp/strategy/ml/onnx';
import * as parquet from '@qtp/strategy/ml/parquet';
import { expect, it } from 'vitest';

it('exports exactly the reviewed machine learning API', () => {
  expect(Object.keys(ml).sort()).toMatchInlineSnapshot(`
    [
      "FEATURE_INDICATORS",
      "FeaturePipeline",
      "LinearModel",
      "ModelStrategy",
      "featureRow",
      "featuresToCsv",
      "forwardReturns",
      "modelStrategySchema",
      "parseFeatureSpecs",
      "purgedKFoldSplits",
      "trainLinearModel",
      "trainLogisticModel",
      "trainingSet",
      "tripleBarrierLabels",
      "walkForwardModels",
      "walkForwardSplits",
    ]
  `);
});

it('keeps the machine learning API out of the main entry', () => {
  expect(Object.keys(strategy)).not.toContain('FeaturePipeline');
  expect(Object.keys(strategy)).not.toContain('ModelStrategy');
});

it('exports the Arrow writers from their own subpath', () => {
  expect(Object.keys(arrow).sort()).toEqual(['featuresToArrowIpc', 'featuresToArrowTable']);
  expect(Object.keys(ml)).not.toContain('featuresToArrowIpc');
});

it('exports the Parquet writer from its own subpath', () => {
  expect(Object.keys(parquet).sort()).toEqual(['featuresToParquet']);
  expect(Object.keys(ml)).not.toContain('featuresToParquet');
});

it('exports the ONNX model from its own subpath', () => {
  expect(Object.keys(onnx).sort()).toEqual(['OnnxModel']);
  expect(Object.keys(ml)).not.toContain('OnnxModel');
});
