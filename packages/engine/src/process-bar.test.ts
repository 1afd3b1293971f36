import {
  type Bar,
  type BarEvent,
  createBarEvent,
  Instrument,
  instrumentId,
  type OrderType,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { LookAheadError, SMA, Strategy, type StrategyOptions } from '@qtp/strategy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const id = instrumentId('BTCUSDT', 'BINANCE');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  takerFee: '0.001',
});
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

// A venue that takes market and limit orders only, so a strategy's stops are its own to watch.
class StoplessExchange extends SimulatedExchange {
  override readonly orderTypes: readonly OrderType[] = ['MARKET', 'LIMIT'];
}

const schema = z.strictObject({ stops: z.boolean() });

// A crossover of two averages that buys 1 BTC on a cross up, sells on a cross down, and
// protects a long with a stop 20 USDT under the close, held by the strategy when the venue has
// none.
class Crossing extends Strategy<z.output<typeof schema>> {
  readonly #fast = this.indicator(new SMA(3), (bar) => bar.close);
  readonly #slow = this.indicator(new SMA(7), (bar) => [bar.close]);
  readonly seen: string[] = [];
  #previous = 0;

  constructor(options: StrategyOptions) {
    super(options, { schema });
  }

  protected override onBar(bar: Bar): void {
    const difference = this.#fast.value! - this.#slow.value!;
    this.seen.push(`${bar.openTimeMs}:${difference}:${this.position(id)}`);
    const held = this.position(id);
    if (this.#previous <= 0 && difference > 0 && held.isZero()) {
      this.buy(id, '1');
      if (this.params.stops) {
        this.stopOrder(id, 'SELL', '1', (bar.close - 20).toFixed(2));
      }
    } else if (this.#previous >= 0 && difference < 0 && held.gt(0)) {
      for (const order of this.openOrders(id)) this.cancelOrder(order.clientOrderId);
      this.sell(id, '1');
    }
    this.#previous = difference;
  }
}

// Bars on a cent grid; now and then one repeats the last open time, revising that bar.
const walks = fc.array(
  fc.record({ move: fc.integer({ min: -1500, max: 1500 }), revise: fc.nat(9) }),
  { minLength: 1, maxLength: 120 },
);

function barsOf(walk: readonly { move: number; revise: number }[]): Bar[] {
  const bars: Bar[] = [];
  let cents = 3_000_000;
  let index = 0;
  for (const { move, revise } of walk) {
    const open = cents;
    cents = Math.max(100, cents + move);
    if (revise !== 0 || bars.length === 0) index++;
    const openTimeMs = START + index * MINUTE;
    bars.push({
      instrumentId: id,
      interval: '1m',
      openTimeMs,
      closeTimeMs: openTimeMs + MINUTE - 1,
      open: open / 100,
      high: (Math.max(open, cents) + 50) / 100,
      low: (Math.min(open, cents) - 50) / 100,
      close: cents / 100,
      volume: 10,
    });
  }
  return bars;
}

async function run(
  bars: readonly Bar[],
  entry: 'event' | 'bar',
  options: { stops: boolean; emulated: boolean; listen: boolean },
) {
  const clock = new SimulatedClock();
  const Venue = options.emulated ? StoplessExchange : SimulatedExchange;
  const exchange = new Venue({ clock, instruments: [btc], balances: { USDT: '1000000' } });
  const strategy = new Crossing({ id: 'cross', params: { stops: options.stops } });
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [btc],
    strategies: [strategy],
    idGenerator: new SeededIdGenerator({ seed: 7 }),
  });
  const heard: BarEvent[] = [];
  if (options.listen) engine.bus.subscribe('market.bar', (event) => heard.push(event));
  await engine.start();
  for (const bar of bars) {
    if (entry === 'bar') engine.processBar(bar);
    else engine.process(createBarEvent(bar));
  }
  await engine.orderManager.flush();
  await engine.stop();
  return {
    curve: engine.equityCurve(),
    equity: engine.exactEquity().toString(),
    orders: engine.orderManager.orders().map((order) => order.toSnapshot()),
    seen: strategy.seen,
    state: strategy.state,
    heard,
  };
}

describe('TradingEngine.processBar', () => {
  it('ends where process(createBarEvent(bar)) ends: curve, orders, fills, strategy, bus', async () => {
    await fc.assert(
      fc.asyncProperty(
        walks,
        fc.record({ stops: fc.boolean(), emulated: fc.boolean(), listen: fc.boolean() }),
        async (walk, options) => {
          const bars = barsOf(walk);
          const byEvent = await run(bars, 'event', options);
          const byBar = await run(bars, 'bar', options);
          expect(byBar).toStrictEqual(byEvent);
          // Stopped by the engine, not failed: no hook threw on either path.
          expect(byBar.state).toBe('stopped');
          expect(byBar.heard).toHaveLength(options.listen ? bars.length : 0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('trades on a walk that crosses, with stops the strategy holds itself', async () => {
    // A slow fall, a rally the averages cross up on, then a crash through the stop, and again.
    const leg = [
      ...Array.from({ length: 10 }, () => -100),
      ...Array.from({ length: 3 }, () => 1500),
      ...Array.from({ length: 3 }, () => -5000),
    ];
    const moves = [...leg, ...leg];
    const bars = barsOf(moves.map((move) => ({ move, revise: 1 })));
    const options = { stops: true, emulated: true, listen: false };
    const byBar = await run(bars, 'bar', options);
    expect(byBar.orders.filter((order) => order.fills.length > 0).length).toBeGreaterThan(1);
    // The emulated stop fired: its market order carries the `triggered` tag.
    expect(byBar.orders.some((order) => order.tags.includes('triggered'))).toBe(true);
    expect(byBar).toStrictEqual(await run(bars, 'event', options));
  });

  it('refuses a bar older than the clock, as process does', async () => {
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({ clock, instruments: [btc], balances: {} });
    const engine = new TradingEngine({ clock, exchanges: [exchange], instruments: [btc] });
    await engine.start();
    const [first, second] = barsOf([
      { move: 1, revise: 1 },
      { move: 1, revise: 1 },
    ]);
    engine.processBar(second!);
    expect(() => engine.processBar(first!)).toThrow(
      `timeMs: must not be before the clock time ${second!.closeTimeMs}`,
    );
  });

  it('refuses a bar closing after a clock it does not drive with a LookAheadError', async () => {
    const clock = new SimulatedClock({ startMs: START });
    const exchange = new SimulatedExchange({ clock, instruments: [btc], balances: {} });
    const engine = new TradingEngine({
      clock,
      // A driver that never moves the clock: the bar closes in the clock's future.
      clockDriver: { advanceTo: () => undefined },
      exchanges: [exchange],
      instruments: [btc],
      strategies: [new Crossing({ id: 'cross', params: { stops: false } })],
    });
    await engine.start();
    const [bar] = barsOf([{ move: 1, revise: 1 }]);
    expect(() => engine.processBar(bar!)).toThrow(LookAheadError);
  });
});
