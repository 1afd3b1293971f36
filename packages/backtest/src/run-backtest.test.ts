import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest, toTearsheetData, writeBacktestReport } from '@qtp/backtest';
import { type Bar, Decimal, Instrument, instrumentId } from '@qtp/core';
import { barFillModel } from '@qtp/exchange';
import { SmaCrossover } from '@qtp/strategy';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';

// Real Binance 5-minute klines of XRP/ETH (see examples/data and the shared data README).
const CSV = fileURLToPath(new URL('../../../examples/data/XRPETH-5m.csv', import.meta.url));
const FIVE_MINUTES = 300_000;
const id = instrumentId('XRPETH', 'BINANCE');
const xrp = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
});

interface Row {
  readonly openTimeMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

const rows: Row[] = readFileSync(CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [openTime, open, high, low, close, volume] = line.split(',');
    return {
      openTimeMs: Number(openTime),
      open: open!,
      high: high!,
      low: low!,
      close: close!,
      volume: volume!,
    };
  });

const bars: Bar[] = rows.map((row) => ({
  instrumentId: id,
  interval: '5m',
  openTimeMs: row.openTimeMs,
  closeTimeMs: row.openTimeMs + FIVE_MINUTES - 1,
  open: Number(row.open),
  high: Number(row.high),
  low: Number(row.low),
  close: Number(row.close),
  volume: Number(row.volume),
}));

const FAST = 10;
const SLOW = 30;
// A fractional quantity, so the test also checks that it is rounded down to the step (1 XRP).
const QUANTITY = '150.7';

function smaOptions(seed = 0) {
  return {
    instruments: [xrp],
    data: bars,
    strategy: {
      name: 'sma-crossover',
      id: 'sma',
      params: { instrumentId: id, fastPeriod: FAST, slowPeriod: SLOW, quantity: QUANTITY },
    },
    balances: { ETH: '1' },
    fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
    seed,
  };
}

// The same rules written as plain loops, without the engine: SMA crossover, long only, a fixed
// quantity rounded down to the step, market orders filled at the next bar's open with the taker
// fee in the quote asset, final equity = cash + position x last close, all in exact decimals.
function reference() {
  const quantity = new Decimal(QUANTITY).floor();
  const rate = new Decimal('0.001');
  let cash = new Decimal('1');
  let position = new Decimal(0);
  let fastSum = 0;
  let slowSum = 0;
  let previous: number | undefined;
  let pending: 'BUY' | 'SELL' | undefined;
  const trades: { side: string; price: string; fee: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (pending !== undefined) {
      const price = new Decimal(row.open);
      const fee = price.times(quantity).times(rate);
      if (pending === 'BUY') {
        cash = cash.minus(price.times(quantity)).minus(fee);
        position = position.plus(quantity);
      } else {
        cash = cash.plus(price.times(quantity)).minus(fee);
        position = position.minus(quantity);
      }
      trades.push({ side: pending, price: price.toString(), fee: fee.toString() });
      pending = undefined;
    }
    // Running sums with the same additions as a streaming SMA, so the signals agree to the bit.
    const close = Number(row.close);
    fastSum = fastSum + close - (i >= FAST ? Number(rows[i - FAST]!.close) : 0);
    slowSum = slowSum + close - (i >= SLOW ? Number(rows[i - SLOW]!.close) : 0);
    if (i < SLOW - 1) continue;
    const difference = fastSum / FAST - slowSum / SLOW;
    if (previous !== undefined) {
      if (previous <= 0 && difference > 0 && position.isZero()) pending = 'BUY';
      else if (previous >= 0 && difference < 0 && position.gt(0)) pending = 'SELL';
    }
    previous = difference;
  }
  const lastClose = new Decimal(rows.at(-1)!.close);
  return { trades, cash, position, equity: cash.plus(position.times(lastClose)) };
}

