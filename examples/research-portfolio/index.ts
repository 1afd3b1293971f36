// Portfolio construction on four assets quoted in BTC (real Binance five-minute bars,
// 2018-01-10 .. 2018-01-30): hourly returns, three covariance estimators, the weights of six
// constructions, then the orders that move a 1 BTC portfolio from equal weights to the
// risk-parity weights, with lot sizes and a 0.1 % fee counted.
import { fileURLToPath } from 'node:url';
import { loadBarSeries } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';
import {
  ewmaCovariance,
  inverseVolatility,
  ledoitWolfCovariance,
  maximumSharpe,
  minimumVariance,
  planRebalance,
  riskParity,
  sampleCovariance,
} from '@qtp/portfolio';

const SYMBOLS = ['DASHBTC', 'LTCBTC', 'XLMBTC', 'ZECBTC'] as const;
const HOUR_MS = 3_600_000;

// The last close of each UTC hour, for the hours in which all four traded.
const hourly = await Promise.all(
  SYMBOLS.map(async (symbol) => {
    const series = await loadBarSeries(
      fileURLToPath(new URL(`../data/${symbol}-5m.csv`, import.meta.url)),
      {
        instrumentId: instrumentId(symbol, 'BINANCE'),
        interval: '5m',
      },
    );
    const closes = new Map<number, number>();
    for (let i = 0; i < series.length; i++) {
      closes.set(Math.floor(series.time[i]! / HOUR_MS) * HOUR_MS, series.close[i]!);
    }
    return closes;
  }),
);
const hours = [...hourly[0]!.keys()]
  .filter((hour) => hourly.every((closes) => closes.has(hour)))
  .sort((a, b) => a - b);
const returns = hourly.map((closes) =>
  hours.slice(1).map((hour, k) => closes.get(hour)! / closes.get(hours[k]!)! - 1),
);
const expected = returns.map((series) => series.reduce((sum, r) => sum + r, 0) / series.length);

const sample = sampleCovariance(returns);
const ewma = ewmaCovariance(returns, { lambda: 0.97 });
const shrunk = ledoitWolfCovariance(returns);
const vol = (cov: number[][]) =>
  cov.map((row, i) => `${(Math.sqrt(row[i]!) * 100).toFixed(2)} %`.padStart(8)).join(' ');
console.log(`${returns[0]!.length} hourly returns of ${SYMBOLS.join(', ')}\n`);
console.log(`hourly volatility        ${SYMBOLS.map((s) => s.padStart(8)).join(' ')}`);
console.log(`  sample                 ${vol(sample)}`);
console.log(`  EWMA (lambda 0.97)     ${vol(ewma)}`);
const shrunkLabel = `Ledoit-Wolf (${(shrunk.shrinkage * 100).toFixed(1)} %)`;
console.log(`  ${shrunkLabel.padEnd(23)}${vol(shrunk.matrix)}\n`);

const constructions = [
  ['minimum variance', minimumVariance(shrunk.matrix)],
  ['minimum variance, 10..40 %', minimumVariance(shrunk.matrix, { lower: 0.1, upper: 0.4 })],
  [
    'maximum Sharpe (rf -0.04 %/h)',
    maximumSharpe(shrunk.matrix, expected, { riskFreeRate: -0.0004 }),
  ],
  ['inverse volatility', inverseVolatility(shrunk.matrix)],
  ['equal risk contribution', riskParity(shrunk.matrix)],
] as const;
console.log(
  `weights                        ${SYMBOLS.map((s) => s.padStart(8)).join(' ')}   volatility`,
);
for (const [name, { weights, volatility }] of constructions) {
  const cells = weights.map((w) => `${(w * 100).toFixed(1)} %`.padStart(8)).join(' ');
  console.log(`  ${name.padEnd(29)}${cells}   ${(volatility * 100).toFixed(3)} %`);
}

// From equal weights to risk parity: a 1 BTC portfolio at the last hour's closes.
const last = hours.at(-1)!;
const prices = hourly.map((closes) => closes.get(last)!);
const instruments = SYMBOLS.map(
  (symbol) =>
    new Instrument({
      id: instrumentId(symbol, 'BINANCE'),
      baseAsset: symbol.replace('BTC', ''),
      quoteAsset: 'BTC',
      priceIncrement: '0.000001',
      sizeIncrement: symbol === 'XLMBTC' ? '1' : '0.001',
      minNotional: '0.001',
    }),
);
const target = riskParity(shrunk.matrix).weights;
const plan = planRebalance({
  assets: instruments.map((instrument, i) => ({
    instrument,
    price: prices[i]!,
    quantity: instrument.roundQuantity(String(0.25 / prices[i]!)),
    targetWeight: target[i]!,
  })),
  cash: '0',
  driftThreshold: 0.01,
  feeRate: 0.001,
});
console.log(
  `\nrebalancing ${plan.equity.toFixed(6)} BTC from equal weights to risk parity (drift threshold 1 %):`,
);
for (const order of plan.orders)
  console.log(
    `  ${order.side.padEnd(4)} ${order.quantity.toString().padStart(10)} ${order.instrumentId}`,
  );
for (const { instrumentId: skippedId, reason } of plan.skipped)
  console.log(`  skip ${skippedId}: ${reason}`);
console.log(
  `  estimated fees ${plan.estimatedFees.toFixed(8)} BTC, cash after ${plan.cashAfter.toFixed(8)} BTC`,
);
