// A model trained the honest way: features computed only from bars already closed, triple-barrier
// labels, a logistic regression retrained on each rolling window with the labels that reach into
// the next block purged, then the last window's model traded by ModelStrategy in a backtest on
// bars it has never seen. Real Binance LTC/BTC five-minute bars, 2018-01-10 .. 2018-01-30.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBarSeries, runBacktest } from '@qtp/backtest';
import { type Bar, Instrument, instrumentId } from '@qtp/core';
import {
  FeaturePipeline,
  type FeatureSpec,
  featuresToCsv,
  ModelStrategy,
  trainLogisticModel,
  tripleBarrierLabels,
  walkForwardModels,
  walkForwardSplits,
} from '@qtp/strategy/ml';

const id = instrumentId('LTCBTC', 'BINANCE');
const ltcBtc = new Instrument({
  id,
  baseAsset: 'LTC',
  quoteAsset: 'BTC',
  priceIncrement: '0.00000001',
  sizeIncrement: '0.01',
  minNotional: '0.0001',
  takerFee: '0.001',
  makerFee: '0.001',
});

const series = await loadBarSeries(
  fileURLToPath(new URL('../data/LTCBTC-5m.csv', import.meta.url)),
  {
    instrumentId: id,
    interval: '5m',
  },
);

// Features as data: the same declarations run in batch here and bar by bar in the strategy.
const features: FeatureSpec[] = [
  { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
  { kind: 'indicator', indicator: 'macd', output: 'histogram' },
  { kind: 'indicator', indicator: 'bollinger', output: 'middle', params: { period: 20 } },
  { kind: 'return', period: 6, log: true },
  { kind: 'rolling', statistic: 'std', period: 48, of: 'return' },
  { kind: 'rolling', statistic: 'zscore', period: 48, source: 'volume' },
];
const pipeline = new FeaturePipeline(features);
const matrix = pipeline.compute(series);

// Labels: 1 when +0.8 % comes before -0.8 % within two hours (24 bars), else 0.
const { labels, endIndex } = tripleBarrierLabels(series, {
  horizon: 24,
  takeProfit: 0.008,
  stopLoss: 0.008,
});
const up = Array.from(labels, (label) => (Number.isNaN(label) ? Number.NaN : label === 1 ? 1 : 0));

const trainSize = 2016; // one week
const testSize = 576; // two days
const splits = walkForwardSplits(series.length, {
  trainSize,
  testSize,
  labelEnd: endIndex,
  embargo: 0,
});
const result = walkForwardModels({
  matrix,
  targets: up,
  splits,
  train: (set) => trainLogisticModel(set.rows, set.targets),
});

console.log(
  `${series.length} bars of ${id}, ${pipeline.names.length} features: ${pipeline.names.join(', ')}\n`,
);
console.log('  test block (bars)   trained on   scored   accuracy   information coefficient');
for (const fold of result.folds) {
  const block = `${fold.testStart}..${fold.testEnd}`.padEnd(17);
  const { rows, accuracy, correlation } = fold.metrics;
  console.log(
    `  ${block}   ${String(fold.trainRows).padStart(10)}   ${String(rows).padStart(6)}   ${(accuracy * 100).toFixed(1).padStart(6)} %   ${correlation.toFixed(3).padStart(23)}`,
  );
}
console.log(
  `\nOut of sample over ${result.metrics.rows} bars: accuracy ${(result.metrics.accuracy * 100).toFixed(1)} %, ` +
    `information coefficient ${result.metrics.correlation.toFixed(3)}`,
);

// The features and labels as CSV for a Python user (pandas.read_csv reads the same numbers).
const csvPath = join(mkdtempSync(join(tmpdir(), 'qtp-research-')), 'ltcbtc-features.csv');
writeFileSync(csvPath, featuresToCsv(matrix, { labels: { up } }));
console.log(`Features and labels written to a CSV of ${matrix.length} rows`);

// Trade the last fold's model on the bars after its test block: data no model was fitted to.
const last = result.folds.at(-1)!;
const start = last.testEnd + 1 - 200; // warm-up bars for the features, then unseen bars
const bars: Bar[] = [];
for (let i = start; i < series.length; i++) {
  const row = series.at(i);
  bars.push({ ...row, instrumentId: id, interval: '5m', closeTimeMs: row.openTimeMs + 299_999 });
}
const backtest = await runBacktest({
  instruments: [ltcBtc],
  data: bars,
  balances: { BTC: '1' },
  strategy: new ModelStrategy({
    id: 'ltc-logit',
    params: {
      instrumentId: 'LTCBTC.BINANCE',
      quantity: '10',
      buyThreshold: 0.55,
      sellThreshold: 0.45,
    },
    features,
    model: last.model,
  }),
});
const performance = backtest.performance;
console.log(
  `\nModelStrategy on ${bars.length} later bars: ${backtest.orders.length} orders, total return ` +
    `${((performance.totalReturn ?? 0) * 100).toFixed(2)} %, max drawdown ${((performance.maxDrawdown ?? 0) * 100).toFixed(2)} %`,
);
