import { isQtpError, OrderStateUnknownError, TimeoutError } from '@qtp/core';
import { createBulkheadPolicy, createTimeoutPolicy } from '@qtp/core/resilience';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const never = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted'))),
  );

describe('createTimeoutPolicy', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('raises a QTP TimeoutError and aborts the call when it runs past the limit', async () => {
    const timeout = createTimeoutPolicy({ name: 'rest', timeoutMs: 1_000 });
    let seen: AbortSignal | undefined;
    const outcome = timeout
      .execute((signal) => {
        seen = signal;
        return never(signal);
      })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(1_000);
    expect(seen?.aborted).toBe(true);
  });

  it('raises OrderStateUnknownError when a placement times out, since the order may be live', async () => {
    const timeout = createTimeoutPolicy({ timeoutMs: 500 });
    const outcome = timeout
      .execute(never, { clientOrderId: 'qtp-42' })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(500);
    const error = await outcome;
    expect(error).toBeInstanceOf(OrderStateUnknownError);
    expect((error as OrderStateUnknownError).clientOrderId).toBe('qtp-42');
    expect((error as OrderStateUnknownError).cause).toBeInstanceOf(TimeoutError);
  });

  it('returns the result of a call that finishes in time', async () => {
    const timeout = createTimeoutPolicy({ timeoutMs: 500 });
    await expect(timeout.execute(() => 'fast')).resolves.toBe('fast');
  });
});

describe('createBulkheadPolicy', () => {
  it('rejects calls beyond the running and queued capacity with BULKHEAD_REJECTED', async () => {
    const bulkhead = createBulkheadPolicy({ name: 'rest', maxConcurrent: 1, maxQueued: 1 });
    let release: () => void = () => {};
    const running = bulkhead.execute(
      () => new Promise<string>((resolve) => (release = () => resolve('first'))),
    );
    const queued = bulkhead.execute(() => 'second');
    expect(bulkhead.freeSlots).toBe(0);
    expect(bulkhead.freeQueueSlots).toBe(0);
    const refused = await bulkhead.execute(() => 'third').catch((caught: unknown) => caught);
    expect(isQtpError(refused, 'BULKHEAD_REJECTED')).toBe(true);
    release();
    await expect(running).resolves.toBe('first');
    await expect(queued).resolves.toBe('second');
  });
});
