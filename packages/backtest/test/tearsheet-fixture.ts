// Sample tearsheet data for the tests: a small moving-average crossover run over a price series,
// booked with decimals as a real backtest would, so the pages the tests open look like real ones.
import { readFileSync } from 'node:fs';
import type { TearsheetData, TearsheetTrade } from '@qtp/backtest';
import { Decimal, SeededRandom } from '@qtp/core';
import { computePerformance } from '@qtp/portfolio';

/** Close prices over time, as decimal strings. */
export interface Closes {
  readonly times: number[];
  readonly closes: string[];
}

/** Reads the open times and closes of a Binance kline CSV (`open_time,open,high,low,close,volume`). */
export function readKlineCloses(path: string): Closes {
  const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const times: number[] = [];
  const closes: string[] = [];
  for (const row of rows) {
    const cells = row.split(',');
    times.push(Number(cells[0]));
    closes.push(cells[4]!);
  }
  return { times, closes };
}

/** A seeded geometric random walk with a slow drift, priced to the cent. */
export function randomWalkCloses(options: {
  seed: number;
  count: number;
  start: number;
  intervalMs: number;
  price: number;
}): Closes {
  const random = new SeededRandom(options.seed);
  const times: number[] = [];
  const closes: string[] = [];
  let price = options.price;
  for (let i = 0; i < options.count; i++) {
    // Box-Muller: two uniforms to one standard normal.
    const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    price *= Math.exp(0.00002 + 0.006 * z);
    times.push(options.start + i * options.intervalMs);
    closes.push(price.toFixed(2));
  }
  return { times, closes };
}

function sma(values: readonly number[], length: number, end: number): number {
  let sum = 0;
  for (let i = end - length + 1; i <= end; i++) sum += values[i]!;
  return sum / length;
}

/** Options of {@link crossoverBacktest}. */
export interface CrossoverOptions {
  readonly strategyName?: string;
  readonly instrument: string;
  readonly currency: string;
  readonly cash: string;
  readonly fast: number;
  readonly slow: number;
  readonly feeRate: string;
  readonly lotDecimals: number;
  readonly moneyDecimals: number;
  readonly shorts: boolean;
}

/**
 * Runs an all-in moving-average crossover over the closes: long when the fast average is above
 * the slow one, short (or flat) below, filled at the close with a proportional fee.
 */
export function crossoverBacktest(bars: Closes, options: CrossoverOptions): TearsheetData {
  const fee = new Decimal(options.feeRate);
  const prices = bars.closes.map(Number);
  let cash = new Decimal(options.cash);
  let quantity = new Decimal(0);
  let open: { side: 'LONG' | 'SHORT'; time: number; price: string; cost: Decimal } | null = null;
  const trades: TearsheetTrade[] = [];
  const values: number[] = [];

  const close = (time: number, text: string): void => {
    if (open === null) return;
    const price = new Decimal(text);
    const size = quantity.abs();
    const proceeds = size.times(price);
    const exitFee = proceeds.times(fee);
    cash =
      open.side === 'LONG'
        ? cash.plus(proceeds).minus(exitFee)
        : cash.minus(proceeds).minus(exitFee);
    const gross = open.side === 'LONG' ? proceeds.minus(open.cost) : open.cost.minus(proceeds);
    const pnl = gross.minus(open.cost.times(fee)).minus(exitFee);
    trades.push({
      instrument: options.instrument,
      side: open.side,
      entryTime: open.time,
      exitTime: time,
      quantity: size.toFixed(options.lotDecimals),
      entryPrice: open.price,
      exitPrice: text,
      pnl: pnl.toFixed(options.moneyDecimals),
      return: pnl.div(open.cost).toNumber(),
    });
    quantity = new Decimal(0);
    open = null;
  };
  const enter = (side: 'LONG' | 'SHORT', time: number, text: string): void => {
    const price = new Decimal(text);
    const size = cash
      .div(price.times(fee.plus(1)))
      .toDecimalPlaces(options.lotDecimals, Decimal.ROUND_DOWN);
    const cost = size.times(price);
    cash =
      side === 'LONG'
        ? cash.minus(cost).minus(cost.times(fee))
        : cash.plus(cost).minus(cost.times(fee));
    quantity = side === 'LONG' ? size : size.neg();
    open = { side, time, price: text, cost };
  };

  for (let i = 0; i < prices.length; i++) {
    const time = bars.times[i]!;
    const text = bars.closes[i]!;
    if (i >= options.slow) {
      const above = sma(prices, options.fast, i) > sma(prices, options.slow, i);
      const wasAbove = sma(prices, options.fast, i - 1) > sma(prices, options.slow, i - 1);
      if (above !== wasAbove || (open === null && i === options.slow)) {
        close(time, text);
        if (above) enter('LONG', time, text);
        else if (options.shorts) enter('SHORT', time, text);
      }
    }
    values.push(cash.plus(quantity.times(text)).toNumber());
  }
  const last = bars.times.length - 1;
  if (last >= 0) close(bars.times[last]!, bars.closes[last]!);

  const performance = computePerformance(
    { times: bars.times, values },
    {
      trades: trades.map((trade) => ({
        entryTime: trade.entryTime,
        exitTime: trade.exitTime,
        pnl: Number(trade.pnl),
      })),
    },
  );
  return {
    strategy: {
      name: options.strategyName ?? 'SMA crossover',
      parameters: {
        fast: options.fast,
        slow: options.slow,
        shorts: options.shorts,
        sizing: 'all in',
      },
    },
    instruments: [options.instrument],
    currency: options.currency,
    equity: { times: bars.times, values },
    performance,
    trades,
    assumptions: [
      { name: 'Fill model', value: 'market orders fill at the bar close' },
      {
        name: 'Fees',
        value: `${new Decimal(options.feeRate).times(100).toString()} % of notional, both sides`,
      },
      { name: 'Latency', value: 'none: orders fill on the bar that triggered them' },
      { name: 'Slippage', value: 'none' },
      { name: 'Volume cap', value: 'none: fills ignore the bar volume' },
    ],
    generatedAt: Date.UTC(2024, 5, 1, 12, 0),
  };
}
