import {
  type Bar,
  createBarEvent,
  EventBus,
  Instrument,
  instrumentId,
  SimulatedClock,
} from '@qtp/core';
import {
  createStrategy,
  createStrategyRegistry,
  LookAheadError,
  SmaCrossover,
  Strategy,
  type StrategyEvents,
  type StrategyFailedEvent,
  StrategyManager,
} from '@qtp/strategy';
import { createBarSeries, createTestContext } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

const bars = createBarSeries(
  btc.id,
  '1m',
  [5, 6, 7].map((close, i) => ({
    openTimeMs: i * 60_000,
    open: close,
    high: close,
    low: close,
    close,
  })),
);

class Counter extends Strategy {
  readonly closes: number[] = [];
  constructor(
    id: string,
    private readonly failOn?: number,
  ) {
    super({ id }, { schema: z.object({}) });
  }
  protected override onBar(bar: Bar): void {
    if (bar.close === this.failOn) throw new Error(`${this.id} cannot take ${bar.close}`);
    this.closes.push(bar.close);
  }
}

function setUp() {
  const clock = new SimulatedClock();
  const bus = new EventBus<StrategyEvents>({ clock });
  const failures: StrategyFailedEvent[] = [];
  bus.subscribe('strategy.failed', (event) => {
    failures.push(event);
  });
  const test = createTestContext({ instruments: [btc], clock, publisher: bus });
  const manager = new StrategyManager({ context: test.context });
  const feed = (bar: Bar) => {
    clock.advanceTo(bar.closeTimeMs);
    manager.handle(createBarEvent(bar));
  };
  return { clock, test, manager, failures, feed };
}

