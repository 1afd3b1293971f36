import {
  type Bar,
  createBarEvent,
  createFill,
  createMoney,
  Decimal,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderReport,
  type OrderStatus,
} from '@qtp/core';
import {
  ATR,
  LookAheadError,
  SMA,
  Strategy,
  type StrategyOptions,
  type TimerEvent,
  toOrderPrice,
  toOrderQuantity,
} from '@qtp/strategy';
import { createBarSeries, createTestContext, runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});
const eth = new Instrument({
  id: instrumentId('ETHUSDT', 'BINANCE'),
  baseAsset: 'ETH',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.0001',
});

function series(closes: readonly number[], id = btc.id, startMs = 0): Bar[] {
  return createBarSeries(
    id,
    '1m',
    closes.map((close, i) => ({
      openTimeMs: startMs + i * 60_000,
      open: close,
      high: close + 0.5,
      low: close - 0.5,
      close,
      volume: 1,
    })),
  );
}

const schema = z.strictObject({ period: z.int().min(1).default(3) });

// Records what each hook saw, so the tests can check what a strategy can and cannot observe.
class Probe extends Strategy<z.output<typeof schema>> {
  readonly average = this.indicator(new SMA(this.params.period), (bar) => [bar.close], {
    instrumentId: btc.id,
  });
  readonly seen: { close: number; average: number | undefined; history: Bar[]; now: number }[] = [];
  readonly timers: TimerEvent[] = [];
  readonly fills: Fill[] = [];
  readonly updates: OrderReport[] = [];
  onBarAction: ((bar: Bar) => void) | undefined;

  constructor(options: StrategyOptions, warmUpBars = 0) {
    super(options, { schema, historySize: 4, warmUpBars });
  }

  protected override onBar(bar: Bar): void {
    this.seen.push({
      close: bar.close,
      average: this.average.value,
      history: this.bars(btc.id),
      now: this.clock.now(),
    });
    this.onBarAction?.(bar);
  }

  protected override onTimer(timer: TimerEvent): void {
    this.timers.push(timer);
  }

  protected override onFill(fill: Fill): void {
    this.fills.push(fill);
  }

  protected override onOrderUpdate(report: OrderReport): void {
    this.updates.push(report);
  }

  // Exposes the protected helpers to the tests.
  act = {
    buy: (...args: Parameters<Strategy['buy']>) => this.buy(...args),
    sell: (...args: Parameters<Strategy['sell']>) => this.sell(...args),
    target: (...args: Parameters<Strategy['targetPosition']>) => this.targetPosition(...args),
    cancel: (id: string) => this.cancelOrder(id),
    timer: (name: string, delayMs: number) => this.setTimer(name, delayMs),
    interval: (name: string, intervalMs: number) => this.setInterval(name, intervalMs),
    quantity: (value: number) => this.quantity(btc.id, value),
  };
}

function report(clientOrderId: string, status: OrderStatus, filled: string, timeMs: number) {
  return {
    type: 'orderUpdate' as const,
    report: {
      instrumentId: btc.id,
      clientOrderId,
      venueOrderId: 'v1',
      status,
      filledQuantity: new Decimal(filled),
      timeMs,
    },
  };
}

function fill(clientOrderId: string, tradeId: string, quantity: string, timeMs: number) {
  return {
    type: 'fill' as const,
    fill: createFill({
      tradeId,
      clientOrderId,
      venueOrderId: 'v1',
      instrumentId: btc.id,
      side: 'BUY',
      price: '100',
      quantity,
      fee: createMoney('0', 'USDT'),
      liquiditySide: 'TAKER',
      timeMs,
    }),
  };
}

describe('Strategy parameters', () => {
  it('applies the schema defaults and freezes the parameters', () => {
    const probe = new Probe({ id: 'p' });
    expect(probe.params).toEqual({ period: 3 });
    expect(Object.isFrozen(probe.params)).toBe(true);
  });

  it('rejects a bad parameter with a ValidationError naming its path and rule', () => {
    try {
      new Probe({ id: 'p', params: { period: 0 } });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect((error as Error).message).toBe('params.period: must be at least 1, was 0');
    }
  });

  it('rejects parameters that are not an object, and a malformed id', () => {
    expect(() => new Probe({ id: 'p', params: 'fast' })).toThrow(/^params: must be an object/);
    expect(() => new Probe({ id: 'has space' })).toThrow(/^id: must be 1 to 64 characters/);
  });
});

