import { EventBus, instrumentId, SeededIdGenerator, SimulatedClock } from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { SimulatedExchange } from '@qtp/exchange';
import { OrderManager } from '@qtp/oms';
import { STOP_TAG, type StopHitEvent, StopLossManager } from '@qtp/risk';
import { ATR } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { XRP, xrpBars } from '../../test/support.js';

// Real XRP/ETH 5-minute bars; each expectation below is worked from the rows quoted beside it.
const bars = xrpBars();

function longFrom(index: number, rules: Parameters<StopLossManager['protect']>[0]['rules']) {
  const stops = new StopLossManager();
  const bar = bars[index]!;
  const id = stops.protect({
    instrumentId: XRP.id,
    side: 'LONG',
    quantity: '1000',
    entryPrice: bar.close,
    entryTimeMs: bar.closeTimeMs,
    rules,
  });
  return { stops, id };
}

function run(stops: StopLossManager, from: number, to: number): [number, StopHitEvent] | undefined {
  for (let i = from; i <= to; i++) {
    const [hit] = stops.onBar(bars[i]!);
    if (hit !== undefined) return [i, hit];
  }
  return undefined;
}

describe('StopLossManager on real bars', () => {
  it('fills a gap through a fixed stop at the open, not at the stop', () => {
    // Bar 19 closes at 0.00141727; bar 20 opens at 0.00141505, below a stop at 0.001416.
    const { stops } = longFrom(19, [{ kind: 'fixed', price: 0.001416 }]);
    const [index, hit] = run(stops, 20, 20)!;
    expect(index).toBe(20);
    expect(hit).toMatchObject({ rule: 'fixed', level: 0.001416, exitPrice: 0.00141505 });
  });

  it('places a percent stop from the entry and gaps through it too', () => {
    // Entry 0.00140164 (bar 57's close); 0.2 % below is 0.00139883672; bar 58 opens at 0.00139706.
    const { stops, id } = longFrom(57, [{ kind: 'fixed', percent: 0.002 }]);
    expect(stops.position(id)!.stop).toBeCloseTo(0.00139883672, 14);
    const [, hit] = run(stops, 58, 58)!;
    expect(hit.exitPrice).toBe(0.00139706);
  });

  it('trails the best high and exits at the stop inside the bar', () => {
    // Entry 0.00141192 (bar 0). Highs: bar 1 0.00141469, bar 3 0.00141794; 0.25 % trail from
    // 0.00141794 is 0.00141439515. Bar 4's low 0.00141478 stays above; bar 5 opens at 0.00141458
    // and trades down to 0.00141312, through the stop.
    const { stops, id } = longFrom(0, [{ kind: 'trailing', percent: 0.0025 }]);
    run(stops, 1, 1);
    expect(stops.position(id)!.stop).toBeCloseTo(0.00141469 * 0.9975, 14);
    expect(run(stops, 2, 4)).toBeUndefined();
    expect(stops.position(id)!.stop).toBeCloseTo(0.00141439515, 14);
    const [index, hit] = run(stops, 5, 20)!;
    expect(index).toBe(5);
    expect(hit.rule).toBe('trailing');
    expect(hit.exitPrice).toBeCloseTo(0.00141439515, 14);
  });

  it('sets a chandelier stop at 2 × ATR(2) below the best high, moving only up', () => {
    // TR of bar 2: 0.00141428 - 0.00141161 = 267e-8; of bar 3: 0.00141794 - 0.00141428 = 366e-8;
    // ATR = 316.5e-8 after bar 3, stop 0.00141794 - 633e-8 = 0.00141161. Bar 4: TR 255e-8,
    // ATR 285.75e-8, stop 0.001412225. Bar 5: TR 300e-8, ATR 292.875e-8, 0.0014120825 is lower:
    // the stop stays.
    const { stops, id } = longFrom(0, [
      { kind: 'atr', multiple: 2, indicator: new ATR(2), from: 'extreme' },
    ]);
    run(stops, 1, 2);
    expect(Number.isNaN(stops.position(id)!.stop)).toBe(true);
    run(stops, 3, 3);
    expect(stops.position(id)!.stop).toBeCloseTo(0.00141161, 14);
    run(stops, 4, 4);
    expect(stops.position(id)!.stop).toBeCloseTo(0.001412225, 14);
    run(stops, 5, 5);
    expect(stops.position(id)!.stop).toBeCloseTo(0.001412225, 14);
  });

  it('sets a volatility stop at k × the sample deviation of the last closes from the entry', () => {
    // Closes of bars 1-3: 0.00141161, 0.00141428, 0.00141478; sample sd 1.7042985e-6.
    const { stops, id } = longFrom(0, [
      { kind: 'volatility', multiple: 1, period: 3, from: 'entry' },
    ]);
    run(stops, 1, 3);
    expect(stops.position(id)!.stop).toBeCloseTo(0.00141192 - 1.7042985e-6, 12);
  });

  it('takes profit at the level when a bar trades through it', () => {
    // 0.4 % above 0.00141192 is 0.00141756768; bar 3 opens at 0.00141458 and reaches 0.00141794.
    const { stops } = longFrom(0, [{ kind: 'takeProfit', percent: 0.004 }]);
    const [index, hit] = run(stops, 1, 20)!;
    expect(index).toBe(3);
    expect(hit.rule).toBe('takeProfit');
    expect(hit.exitPrice).toBeCloseTo(0.00141756768, 14);
  });

  it('exits on time at the close of the first bar past the holding period', () => {
    const { stops } = longFrom(0, [{ kind: 'time', afterMs: 15 * 60_000 }]);
    const [index, hit] = run(stops, 1, 20)!;
    expect(index).toBe(3);
    expect(hit).toMatchObject({ rule: 'time', exitPrice: 0.00141478 });
  });
});

