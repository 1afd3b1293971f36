// The QTP demo: an SMA-crossover backtest on real Binance ADA/BTC one-minute bars, through the
// same engine, OMS and portfolio that paper and live trading use. It prints the metrics and the
// simulation's assumptions, and writes an HTML tearsheet that opens offline in any browser.
import { fileURLToPath } from 'node:url';
import { readCsvBars, runBacktest, writeBacktestReport } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';

const FAST = 30;
const SLOW = 120;
const START_BTC = '1';

const data = (file: string) => fileURLToPath(new URL(`../data/${file}`, import.meta.url));
const tearsheetPath = fileURLToPath(new URL('out/tearsheet.html', import.meta.url));

// Binance's spot rules for ADA/BTC: prices in satoshi, whole ADA, 0.1 % taker fee.
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

// The file is streamed, never held whole; the 14 minutes without a trade are filled with flat
// bars so the averages keep counting minutes.
const bars = readCsvBars(data('ADABTC-1m.csv'), { instrumentId: id, interval: '1m', gaps: 'fill' });

const result = await runBacktest({
  instruments: [adaBtc],
  data: bars,
  strategy: {
    name: 'sma-crossover',
    params: { instrumentId: id, fastPeriod: FAST, slowPeriod: SLOW, quantity: '2000' },
  },
  balances: { BTC: START_BTC },
});
const file = await writeBacktestReport(result, tearsheetPath);

const { performance: report, period } = result;
const percent = (value: number | null) =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)} %`;
const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const fees = result.fills.reduce((sum, fill) => sum + Number(fill.fee.amount), 0);
const missing = bars.gaps.reduce((sum, gap) => sum + gap.missingBars, 0);

const rows: [string, string][] = [
  ['Final equity', `${Number(result.finalEquity).toFixed(6)} BTC (from ${START_BTC} BTC)`],
  ['Total return', percent(report.totalReturn)],
  // A drawdown is a positive fraction below the running peak, printed as a positive percent.
  ['Max drawdown', percent(report.maxDrawdown).replace('+', '')],
  [
    'Longest drawdown',
    `${(report.longestDrawdownMs / 3_600_000).toFixed(1)} hours (${report.longestDrawdownPeriods} bars)`,
  ],
  [
    'CAGR',
    `${percent(report.cagr)} (${report.yearBasis === 'calendar' ? `${report.yearLengthDays}-day` : `${report.periodsPerYear}-period`} years)`,
  ],
  ['Sharpe ratio', ratio(report.sharpeRatio)],
  ['Sortino ratio', ratio(report.sortinoRatio)],
  ['Round trips', `${report.trades.numberOfTrades} (${result.fills.length} fills)`],
  ['Win rate', percent(report.trades.winRate).replace('+', '')],
  ['Profit factor', ratio(report.trades.profitFactor)],
  ['Fees paid', `${fees.toFixed(6)} BTC`],
  ['Time in market', percent(report.exposureTime).replace('+', '')],
];
const width = Math.max(...rows.map(([name]) => name.length));

console.log(`SMA crossover ${FAST}/${SLOW} on ${id}, long only, 2,000 ADA a trade`);
if (period !== null) {
  console.log(
    `${utc(period.start)} to ${utc(period.end)} UTC, ${result.events.toLocaleString('en-US')} ` +
      `one-minute bars of real Binance data (${missing} missing minutes filled flat)\n`,
  );
}
for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
console.log('\nAssumptions');
for (const line of result.assumptions.lines) console.log(`  - ${line}`);
console.log(`\nTearsheet: ${file}`);