describe('Strategy indicators and warm-up', () => {
  it('updates indicators before onBar and calls onBar only once warm', () => {
    const probe = new Probe({ id: 'p' });
    runStrategy(probe, series([1, 2, 3, 4, 5]), { instruments: [btc] });
    expect(probe.seen.map((s) => [s.close, s.average])).toEqual([
      [3, 2],
      [4, 3],
      [5, 4],
    ]);
  });

  it('waits for warmUpBars as well as the indicators', () => {
    const probe = new Probe({ id: 'p' }, 4);
    runStrategy(probe, series([1, 2, 3, 4, 5]), { instruments: [btc] });
    expect(probe.seen.map((s) => s.close)).toEqual([4, 5]);
    expect(probe.isWarm).toBe(true);
  });

  it('feeds an instrument-bound indicator only that instrument', () => {
    const probe = new Probe({ id: 'p' });
    const bars = [...series([1, 2, 3]), ...series([50, 60], eth.id, 180_000)];
    runStrategy(probe, bars, { instruments: [btc, eth] });
    expect(probe.average.value).toBe(2);
    expect(probe.seen.map((s) => s.close)).toEqual([3, 50, 60]);
  });

  it('revises the indicators and the history when a bar with the same open time comes again', () => {
    const probe = new Probe({ id: 'p' });
    const [a, b, c] = series([1, 2, 3]);
    const revised = { ...c!, close: 6 };
    runStrategy(probe, [a!, b!, c!, revised], { instruments: [btc] });
    expect(probe.average.value).toBe(3);
    expect(probe.bars(btc.id).map((bar) => bar.close)).toEqual([1, 2, 6]);
  });

  it('feeds a one-input indicator from a number selector as from a one-element tuple', () => {
    class Both extends Strategy {
      readonly tuple = this.indicator(new SMA(3), (bar) => [bar.close]);
      readonly number = this.indicator(new SMA(3), (bar) => bar.close);
      readonly pairs: [number, number][] = [];
      constructor() {
        super({ id: 'both' }, { schema: z.object({}) });
      }
      protected override onBar(): void {
        this.pairs.push([this.tuple.value!, this.number.value!]);
      }
    }
    const both = new Both();
    const [a, b, c, d] = series([1, 2, 3, 10]);
    // A revised last bar goes through `replace`, for the number selector as for the tuple.
    runStrategy(both, [a!, b!, c!, d!, { ...d!, close: 4 }], { instruments: [btc] });
    // Averages of three closes worked by hand: (1+2+3)/3, (2+3+10)/3, then (2+3+4)/3.
    expect(both.pairs).toEqual([
      [2, 2],
      [5, 5],
      [3, 3],
    ]);
  });

  it('feeds each named bar field as the selector of that field does, revisions included', () => {
    const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
    class Named extends Strategy {
      readonly named = fields.map((field) => this.indicator(new SMA(2), field));
      readonly selected = fields.map((field) => this.indicator(new SMA(2), (bar) => bar[field]));
      readonly seen: [number[], number[]][] = [];
      constructor() {
        super({ id: 'named' }, { schema: z.object({}) });
      }
      protected override onBar(): void {
        this.seen.push([
          this.named.map((sma) => sma.value!),
          this.selected.map((sma) => sma.value!),
        ]);
      }
    }
    const named = new Named();
    const bars = createBarSeries(btc.id, '1m', [
      { openTimeMs: 0, open: 1, high: 4, low: 0.5, close: 2, volume: 10 },
      { openTimeMs: 60_000, open: 2, high: 6, low: 1.5, close: 5, volume: 30 },
      { openTimeMs: 120_000, open: 5, high: 9, low: 4.5, close: 8, volume: 50 },
    ]);
    const revised = { ...bars[2]!, high: 7, close: 6, volume: 20 };
    runStrategy(named, [...bars, revised], { instruments: [btc] });
    // Averages of two bars worked by hand, per field: open, high, low, close, volume.
    const expected = [
      [1.5, 5, 1, 3.5, 20],
      [3.5, 7.5, 3, 6.5, 40],
      [3.5, 6.5, 3, 5.5, 25],
    ];
    expect(named.seen).toEqual(expected.map((values) => [values, values]));
  });

  it('refuses a named input that is not a bar field', () => {
    class Unknown extends Strategy {
      // @ts-expect-error only the numeric fields of a bar can be named
      readonly sma = this.indicator(new SMA(2), 'closeTimeMs');
      constructor() {
        super({ id: 'unknown' }, { schema: z.object({}) });
      }
    }
    expect(() => new Unknown()).toThrow(
      'inputs: must be a function of the bar or one of open, high, low, close, volume',
    );
  });

  it('accepts a named bar field only for an indicator of one input', () => {
    class Wrong extends Strategy {
      // @ts-expect-error an ATR takes high, low and close
      readonly atr = this.indicator(new ATR(3), 'close');
      constructor() {
        super({ id: 'wrong' }, { schema: z.object({}) });
      }
    }
    expect(Wrong).toBeTypeOf('function');
  });

  it('accepts a number selector only for an indicator of one input', () => {
    class Wrong extends Strategy {
      // @ts-expect-error an ATR takes high, low and close
      readonly atr = this.indicator(new ATR(3), (bar) => bar.close);
      constructor() {
        super({ id: 'wrong' }, { schema: z.object({}) });
      }
    }
    expect(Wrong).toBeTypeOf('function');
  });

  it('refuses to register an indicator after the first bar', () => {
    class Late extends Strategy {
      constructor() {
        super({ id: 'late' }, { schema: z.object({}) });
      }
      protected override onBar(): void {
        this.indicator(new SMA(2), (bar) => [bar.close]);
      }
    }
    expect(() => runStrategy(new Late(), series([1]), { instruments: [btc] })).toThrow(
      'indicator: must be registered before the first bar',
    );
  });
});

