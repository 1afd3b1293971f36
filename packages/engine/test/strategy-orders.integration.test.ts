import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Bar,
  createBarEvent,
  Decimal,
  Instrument,
  instrumentId,
  type OrderType,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange, type SimulatedExchangeOptions } from '@qtp/exchange';
import { Strategy, type StrategyOptions } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// Real Binance 5-minute klines of XRP/ETH (see examples/data and the shared data README).
const CSV = fileURLToPath(new URL('../../../examples/data/XRPETH-5m.csv', import.meta.url));
const id = instrumentId('XRPETH', 'BINANCE');
const FIVE_MINUTES = 300_000;

function loadBars(): Bar[] {
  const [, ...rows] = readFileSync(CSV, 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [open, o, h, l, c, v] = row.split(',');
    const openTimeMs = Number(open);
    return {
      instrumentId: id,
      interval: '5m',
      openTimeMs,
      closeTimeMs: openTimeMs + FIVE_MINUTES - 1,
      open: Number(o),
      high: Number(h),
      low: Number(l),
      close: Number(c),
      volume: Number(v),
    };
  });
}

const bars = loadBars();
// No fees, so the fills are the prices alone.
const xrp = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});

// A venue like Binance spot without stop orders, so the strategy must emulate them.
class NoStopExchange extends SimulatedExchange {
  override readonly orderTypes: readonly OrderType[] = ['MARKET', 'LIMIT', 'LIMIT_MAKER'];
  constructor(options: SimulatedExchangeOptions) {
    super(options);
  }
}

const schema = z.strictObject({
  atBar: z.int(),
  stopLoss: z.string(),
  takeProfit: z.string(),
});

class BracketOnce extends Strategy<z.output<typeof schema>> {
  #bars = 0;
  constructor(options: StrategyOptions) {
    super(options, { schema });
  }
  protected override onBar(): void {
    if (this.#bars++ !== this.params.atBar) return;
    this.bracketOrder({
      instrumentId: id,
      side: 'BUY',
      quantity: '100',
      stopLoss: this.params.stopLoss,
      takeProfit: this.params.takeProfit,
    });
  }
  get open() {
    return this.openOrders();
  }
}

function tick(value: number, factor: string): string {
  return new Decimal(String(value)).times(factor).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed();
}

async function run(
  venue: 'native' | 'emulated',
  params: { atBar: number; stopLoss: string; takeProfit: string },
) {
  const clock = new SimulatedClock();
  const options = { clock, instruments: [xrp], balances: { ETH: '10' } };
  const exchange =
    venue === 'native' ? new SimulatedExchange(options) : new NoStopExchange(options);
  const strategy = new BracketOnce({ id: 'bracket', params });
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [xrp],
    strategies: [strategy],
    idGenerator: new SeededIdGenerator({ seed: 7 }),
  });
  await engine.run(bars.map((bar) => createBarEvent(bar)));
  return { engine, strategy, orders: engine.orderManager.orders() };
}

const AT = 10;
const entryBar = bars[AT]!;

