import { QtpError, RateLimitError, ValidationError } from '@qtp/core';
import { RateLimiter } from '@qtp/core/resilience';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Sent {
  readonly atMs: number;
  readonly weight: number;
  /** The order of events, finer than a millisecond: a call and a pause in one ms still differ. */
  readonly seq: number;
}

let seq = 0;

/** Runs `fn` on the limiter and records when it was sent and with what weight. */
function send(
  limiter: RateLimiter,
  sent: Sent[],
  weight: number,
  result = weight,
): Promise<number> {
  return limiter.execute(
    () => {
      sent.push({ atMs: Date.now(), weight, seq: ++seq });
      return result;
    },
    { weight },
  );
}

describe('RateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends calls within the window budget and holds the rest until the next window', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    const sent: Sent[] = [];
    const results = [send(limiter, sent, 4), send(limiter, sent, 4), send(limiter, sent, 4)];
    await vi.advanceTimersByTimeAsync(900);
    expect(sent.map((call) => call.weight)).toEqual([4, 4]);
    expect(sent.every((call) => call.atMs < 1_000)).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.atMs).toBeGreaterThanOrEqual(1_000);
    await expect(Promise.all(results)).resolves.toEqual([4, 4, 4]);
    await limiter.stop();
  });

  it('sends a call at once, without waiting for a timer, when nothing waits and the window has room', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    const sent: Sent[] = [];
    const first = send(limiter, sent, 3);
    // No timer has run: the call went out within execute itself.
    expect(sent.map((call) => call.weight)).toEqual([3]);
    await expect(first).resolves.toBe(3);
    expect(limiter.remaining()).toBe(7);
    await limiter.stop();
  });

  it('lets no call skip ahead of one waiting for the next window', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    const sent: Sent[] = [];
    const calls = [send(limiter, sent, 4), send(limiter, sent, 4), send(limiter, sent, 4)];
    await vi.advanceTimersByTimeAsync(100);
    // 2 of the budget is left, but the call of 4 before it waits: so does the call of 1.
    calls.push(send(limiter, sent, 1));
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map((call) => call.weight)).toEqual([4, 4]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((call) => call.weight)).toEqual([4, 4, 4, 1]);
    await Promise.all(calls);
    await limiter.stop();
  });

  it('refills at clock-aligned window boundaries, not a full interval after its creation', async () => {
    vi.setSystemTime(59_900);
    const limiter = new RateLimiter({ limit: 5, intervalMs: 60_000 });
    const sent: Sent[] = [];
    const calls = [send(limiter, sent, 5), send(limiter, sent, 5)];
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.atMs).toBeGreaterThanOrEqual(60_000);
    await Promise.all(calls);
    await limiter.stop();
  });

  it('lowers the remaining budget to what the venue reports as used, and never raises it', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    limiter.reportUsage(8);
    expect(limiter.remaining()).toBe(2);
    limiter.reportUsage(1);
    expect(limiter.remaining()).toBe(2);
    const sent: Sent[] = [];
    const call = send(limiter, sent, 3);
    await vi.advanceTimersByTimeAsync(900);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.atMs).toBeGreaterThanOrEqual(1_000);
    await call;
    await limiter.stop();
  });

  it('sends nothing inside a retry-after pause and resumes with the budget left', async () => {
    const limiter = new RateLimiter({ limit: 12, intervalMs: 60_000 });
    const sent: Sent[] = [];
    const first = send(limiter, sent, 3);
    await vi.advanceTimersByTimeAsync(10);
    await first;
    limiter.pauseFor(5_000);
    const pausedUntil = limiter.pausedUntil;
    expect(pausedUntil).toBe(Date.now() + 5_000);
    const calls = [send(limiter, sent, 4), send(limiter, sent, 4)];
    await vi.advanceTimersByTimeAsync(4_999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(3);
    expect(sent.slice(1).every((call) => call.atMs >= pausedUntil)).toBe(true);
    await Promise.all(calls);
    expect(limiter.pausedUntil).toBe(0);
    expect(limiter.remaining()).toBe(1);
    await limiter.stop();
  });

  it('pauses itself for the retry-after of a rate-limit error thrown through it', async () => {
    const limiter = new RateLimiter({ limit: 100, intervalMs: 60_000 });
    const refused = limiter.execute(() => {
      throw new RateLimitError('too much request weight used', 2_000);
    });
    const outcome = refused.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toBeInstanceOf(RateLimitError);
    const pausedUntil = limiter.pausedUntil;
    expect(pausedUntil).toBeGreaterThan(Date.now());
    const sent: Sent[] = [];
    const call = send(limiter, sent, 1);
    await vi.advanceTimersByTimeAsync(pausedUntil - Date.now() - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.atMs).toBeGreaterThanOrEqual(pausedUntil);
    await call;
    await limiter.stop();
  });

  it('gives a window that starts during a pause its full budget once the pause ends', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    const sent: Sent[] = [];
    const first = send(limiter, sent, 10);
    await vi.advanceTimersByTimeAsync(10);
    await first;
    limiter.pauseFor(1_490);
    const calls = [send(limiter, sent, 6), send(limiter, sent, 6)];
    await vi.advanceTimersByTimeAsync(1_480);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.atMs).toBeGreaterThanOrEqual(1_500);
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.atMs).toBeGreaterThanOrEqual(2_000);
    await Promise.all(calls);
    await limiter.stop();
  });

  it('rejects a weight above the limit, which could never be sent', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1_000 });
    await expect(limiter.execute(() => 1, { weight: 11 })).rejects.toBeInstanceOf(ValidationError);
    await limiter.stop();
  });

  it('rejects calls still waiting when stopped', async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 1_000 });
    const first = limiter.execute(() => 'sent');
    const waiting = limiter.execute(() => 'never');
    const refusal = waiting.catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(10);
    const stopping = limiter.stop();
    await vi.advanceTimersByTimeAsync(10);
    await stopping;
    await expect(first).resolves.toBe('sent');
    const error = await refusal;
    expect(error).toBeInstanceOf(QtpError);
    expect((error as QtpError).code).toBe('INTERNAL');
  });

  it('never sends more than the limit within any clock-aligned window under a random burst', async () => {
    const scenario = fc.record({
      limit: fc.integer({ min: 1, max: 40 }),
      intervalMs: fc.constantFrom(250, 1_000, 10_000),
      startMs: fc.integer({ min: 0, max: 100_000 }),
      calls: fc.array(
        fc.record({
          atFraction: fc.double({ min: 0, max: 3, noNaN: true }),
          weightFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        {
          minLength: 1,
          maxLength: 60,
        },
      ),
      reports: fc.array(
        fc.record({
          atFraction: fc.double({ min: 0, max: 3, noNaN: true }),
          usedFraction: fc.double({ min: 0, max: 1.2, noNaN: true }),
        }),
        {
          maxLength: 5,
        },
      ),
      pauses: fc.array(
        fc.record({
          atFraction: fc.double({ min: 0, max: 3, noNaN: true }),
          lengthFraction: fc.double({ min: 0, max: 2, noNaN: true }),
        }),
        {
          maxLength: 3,
        },
      ),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ limit, intervalMs, startMs, calls, reports, pauses }) => {
        vi.setSystemTime(startMs);
        const limiter = new RateLimiter({ limit, intervalMs });
        const sent: Sent[] = [];
        const pauseWindows: { fromMs: number; toMs: number; seq: number }[] = [];
        const pending: Promise<number>[] = [];
        const at = (fraction: number) => Math.floor(fraction * intervalMs);
        for (const call of calls) {
          const weight = Math.round(call.weightFraction * limit);
          setTimeout(() => pending.push(send(limiter, sent, weight)), at(call.atFraction));
        }
        for (const report of reports) {
          setTimeout(
            () => limiter.reportUsage(Math.floor(report.usedFraction * limit)),
            at(report.atFraction),
          );
        }
        for (const pause of pauses) {
          setTimeout(() => {
            const ms = at(pause.lengthFraction);
            pauseWindows.push({ fromMs: Date.now(), toMs: Date.now() + ms, seq: ++seq });
            limiter.pauseFor(ms);
          }, at(pause.atFraction));
        }
        // Enough windows for every call to go out: each window sends at least one waiting call.
        for (let step = 0; step < calls.length + 8 && sent.length < calls.length; step++) {
          await vi.advanceTimersByTimeAsync(intervalMs * 3);
        }
        await Promise.all(pending);
        await limiter.stop();

        expect(sent).toHaveLength(calls.length);
        const perWindow = new Map<number, number>();
        for (const call of sent) {
          const window = Math.floor(call.atMs / intervalMs);
          perWindow.set(window, (perWindow.get(window) ?? 0) + call.weight);
        }
        for (const total of perWindow.values()) expect(total).toBeLessThanOrEqual(limit);
        for (const call of sent) {
          for (const pause of pauseWindows) {
            // Sent after the pause began (a call sent before it in the same millisecond is not
            // inside it) and before it ended.
            expect(call.seq > pause.seq && call.atMs < pause.toMs).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