describe('Strategy without look-ahead', () => {
  it('lets a hook read only the bars delivered so far, within the history size', () => {
    const probe = new Probe({ id: 'p' });
    const bars = series([1, 2, 3, 4, 5, 6]);
    runStrategy(probe, bars, { instruments: [btc] });
    for (const seen of probe.seen) {
      const last = seen.history.at(-1)!;
      expect(last.close).toBe(seen.close);
      expect(seen.history.every((bar) => bar.closeTimeMs <= seen.now)).toBe(true);
    }
    expect(probe.seen.at(-1)!.history.map((bar) => bar.close)).toEqual([3, 4, 5, 6]);
  });

  it('refuses a bar that closes after the clock time with a LookAheadError', () => {
    const [first, future] = series([1, 2]);
    const test = createTestContext({ instruments: [btc], startMs: first!.closeTimeMs });
    const probe = new Probe({ id: 'p', params: { period: 1 } });
    probe.start(test.context);
    probe.handle(createBarEvent(first!));
    let caught: unknown;
    try {
      probe.handle(createBarEvent(future!));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LookAheadError);
    expect(isQtpError(caught, 'VALIDATION')).toBe(true);
    expect((caught as LookAheadError).message).toBe(
      `eventTimeMs: must not be after the clock time ${first!.closeTimeMs}, was ${future!.closeTimeMs}`,
    );
    expect(probe.bars(btc.id).map((bar) => bar.close)).toEqual([1]);
    expect(probe.seen.map((s) => s.close)).toEqual([1]);
    expect(probe.state).toBe('running');
  });

  it('refuses a fill stamped in the future', () => {
    const test = createTestContext({ instruments: [btc], startMs: 1_000 });
    const probe = new Probe({ id: 'p' });
    probe.start(test.context);
    expect(() => probe.handle(fill('x', 't1', '1', 1_001))).toThrow(LookAheadError);
  });

  it('refuses a bar older than the last one of its instrument', () => {
    const [a, b] = series([1, 2]);
    const test = createTestContext({ instruments: [btc], startMs: b!.closeTimeMs });
    const probe = new Probe({ id: 'p' });
    probe.start(test.context);
    probe.handle(createBarEvent(b!));
    expect(() => probe.handle(createBarEvent(a!))).toThrow(/^bar\.openTimeMs: must not be/);
  });
});

