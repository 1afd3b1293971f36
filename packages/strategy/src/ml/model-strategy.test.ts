import { BarSeries } from '@qtp/core';
import { rsi } from '@qtp/strategy';
import { FeaturePipeline, LinearModel, ModelStrategy } from '@qtp/strategy/ml';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { fixtureBars, ordersAt, ordersFromTargets, xrpeth } from '../../test/strategy-fixtures.js';

const features = [{ kind: 'indicator', indicator: 'rsi', params: { period: 7 } }] as const;
// The probability of a rise falls with the RSI: p = 1 / (1 + exp(-(5 - 0.1 rsi))).
const model = new LinearModel({ link: 'logistic', weights: [-0.1], intercept: 5 });
const probability = (value: number) => 1 / (1 + Math.exp(-(5 - 0.1 * value)));

describe('ModelStrategy', () => {
  it('orders on exactly the bars where the batch features cross its thresholds', () => {
    const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
    const strategy = new ModelStrategy({
      id: 'logit',
      params: {
        instrumentId: 'XRPETH.BINANCE',
        quantity: '100',
        buyThreshold: 0.6,
        sellThreshold: 0.4,
      },
      features: [...features],
      model,
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const values = rsi(
      bars.map((bar) => bar.close),
      7,
    );
    const targets = Array.from(values, (v) => {
      if (Number.isNaN(v)) return undefined;
      const p = probability(v);
      return p >= 0.6 ? 1 : p <= 0.4 ? 0 : undefined;
    });
    const expected = ordersFromTargets(targets, 100);
    expect(expected.length).toBeGreaterThan(4);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('sizes by the score past the threshold and shorts when allowed', () => {
    const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
    const strategy = new ModelStrategy({
      id: 'logit-sized',
      params: {
        instrumentId: 'XRPETH.BINANCE',
        quantity: '1000',
        buyThreshold: 0.6,
        sellThreshold: 0.4,
        allowShort: true,
        sizing: 'score',
      },
      features: new FeaturePipeline([...features]),
      model,
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const series = BarSeries.fromBars(bars);
    const values = new FeaturePipeline([...features]).compute(series).columns[0]!;
    const last = probability(values[values.length - 1]!);
    expect(strategy.lastScore).toBeCloseTo(last, 14);
    expect(run.orders.some((order) => order.request.side === 'SELL')).toBe(true);
    // A sized order is below the full quantity: the first buy is at a score just past 0.6.
    const firstBuy = run.orders.find((order) => order.request.side === 'BUY')!;
    expect(firstBuy.request.quantity.lt(1000)).toBe(true);
  });

  it('rejects a model that reads another number of features', () => {
    expect(
      () =>
        new ModelStrategy({
          id: 'bad',
          params: { instrumentId: 'XRPETH.BINANCE', quantity: '1' },
          features: [...features],
          model: new LinearModel({ link: 'identity', weights: [1, 2], intercept: 0 }),
        }),
    ).toThrow('model.featureCount: must equal the number of features 1, was 2');
  });
});
