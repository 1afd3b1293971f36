import type { MarketDataEvent, OrderDeniedEvent } from '@qtp/core';
import {
  type Bar,
  type Clock,
  createBarEvent,
  Instrument,
  instrumentId,
  type OrderReport,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { Strategy, type StrategyContext, type StrategyOptions } from '@qtp/strategy';
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

function bar(index: number, open: number, close: number): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs: START + index * MINUTE,
    closeTimeMs: START + (index + 1) * MINUTE - 1,
    open,
    high: Math.max(open, close) + 1,
    low: Math.min(open, close) - 1,
    close,
    volume: 100,
  };
}

const bars = [100, 110, 120, 130, 140, 150].map((price, i) => bar(i, price, price + 5));
const events = (list: readonly Bar[]): MarketDataEvent[] =>
  list.map((item) => createBarEvent(item));

const schema = z.strictObject({ buyOnBar: z.int().default(0) });

// Buys 0.5 BTC on one bar and records what it sees of the world on every bar.
class Recorder extends Strategy<z.output<typeof schema>> {
  readonly seen: { closeTimeMs: number; nowMs: number; history: number; position: string }[] = [];
  readonly updates: OrderReport[] = [];
  captured: StrategyContext | undefined;
  #bars = 0;

  constructor(options: StrategyOptions) {
    super(options, { schema });
  }

  override start(context: StrategyContext): void {
    this.captured = context;
    super.start(context);
  }

  protected override onBar(current: Bar): void {
    this.seen.push({
      closeTimeMs: current.closeTimeMs,
      nowMs: this.clock.now(),
      history: this.bars(id).length,
      position: this.position(id).toString(),
    });
    if (this.#bars++ === this.params.buyOnBar) this.buy(id, '0.5');
  }

  protected override onOrderUpdate(report: OrderReport): void {
    this.updates.push(report);
  }
}

function setup(options: { strategy?: Strategy<object>; balances?: Record<string, string> } = {}) {
  const clock = new SimulatedClock();
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: options.balances ?? { USDT: '1000' },
  });
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [btc],
    idGenerator: new SeededIdGenerator({ seed: 1 }),
    logger: createLogger({ level: 'silent' }),
    strategies: options.strategy === undefined ? [] : [options.strategy],
  });
  return { clock, exchange, engine };
}

