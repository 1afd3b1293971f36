// The README's first look: the demo's backtest in its shortest form. It prints the same final
// equity and Sharpe ratio as `pnpm demo`, because it runs the same bars, rules and strategy.
import { fileURLToPath } from 'node:url';
import { readCsvBars, runBacktest, writeBacktestReport } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const id = instrumentId('ADABTC', 'BINANCE');
const adaBtc = new Instrument({
  id,
  baseAsset: 'ADA',
  quoteAsset: 'BTC',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  minNotional: '0.0001',
  takerFee: '0.001',
  makerFee: '0.001',
});

const result = await runBacktest({
  instruments: [adaBtc],
  data: readCsvBars(file('../data/ADABTC-1m.csv'), {
    instrumentId: id,
    interval: '1m',
    gaps: 'fill',
  }),
  strategy: {
    name: 'sma-crossover',
    params: { instrumentId: id, fastPeriod: 30, slowPeriod: 120, quantity: '2000' },
  },
  balances: { BTC: '1' },
});
console.log(result.finalEquity, result.performance.sharpeRatio, result.assumptions.lines);
console.log(await writeBacktestReport(result, file('out/tearsheet.html')));