describe('Strategy orders', () => {
  function started(startMs = 0) {
    const test = createTestContext({ instruments: [btc], startMs });
    const probe = new Probe({ id: 'probe' });
    probe.start(test.context);
    return { test, probe };
  }

  it('sends market and limit orders tagged with the strategy id', () => {
    const { test, probe } = started();
    const market = probe.act.buy(btc.id, '0.5');
    const limit = probe.act.sell(btc.id, new Decimal('0.25'), { price: '27000.5' });
    expect([market, limit]).toEqual(['order-1', 'order-2']);
    const [first, second] = test.orders.map((order) => order.request);
    expect(first).toMatchObject({ side: 'BUY', type: 'MARKET', timeInForce: 'IOC' });
    expect(first!.quantity.toString()).toBe('0.5');
    expect(second).toMatchObject({ side: 'SELL', type: 'LIMIT', timeInForce: 'GTC' });
    expect(second!.price!.toString()).toBe('27000.5');
    expect(second!.tags).toEqual(['strategy:probe']);
    expect(probe.openOrders().map((order) => order.clientOrderId)).toEqual(['order-1', 'order-2']);
  });

  it('orders the difference to a target position, counting unfilled open orders', () => {
    const { test, probe } = started();
    test.positions.applyFill(fill('elsewhere', 't0', '0.2', 0).fill);
    expect(probe.act.target(btc.id, '1')).toBe('order-1');
    expect(test.orders[0]!.request.quantity.toString()).toBe('0.8');
    // The 0.8 still works, so asking again orders nothing.
    expect(probe.act.target(btc.id, '1')).toBeUndefined();
    expect(probe.act.target(btc.id, '-0.5')).toBe('order-2');
    expect(test.orders[1]!.request).toMatchObject({ side: 'SELL' });
    expect(test.orders[1]!.request.quantity.toString()).toBe('1.5');
  });

  it('rounds a target difference down to the step and skips one below the minimum', () => {
    const { test, probe } = started();
    probe.act.target(btc.id, '0.12345');
    expect(test.orders[0]!.request.quantity.toString()).toBe('0.123');
    expect(probe.act.target(btc.id, '0.1234')).toBeUndefined();
  });

  it('tracks fills once per trade id and closes the order on a terminal update', () => {
    const { probe } = started(10);
    const id = probe.act.buy(btc.id, '1');
    probe.handle(fill(id, 't1', '0.4', 5));
    probe.handle(fill(id, 't1', '0.4', 5));
    expect(probe.fills).toHaveLength(1);
    expect(probe.openOrders()[0]!.filledQuantity.toString()).toBe('0.4');
    probe.handle(report(id, 'FILLED', '1', 6));
    expect(probe.openOrders()).toEqual([]);
    // A fill trailing the terminal update is still the strategy's.
    probe.handle(fill(id, 't2', '0.6', 6));
    expect(probe.fills.map((f) => f.tradeId)).toEqual(['t1', 't2']);
  });

  it('ignores order events of orders it did not send', () => {
    const { probe } = started(10);
    probe.handle(report('someone-else', 'ACCEPTED', '0', 1));
    probe.handle(fill('someone-else', 't9', '1', 1));
    expect(probe.updates).toEqual([]);
    expect(probe.fills).toEqual([]);
  });

  it('cancels its own open order and refuses an unknown one with OrderNotFoundError', () => {
    const { test, probe } = started();
    const id = probe.act.buy(btc.id, '1', { price: '100' });
    probe.act.cancel(id);
    expect(test.cancels).toEqual([{ instrumentId: btc.id, clientOrderId: id, timeMs: 0 }]);
    expect(() => probe.act.cancel('nope')).toThrow(
      expect.objectContaining({ code: 'ORDER_NOT_FOUND' }),
    );
  });

  it('refuses a structurally bad order with a ValidationError', () => {
    const { probe } = started();
    expect(() => probe.act.buy(btc.id, '-1')).toThrow('quantity: must be greater than 0, was "-1"');
  });

  it('delivers events that arrive during a hook after the hook returns', () => {
    const test = createTestContext({ instruments: [btc] });
    const probe = new Probe({ id: 'p', params: { period: 1 } });
    const order: string[] = [];
    // A sink that reports the fill synchronously, as an in-process venue might.
    const submit = test.context.orders.submit;
    const context = {
      ...test.context,
      orders: {
        ...test.context.orders,
        submit: (request: Parameters<typeof submit>[0]) => {
          const id = submit(request);
          probe.handle(fill(id, 't1', '1', test.clock.now()));
          order.push('submitted');
          return id;
        },
      },
    };
    probe.onBarAction = () => {
      probe.act.buy(btc.id, '1');
      order.push('onBar done');
    };
    probe.start(context);
    const [bar] = series([1]);
    test.clock.advanceTo(bar!.closeTimeMs);
    probe.handle(createBarEvent(bar!));
    expect(order).toEqual(['submitted', 'onBar done']);
    expect(probe.fills).toHaveLength(1);
  });
});

