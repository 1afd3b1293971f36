/**
 * Research tools: the feature pipeline of `@qtp/strategy/ml` (20 features over 1 000 000 bars,
 * in batch over a `BarSeries` and streaming bar by bar), `ModelStrategy`'s cost per bar, and the
 * portfolio optimisers of `@qtp/portfolio` on 50 assets.
 *
 * The bars are a seeded random walk (one-minute bars, so every run sees the same prices). The
 * plain loop for the pipeline calls the same batch indicator functions directly, column by
 * column, with no pipeline around them: the practical limit of the batch form. Before timing,
 * the batch and streaming outputs are checked equal on the first 20 000 bars. A 1M-bar pass
 * takes about a second, too long for mitata's repeated sampling, so the file times each
 * contender itself (one warm-up run, then the best of two) and prints its own table.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BarSeries, Instrument, instrumentId, SeededRandom } from '@qtp/core';
import {
  ledoitWolfCovariance,
  maximumSharpe,
  minimumVariance,
  riskParity,
  sampleCovariance,
} from '@qtp/portfolio';
import {
  adx,
  atr,
  bollinger,
  cci,
  ema,
  macd,
  mfi,
  obv,
  roc,
  rsi,
  sma,
  stdDev,
  stochastic,
  wma,
} from '@qtp/strategy';
import { FeaturePipeline, type FeatureSpec, LinearModel, ModelStrategy } from '@qtp/strategy/ml';
import { OnnxModel } from '@qtp/strategy/ml/onnx';
import { createBarSeries, runStrategy } from '@qtp/strategy/testing';

const BARS = 1_000_000;
const random = new SeededRandom(18);

function randomWalk(count: number): BarSeries {
  const series = new BarSeries({ capacity: count, interval: '1m' });
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    price = Math.max(1, price * (1 + (random.next() - 0.5) * 0.004));
    const high = Math.max(open, price) * (1 + random.next() * 0.001);
    const low = Math.min(open, price) * (1 - random.next() * 0.001);
    series.appendValues(
      1_600_000_000_000 + i * 60_000,
      open,
      high,
      low,
      price,
      1 + random.next() * 100,
    );
  }
  return series;
}

const SPECS: FeatureSpec[] = [
  { kind: 'indicator', indicator: 'sma', params: { period: 10 } },
  { kind: 'indicator', indicator: 'sma', params: { period: 50 } },
  { kind: 'indicator', indicator: 'ema', params: { period: 20 } },
  { kind: 'indicator', indicator: 'wma', params: { period: 20 } },
  { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
  { kind: 'indicator', indicator: 'roc', params: { period: 10 } },
  { kind: 'indicator', indicator: 'stdDev', params: { period: 20 } },
  { kind: 'indicator', indicator: 'atr', params: { period: 14 } },
  { kind: 'indicator', indicator: 'cci', params: { period: 20 } },
  { kind: 'indicator', indicator: 'mfi', params: { period: 14 } },
  { kind: 'indicator', indicator: 'obv' },
  { kind: 'indicator', indicator: 'adx', params: { period: 14 } },
  { kind: 'indicator', indicator: 'macd', output: 'histogram' },
  { kind: 'indicator', indicator: 'bollinger', output: 'upper' },
  { kind: 'indicator', indicator: 'stochastic', output: 'k' },
  { kind: 'return', period: 1 },
  { kind: 'return', period: 10, log: true },
  { kind: 'rolling', statistic: 'std', period: 30, of: 'return' },
  { kind: 'rolling', statistic: 'zscore', period: 50, source: 'volume' },
  { kind: 'field', source: 'volume', lag: 1 },
];

function plainLoop(s: BarSeries): Float64Array[] {
  const { open: _o, high, low, close, volume } = s;
  const out = [
    sma(close, 10),
    sma(close, 50),
    ema(close, 20),
    wma(close, 20),
    rsi(close, 14),
    roc(close, 10),
    stdDev(close, 20),
    atr(high, low, close, 14),
    cci(high, low, close, 20),
    mfi(high, low, close, volume, 14),
    obv(close, volume),
    adx(high, low, close, 14).adx,
    macd(close, 12, 26, 9).histogram,
    bollinger(close, 20, 2).upper,
    stochastic(high, low, close, 14, 3).k,
  ];
  const n = close.length;
  const r1 = new Float64Array(n);
  const r10 = new Float64Array(n);
  for (let i = 1; i < n; i++) r1[i] = close[i]! / close[i - 1]! - 1;
  for (let i = 10; i < n; i++) r10[i] = Math.log(close[i]! / close[i - 10]!);
  out.push(r1, r10, stdDev(r1.subarray(1), 30), stdDev(volume, 50), volume.slice());
  return out;
}

function best(run: () => void, runs = 2): number {
  run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const series = randomWalk(BARS);
const pipeline = new FeaturePipeline(SPECS);
if (pipeline.names.length !== 20) throw new Error('the benchmark declares 20 features');

// Equal before timed: batch and streaming on the first 20 000 bars.
{
  const head = series.slice(0, 20_000);
  const matrix = pipeline.compute(head);
  const stream = pipeline.stream();
  for (let i = 0; i < head.length; i++) {
    const row = stream.update(head.at(i));
    for (let j = 0; j < row.length; j++) {
      if (!Object.is(row[j], matrix.columns[j]![i])) {
        throw new Error(`${pipeline.names[j]} differs at bar ${i}`);
      }
    }
  }
}

const { open, high, low, close, volume } = series;
const batchMs = best(() => pipeline.compute(series));
const plainMs = best(() => plainLoop(series));
const streamMs = best(() => {
  const stream = pipeline.stream();
  for (let i = 0; i < BARS; i++)
    stream.updateValues(open[i]!, high[i]!, low[i]!, close[i]!, volume[i]!);
});
const featureValues = BARS * SPECS.length;
const perSecond = (ms: number) => `${(((featureValues / ms) * 1000) / 1e6).toFixed(1)} M`;
console.log(
  `\nfeature pipeline: ${SPECS.length} features x ${BARS.toLocaleString('en')} bars (seeded random walk)`,
);
console.log(
  table(
    ['', 'ms', 'feature values / s', 'ns / bar'],
    [
      [
        'plain loop (batch functions)',
        plainMs.toFixed(0),
        perSecond(plainMs),
        ((plainMs * 1e6) / BARS).toFixed(0),
      ],
      [
        'FeaturePipeline.compute',
        batchMs.toFixed(0),
        perSecond(batchMs),
        ((batchMs * 1e6) / BARS).toFixed(0),
      ],
      [
        'FeatureStream.update',
        streamMs.toFixed(0),
        perSecond(streamMs),
        ((streamMs * 1e6) / BARS).toFixed(0),
      ],
    ],
  ),
);

// ModelStrategy per bar: the 20-feature stream, a logistic model, and the strategy's order path
// through runStrategy's in-memory context (no engine, OMS or exchange).
{
  const count = 100_000;
  const instrument = new Instrument({
    id: instrumentId('SIMUSDT', 'SIM'),
    baseAsset: 'SIM',
    quoteAsset: 'USDT',
    priceIncrement: '0.0001',
    sizeIncrement: '0.001',
  });
  const bars = createBarSeries(
    instrument.id,
    '1m',
    Array.from({ length: count }, (_, i) => series.at(i)),
  );
  const weights = SPECS.map((_, j) => (j % 2 === 0 ? 0.05 : -0.05));
  const model = new LinearModel({ link: 'logistic', weights, intercept: 0 });
  const make = () =>
    new ModelStrategy({
      id: 'bench',
      params: { instrumentId: 'SIMUSDT.SIM', quantity: '1', buyThreshold: 0.6, sellThreshold: 0.4 },
      features: pipeline,
      model,
    });
  const ms = best(() => runStrategy(make(), bars, { instruments: [instrument] }));
  console.log(
    `\nModelStrategy (20 features, logistic model) over ${count.toLocaleString('en')} bars: ${((ms * 1e6) / count).toFixed(0)} ns per bar`,
  );
}

// The same per-bar cost with the ONNX model of the test fixtures (sigmoid of RSI(7) and the
// one-bar return, through onnxruntime-node's CPU runtime): the matrix is scored in one run, then
// ModelStrategy trades on the preloaded scores, beside the LinearModel of the same weights.
{
  const count = 100_000;
  const instrument = new Instrument({
    id: instrumentId('SIMUSDT', 'SIM'),
    baseAsset: 'SIM',
    quoteAsset: 'USDT',
    priceIncrement: '0.0001',
    sizeIncrement: '0.001',
  });
  const bars = createBarSeries(
    instrument.id,
    '1m',
    Array.from({ length: count }, (_, i) => series.at(i)),
  );
  const specs: FeatureSpec[] = [
    { kind: 'indicator', indicator: 'rsi', params: { period: 7 } },
    { kind: 'return' },
  ];
  const small = new FeaturePipeline(specs);
  const matrix = small.compute(BarSeries.fromBars(bars));
  const onnx = await OnnxModel.load(
    fileURLToPath(
      new URL('../packages/strategy/test/fixtures/logistic-rsi-return.onnx', import.meta.url),
    ),
  );
  const scoreStart = performance.now();
  const preloaded = await onnx.preload(matrix);
  const scoreMs = performance.now() - scoreStart;
  const linear = new LinearModel({ link: 'logistic', weights: [-0.09375, 12.5], intercept: 4.75 });
  const params = {
    instrumentId: 'SIMUSDT.SIM',
    quantity: '1',
    buyThreshold: 0.6,
    sellThreshold: 0.4,
  };
  const run = (model: typeof linear | typeof preloaded) =>
    best(() =>
      runStrategy(new ModelStrategy({ id: 'bench', params, features: small, model }), bars, {
        instruments: [instrument],
      }),
    );
  const onnxMs = run(preloaded);
  const linearMs = run(linear);
  console.log(
    `\nModelStrategy (2 features) over ${count.toLocaleString('en')} bars: ONNX model ${((onnxMs * 1e6) / count).toFixed(0)} ns per bar ` +
      `(plus ${((scoreMs * 1e6) / count).toFixed(0)} ns per row to score the matrix in one ONNX run), LinearModel ${((linearMs * 1e6) / count).toFixed(0)} ns per bar`,
  );
  await onnx.dispose();
}

// Optimisers on 50 assets: a covariance from 500 seeded returns per asset with a common factor.
{
  const assets = 50;
  const periods = 500;
  const factor = Array.from({ length: periods }, () => (random.next() - 0.5) * 0.02);
  const returns = Array.from({ length: assets }, (_, a) =>
    Array.from(
      { length: periods },
      (_, t) => (0.3 + a / assets) * factor[t]! + (random.next() - 0.5) * 0.02,
    ),
  );
  const mu = returns.map((r) => r.reduce((s, v) => s + v, 0) / periods + 0.0005);
  const cov = ledoitWolfCovariance(returns).matrix;
  const time = (run: () => unknown, times = 20): number => {
    run();
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      run();
      samples.push(performance.now() - start);
    }
    return samples.sort((a, b) => a - b)[Math.floor(times / 2)]!;
  };
  const rows = [
    ['sampleCovariance (500 x 50)', time(() => sampleCovariance(returns))],
    ['ledoitWolfCovariance (500 x 50)', time(() => ledoitWolfCovariance(returns))],
    ['minimumVariance, long-only', time(() => minimumVariance(cov))],
    ['minimumVariance, 0..0.05 bounds', time(() => minimumVariance(cov, { upper: 0.05 }))],
    ['maximumSharpe, long-only', time(() => maximumSharpe(cov, mu))],
    ['riskParity (ERC)', time(() => riskParity(cov))],
  ] as const;
  console.log(`\nportfolio construction, ${assets} assets (median of 20 runs)`);
  console.log(
    table(
      ['', 'ms'],
      rows.map(([name, ms]) => [name, ms.toFixed(2)]),
    ),
  );
  console.log('');
}
