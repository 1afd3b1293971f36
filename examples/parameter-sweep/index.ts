// A parameter sweep: nine SMA-crossover backtests on real Binance XRP/ETH one-minute bars, one
// per pair of periods, run in parallel on worker threads and ranked by Sharpe ratio. A sweep is
// described by plain data (files, a strategy name, parameters), since that is all that can
// cross into a worker; each worker reads the file once and reuses it for every run it gets.
import { fileURLToPath } from 'node:url';
import { createProgressBar, runSweep } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';

const id = instrumentId('XRPETH', 'BINANCE');
const xrpEth = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  minNotional: '0.01',
  takerFee: '0.001',
  makerFee: '0.001',
});

const sweep = await runSweep({
  instruments: [xrpEth],
  data: [
    {
      path: fileURLToPath(new URL('../data/XRPETH-1m.csv', import.meta.url)),
      instrumentId: id,
      interval: '1m',
    },
  ],
  strategy: 'sma-crossover',
  params: { instrumentId: id, quantity: '500' },
  balances: { ETH: '5' },
  grid: { fastPeriod: [5, 10, 20], slowPeriod: [30, 60, 120] },
  objective: 'sharpe',
  onProgress: createProgressBar({ label: 'sweep' }),
});

const percent = (value: number | null) =>
  value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`;
const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
const ranked = [...sweep.runs].sort(
  (a, b) =>
    (b.ok ? b.score : Number.NEGATIVE_INFINITY) - (a.ok ? a.score : Number.NEGATIVE_INFINITY),
);

console.log(`SMA crossover on ${id}, 3,560 one-minute bars, 500 XRP a trade, ranked by Sharpe\n`);
console.log('  fast  slow   round trips   total return   max drawdown   Sharpe');
for (const run of ranked) {
  const { fastPeriod, slowPeriod } = run.params;
  const head = `  ${String(fastPeriod).padStart(4)}  ${String(slowPeriod).padStart(4)}`;
  if (!run.ok) {
    console.log(`${head}   failed: ${run.error.message}`);
    continue;
  }
  const report = run.result.performance;
  console.log(
    `${head}   ${String(run.result.trades.length).padStart(11)}   ` +
      `${percent(report.totalReturn).padStart(12)}   ${percent(report.maxDrawdown).padStart(12)}   ` +
      `${ratio(report.sharpeRatio).padStart(6)}`,
  );
}
if (sweep.best !== null) {
  const { fastPeriod, slowPeriod } = sweep.best.params;
  console.log(`\nBest in sample: ${fastPeriod}/${slowPeriod}. Nine tries on one sample flatter`);
  console.log('the winner; the walk-forward example tests such a choice on data it has not seen.');
}