describe('Strategy timers and failures', () => {
  it('runs onTimer through the clock and cancels the strategy timers on stop', () => {
    const test = createTestContext({ instruments: [btc] });
    const probe = new Probe({ id: 'p' });
    probe.start(test.context);
    probe.act.timer('once', 1_000);
    probe.act.interval('every', 400);
    test.clock.advanceTo(1_200);
    expect(probe.timers).toEqual([
      { type: 'timer', name: 'every', timeMs: 400 },
      { type: 'timer', name: 'every', timeMs: 800 },
      { type: 'timer', name: 'once', timeMs: 1_000 },
      { type: 'timer', name: 'every', timeMs: 1_200 },
    ]);
    probe.stop();
    expect(test.clock.pendingTimers).toBe(0);
    expect(test.events.map((event) => event.type)).toEqual([
      'strategy.started',
      'strategy.stopped',
    ]);
  });

  it('stops a strategy whose hook throws and publishes strategy.failed', () => {
    const test = createTestContext({ instruments: [btc] });
    const probe = new Probe({ id: 'p', params: { period: 1 } });
    const boom = new Error('boom');
    probe.onBarAction = () => {
      throw boom;
    };
    probe.start(test.context);
    probe.act.interval('every', 1_000);
    const [a, b] = series([1, 2]);
    test.clock.advanceTo(a!.closeTimeMs);
    probe.handle(createBarEvent(a!));
    expect(probe.state).toBe('failed');
    expect(probe.error).toBe(boom);
    expect(test.clock.pendingTimers).toBe(0);
    expect(test.events.at(-1)).toEqual({
      type: 'strategy.failed',
      strategyId: 'p',
      hook: 'onBar',
      error: boom,
      timeMs: a!.closeTimeMs,
    });
    test.clock.advanceTo(b!.closeTimeMs);
    probe.handle(createBarEvent(b!));
    expect(probe.seen).toHaveLength(1);
    expect(() => probe.start(test.context)).toThrow('state: must be created or stopped to start');
  });

  it('rethrows a hook failure from runStrategy unless told not to', () => {
    const probe = new Probe({ id: 'p', params: { period: 1 } });
    probe.onBarAction = () => {
      throw new Error('boom');
    };
    expect(() => runStrategy(probe, series([1]), { instruments: [btc] })).toThrow('boom');
    const quiet = new Probe({ id: 'q', params: { period: 1 } });
    quiet.onBarAction = probe.onBarAction;
    const run = runStrategy(quiet, series([1, 2]), { instruments: [btc], rethrow: false });
    expect(run.events.map((event) => event.type)).toEqual(['strategy.started', 'strategy.failed']);
  });

  it('refuses to trade before it starts', () => {
    const probe = new Probe({ id: 'p' });
    expect(() => probe.act.buy(btc.id, '1')).toThrow(/^state: must be started/);
    expect(() => probe.handle(createBarEvent(series([1])[0]!))).toThrow(/^state: must be started/);
  });
});

