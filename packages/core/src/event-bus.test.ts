import {
  createBackoffRetry,
  type DeadLetterEvent,
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

function newBus(options: ConstructorParameters<typeof EventBus<Events>>[0] = {}) {
  const clock = new SimulatedClock();
  const bus = new EventBus<Events>({ clock, onUnhandledError: () => {}, ...options });
  const errors: HandlerErrorEvent[] = [];
  const dead: DeadLetterEvent[] = [];
  bus.subscribe('bus.error', (event) => {
    errors.push(event);
  });
  bus.subscribe('bus.deadLetter', (event) => {
    dead.push(event);
  });
  return { bus, clock, errors, dead };
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
    const { bus, errors, dead } = newBus();
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
      {
        type: 'bus.error',
        topic: 'tick',
        handler: 'failing',
        error: boom,
        payload: 7,
        attempt: 1,
        willRetry: false,
      },
    ]);
    expect(dead).toEqual([
      {
        type: 'bus.deadLetter',
        topic: 'tick',
        handler: 'failing',
        error: boom,
        payload: 7,
        attempts: 1,
      },
    ]);
    expect(Object.isFrozen(errors[0])).toBe(true);
  });

  it('hands failures of error handlers to onUnhandledError instead of looping', () => {
    const unhandled: HandlerErrorEvent[] = [];
    const bus = new EventBus<Events>({
      clock: new SimulatedClock(),
      onUnhandledError: (event) => unhandled.push(event),
    });
    bus.subscribe('tick', () => {
      throw new Error('handler');
    });
    bus.subscribe('bus.error', () => {
      throw new Error('error handler');
    });
    // A catch-all that always throws also sees bus.error and bus.deadLetter.
    bus.subscribe(
      '*',
      () => {
        throw new Error('catch-all');
      },
      { name: 'catchAll' },
    );
    bus.publish('tick', 1);
    expect(
      unhandled.map((event) => `${event.topic}/${event.handler}/${(event.error as Error).message}`),
    ).toEqual([
      'bus.error/anonymous/error handler',
      'bus.error/catchAll/catch-all',
      'bus.deadLetter/catchAll/catch-all',
      'bus.error/anonymous/error handler',
      'bus.error/catchAll/catch-all',
      'bus.deadLetter/catchAll/catch-all',
    ]);
    expect(bus.stats().unhandledErrors).toBe(6);
  });

  it('survives an onUnhandledError that throws', () => {
    const bus = new EventBus<Events>({
      clock: new SimulatedClock(),
      onUnhandledError: () => {
        throw new Error('last resort');
      },
    });
    bus.subscribe('bus.error', () => {
      throw new Error('error handler');
    });
    bus.subscribe('tick', () => {
      throw new Error('handler');
    });
    expect(() => bus.publish('tick', 1)).not.toThrow();
    expect(bus.stats().unhandledErrors).toBe(1);
  });

  it('fails an async handler that does not settle in time, on the injected clock', async () => {
    const { bus, clock, errors, dead } = newBus({ handlerTimeoutMs: 1_000 });
    bus.subscribe('tick', async function stuck() {
      await new Promise<void>(() => {});
    });
    bus.publish('tick', 1);
    let idle = false;
    void bus.waitForIdle().then(() => {
      idle = true;
    });
    clock.advanceBy(999);
    await flush();
    expect(errors).toEqual([]);
    expect(idle).toBe(false);
    clock.advanceBy(1);
    await flush();
    expect(idle).toBe(true);
    expect(errors).toHaveLength(1);
    expect(isQtpError(errors[0]!.error, 'TIMEOUT')).toBe(true);
    expect(errors[0]!.handler).toBe('stuck');
    expect(dead.map((event) => event.attempts)).toEqual([1]);
    expect(bus.stats().topics.tick).toMatchObject({
      published: 1,
      handled: 0,
      failed: 1,
      deadLettered: 1,
    });
  });

  it('counts an async handler that resolves in time as handled and cancels its timeout', async () => {
    const { bus, clock, errors } = newBus();
    bus.subscribe('tick', async () => {}, { timeoutMs: 50 });
    bus.publish('tick', 1);
    expect(bus.stats().pending).toBe(1);
    await bus.waitForIdle();
    expect(clock.pendingTimers).toBe(0);
    expect(errors).toEqual([]);
    expect(bus.stats().topics.tick?.handled).toBe(1);
  });

  it('retries a failing async handler with backoff on the clock until it succeeds', async () => {
    const { bus, clock, errors, dead } = newBus();
    const calls: number[] = [];
    bus.subscribe(
      'tick',
      async () => {
        calls.push(clock.now());
        if (calls.length < 3) throw new Error(`attempt ${calls.length}`);
      },
      { retry: createBackoffRetry({ attempts: 5, initialDelayMs: 100 }) },
    );
    bus.publish('tick', 1);
    await flush();
    clock.advanceBy(100);
    await flush();
    clock.advanceBy(199);
    await flush();
    expect(calls).toEqual([0, 100]);
    clock.advanceBy(1);
    await bus.waitForIdle();
    expect(calls).toEqual([0, 100, 300]);
    expect(errors.map((event) => [event.attempt, event.willRetry])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(dead).toEqual([]);
    expect(bus.stats().topics.tick).toMatchObject({ handled: 1, failed: 2, deadLettered: 0 });
  });

  it('sends a handler that keeps failing to the dead letters after its last attempt', async () => {
    const { bus, clock, errors, dead } = newBus({
      retry: (attempt) => (attempt < 3 ? 10 : undefined),
    });
    const failing = vi.fn(() => {
      throw new Error('always');
    });
    bus.subscribe('order.canceled', failing, { name: 'canceler' });
    bus.publish('order.canceled', { id: 'x' });
    expect(bus.stats().pending).toBe(1);
    clock.advanceBy(10);
    clock.advanceBy(10);
    await bus.waitForIdle();
    expect(failing).toHaveBeenCalledTimes(3);
    expect(errors.map((event) => event.willRetry)).toEqual([true, true, false]);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      topic: 'order.canceled',
      handler: 'canceler',
      attempts: 3,
      payload: { id: 'x' },
    });
  });

  it('drops a pending retry when the handler unsubscribes', async () => {
    const { bus, clock } = newBus({ retry: () => 10 });
    const failing = vi.fn(() => {
      throw new Error('fails');
    });
    const stop = bus.subscribe('tick', failing);
    bus.publish('tick', 1);
    stop();
    clock.advanceBy(100);
    await bus.waitForIdle();
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('keeps per-topic counters and measures latency only when asked', async () => {
    const plain = newBus();
    plain.bus.subscribe('tick', () => {});
    plain.bus.publish('tick', 1);
    plain.bus.publish('order', { id: 'nobody listens' });
    expect(plain.bus.stats().topics).toMatchObject({
      tick: { published: 1, handled: 1, failed: 0, deadLettered: 0, latency: undefined },
      order: { published: 1, handled: 0 },
    });

    const measured = newBus({ measureLatency: true });
    measured.bus.subscribe('tick', () => {});
    measured.bus.subscribe('tick', () => {
      throw new Error('x');
    });
    measured.bus.subscribe('tick', async () => {});
    measured.bus.publish('tick', 1);
    measured.bus.publish('tick', 2);
    await measured.bus.waitForIdle();
    const tick = measured.bus.stats().topics.tick!;
    expect(tick).toMatchObject({ published: 2, handled: 4, failed: 2, deadLettered: 2 });
    expect(tick.latency?.count).toBe(6);
    expect(tick.latency?.maxMs).toBeGreaterThanOrEqual(0);
    expect(tick.latency?.totalMs).toBeGreaterThanOrEqual(tick.latency?.maxMs ?? 0);
    measured.bus.resetStats();
    expect(measured.bus.stats().topics.tick).toMatchObject({
      published: 0,
      handled: 0,
      latency: { count: 0 },
    });
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

describe('createBackoffRetry', () => {
  it('doubles the delay up to the cap and gives up after the last attempt', () => {
    const policy = createBackoffRetry({ attempts: 5, initialDelayMs: 100, maxDelayMs: 300 });
    expect([1, 2, 3, 4, 5].map((attempt) => policy(attempt, new Error()))).toEqual([
      100,
      200,
      300,
      300,
      undefined,
    ]);
  });

  it('rejects fewer than one attempt', () => {
    expect(() => createBackoffRetry({ attempts: 0 })).toThrow(/attempts: must be an integer >= 1/);
  });
});
