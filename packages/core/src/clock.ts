import { ValidationError } from './errors.js';
import { checkTimeMs } from './orders/order-types.js';

/**
 * Identifies a timer set on a {@link Clock}; pass it to {@link Clock.cancel}. Ids are unique per
 * clock instance, never reused, and mean nothing to another clock.
 */
export type TimerId = number & {
  /** Keeps plain numbers out at compile time; absent at run time. */
  readonly __brand: 'TimerId';
};

/** A timer callback. Receives the clock time, in epoch milliseconds, at which the timer fires. */
export type TimerCallback = (nowMs: number) => void;

/**
 * The source of time and timers for QTP code. Library code never calls `Date.now()` or
 * `setTimeout` directly: it asks its clock, so the same code runs on real time
 * ({@link LiveClock}) and on simulated time in backtests and tests (`SimulatedClock`).
 *
 * All times are epoch milliseconds; all durations are milliseconds.
 */
export interface Clock {
  /** Returns the current time in epoch milliseconds. */
  now(): number;
  /**
   * Calls `callback` once, `delayMs` milliseconds from now, and returns the timer's id.
   * @throws {@link ValidationError} when `delayMs` is negative or not finite
   */
  setTimeout(callback: TimerCallback, delayMs: number): TimerId;
  /**
   * Calls `callback` once at the absolute time `atMs` (epoch milliseconds), or as soon as
   * possible when that time has passed, and returns the timer's id.
   * @throws {@link ValidationError} naming `atMs` when it is not epoch milliseconds (a safe integer, 0 or more)
   */
  setAlarm(callback: TimerCallback, atMs: number): TimerId;
  /**
   * Calls `callback` every `intervalMs` milliseconds, first `intervalMs` from now, until the timer
   * is canceled, and returns the timer's id.
   * @throws {@link ValidationError} when `intervalMs` is not a positive finite number (a
   * `LiveClock` also refuses more than 2^31 - 1 ms, the platform's limit)
   */
  setInterval(callback: TimerCallback, intervalMs: number): TimerId;
  /** Cancels a timer. Returns true when the timer was pending, false when unknown or done. */
  cancel(id: TimerId): boolean;
}

/**
 * Throws a {@link ValidationError} unless `value` is a finite number of at least `min`.
 * @internal
 */
export function checkDuration(field: string, value: number, min: number, rule: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ValidationError(field, rule, value);
  }
}

/** Options of {@link LiveClock}. */
export interface LiveClockOptions {
  /**
   * Unreferences every timer so that pending timers alone do not keep the Node.js process
   * alive (default false). Ignored where timers have no `unref`.
   */
  unref?: boolean;
}

type Handle = ReturnType<typeof globalThis.setTimeout>;

// The longest delay platform timers accept (2^31 - 1 ms).
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A {@link Clock} on real time: `Date.now()` and the platform's timers. Use it for paper and
 * live trading; use `SimulatedClock` in backtests and tests.
 *
 * @example
 * ```ts
 * import { LiveClock } from '@qtp/core';
 * const clock = new LiveClock({ unref: true });
 * const id = clock.setInterval((nowMs) => console.log('tick', nowMs), 1_000);
 * clock.cancel(id);
 * ```
 */
export class LiveClock implements Clock {
  private readonly unref: boolean;
  private readonly timers = new Map<TimerId, { handle: Handle; repeating: boolean }>();
  private nextId = 1;

  /** Creates a clock on real time. */
  constructor(options: LiveClockOptions = {}) {
    this.unref = options.unref ?? false;
  }

  /** Returns `Date.now()`. */
  now(): number {
    return Date.now();
  }

  /** {@inheritDoc Clock.setTimeout} */
  setTimeout(callback: TimerCallback, delayMs: number): TimerId {
    checkDuration('delayMs', delayMs, 0, 'be a finite number of milliseconds >= 0');
    const id = this.nextId++ as TimerId;
    this.arm(id, callback, Date.now() + delayMs, delayMs);
    return id;
  }

  /** {@inheritDoc Clock.setAlarm} */
  setAlarm(callback: TimerCallback, atMs: number): TimerId {
    checkTimeMs(atMs, 'atMs');
    const id = this.nextId++ as TimerId;
    this.arm(id, callback, atMs, atMs - Date.now());
    return id;
  }

  /** {@inheritDoc Clock.setInterval} */
  setInterval(callback: TimerCallback, intervalMs: number): TimerId {
    if (!(intervalMs > 0 && intervalMs <= MAX_TIMER_DELAY_MS)) {
      throw new ValidationError(
        'intervalMs',
        `be a number of milliseconds > 0 and <= ${MAX_TIMER_DELAY_MS}`,
        intervalMs,
      );
    }
    const id = this.nextId++ as TimerId;
    const handle = globalThis.setInterval(() => callback(Date.now()), intervalMs);
    this.track(id, handle, true);
    return id;
  }

  /** {@inheritDoc Clock.cancel} */
  cancel(id: TimerId): boolean {
    const timer = this.timers.get(id);
    if (timer === undefined) return false;
    this.timers.delete(id);
    if (timer.repeating) globalThis.clearInterval(timer.handle);
    else globalThis.clearTimeout(timer.handle);
    return true;
  }

  private arm(id: TimerId, callback: TimerCallback, dueMs: number, delayMs: number): void {
    // Platform timers overflow past about 24.8 days and fire at once, so long waits go in steps.
    const step = Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS);
    const handle = globalThis.setTimeout(() => {
      const remainingMs = dueMs - Date.now();
      if (step === MAX_TIMER_DELAY_MS && remainingMs > 0) {
        this.arm(id, callback, dueMs, remainingMs);
        return;
      }
      this.timers.delete(id);
      callback(Date.now());
    }, step);
    this.track(id, handle, false);
  }

  private track(id: TimerId, handle: Handle, repeating: boolean): void {
    // Browsers return a number without unref; Node returns a Timeout object that has it.
    if (this.unref && typeof handle === 'object' && handle !== null && 'unref' in handle) {
      handle.unref();
    }
    this.timers.set(id, { handle, repeating });
  }
}