describe('StrategyManager', () => {
  it('adds, starts, stops and removes strategies by id', () => {
    const { manager, feed } = setUp();
    const a = new Counter('a');
    const b = new Counter('b');
    manager.add(a);
    manager.add(b);
    expect(manager.ids).toEqual(['a', 'b']);
    manager.startAll();
    feed(bars[0]!);
    manager.stop('b');
    feed(bars[1]!);
    manager.start('b');
    manager.remove('a');
    feed(bars[2]!);
    expect(a.closes).toEqual([5, 6]);
    expect(a.state).toBe('stopped');
    expect(b.closes).toEqual([5, 7]);
    expect(manager.ids).toEqual(['b']);
    expect(manager.has('a')).toBe(false);
  });

  it('stops a strategy that throws, reports it on the bus, and goes on with the others', () => {
    const { manager, failures, feed } = setUp();
    const faulty = new Counter('faulty', 6);
    const healthy = new Counter('healthy');
    manager.add(faulty);
    manager.add(healthy);
    manager.startAll();
    for (const bar of bars) feed(bar);
    expect(faulty.state).toBe('failed');
    expect(faulty.closes).toEqual([5]);
    expect(healthy.closes).toEqual([5, 6, 7]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      type: 'strategy.failed',
      strategyId: 'faulty',
      hook: 'onBar',
      timeMs: bars[1]!.closeTimeMs,
    });
    expect((failures[0]!.error as Error).message).toBe('faulty cannot take 6');
  });

  it('refuses an event from the future before any strategy sees it', () => {
    const { manager } = setUp();
    const a = new Counter('a');
    manager.add(a);
    manager.startAll();
    expect(() => manager.handle(createBarEvent(bars[0]!))).toThrow(LookAheadError);
    expect(a.closes).toEqual([]);
  });

  it('delivers a bare bar as it delivers its event, failures and all', () => {
    const byEvent = setUp();
    const byBar = setUp();
    const run = (setup: ReturnType<typeof setUp>, entry: (bar: Bar) => void) => {
      const faulty = new Counter('faulty', 6);
      const healthy = new Counter('healthy');
      setup.manager.add(faulty);
      setup.manager.add(healthy);
      setup.manager.startAll();
      for (const bar of bars) {
        setup.clock.advanceTo(bar.closeTimeMs);
        entry(bar);
      }
      return { faulty: [faulty.state, faulty.closes], healthy: healthy.closes };
    };
    const seenByEvent = run(byEvent, (bar) => byEvent.manager.handle(createBarEvent(bar)));
    const seenByBar = run(byBar, (bar) => byBar.manager.handleBar(bar));
    expect(seenByBar).toEqual({ faulty: ['failed', [5]], healthy: [5, 6, 7] });
    expect(seenByBar).toEqual(seenByEvent);
    expect(byBar.failures.map(({ error, ...rest }) => rest)).toEqual(
      byEvent.failures.map(({ error, ...rest }) => rest),
    );
  });

  it('refuses a bare bar from the future before any strategy sees it', () => {
    const { manager } = setUp();
    const a = new Counter('a');
    manager.add(a);
    manager.startAll();
    expect(() => manager.handleBar(bars[0]!)).toThrow(LookAheadError);
    expect(a.closes).toEqual([]);
  });

  it('hands a bare bar to a strategy started on another context, which checks it itself', () => {
    const { manager, clock } = setUp();
    const elsewhere = new Counter('elsewhere');
    manager.add(elsewhere);
    // Started on a context whose clock has not reached the bar: its own check refuses it.
    elsewhere.start(createTestContext({ instruments: [btc] }).context);
    clock.advanceTo(bars[0]!.closeTimeMs);
    expect(() => manager.handleBar(bars[0]!)).toThrow(LookAheadError);
    expect(elsewhere.closes).toEqual([]);
  });

  it('delivers an event to the strategies held when delivery began', () => {
    const { manager, feed } = setUp();
    const late = new Counter('late');
    class Adder extends Counter {
      protected override onBar(bar: Bar): void {
        super.onBar(bar);
        if (!manager.has('late')) {
          manager.add(late);
          manager.start('late');
        }
      }
    }
    const first = new Adder('first');
    const second = new Counter('second');
    manager.add(first);
    manager.add(second);
    manager.startAll();
    feed(bars[0]!);
    expect(late.closes).toEqual([]);
    expect(second.closes).toEqual([5]);
    manager.remove('second');
    feed(bars[1]!);
    expect(manager.ids).toEqual(['first', 'late']);
    expect([first.closes, second.closes, late.closes]).toEqual([[5, 6], [5], [6]]);
  });

  it('refuses a second strategy with the same id and an unknown id', () => {
    const { manager } = setUp();
    manager.add(new Counter('a'));
    expect(() => manager.add(new Counter('a'))).toThrow('id: must be unique within the manager');
    expect(() => manager.start('zzz')).toThrow('id: must be the id of a strategy in the manager');
  });
});

describe('strategy registry', () => {
  it('builds an example strategy by name with its parameters', () => {
    const strategy = createStrategy(createStrategyRegistry(), 'sma-crossover', {
      id: 'trend',
      params: { instrumentId: 'BTCUSDT.BINANCE', quantity: '0.1' },
    });
    expect(strategy).toBeInstanceOf(SmaCrossover);
    expect(strategy.params).toMatchObject({ fastPeriod: 10, slowPeriod: 30, allowShort: false });
  });

  it('names the known strategies when the name is unknown', () => {
    expect(() => createStrategy(createStrategyRegistry(), 'macd', { id: 'x' })).toThrow(
      'strategy: must be one of bollinger-reversion, donchian-breakout, rsi-reversal, sma-crossover, was "macd"',
    );
  });

  it('takes user factories and keeps each registry separate', () => {
    const registry = createStrategyRegistry();
    registry.set('counter', (options) => new Counter(options.id));
    expect(createStrategy(registry, 'counter', { id: 'c' })).toBeInstanceOf(Counter);
    expect(createStrategyRegistry().has('counter')).toBe(false);
  });
});
