import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BarSeries } from '@qtp/core';
import { FeaturePipeline, LinearModel, ModelStrategy } from '@qtp/strategy/ml';
import { OnnxModel } from '@qtp/strategy/ml/onnx';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { fixtureBars, ordersAt, xrpeth } from '../../../test/strategy-fixtures.js';

// The fixture graph is sigmoid(features · W + B) with these weights (scripts/make-onnx-model.mjs).
const fixture = fileURLToPath(
  new URL('../../../test/fixtures/logistic-rsi-return.onnx', import.meta.url),
);
const linear = new LinearModel({ link: 'logistic', weights: [-0.09375, 12.5], intercept: 4.75 });
const features = [
  { kind: 'indicator', indicator: 'rsi', params: { period: 7 } },
  { kind: 'return' },
] as const;
const params = {
  instrumentId: 'XRPETH.BINANCE',
  quantity: '100',
  buyThreshold: 0.6,
  sellThreshold: 0.4,
};

describe('OnnxModel', () => {
  it('scores a hand-worked row as sigmoid(4.75 - 0.09375 rsi + 12.5 return)', async () => {
    const onnx = await OnnxModel.load(fixture);
    expect(onnx.featureCount).toBe(2);
    // z = 4.75 - 4.6875 + 0.125 = 0.1875; sigmoid(0.1875) = 0.546738...
    expect(await onnx.predictAsync([50, 0.01])).toBeCloseTo(1 / (1 + Math.exp(-0.1875)), 6);
    await onnx.dispose();
  });

  it('gives the logistic LinearModel scores on every row of real features, from bytes too', async () => {
    const onnx = await OnnxModel.load(readFileSync(fixture));
    const matrix = new FeaturePipeline([...features]).compute(
      BarSeries.fromBars(fixtureBars('XRPETH-5m', xrpeth, '5m')),
    );
    const scores = await onnx.predictMatrix(matrix);
    let compared = 0;
    for (let i = 0; i < matrix.length; i++) {
      const row = matrix.columns.map((column) => column[i]!);
      if (row.some(Number.isNaN)) {
        expect(scores[i]).toBeNaN();
        continue;
      }
      expect(Math.abs(scores[i]! - linear.predict(row))).toBeLessThan(1e-6);
      compared++;
    }
    expect(compared).toBeGreaterThan(matrix.length - 10);
    await onnx.dispose();
  });

  it('drives ModelStrategy to order on the same bars as the LinearModel', async () => {
    const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
    const pipeline = new FeaturePipeline([...features]);
    const onnx = await OnnxModel.load(fixture);
    const model = await onnx.preload(pipeline.compute(BarSeries.fromBars(bars)));
    const viaOnnx = runStrategy(
      new ModelStrategy({ id: 'onnx', params, features: [...features], model }),
      bars,
      { instruments: [xrpeth] },
    );
    const viaLinear = runStrategy(
      new ModelStrategy({ id: 'linear', params, features: [...features], model: linear }),
      bars,
      { instruments: [xrpeth] },
    );
    const expected = ordersAt(bars, viaLinear.orders);
    expect(expected.length).toBeGreaterThan(4);
    expect(ordersAt(bars, viaOnnx.orders)).toEqual(expected);
    await onnx.dispose();
  });

  it('rejects an input the graph does not have and a row the preload did not score', async () => {
    await expect(OnnxModel.load(fixture, { inputName: 'x' })).rejects.toThrow(
      'inputName: must be one of features, was "x"',
    );
    const onnx = await OnnxModel.load(fixture);
    await expect(onnx.predictAsync([1])).rejects.toThrow('features.length: must equal 2, was 1');
    const model = await onnx.preload({
      names: ['a', 'b'],
      time: Float64Array.of(0),
      columns: [Float64Array.of(50), Float64Array.of(0.01)],
      length: 1,
    });
    expect(model.predict([50, 0.01])).toBeCloseTo(1 / (1 + Math.exp(-0.1875)), 6);
    expect(() => model.predict([51, 0.01])).toThrow('be a row of the preloaded matrix');
    await onnx.dispose();
  });
});
