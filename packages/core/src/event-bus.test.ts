import {
  createConsoleLogger,
  EventBus,
  type EventPublisher,
  type HandlerErrorEvent,
  isQtpError,
  SimulatedClock,
} from '@qtp/core';
import { describe, expect, it, vi } from 'vitest';

interface Events {
  'order.filled': { id: string; quantity: number };
  'order.canceled': { id: string };
  'order.fill.partial': { id: string };
  order: { id: string };
  'trade.filled': { price: number };
  tick: number;
}

// Lets settled promises run their reactions; no real time passes.
async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

// A real console logger whose lines are kept instead of written.
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createConsoleLogger({
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

function newBus(options: ConstructorParameters<typeof EventBus<Events>>[0] = {}) {
  const clock = new SimulatedClock();
  const { logger, lines } = capturingLogger();
  const bus = new EventBus<Events>({ clock, logger, ...options });
  const errors: HandlerErrorEvent[] = [];
  bus.subscribe('bus.error', (event) => {
    errors.push(event);
  });
  return { bus, clock, errors, lines };
}

describe('EventBus', () => {
  it('satisfies EventPublisher', () => {
    const announce = (publisher: EventPublisher<Events>) => publisher.publish('tick', 1);
    const { bus } = newBus();
    const ticks: number[] = [];
    bus.subscribe('tick', (value) => {
      ticks.push(value);
    });
    announce(bus);
    expect(ticks).toEqual([1]);
  });

  it('runs handlers by priority, higher first, ties in subscription order', () => {
    const { bus } = newBus();
    const order: string[] = [];
    bus.subscribe('tick', () => order.push('a0'));
    bus.subscribe('tick', () => order.push('b10'), { priority: 10 });
    bus.subscribe('tick', () => order.push('c0'));
    bus.subscribe('tick', () => order.push('d-5'), { priority: -5 });
    bus.subscribe('tick', () => order.push('e10'), { priority: 10 });
    bus.subscribe('*', () => order.push('all5'), { priority: 5 });
    bus.publish('tick', 1);
    expect(order).toEqual(['b10', 'e10', 'all5', 'a0', 'c0', 'd-5']);
  });

  it('calls a once handler for the first payload only', () => {
    const { bus } = newBus();
    const seen: number[] = [];
    bus.once('tick', (value) => seen.push(value));
    bus.subscribe('tick', (value) => seen.push(value * 10), { once: true });
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(seen).toEqual([1, 10]);
    expect(bus.subscriberCount('tick')).toBe(0);
  });

  it('stops calling a handler unsubscribed during a publish, and defers one added during it', () => {
    const { bus } = newBus();
    const seen: string[] = [];
    let stopB = () => {};
    const stopA = bus.subscribe('tick', (value) => {
      seen.push(`a${value}`);
      stopA();
      stopB();
      bus.subscribe('tick', (later) => seen.push(`late${later}`));
    });
    stopB = bus.subscribe('tick', (value) => seen.push(`b${value}`));
    bus.subscribe('tick', (value) => seen.push(`c${value}`));
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(seen).toEqual(['a1', 'c1', 'c2', 'late2']);
    stopA();
  });

  it('matches one segment per "*" and everything with "*" alone', () => {
    const { bus } = newBus();
    const seen: string[] = [];
    bus.subscribe('order.*', (_payload, topic) => seen.push(`order.*:${topic}`));
    bus.subscribe('*.filled', (_payload, topic) => seen.push(`*.filled:${topic}`));
    bus.subscribe('*', (_payload, topic) => seen.push(`*:${topic}`));
    bus.publish('order.filled', { id: '1', quantity: 1 });
    bus.publish('order', { id: '2' });
    bus.publish('order.fill.partial', { id: '3' });
    bus.publish('trade.filled', { price: 1 });
    expect(seen).toEqual([
      'order.*:order.filled',
      '*.filled:order.filled',
      '*:order.filled',
      '*:order',
      '*:order.fill.partial',
      '*.filled:trade.filled',
      '*:trade.filled',
    ]);
  });

  it('re-resolves wildcard matches of known topics when subscriptions change', () => {
    const { bus } = newBus();
    const seen: string[] = [];
    bus.publish('order.canceled', { id: 'before' });
    const stop = bus.subscribe('order.*', (payload) => seen.push(payload.id));
    bus.publish('order.canceled', { id: 'during' });
    stop();
    bus.publish('order.canceled', { id: 'after' });
    expect(seen).toEqual(['during']);
  });

  it('delivers to a wildcard subscribed after the topic was published unmatched', () => {
    const { bus } = newBus();
    const seen: string[] = [];
    bus.subscribe('trade.*', () => seen.push('trade'));
    // Published while only a wildcard that does not match exists: nobody hears it.
    bus.publish('order.canceled', { id: 'unmatched' });
    bus.publish('order.canceled', { id: 'unmatched again' });
    const stop = bus.subscribe('*.canceled', (payload) => seen.push(payload.id));
    bus.publish('order.canceled', { id: 'matched' });
    stop();
    bus.publish('order.canceled', { id: 'after' });
    bus.subscribe('order.*', (payload) => seen.push(`order.* ${payload.id}`));
    bus.publish('order.canceled', { id: 'again' });
    expect(seen).toEqual(['matched', 'order.* again']);
    expect(bus.subscriberCount('order.canceled')).toBe(1);
  });

  it('says whether a topic has a subscriber, exact or wildcard, as subscriptions come and go', () => {
    const { bus } = newBus();
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
    const exact = bus.subscribe('order.canceled', () => {});
    expect(bus.hasSubscribers('order.canceled')).toBe(true);
    exact();
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
    bus.subscribe('trade.*', () => {});
    // Asked twice while only an unrelated wildcard exists: the answer stays no.
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
    expect(bus.hasSubscribers('trade.filled')).toBe(true);
    const wildcard = bus.subscribe('*.canceled', () => {});
    expect(bus.hasSubscribers('order.canceled')).toBe(true);
    const seen: string[] = [];
    bus.subscribe('order.*', (payload) => seen.push(payload.id));
    bus.publish('order.canceled', { id: 'heard' });
    wildcard();
    expect(bus.hasSubscribers('order.canceled')).toBe(true);
    expect(seen).toEqual(['heard']);
  });

  it('answers hasSubscribers again after a once handler runs and after clear', () => {
    const { bus } = newBus();
    bus.subscribe('order.canceled', () => {}, { once: true });
    expect(bus.hasSubscribers('order.canceled')).toBe(true);
    bus.publish('order.canceled', { id: 'only' });
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
    bus.subscribe('order.*', () => {});
    expect(bus.hasSubscribers('order.canceled')).toBe(true);
    bus.clear();
    expect(bus.hasSubscribers('order.canceled')).toBe(false);
  });

  it('refuses a malformed pattern or topic with a ValidationError', () => {
    const { bus } = newBus();
    expect(() => bus.subscribe('ord*' as 'order', () => {})).toThrow(/whole dot-separated segment/);
    expect(() => bus.subscribe('' as 'order', () => {})).toThrow(/non-empty/);
    let caught: unknown;
    try {
      bus.publish('order.*' as 'order', { id: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(isQtpError(caught, 'VALIDATION')).toBe(true);
  });

  it('reports a throwing handler on bus.error while the publisher and the other handlers go on', () => {
    const { bus, errors, lines } = newBus();
    const seen: string[] = [];
    const boom = new Error('boom');
    bus.subscribe('tick', () => seen.push('first'));
    bus.subscribe('tick', function failing() {
      throw boom;
    });
    bus.subscribe('tick', () => seen.push('last'));
    expect(() => bus.publish('tick', 7)).not.toThrow();
    expect(seen).toEqual(['first', 'last']);
    expect(errors).toEqual([
      { type: 'bus.error', topic: 'tick', handler: 'failing', error: boom, payload: 7 },
    ]);
    expect(Object.isFrozen(errors[0])).toBe(true);
    expect(lines).toEqual([]);
    expect(bus.stats().unhandledErrors).toBe(0);
  });

  it('logs and counts a handler failure when nobody subscribes to bus.error', async () => {
    const { logger, lines } = capturingLogger();
    const bus = new EventBus<Events>({ clock: new SimulatedClock(), logger });
    bus.subscribe('tick', function failing() {
      throw new Error('boom');
    });
    bus.subscribe('order', async function rejecting() {
      throw new Error('later');
    });
    bus.publish('tick', 1);
    bus.publish('order', { id: 'a' });
    await bus.waitForIdle();
    expect(lines).toMatchObject([
      { level: 'error', topic: 'tick', handler: 'failing', err: { message: 'boom' } },
      { level: 'error', topic: 'order', handler: 'rejecting', err: { message: 'later' } },
    ]);
    expect(bus.stats().unhandledErrors).toBe(2);
    expect(bus.stats().topics).toMatchObject({ tick: { failed: 1 }, order: { failed: 1 } });
  });

  it('logs failures of error handlers instead of looping', async () => {
    const { logger, lines } = capturingLogger();
    const bus = new EventBus<Events>({ clock: new SimulatedClock(), logger });
    bus.subscribe('tick', () => {
      throw new Error('handler');
    });
    bus.subscribe('bus.error', () => {
      throw new Error('error handler');
    });
    bus.subscribe('bus.error', async () => {
      throw new Error('async error handler');
    });
    // A catch-all that always throws also sees bus.error.
    bus.subscribe(
      '*',
      () => {
        throw new Error('catch-all');
      },
      { name: 'catchAll' },
    );
    bus.publish('tick', 1);
    await bus.waitForIdle();
    expect(
      lines.map((line) => `${line.topic}/${line.handler}/${(line.err as Error).message}`),
    ).toEqual([
      // the tick handler's failure, heard by each bus.error handler
      'bus.error/anonymous/error handler',
      'bus.error/catchAll/catch-all',
      // the catch-all's failure on tick, heard the same way
      'bus.error/anonymous/error handler',
      'bus.error/catchAll/catch-all',
      'bus.error/anonymous/async error handler',
      'bus.error/anonymous/async error handler',
    ]);
    expect(bus.stats().unhandledErrors).toBe(6);
  });

  it('survives a logger that throws', () => {
    const logger = createConsoleLogger({
      write: () => {
        throw new Error('last resort');
      },
    });
    const bus = new EventBus<Events>({ clock: new SimulatedClock(), logger });
    bus.subscribe('tick', () => {
      throw new Error('handler');
    });
    expect(() => bus.publish('tick', 1)).not.toThrow();
    expect(bus.stats().unhandledErrors).toBe(1);
  });

  it('counts an async handler that resolves as handled once it settles', async () => {
    const { bus, errors } = newBus();
    bus.subscribe('tick', async () => {});
    bus.publish('tick', 1);
    expect(bus.stats().pending).toBe(1);
    expect(bus.stats().topics.tick?.handled).toBe(0);
    await bus.waitForIdle();
    expect(bus.stats().pending).toBe(0);
    expect(errors).toEqual([]);
    expect(bus.stats().topics.tick?.handled).toBe(1);
  });

  it('rejects waitForIdle with a TimeoutError when a handler has not settled in time', async () => {
    const { bus, clock } = newBus();
    bus.subscribe('tick', async function stuck() {
      await new Promise<void>(() => {});
    });
    bus.publish('tick', 1);
    let outcome: unknown = 'waiting';
    bus.waitForIdle({ timeoutMs: 1_000 }).then(
      () => {
        outcome = 'idle';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    clock.advanceBy(999);
    await flush();
    expect(outcome).toBe('waiting');
    clock.advanceBy(1);
    await flush();
    expect(isQtpError(outcome, 'TIMEOUT')).toBe(true);
    expect((outcome as { timeoutMs: number }).timeoutMs).toBe(1_000);
    expect(bus.stats().pending).toBe(1);
  });

  it('resolves waitForIdle before its timeout and cancels the timer', async () => {
    const { bus, clock } = newBus();
    let finish = () => {};
    bus.subscribe('tick', () => new Promise<void>((resolve) => (finish = resolve)));
    bus.publish('tick', 1);
    const idle = bus.waitForIdle({ timeoutMs: 50 });
    expect(clock.pendingTimers).toBe(1);
    finish();
    await idle;
    expect(clock.pendingTimers).toBe(0);
    await expect(bus.waitForIdle({ timeoutMs: 0 })).rejects.toThrow(/timeoutMs: must be a finite/);
  });

  it('throws BUS_RECURSION_LIMIT to the outermost publisher past the depth limit', () => {
    const { bus, errors, lines } = newBus({ maxDepth: 3 });
    let calls = 0;
    bus.subscribe('tick', (value) => {
      calls++;
      bus.publish('tick', value + 1);
    });
    let caught: unknown;
    try {
      bus.publish('tick', 0);
    } catch (error) {
      caught = error;
    }
    expect(isQtpError(caught, 'BUS_RECURSION_LIMIT')).toBe(true);
    expect((caught as Error).message).toMatch(/at most 3 publishes deep/);
    expect(calls).toBe(3);
    expect(errors).toEqual([]);
    expect(lines).toEqual([]);
    // The bus is usable again: the depth unwound with the error.
    const seen: number[] = [];
    bus.subscribe('order', (payload) => seen.push(Number(payload.id)));
    bus.publish('order', { id: '5' });
    expect(seen).toEqual([5]);
  });

  it('allows nesting up to the depth limit, 64 by default', () => {
    const { bus } = newBus();
    let deepest = 0;
    bus.subscribe('tick', (value) => {
      deepest = value;
      if (value < 64) bus.publish('tick', value + 1);
    });
    bus.publish('tick', 1);
    expect(deepest).toBe(64);
    expect(() => new EventBus({ maxDepth: 0 })).toThrow(/maxDepth: must be an integer >= 1/);
  });

  it('keeps no record of topics nobody subscribes to', () => {
    const bus = new EventBus<Record<string, number>>({ clock: new SimulatedClock() });
    for (let i = 0; i < 1_000; i++) bus.publish(`nobody.${i}`, i);
    expect(bus.stats().topics).toEqual({});
    const stop = bus.subscribe('tick', () => {});
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    expect(bus.stats().topics).toEqual({ tick: { published: 2, handled: 2, failed: 0 } });
    stop();
    expect(bus.stats().topics).toEqual({});
  });

  it('frees the records of 100,000 distinct topics once they are unsubscribed', () => {
    const bus = new EventBus<Record<string, number>>({ clock: new SimulatedClock() });
    const stops: Array<() => void> = [];
    let seen = 0;
    for (let i = 0; i < 100_000; i++) {
      stops.push(
        bus.subscribe(`instrument.${i}`, () => {
          seen++;
        }),
      );
    }
    bus.publish('instrument.99999', 1);
    expect(Object.keys(bus.stats().topics)).toHaveLength(100_000);
    for (const stop of stops) stop();
    expect(bus.stats().topics).toEqual({});
    expect(bus.subscriberCount('instrument.99999')).toBe(0);
    bus.publish('instrument.99999', 1);
    expect(seen).toBe(1);
  });

  it('frees the records that a wildcard resolved when it unsubscribes', () => {
    const bus = new EventBus<Record<string, number>>({ clock: new SimulatedClock() });
    const seen: string[] = [];
    const stop = bus.subscribe('price.*', (_value, topic) => seen.push(topic));
    for (let i = 0; i < 100; i++) bus.publish(`price.${i}`, i);
    bus.publish('volume.1', 1);
    expect(Object.keys(bus.stats().topics)).toHaveLength(100);
    stop();
    expect(bus.stats().topics).toEqual({});
    bus.publish('price.1', 1);
    expect(seen).toHaveLength(100);
  });

  it('keeps per-topic counters and resets them', async () => {
    const { bus } = newBus();
    bus.subscribe('tick', () => {});
    bus.subscribe('tick', () => {
      throw new Error('x');
    });
    bus.subscribe('tick', async () => {});
    bus.publish('tick', 1);
    bus.publish('tick', 2);
    await bus.waitForIdle();
    expect(bus.stats().topics.tick).toEqual({ published: 2, handled: 4, failed: 2 });
    bus.resetStats();
    expect(bus.stats().topics.tick).toEqual({ published: 0, handled: 0, failed: 0 });
  });

  it('removes every subscription on clear', () => {
    const { bus } = newBus();
    const seen = vi.fn();
    bus.subscribe('tick', seen);
    bus.subscribe('*', seen);
    bus.clear();
    bus.publish('tick', 1);
    expect(seen).not.toHaveBeenCalled();
    expect(bus.subscriberCount('tick')).toBe(0);
  });
});