describe('TradingEngine', () => {
  it('fills an order placed on bar t at the open of bar t+1, never inside bar t', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 1 } });
    const { engine } = setup({ strategy });
    await engine.run(events(bars));
    const [order] = engine.orderManager.orders();
    expect(order?.createdTimeMs).toBe(bars[1]!.closeTimeMs);
    expect(order?.status).toBe('FILLED');
    const [fill] = order!.fills;
    expect(fill?.price.toString()).toBe(String(bars[2]!.open));
    expect(fill?.timeMs).toBe(bars[2]!.openTimeMs);
    expect(fill?.fee.amount.toString()).toBe('0.06'); // 120 * 0.5 * 0.001
    // The strategy sees the position from the bar on which the fill happened.
    expect(strategy.seen.map((entry) => entry.position)).toEqual([
      '0',
      '0',
      '0.5',
      '0.5',
      '0.5',
      '0.5',
    ]);
    expect(strategy.updates.map((report) => report.status)).toEqual([
      'SUBMITTED',
      'ACCEPTED',
      'FILLED',
    ]);
  });

  it('books fills into the portfolio and values equity at the last close', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 0 } });
    const { engine } = setup({ strategy });
    await engine.run(events(bars));
    // Bought 0.5 at 110 with a fee of 0.055; the last close is 155.
    expect(engine.exactEquity().toString()).toBe('1022.445');
    expect(engine.equity()).toBeCloseTo(1022.445, 9);
    const curve = engine.equityCurve();
    expect(curve.times).toEqual(bars.map((item) => item.closeTimeMs));
    expect(curve.values[0]).toBe(1000);
    expect(engine.portfolio.netQuantity(id).toString()).toBe('0.5');
  });

  it('returns the equity curve from an index on, and refuses an index that is not a count', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 0 } });
    const { engine } = setup({ strategy });
    await engine.run(events(bars));
    const all = engine.equityCurve();
    const tail = engine.equityCurve(2);
    expect(tail.times).toEqual(bars.slice(2).map((item) => item.closeTimeMs));
    expect(tail.values).toEqual(all.values.slice(2));
    expect(engine.equityCurve(bars.length)).toEqual({ times: [], values: [] });
    expect(engine.equityCurve(bars.length + 5)).toEqual({ times: [], values: [] });
    expect(() => engine.equityCurve(-1)).toThrow(/fromIndex/);
    expect(() => engine.equityCurve(1.5)).toThrow(/fromIndex/);
  });

  it('holds the marks of flat instruments until a fill, exactEquity or the end of the run with markFlatInstruments off', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 2 } });
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({
      clock,
      instruments: [btc],
      balances: { USDT: '1000' },
    });
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      idGenerator: new SeededIdGenerator({ seed: 1 }),
      strategies: [strategy],
      markFlatInstruments: false,
    });
    const marks: (number | undefined)[] = [];
    engine.bus.subscribe('market.bar', () => {
      marks.push(engine.portfolio.markOf(id));
    });
    await engine.start();
    for (const event of events(bars)) engine.process(event);
    // Flat on bars 0 to 2: no mark yet. The buy of bar 2 fills on bar 3, which first hands over
    // bar 2's close; from then on a position is open and each bar marks at once.
    expect(marks).toEqual([undefined, undefined, undefined, 135, 145, 155]);
    const reference = setup({ strategy: new Recorder({ id: 'rec', params: { buyOnBar: 2 } }) });
    await reference.engine.run(events(bars));
    expect(engine.equityCurve()).toEqual(reference.engine.equityCurve());
    expect(engine.exactEquity().toString()).toBe(reference.engine.exactEquity().toString());
  });

  it('hands the last mark of a flat instrument to the portfolio when the run ends', async () => {
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({
      clock,
      instruments: [btc],
      balances: { USDT: '1000' },
    });
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      markFlatInstruments: false,
    });
    await engine.start();
    engine.process(createBarEvent(bars[0]!));
    expect(engine.portfolio.markOf(id)).toBeUndefined();
    expect(() => engine.process(createBarEvent({ ...bars[1]!, close: 0 }))).toThrow(/price/);
    await engine.run(events(bars.slice(2)));
    expect(engine.portfolio.markOf(id)).toBe(155);
  });

  it('publishes every step on the bus in data-flow order', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 0 } });
    const { engine } = setup({ strategy });
    const topics: string[] = [];
    engine.bus.subscribe('*', (_event, topic) => {
      topics.push(topic);
    });
    await engine.run(events(bars.slice(0, 2)));
    expect(topics).toEqual([
      'portfolio.transfer',
      'strategy.started',
      'engine.started',
      'market.bar',
      'engine.orderRequest',
      'order.submitted',
      'order.accepted',
      'portfolio.fillBooked',
      'order.fill',
      'order.filled',
      'market.bar',
    ]);
  });

  it('tells the strategy when the pre-trade gate refuses its order', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: 0 } });
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({
      clock,
      instruments: [btc],
      balances: { USDT: '1000' },
    });
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      strategies: [strategy],
      preTradeGate: { check: () => ({ approved: false, reason: 'trading halted' }) },
    });
    await engine.run(events(bars.slice(0, 3)));
    expect(strategy.updates.map((report) => [report.status, report.rejectReason])).toEqual([
      ['REJECTED', 'trading halted'],
    ]);
    expect(engine.portfolio.netQuantity(id).isZero()).toBe(true);
  });
});

// Asks for one order per bar; the first is too small for the lot size, the rest go to the gate.
class Asker extends Strategy<z.output<typeof schema>> {
  readonly denials: OrderDeniedEvent[] = [];
  barsSeen = 0;

