import { isQtpError, LiveClock } from '@qtp/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('LiveClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the current epoch time', () => {
    const clock = new LiveClock();
    expect(clock.now()).toBe(Date.UTC(2024, 0, 1));
    vi.advanceTimersByTime(1_500);
    expect(clock.now()).toBe(Date.UTC(2024, 0, 1) + 1_500);
  });

  it('fires a timeout once with the time it fires at', () => {
    const clock = new LiveClock();
    const fired: number[] = [];
    clock.setTimeout((nowMs) => fired.push(nowMs), 100);
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(fired).toEqual([Date.UTC(2024, 0, 1) + 100]);
  });

  it('fires an alarm at an absolute time, and at once when the time has passed', () => {
    const clock = new LiveClock();
    const fired: string[] = [];
    clock.setAlarm(() => fired.push('later'), Date.UTC(2024, 0, 1) + 1_000);
    clock.setAlarm(() => fired.push('past'), Date.UTC(2023, 0, 1));
    vi.advanceTimersByTime(0);
    expect(fired).toEqual(['past']);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['past', 'later']);
  });

  it('waits past the platform timer limit of about 24.8 days', () => {
    const clock = new LiveClock();
    const dayMs = 86_400_000;
    const fired: number[] = [];
    clock.setAlarm((nowMs) => fired.push(nowMs), Date.UTC(2024, 0, 1) + 40 * dayMs);
    vi.advanceTimersByTime(39 * dayMs);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(dayMs);
    expect(fired).toEqual([Date.UTC(2024, 0, 1) + 40 * dayMs]);
  });

  it('repeats an interval until it is canceled', () => {
    const clock = new LiveClock({ unref: true });
    let ticks = 0;
    const id = clock.setInterval(() => ticks++, 10);
    vi.advanceTimersByTime(35);
    expect(ticks).toBe(3);
    expect(clock.cancel(id)).toBe(true);
    vi.advanceTimersByTime(100);
    expect(ticks).toBe(3);
    expect(clock.cancel(id)).toBe(false);
  });

  it('reports a canceled or fired timeout as no longer pending', () => {
    const clock = new LiveClock();
    const fired = vi.fn();
    const id = clock.setTimeout(fired, 10);
    expect(clock.cancel(id)).toBe(true);
    vi.advanceTimersByTime(20);
    expect(fired).not.toHaveBeenCalled();
    const done = clock.setTimeout(() => {}, 1);
    vi.advanceTimersByTime(1);
    expect(clock.cancel(done)).toBe(false);
  });

  it('rejects a negative delay and a non-positive interval with a ValidationError', () => {
    const clock = new LiveClock();
    expect(() => clock.setTimeout(() => {}, -1)).toThrow(/delayMs: must be/);
    expect(() => clock.setInterval(() => {}, 0)).toThrow(/intervalMs: must be/);
    try {
      clock.setAlarm(() => {}, Number.NaN);
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
    }
    expect.assertions(3);
  });
});
