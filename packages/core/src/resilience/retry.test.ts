import {
  InvalidOrderError,
  isQtpError,
  NetworkError,
  OrderStateUnknownError,
  QtpError,
  RateLimitError,
} from '@qtp/core';
import { MetricsRegistry } from '@qtp/core/observability';
import { createRetryPolicy } from '@qtp/core/resilience';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Returns a function that throws the given errors in turn, then returns `result`. */
function failing<T>(
  errors: readonly unknown[],
  result: T,
): { fn: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    fn: async () => {
      const error = errors[calls];
      calls += 1;
      if (error !== undefined) throw error;
      return result;
    },
    calls: () => calls,
  };
}

describe('createRetryPolicy', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries retryable errors with backoff until the call succeeds', async () => {
    const retry = createRetryPolicy({ maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1_000 });
    const work = failing([new NetworkError('reset'), new NetworkError('reset')], 'ok');
    const result = retry.execute(work.fn);
    await vi.advanceTimersByTimeAsync(0);
    expect(work.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toBe('ok');
    expect(work.calls()).toBe(3);
  });

  it('never retries a non-retryable error', async () => {
    const retry = createRetryPolicy({ maxRetries: 5 });
    const work = failing([new InvalidOrderError('price below the tick')], 'never');
    await expect(retry.execute(work.fn)).rejects.toBeInstanceOf(InvalidOrderError);
    expect(work.calls()).toBe(1);
  });

  it('never retries an error that is not a QTP error', async () => {
    const retry = createRetryPolicy({ maxRetries: 5 });
    const work = failing([new TypeError('undefined is not a function')], 'never');
    await expect(retry.execute(work.fn)).rejects.toBeInstanceOf(TypeError);
    expect(work.calls()).toBe(1);
  });

  it('never retries OrderStateUnknownError, even when told every error is retryable', async () => {
    const retry = createRetryPolicy({ maxRetries: 5, isRetryable: () => true });
    const work = failing([new OrderStateUnknownError('qtp-1')], 'never');
    await expect(retry.execute(work.fn)).rejects.toBeInstanceOf(OrderStateUnknownError);
    expect(work.calls()).toBe(1);
  });

  it("does not retry the SDK's own circuit-open refusal", async () => {
    const retry = createRetryPolicy({ maxRetries: 5 });
    const work = failing([new QtpError('CIRCUIT_OPEN', 'open', true)], 'never');
    const error = await retry.execute(work.fn).catch((caught: unknown) => caught);
    expect(isQtpError(error, 'CIRCUIT_OPEN')).toBe(true);
    expect(work.calls()).toBe(1);
  });

  it('waits at least the retry-after of a rate-limit error before trying again', async () => {
    const retry = createRetryPolicy({ maxRetries: 1, initialDelayMs: 10, maxDelayMs: 50 });
    const work = failing([new RateLimitError('slow down', 5_000)], 'ok');
    const result = retry.execute(work.fn);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(work.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toBe('ok');
    expect(work.calls()).toBe(2);
  });

  it('throws at once a rate limit whose retry-after is longer than maxRetryAfterMs', async () => {
    const retry = createRetryPolicy({ maxRetries: 3, maxRetryAfterMs: 60_000 });
    const work = failing([new RateLimitError('IP banned', 3_600_000)], 'never');
    await expect(retry.execute(work.fn)).rejects.toBeInstanceOf(RateLimitError);
    expect(work.calls()).toBe(1);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const retry = createRetryPolicy({ maxRetries: 2, initialDelayMs: 10, maxDelayMs: 100 });
    const last = new NetworkError('third');
    const work = failing([new NetworkError('first'), new NetworkError('second'), last], 'never');
    const outcome = retry.execute(work.fn).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toBe(last);
    expect(work.calls()).toBe(3);
  });

  it('counts retries in the metrics registry', async () => {
    const metrics = new MetricsRegistry();
    const retry = createRetryPolicy({
      name: 'binance-rest',
      maxRetries: 3,
      initialDelayMs: 10,
      maxDelayMs: 100,
      metrics,
    });
    const work = failing([new NetworkError('reset'), new NetworkError('reset')], 'ok');
    const result = retry.execute(work.fn);
    await vi.advanceTimersByTimeAsync(1_000);
    await result;
    expect(await metrics.text()).toContain('qtp_resilience_retries_total{policy="binance-rest"} 2');
  });
});