describe('bracket orders on real XRP/ETH bars', () => {
  it('sells at the next open once an emulated stop-loss triggers, and cancels the take-profit', async () => {
    const stopLoss = tick(entryBar.close, '0.99');
    const stop = Number(stopLoss);
    // Entry: market order on bar AT fills at the open of AT + 1. The exits exist from then on;
    // the strategy sees bar AT + 1 after the fill, so the emulated stop watches it too.
    let trigger = AT + 1;
    while (trigger < bars.length && bars[trigger]!.low > stop) trigger++;
    expect(trigger + 1).toBeLessThan(bars.length);

    const { strategy, orders, engine } = await run('emulated', {
      atBar: AT,
      stopLoss,
      takeProfit: tick(entryBar.close, '100'),
    });
    const fills = orders.flatMap((order) => order.fills);
    expect(fills.map((fill) => [fill.side, fill.price.toString()])).toEqual([
      ['BUY', String(bars[AT + 1]!.open)],
      ['SELL', String(bars[trigger + 1]!.open)],
    ]);
    const takeProfit = orders.find((order) => order.tags.includes('takeProfit'));
    expect(takeProfit?.status).toBe('CANCELED');
    // The stop never reached the venue as a stop: its live order is a market order.
    const exit = orders.find((order) => order.tags.includes('triggered'));
    expect(exit?.type).toBe('MARKET');
    expect(orders.some((order) => order.type === 'STOP_MARKET')).toBe(false);
    expect(engine.portfolio.netQuantity(id).isZero()).toBe(true);
    expect(strategy.brackets()).toEqual([]);
    expect(strategy.open).toEqual([]);
  });

  it('takes profit through the limit and drops the emulated stop', async () => {
    const takeProfit = tick(entryBar.close, '1.005');
    const target = Number(takeProfit);
    // The take-profit rests at the venue from bar AT + 2 and fills when a bar trades through it,
    // at the limit or at a better open.
    let hit = AT + 2;
    while (hit < bars.length && !(bars[hit]!.high > target)) hit++;
    expect(hit).toBeLessThan(bars.length);
    const expected = bars[hit]!.open > target ? String(bars[hit]!.open) : takeProfit;

    const { strategy, orders } = await run('emulated', {
      atBar: AT,
      stopLoss: tick(entryBar.close, '0.01'),
      takeProfit,
    });
    const fills = orders.flatMap((order) => order.fills);
    expect(fills.map((fill) => [fill.side, fill.price.toString()])).toEqual([
      ['BUY', String(bars[AT + 1]!.open)],
      ['SELL', expected],
    ]);
    expect(fills[1]?.timeMs).toBe(bars[hit]!.closeTimeMs);
    expect(strategy.open).toEqual([]);
    expect(strategy.brackets()).toEqual([]);
  });

  it('holds the stop-loss in the strategy even where the venue has stops, so funds lock once', async () => {
    const { strategy, orders, engine } = await run('native', {
      atBar: AT,
      stopLoss: tick(entryBar.close, '0.99'),
      takeProfit: tick(entryBar.close, '100'),
    });
    expect(orders.some((order) => order.status === 'REJECTED')).toBe(false);
    expect(orders.find((order) => order.tags.includes('takeProfit'))?.status).toBe('CANCELED');
    expect(orders.find((order) => order.tags.includes('triggered'))?.status).toBe('FILLED');
    expect(engine.portfolio.netQuantity(id).isZero()).toBe(true);
    expect(strategy.brackets()).toEqual([]);
  });
});

const stopSchema = z.strictObject({ stop: z.string() });

// Buys 100 on bar AT, then protects it with a stop on the next bar.
class StopAfterEntry extends Strategy<z.output<typeof stopSchema>> {
  #bars = 0;
  constructor(options: StrategyOptions) {
    super(options, { schema: stopSchema });
  }
  protected override onBar(): void {
    const index = this.#bars++;
    if (index === AT) this.buy(id, '100');
    if (index === AT + 1) this.stopOrder(id, 'SELL', '100', this.params.stop);
  }
}

async function runStop(venue: 'native' | 'emulated', stop: string) {
  const clock = new SimulatedClock();
  const options = { clock, instruments: [xrp], balances: { ETH: '10' } };
  const exchange =
    venue === 'native' ? new SimulatedExchange(options) : new NoStopExchange(options);
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [xrp],
    strategies: [new StopAfterEntry({ id: 'stop', params: { stop } })],
  });
  await engine.run(bars.map((bar) => createBarEvent(bar)));
  return engine.orderManager.orders();
}

describe('stop orders on real XRP/ETH bars', () => {
  const stopPrice = tick(entryBar.close, '0.99');

  it('sends a stop to a venue that accepts STOP_MARKET', async () => {
    const orders = await runStop('native', stopPrice);
    const stop = orders.find((order) => order.type === 'STOP_MARKET');
    expect(stop?.triggerPrice?.toString()).toBe(stopPrice);
    expect(stop?.side).toBe('SELL');
  });

  it('emulates a stop where the venue lacks it: a market sell at the open after the trigger bar', async () => {
    const stop = Number(stopPrice);
    // Placed while bar AT + 1 is handled, so watched from bar AT + 2 on.
    let trigger = AT + 2;
    while (trigger < bars.length && bars[trigger]!.low > stop) trigger++;
    expect(trigger + 1).toBeLessThan(bars.length);
    const orders = await runStop('emulated', stopPrice);
    expect(orders.some((order) => order.type === 'STOP_MARKET')).toBe(false);
    const exit = orders.find((order) => order.tags.includes('triggered'));
    expect(exit?.type).toBe('MARKET');
    expect(exit?.createdTimeMs).toBe(bars[trigger]!.closeTimeMs);
    expect(exit?.fills.map((fill) => fill.price.toString())).toEqual([
      String(bars[trigger + 1]!.open),
    ]);
  });
});