describe('StopLossManager on ticks and quotes', () => {
  const btc = instrumentId('BTCUSDT', 'BINANCE');
  const trade = (price: number, timeMs: number) => ({
    instrumentId: btc,
    price,
    size: 1,
    aggressorSide: 'BUY' as const,
    tradeId: `t${timeMs}`,
    timeMs,
  });

  it('evaluates trades as bars of one price: a trailing stop exits at the tick that passes it', () => {
    const stops = new StopLossManager();
    stops.protect({
      instrumentId: btc,
      side: 'LONG',
      quantity: '1',
      entryPrice: 100,
      entryTimeMs: 0,
      rules: [{ kind: 'trailing', distance: 1 }],
    });
    expect(stops.onTrade(trade(101, 1))).toEqual([]);
    expect(stops.onTrade(trade(103, 2))).toEqual([]); // stop 102
    expect(stops.onTrade(trade(102.5, 3))).toEqual([]);
    expect(stops.onTrade(trade(101.9, 4))).toMatchObject([
      { rule: 'trailing', level: 102, exitPrice: 101.9 },
    ]);
  });

  it('ratchets a short trailing stop only downwards and exits a short on the ask', () => {
    const stops = new StopLossManager();
    const id = stops.protect({
      instrumentId: btc,
      side: 'SHORT',
      quantity: '1',
      entryPrice: 100,
      entryTimeMs: 0,
      rules: [{ kind: 'trailing', percent: 0.02 }],
    });
    const quote = (bid: number, ask: number, timeMs: number) => ({
      instrumentId: btc,
      bidPrice: bid,
      bidSize: 1,
      askPrice: ask,
      askSize: 1,
      timeMs,
    });
    stops.onQuote(quote(95, 95.1, 1)); // best ask 95.1: stop 97.002
    expect(stops.position(id)!.stop).toBeCloseTo(97.002, 10);
    stops.onQuote(quote(96, 96.1, 2)); // a worse price does not move it
    expect(stops.position(id)!.stop).toBeCloseTo(97.002, 10);
    // The bid passes 97.002 but a short buys at the ask: 96.9 does not.
    expect(stops.onQuote(quote(97.1, 96.9, 3))).toEqual([]);
    expect(stops.onQuote(quote(97.1, 97.2, 4))).toMatchObject([{ exitPrice: 97.2 }]);
  });

  it('refuses a rule with a bad number, naming it', () => {
    const stops = new StopLossManager();
    expect(() =>
      stops.protect({
        instrumentId: btc,
        side: 'LONG',
        quantity: '1',
        entryPrice: 100,
        entryTimeMs: 0,
        rules: [
          { kind: 'trailing', percent: 0.01 },
          { kind: 'fixed', percent: 1.5 },
        ],
      }),
    ).toThrow(/rules\[1\]\.percent/);
  });
});

describe('StopLossManager through the order manager', () => {
  it('sends a market order closing the position, tagged risk:stop, and publishes the hit', async () => {
    const clock = new SimulatedClock({ startMs: bars[0]!.openTimeMs });
    const exchange = new SimulatedExchange({
      clock,
      instruments: [XRP],
      balances: { XRP: '1000' },
    });
    const bus = new EventBus<{ 'risk.stop': StopHitEvent }>({ clock });
    const hits: StopHitEvent[] = [];
    bus.subscribe('risk.stop', (event) => {
      hits.push(event);
    });
    const oms = new OrderManager({
      gateway: exchange,
      instruments: [XRP],
      clock,
      idGenerator: new SeededIdGenerator({ seed: 2 }),
      logger: createLogger({ level: 'silent' }),
    });
    const stops = new StopLossManager({ orders: oms, publisher: bus });
    stops.protect({
      instrumentId: XRP.id,
      side: 'LONG',
      quantity: '1000',
      entryPrice: bars[19]!.close,
      entryTimeMs: bars[19]!.closeTimeMs,
      rules: [{ kind: 'fixed', price: 0.001416 }],
      tags: ['strategy:s'],
    });
    clock.advanceTo(bars[20]!.closeTimeMs);
    exchange.onBar(bars[20]!);
    stops.onBar(bars[20]!);
    expect(hits).toHaveLength(1);
    const order = oms.getOrder(hits[0]!.clientOrderId!)!;
    expect(order).toMatchObject({ side: 'SELL', type: 'MARKET' });
    expect(order.quantity.toString()).toBe('1000');
    expect(order.tags).toEqual(['strategy:s', STOP_TAG]);
    // The venue fills the market order on the next bar, at its open.
    clock.advanceTo(bars[21]!.closeTimeMs);
    exchange.onBar(bars[21]!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order.status).toBe('FILLED');
    expect(order.averageFillPrice?.toNumber()).toBe(bars[21]!.open);
  });
});
