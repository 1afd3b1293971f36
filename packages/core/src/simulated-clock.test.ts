import { isQtpError, SimulatedClock, type TimerId } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('SimulatedClock', () => {
  it('starts at the given time and moves only when advanced', () => {
    const clock = new SimulatedClock({ startMs: 1_000 });
    expect(clock.now()).toBe(1_000);
    clock.advanceBy(250);
    expect(clock.now()).toBe(1_250);
    clock.advanceTo(2_000);
    expect(clock.now()).toBe(2_000);
  });

  it('fires due timers in time order, ties in creation order, with now() at each due time', () => {
    const clock = new SimulatedClock();
    const fired: string[] = [];
    const note = (name: string) => () => fired.push(`${name}@${clock.now()}`);
    clock.setTimeout(note('c'), 30);
    clock.setTimeout(note('a1'), 10);
    clock.setAlarm(note('b'), 20);
    clock.setTimeout(note('a2'), 10);
    clock.setTimeout(note('late'), 100);
    clock.advanceBy(50);
    expect(fired).toEqual(['a1@10', 'a2@10', 'b@20', 'c@30']);
    expect(clock.now()).toBe(50);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextDueMs()).toBe(100);
  });

  it('fires timers set by a callback when they fall within the window', () => {
    const clock = new SimulatedClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 10);
    clock.advanceTo(20);
    expect(fired).toEqual([10, 15]);
    clock.advanceTo(60);
    expect(fired).toEqual([10, 15, 60]);
  });

  it('fires a timer due now or in the past at the next advance, never while it is set', () => {
    const clock = new SimulatedClock({ startMs: 100 });
    const fired: number[] = [];
    clock.setAlarm((nowMs) => fired.push(nowMs), 50);
    clock.setTimeout((nowMs) => fired.push(nowMs), 0);
    expect(fired).toEqual([]);
    clock.advanceBy(0);
    expect(fired).toEqual([100, 100]);
  });

  it('repeats an interval at each multiple and lets its callback cancel it', () => {
    const clock = new SimulatedClock();
    const fired: number[] = [];
    const id: TimerId = clock.setInterval((nowMs) => {
      fired.push(nowMs);
      if (fired.length === 3) clock.cancel(id);
    }, 10);
    clock.advanceBy(100);
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('skips a canceled timer', () => {
    const clock = new SimulatedClock();
    const fired: string[] = [];
    const id = clock.setTimeout(() => fired.push('canceled'), 10);
    clock.setTimeout(() => fired.push('kept'), 10);
    expect(clock.cancel(id)).toBe(true);
    expect(clock.cancel(id)).toBe(false);
    clock.advanceBy(10);
    expect(fired).toEqual(['kept']);
  });

  it('refuses to go backwards with a ValidationError', () => {
    const clock = new SimulatedClock({ startMs: 500 });
    let caught: unknown;
    try {
      clock.advanceTo(499);
    } catch (error) {
      caught = error;
    }
    expect(isQtpError(caught, 'VALIDATION')).toBe(true);
    expect(String(caught)).toMatch(/timeMs: must not be before the current time 500, was 499/);
    expect(() => clock.advanceBy(-1)).toThrow(/ms: must be/);
    expect(clock.now()).toBe(500);
  });

  it('refuses to be advanced from inside a timer callback', () => {
    const clock = new SimulatedClock();
    let caught: unknown;
    clock.setTimeout(() => {
      try {
        clock.advanceBy(1);
      } catch (error) {
        caught = error;
      }
    }, 1);
    clock.advanceBy(5);
    expect(isQtpError(caught, 'VALIDATION')).toBe(true);
    expect(clock.now()).toBe(5);
  });

  it('stops at a throwing timer and keeps the later ones pending', () => {
    const clock = new SimulatedClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout((nowMs) => fired.push(nowMs), 20);
    expect(() => clock.advanceTo(30)).toThrow('boom');
    expect(clock.now()).toBe(10);
    clock.advanceTo(30);
    expect(fired).toEqual([20]);
  });

  it('fires any set of timers exactly once, in nondecreasing time order, ties in creation order', () => {
    const timerSpec = fc.record({
      delayMs: fc.integer({ min: 0, max: 1_000 }),
      // A nested timer set from the callback, possibly inside the same window.
      nestedDelayMs: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
      canceled: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(timerSpec, { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 8 }),
        (specs, steps) => {
          const clock = new SimulatedClock();
          const fired: Array<{ key: string; atMs: number; dueMs: number; seq: number }> = [];
          let created = 0;
          const expected = new Set<string>();
          specs.forEach((spec, index) => {
            const key = `t${index}`;
            const dueMs = spec.delayMs;
            const seq = created++;
            const id = clock.setTimeout((nowMs) => {
              fired.push({ key, atMs: nowMs, dueMs, seq });
              if (spec.nestedDelayMs !== undefined) {
                const nested = {
                  key: `${key}n`,
                  dueMs: nowMs + spec.nestedDelayMs,
                  seq: created++,
                };
                clock.setTimeout((atMs) => fired.push({ ...nested, atMs }), spec.nestedDelayMs);
              }
            }, spec.delayMs);
            if (spec.canceled) clock.cancel(id);
          });
          for (const step of steps) clock.advanceBy(step);
          const end = clock.now();
          specs.forEach((spec, index) => {
            if (spec.canceled || spec.delayMs > end) return;
            expected.add(`t${index}`);
            if (spec.nestedDelayMs !== undefined && spec.delayMs + spec.nestedDelayMs <= end)
              expected.add(`t${index}n`);
          });
          const keys = fired.map((entry) => entry.key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(new Set(keys)).toEqual(expected);
          for (let i = 1; i < fired.length; i++) {
            const [previous, current] = [fired[i - 1]!, fired[i]!];
            expect(current.atMs).toBeGreaterThanOrEqual(previous.atMs);
            // Ties fire in the order the timers were set.
            if (current.atMs === previous.atMs) expect(current.seq).toBeGreaterThan(previous.seq);
          }
          for (const entry of fired) expect(entry.atMs).toBe(entry.dueMs);
        },
      ),
    );
  });
});