describe('runStrategy fills', () => {
  it('fills market orders at the close and moves the position', () => {
    class BuyOnce extends Strategy {
      constructor() {
        super({ id: 'once' }, { schema: z.object({}) });
      }
      protected override onBar(): void {
        this.targetPosition(btc.id, '2');
      }
    }
    const run = runStrategy(new BuyOnce(), series([10, 11, 12]), { instruments: [btc] });
    expect(run.orders).toHaveLength(1);
    expect(run.fills.map((f) => f.price.toString())).toEqual(['10']);
    expect(run.positions.netQuantity(btc.id).toString()).toBe('2');
  });

  it("with next-open fills, fills a market order at the next bar's open, stamped with its open time", () => {
    class BuyOnce extends Strategy {
      constructor() {
        super({ id: 'once' }, { schema: z.object({}) });
      }
      protected override onBar(): void {
        this.targetPosition(btc.id, '2');
      }
    }
    const run = runStrategy(new BuyOnce(), series([10, 11, 12]), {
      instruments: [btc],
      fills: 'next-open',
    });
    // Decided on bar 0 (closing at 59 999), filled at bar 1's open of 11, which opened at 60 000.
    expect(run.fills.map((f) => [f.price.toString(), f.timeMs])).toEqual([['11', 60_000]]);
    expect(run.positions.netQuantity(btc.id).toString()).toBe('2');
  });

  it('fills a limit order at the open, with the open time, when a bar opens past it', () => {
    class Bid extends Strategy {
      constructor() {
        super({ id: 'bid' }, { schema: z.object({}) });
      }
      protected override onStart(): void {
        this.buy(btc.id, '1', { price: '9' });
      }
    }
    // Bar 1 opens at 8, below the bid of 9 (bar 0 never reached it): the fill is at 8, when bar 1 opened.
    const run = runStrategy(new Bid(), series([10, 8]), { instruments: [btc] });
    expect(run.fills.map((f) => [f.price.toString(), f.timeMs])).toEqual([['8', 60_000]]);
  });

  it('fills a resting limit order on a later bar that reaches its price', () => {
    class Bid extends Strategy {
      constructor() {
        super({ id: 'bid' }, { schema: z.object({}) });
      }
      protected override onStart(): void {
        this.buy(btc.id, '1', { price: '7.5' });
      }
    }
    const run = runStrategy(new Bid(), series([10, 9, 8, 7]), { instruments: [btc] });
    expect(run.fills.map((f) => [f.price.toString(), f.timeMs])).toEqual([['7.5', 179_999]]);
  });
});

describe('targetPosition below the lot size', () => {
  class Dust extends Strategy {
    constructor(private readonly target: string) {
      super({ id: 'dust' }, { schema: z.object({}) });
    }
    protected override onBar(): void {
      this.targetPosition(btc.id, this.target);
    }
  }

  it('sends nothing for a change under the lot size and counts each call', () => {
    // The lot size of btc is 0.001, so a target of 0.0004 rounds to nothing on every bar.
    const dust = new Dust('0.0004');
    const run = runStrategy(dust, series([10, 11, 12]), { instruments: [btc] });
    expect(run.orders).toEqual([]);
    expect(dust.targetsBelowLot.count).toBe(3);
    expect(dust.targetsBelowLot.first).toEqual({
      instrumentId: btc.id,
      target: '0.0004',
      change: '0.0004',
      minQuantity: btc.minQuantity.toString(),
      sizeIncrement: '0.001',
    });
  });

  it('counts nothing when the position is already on target', () => {
    const flat = new Dust('0');
    runStrategy(flat, series([10, 11]), { instruments: [btc] });
    expect(flat.targetsBelowLot).toEqual({ count: 0, first: undefined });
  });
});

describe('sizing helpers', () => {
  it('rounds a computed quantity down to the step', () => {
    expect(toOrderQuantity(1_000 / 27_123.45, btc).toString()).toBe('0.036');
    expect(toOrderQuantity(0.0009, btc).toString()).toBe('0');
    expect(toOrderQuantity(1e-7, eth).toString()).toBe('0');
  });

  it('rejects a negative or non-finite quantity', () => {
    expect(() => toOrderQuantity(-1, btc)).toThrow('quantity: must be a finite number, 0 or more');
    expect(() => toOrderQuantity(Number.NaN, btc)).toThrow(/^quantity: must be a finite number/);
  });

  it('rounds a buy price down and a sell price up to the tick', () => {
    expect(toOrderPrice(27_123.456, btc, 'BUY').toString()).toBe('27123.45');
    expect(toOrderPrice(27_123.451, btc, 'SELL').toString()).toBe('27123.46');
    expect(() => toOrderPrice(0, btc, 'BUY')).toThrow(/^price: must be a finite number greater/);
  });

  it('offers the rounding inside a strategy', () => {
    const test = createTestContext({ instruments: [btc] });
    const probe = new Probe({ id: 'p' });
    probe.start(test.context);
    expect(probe.act.quantity(0.12399).toString()).toBe('0.123');
  });
});
