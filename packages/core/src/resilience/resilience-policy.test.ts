import { type EventPublisher, isQtpError, NetworkError, OrderStateUnknownError } from '@qtp/core';
import { MetricsRegistry } from '@qtp/core/observability';
import {
  type CircuitStateEvent,
  composePolicies,
  createResiliencePolicy,
  RateLimiter,
  type ResilienceEvents,
  type ResiliencePolicy,
} from '@qtp/core/resilience';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('createResiliencePolicy', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a transient failure through breaker and timeout and returns the result', async () => {
    const policy = createResiliencePolicy({
      name: 'rest',
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 100 },
      breaker: { breaker: { type: 'consecutive', failures: 5 } },
      timeoutMs: 1_000,
      bulkhead: { maxConcurrent: 4 },
    });
    let calls = 0;
    const result = policy.execute(async () => {
      calls += 1;
      if (calls === 1) throw new NetworkError('reset');
      return 'ok';
    });
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe('ok');
    expect(calls).toBe(2);
    expect(policy.circuitState).toBe('CLOSED');
  });

  it('sends a placement that timed out only once and raises OrderStateUnknownError', async () => {
    const policy = createResiliencePolicy({
      name: 'rest',
      retry: { maxRetries: 5 },
      timeoutMs: 1_000,
    });
    let sent = 0;
    const outcome = policy
      .execute(
        (signal) => {
          sent += 1;
          return new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        },
        { clientOrderId: 'qtp-7' },
      )
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBeInstanceOf(OrderStateUnknownError);
    expect(sent).toBe(1);
  });

  it('stops retrying once the circuit opens and publishes the opening', async () => {
    const states: CircuitStateEvent[] = [];
    const events: EventPublisher<ResilienceEvents> = {
      publish: (_topic, payload) => states.push(payload),
    };
    const policy = createResiliencePolicy({
      name: 'rest',
      retry: { maxRetries: 10, initialDelayMs: 10, maxDelayMs: 10 },
      breaker: { breaker: { type: 'consecutive', failures: 3 }, halfOpenAfterMs: 60_000 },
      events,
    });
    let calls = 0;
    const outcome = policy
      .execute(() => {
        calls += 1;
        throw new NetworkError('down');
      })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(isQtpError(await outcome, 'CIRCUIT_OPEN')).toBe(true);
    expect(calls).toBe(3);
    expect(states.map((event) => event.state)).toEqual(['OPEN']);
  });

  it('spends rate limit budget on every attempt', async () => {
    const rateLimiter = new RateLimiter({ limit: 10, intervalMs: 60_000 });
    const policy = createResiliencePolicy({
      name: 'rest',
      retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 10 },
      rateLimiter,
    });
    let calls = 0;
    const result = policy.execute(
      () => {
        calls += 1;
        if (calls === 1) throw new NetworkError('reset');
        return 'ok';
      },
      { weight: 4 },
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toBe('ok');
    expect(rateLimiter.remaining()).toBe(2);
    const stopping = rateLimiter.stop();
    await vi.advanceTimersByTimeAsync(10);
    await stopping;
  });

  it('reports calls, failures and retries into the metrics registry', async () => {
    const metrics = new MetricsRegistry();
    const policy = createResiliencePolicy({
      name: 'rest',
      retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 10 },
      metrics,
    });
    const failed = policy
      .execute(() => Promise.reject(new NetworkError('down')))
      .catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await failed;
    await policy.execute(() => 'ok');
    const text = await metrics.text();
    expect(text).toContain('qtp_resilience_calls_total{policy="rest",outcome="success"} 1');
    expect(text).toContain('qtp_resilience_calls_total{policy="rest",outcome="failure"} 1');
    expect(text).toContain('qtp_resilience_failures_total{policy="rest",code="NETWORK"} 1');
    expect(text).toContain('qtp_resilience_retries_total{policy="rest"} 1');
  });
});

describe('composePolicies', () => {
  it('runs each call through the policies from the outermost to the innermost', async () => {
    const order: string[] = [];
    const tracing = (label: string): ResiliencePolicy => ({
      async execute(fn, options) {
        order.push(`${label}:in`);
        try {
          return await fn(options?.signal ?? new AbortController().signal);
        } finally {
          order.push(`${label}:out`);
        }
      },
    });
    const policy = composePolicies(tracing('outer'), tracing('inner'));
    await expect(policy.execute(() => 42)).resolves.toBe(42);
    expect(order).toEqual(['outer:in', 'inner:in', 'inner:out', 'outer:out']);
  });
});