describe('runBacktest', () => {
  it('matches an independent computation of SMA crossover on real XRP/ETH bars to the last digit', async () => {
    const expected = reference();
    const result = await runBacktest(smaOptions());
    expect(expected.trades.length).toBeGreaterThan(4);
    expect(
      result.fills.map((fill) => ({ side: fill.side, price: fill.price, fee: fill.fee.amount })),
    ).toEqual(expected.trades);
    expect(result.fills.every((fill) => fill.quantity === '150')).toBe(true);
    expect(result.finalEquity).toBe(expected.equity.toString());
    const eth = result.balances.find((balance) => balance.asset === 'ETH');
    expect(eth?.total).toBe(expected.cash.toString());
    expect(result.positions[0]?.quantity).toBe(expected.position.toString());
    expect(result.trades).toHaveLength(Math.floor(expected.trades.length / 2));
    expect(result.equityCurve.times).toHaveLength(bars.length);
    expect(result.equityCurve.values.at(-1)).toBeCloseTo(expected.equity.toNumber(), 12);
  });

  it('never fills an order inside the bar that produced it', async () => {
    const result = await runBacktest(smaOptions());
    const openByTime = new Map(bars.map((bar) => [bar.openTimeMs, bar.open]));
    for (const order of result.orders) {
      for (const fill of order.fills) {
        expect(fill.timeMs).toBeGreaterThan(order.createdTimeMs);
        // Placed at a bar's close, filled at the very next bar's open and stamped with its time.
        expect(fill.timeMs - order.createdTimeMs).toBe(1);
        expect(fill.price).toBe(String(openByTime.get(fill.timeMs)));
      }
    }
  });

  it('fills the same orders at the same prices and times as runStrategy with next-open fills', async () => {
    const params = { instrumentId: id, fastPeriod: FAST, slowPeriod: SLOW, quantity: '150' };
    const result = await runBacktest({
      ...smaOptions(),
      strategy: { name: 'sma-crossover', id: 'sma', params },
    });
    const run = runStrategy(new SmaCrossover({ id: 'sma', params }), bars, {
      instruments: [xrp],
      fills: 'next-open',
    });
    const terms = (fill: { side: string; price: unknown; quantity: unknown; timeMs: number }) => ({
      side: fill.side,
      price: String(fill.price),
      quantity: String(fill.quantity),
      timeMs: fill.timeMs,
    });
    expect(result.fills.length).toBeGreaterThan(4);
    expect(run.fills.map(terms)).toEqual(result.fills.map(terms));
  });

  it('annualises on the calendar it is given and states it in the report', async () => {
    const crypto = (await runBacktest(smaOptions())).performance;
    expect(crypto).toMatchObject({
      periodsPerYear: 105_120,
      yearBasis: 'calendar',
      yearLengthDays: 365,
    });
    const stock = (
      await runBacktest({ ...smaOptions(), performance: { market: 'stock', periodsPerYear: 252 } })
    ).performance;
    expect(stock).toMatchObject({
      periodsPerYear: 252,
      yearBasis: 'periods',
      yearLengthDays: null,
    });
    // Volatility scales with the square root of the periods per year, CAGR with the year basis.
    expect(stock.annualizedVolatility! / crypto.annualizedVolatility!).toBeCloseTo(
      Math.sqrt(252 / 105_120),
      12,
    );
    const growth = 1 + crypto.totalReturn!;
    expect(stock.cagr).toBeCloseTo(growth ** (252 / stock.numberOfReturns) - 1, 12);
  });

  it('rejects an unknown analytics option, naming it', async () => {
    await expect(
      runBacktest({ ...smaOptions(), performance: { periodPerYear: 12 } as never }),
    ).rejects.toMatchObject({ field: 'periodPerYear' });
  });

  it('gives byte-identical results for the same inputs and seed', async () => {
    const first = JSON.stringify(await runBacktest(smaOptions(7)));
    const second = JSON.stringify(await runBacktest(smaOptions(7)));
    expect(second).toBe(first);
  });

  it('reads the same orders, fills and round trips whether serialised, cloned, spread or read', async () => {
    const json = JSON.parse(JSON.stringify(await runBacktest(smaOptions(7))));
    const cloned = structuredClone(await runBacktest(smaOptions(7)));
    const spread = { ...(await runBacktest(smaOptions(7))) };
    const read = await runBacktest(smaOptions(7));
    expect(read.orders.length).toBeGreaterThan(0);
    expect(read.trades.length).toBeGreaterThan(0);
    // The same objects on every read, and the fills are the orders' own.
    expect(read.orders).toBe(read.orders);
    expect(read.fills).toEqual(read.orders.flatMap((order) => order.fills));
    expect(read.fills[0]).toBe(read.orders.find((order) => order.fills.length > 0)!.fills[0]);
    for (const copy of [cloned, spread, { ...read }]) {
      expect(Object.keys(copy)).toEqual(Object.keys(json));
      expect(JSON.parse(JSON.stringify(copy))).toEqual(json);
    }
  });

  it('takes async data and reports the analytics and assumptions', async () => {
    async function* source() {
      for (const bar of bars) yield bar;
    }
    const result = await runBacktest({ ...smaOptions(), data: source() });
    expect(result.events).toBe(bars.length);
    expect(result.period).toEqual({ start: bars[0]!.closeTimeMs, end: bars.at(-1)!.closeTimeMs });
    expect(result.performance.trades.numberOfTrades).toBe(result.trades.length);
    expect(result.assumptions.lines.join('\n')).toMatch(/matched from bar t\+1/);
  });

  it('writes a tearsheet of the result', async () => {
    const result = await runBacktest(smaOptions());
    const data = toTearsheetData(result);
    expect(data.strategy.parameters).toMatchObject({ fastPeriod: FAST, quantity: QUANTITY });
    const folder = await mkdtemp(join(tmpdir(), 'qtp-backtest-'));
    try {
      const file = await writeBacktestReport(result, join(folder, 'report.html'));
      const html = await readFile(file, 'utf8');
      expect(html).toContain('sma-crossover');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('runBacktest warnings', () => {
  it('refuses a strategy whose instrument the backtest does not trade', async () => {
    const options = smaOptions();
    const other = instrumentId('ADABTC', 'BINANCE');
    const run = runBacktest({
      ...options,
      strategy: {
        ...options.strategy,
        params: { ...options.strategy.params, instrumentId: other },
      },
    });
    await expect(run).rejects.toThrow(
      'strategy.params.instrumentId: must name an instrument of the backtest (XRPETH.BINANCE), was "ADABTC.BINANCE"',
    );
  });

  it('reports a clean run with no warnings', async () => {
    expect((await runBacktest(smaOptions())).warnings).toEqual([]);
  });

  it('reports market orders cut short by the default volume cap, with a count', async () => {
    const { fillModel: _uncapped, ...options } = smaOptions();
    const huge = { ...options.strategy.params, quantity: '100000000' };
    const result = await runBacktest({
      ...options,
      strategy: { ...options.strategy, params: huge },
      balances: { ETH: '1000000000' },
    });
    const partial = result.orders.filter(
      (order) =>
        order.type === 'MARKET' &&
        order.filledQuantity !== order.quantity &&
        order.filledQuantity !== '0',
    );
    expect(partial.length).toBeGreaterThan(0);
    const warning = result.warnings.find((item) => item.code === 'PARTIAL_MARKET_FILL');
    expect(warning?.count).toBe(partial.length);
    expect(warning?.message).toContain('volume cap');
  });

  it('does not pass over a strategy whose order size rounds to nothing', async () => {
    const options = smaOptions();
    const tiny = { ...options.strategy.params, quantity: '0.4' };
    const result = await runBacktest({
      ...options,
      strategy: { ...options.strategy, params: tiny },
    });
    // 0.4 XRP rounds to 0 at the lot size 1, so the strategy never places an order.
    expect(result.orders).toEqual([]);
    expect(result.warnings.map((warning) => warning.code)).toEqual([
      'TARGET_BELOW_LOT',
      'NO_ORDERS',
    ]);
    const [below, none] = result.warnings;
    expect(below?.message).toContain('a change of 0.4, where the lot size is 1');
    expect(none?.message).toContain('round to 0 at the lot size');
  });
});
