// Walk-forward analysis: pick SMA-crossover periods on five days of real Binance LTC/BTC
// five-minute bars, trade the pick on the two days that follow (which it has never seen), move
// on two days and repeat. Only the out-of-sample days count, chained into one equity curve: an
// honest estimate of what choosing parameters this way would have earned.
import { fileURLToPath } from 'node:url';
import { createProgressBar, runWalkForward } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';

const DAY_BARS = 288; // five-minute bars in a day

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

const analysis = await runWalkForward({
  instruments: [ltcBtc],
  data: [
    {
      path: fileURLToPath(new URL('../data/LTCBTC-5m.csv', import.meta.url)),
      instrumentId: id,
      interval: '5m',
    },
  ],
  strategy: 'sma-crossover',
  params: { instrumentId: id, quantity: '10' },
  balances: { BTC: '1' },
  grid: { fastPeriod: [10, 20], slowPeriod: [60, 120] },
  trainBars: 5 * DAY_BARS,
  testBars: 2 * DAY_BARS,
  objective: 'sharpe',
  onProgress: createProgressBar({ label: 'walk-forward' }),
});

const percent = (value: number | null) =>
  value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`;
const ratio = (value: number | null) =>
  value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(2);
const day = (ms: number) => new Date(ms).toISOString().slice(5, 10);

console.log(`SMA crossover on ${id}: periods chosen by Sharpe on 5 days, traded on the next 2\n`);
console.log(
  `  ${'test days (2018)'.padEnd(16)}  ${'chosen'.padStart(7)}   in-sample Sharpe   out-of-sample return`,
);
for (const window of analysis.windows) {
  const { fastPeriod, slowPeriod } = window.params;
  const chosen = `${fastPeriod}/${slowPeriod}`;
  const days = `${day(window.test.startMs)} to ${day(window.test.endMs)}`.padEnd(16);
  const inSample = ratio(window.inSample.score);
  const outOfSample = percent(window.outOfSample.result.performance.totalReturn);
  console.log(
    `  ${days}  ${chosen.padStart(7)}   ${inSample.padStart(16)}   ${outOfSample.padStart(20)}`,
  );
}
const total = analysis.outOfSample.performance;
console.log(
  `\nOut of sample, ${analysis.windows.length} windows chained: total return ` +
    `${percent(total.totalReturn)}, Sharpe ${ratio(total.sharpeRatio)}, ` +
    `max drawdown ${percent(total.maxDrawdown)}, ${analysis.outOfSample.trades.length} round trips`,
);
