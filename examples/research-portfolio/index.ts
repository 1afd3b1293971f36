// Portfolio construction on four assets quoted in BTC (real Binance five-minute bars,
// 2018-01-10 .. 2018-01-30): hourly returns, three covariance estimators, the weights of five
// constructions, the orders that move a 1 BTC portfolio from equal weights to the risk-parity
// weights, with lot sizes and a 0.1 % fee counted, and last a strategy that does this once a day
// in a backtest, from the two days of returns before each rebalance.
import { fileURLToPath } from 'node:url';
import { loadBarSeries, mergeByTime, readCsvBars, runBacktest } from '@qtp/backtest';
import { type Bar, Instrument, type InstrumentId, instrumentId } from '@qtp/core';
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
import { Strategy, type StrategyOptions } from '@qtp/strategy';
import { z } from 'zod';

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

// The same plan as a strategy helper: once a day, risk parity on the last two days of hourly
// returns, the orders from planRebalance submitted as they are.
const schema = z.strictObject({
  driftThreshold: z.number().default(0.02),
  lookbackHours: z.int().default(48),
});
class RiskParityRebalancer extends Strategy<z.output<typeof schema>> {
  readonly #closes = new Map<InstrumentId, Map<number, number>>(
    instruments.map((i) => [i.id, new Map()]),
  );

  constructor(options: StrategyOptions) {
    super(options, { schema, historySize: 1 });
  }

  protected override onBar(bar: Bar): void {
    const hour = Math.floor(bar.closeTimeMs / HOUR_MS) * HOUR_MS;
    this.#closes.get(bar.instrumentId)!.set(hour, bar.close);
    // Decide on the last pair's last bar of a UTC day, when every pair's close is in.
    if (bar.instrumentId !== instruments.at(-1)!.id || (bar.closeTimeMs + 1) % (24 * HOUR_MS) !== 0)
      return;
    const common = [...this.#closes.get(bar.instrumentId)!.keys()]
      .filter((h) => [...this.#closes.values()].every((closes) => closes.has(h)))
      .slice(-this.params.lookbackHours - 1);
    if (common.length <= this.params.lookbackHours) return;
    const series = instruments.map((i) => {
      const closes = this.#closes.get(i.id)!;
      return common.slice(1).map((h, k) => closes.get(h)! / closes.get(common[k]!)! - 1);
    });
    const weights = riskParity(ledoitWolfCovariance(series).matrix).weights;
    const rebalance = planRebalance({
      assets: instruments.map((instrument, i) => ({
        instrument,
        price: this.lastBar(instrument.id)!.close,
        quantity: this.position(instrument.id),
        targetWeight: weights[i]! * 0.98, // 2 % kept in cash for fees and slippage
      })),
      cash: this.portfolio.cash('BTC'),
      driftThreshold: this.params.driftThreshold,
      feeRate: 0.001,
    });
    for (const order of rebalance.orders) this.submitOrder(order);
  }
}

const backtest = await runBacktest({
  instruments: instruments.map(
    (i) =>
      new Instrument({
        id: i.id,
        baseAsset: i.baseAsset,
        quoteAsset: 'BTC',
        priceIncrement: '0.00000001',
        sizeIncrement: i.sizeIncrement,
        minNotional: '0.001',
        takerFee: '0.001',
        makerFee: '0.001',
      }),
  ),
  data: mergeByTime(
    instruments.map((i) =>
      readCsvBars(fileURLToPath(new URL(`../data/${i.symbol}-5m.csv`, import.meta.url)), {
        instrumentId: i.id,
        interval: '5m',
      }),
    ),
  ),
  strategy: new RiskParityRebalancer({ id: 'risk-parity' }),
  balances: { BTC: '1' },
});
console.log(
  `\nRiskParityRebalancer, daily over 20 days: ${backtest.orders.length} orders, final equity ` +
    `${Number(backtest.finalEquity).toFixed(6)} BTC from 1 BTC, max drawdown ` +
    `${((backtest.performance.maxDrawdown ?? 0) * 100).toFixed(2)} %`,
);