  constructor(options: StrategyOptions) {
    super(options, { schema });
  }

  protected override onBar(): void {
    this.barsSeen++;
    this.buy(id, this.barsSeen === 1 ? '0.0004' : '0.5');
  }

  protected override onOrderDenied(event: OrderDeniedEvent): void {
    this.denials.push(event);
  }
}

describe('TradingEngine refusals', () => {
  it('tells the strategy why each order was refused and keeps it running', async () => {
    const strategy = new Asker({ id: 'asker', params: {} });
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({
      clock,
      instruments: [btc],
      balances: { USDT: '1000' },
    });
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      strategies: [strategy],
      logger: createLogger({ level: 'silent' }),
      preTradeGate: {
        check: (request) => ({
          approved: false,
          reason: {
            code: 'MAX_NOTIONAL',
            message: 'maxNotional: must not exceed 10 USDT',
            field: 'maxNotional',
            configured: '10',
            attempted: String(Number(request.quantity) * 100),
          },
        }),
      },
    });
    const denied: OrderDeniedEvent[] = [];
    engine.bus.subscribe('order.denied', (event) => denied.push(event));
    await engine.run(events(bars.slice(0, 3)));

    expect(strategy.barsSeen).toBe(3);
    expect(strategy.denials.map((event) => [event.denial.source, event.denial.code])).toEqual([
      ['rules', 'INVALID_ORDER'],
      ['gate', 'MAX_NOTIONAL'],
      ['gate', 'MAX_NOTIONAL'],
    ]);
    expect(strategy.denials[0]?.denial.message).toContain('quantity');
    expect(strategy.denials[1]?.denial).toMatchObject({ configured: '10', attempted: '50' });
    // The bus carries the same events, and nothing was sent or booked.
    expect(denied.map((event) => event.clientOrderId)).toEqual(
      strategy.denials.map((event) => event.clientOrderId),
    );
    expect(await exchange.fetchOpenOrders()).toEqual([]);
    expect(engine.portfolio.netQuantity(id).isZero()).toBe(true);
  });
});

describe('TradingEngine look-ahead guard', () => {
  it('pulls one event at a time and delivers it only once the clock has reached its stamp', async () => {
    const strategy = new Recorder({ id: 'rec', params: { buyOnBar: -1 } });
    const { engine } = setup({ strategy });
    let pulled = 0;
    const pulledWhenSeen: number[] = [];
    function* source(): Generator<MarketDataEvent> {
      for (const item of bars) {
        pulled++;
        yield createBarEvent(item);
        pulledWhenSeen.push(pulled);
      }
    }
    await engine.run(source());
    expect(pulledWhenSeen).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [index, entry] of strategy.seen.entries()) {
      expect(entry.nowMs).toBe(entry.closeTimeMs);
      // Its history holds the bars delivered so far and nothing later.
      expect(entry.history).toBe(index + 1);
    }
  });

  it('stops a strategy that tries to move the clock to read the future', async () => {
    class Peeker extends Recorder {
      protected override onBar(current: Bar): void {
        super.onBar(current);
        const clock = this.captured!.clock as Clock & { advanceTo?: (timeMs: number) => void };
        clock.advanceTo!(current.closeTimeMs + 10 * MINUTE);
      }
    }
    const strategy = new Peeker({ id: 'peek' });
    const { engine, clock } = setup({ strategy });
    await engine.run(events(bars));
    expect(strategy.state).toBe('failed');
    expect(strategy.seen).toHaveLength(1);
    expect(clock.now()).toBe(bars.at(-1)!.closeTimeMs);
  });

  it('refuses market data older than the clock', async () => {
    const { engine } = setup();
    await engine.start();
    engine.process(createBarEvent(bars[2]!));
    expect(() => engine.process(createBarEvent(bars[1]!))).toThrow(
      /timeMs: must not be before the clock time/,
    );
  });
});
