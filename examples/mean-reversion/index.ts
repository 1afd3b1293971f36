// Mean reversion on Bollinger Bands, which are a z-score of the close against its moving average:
// buy LTC when the close falls more than two standard deviations below its 50-bar mean, sell it
// when the close is back at the mean. Real Binance LTC/BTC five-minute bars, 20 days.
import { fileURLToPath } from 'node:url';
import { readCsvBars, runBacktest } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';
import { BollingerReversion } from '@qtp/strategy';

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

// A strategy instance rather than a registry name: the form to use for a strategy of your own.
const strategy = new BollingerReversion({
  id: 'ltc-reversion',
  params: { instrumentId: id, period: 50, k: 2, quantity: '10' },
});

const result = await runBacktest({
  instruments: [ltcBtc],
  data: readCsvBars(fileURLToPath(new URL('../data/LTCBTC-5m.csv', import.meta.url)), {
    instrumentId: id,
    interval: '5m',
  }),
  strategy,
  balances: { BTC: '1' },
});

const { performance: report } = result;
const percent = (value: number | null) =>
  value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`;
const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));

// A round trip's P&L is an exact decimal string, net of both fees.
const wins = result.trades.filter((trade) => Number(trade.pnl) > 0).length;
const held = result.trades.map((trade) => (trade.exitTimeMs - trade.entryTimeMs) / 60_000);
const medianHeld = held.sort((a, b) => a - b)[Math.floor(held.length / 2)] ?? 0;

console.log(`Bollinger reversion (50 bars, 2 sigma) on ${id}, 10 LTC a trade, from 1 BTC`);
console.log(`  bars               ${result.events.toLocaleString('en-US')} (five-minute)`);
console.log(`  final equity       ${Number(result.finalEquity).toFixed(6)} BTC`);
console.log(`  total return       ${percent(report.totalReturn)}`);
console.log(`  max drawdown       ${percent(report.maxDrawdown)}`);
console.log(`  Sharpe ratio       ${ratio(report.sharpeRatio)}`);
console.log(`  round trips        ${result.trades.length}, ${wins} of them profitable`);
console.log(`  median holding     ${medianHeld} minutes`);
console.log(`  time in market     ${percent(report.exposureTime)}`);
