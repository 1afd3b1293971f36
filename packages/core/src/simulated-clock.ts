import { type Clock, checkDuration, type TimerCallback, type TimerId } from './clock.js';
import { ValidationError } from './errors.js';
import { checkTimeMs } from './orders/order-types.js';

/** Options of {@link SimulatedClock}. */
export interface SimulatedClockOptions {
  /** The time the clock starts at, in epoch milliseconds (default 0). */
  startMs?: number;
}

interface Timer {
  readonly id: TimerId;
  dueMs: number;
  // Creation order breaks ties between timers due at the same time.
  seq: number;
  readonly intervalMs: number | undefined;
  readonly callback: TimerCallback;
}

/**
 * A {@link Clock} whose time moves only when its driver says so, for backtests and tests.
 *
 * {@link SimulatedClock.advanceTo} and {@link SimulatedClock.advanceBy} fire every timer due
 * within the window in time order, ties in the order the timers were set, with `now()` equal to
 * each timer's due time while its callback runs. Timers set by a callback fire in the same advance
 * when they fall within the window. A timer due at or before the current time fires at the next
 * advance, which may be `advanceBy(0)`; setting a timer never runs its callback synchronously.
 *
 * When a callback throws, the advance stops at that timer's time and rethrows; timers not yet
 * fired stay pending.
 *
 * @example
 * ```ts
 * import { SimulatedClock } from '@qtp/core';
 * const clock = new SimulatedClock({ startMs: Date.UTC(2024, 0, 1) });
 * clock.setTimeout((nowMs) => console.log('fired at', nowMs), 5_000);
 * clock.advanceBy(10_000); // logs the start time + 5 000 ms
 * ```
 */
export class SimulatedClock implements Clock {
  private nowMs: number;
  // A binary min-heap on (dueMs, seq); canceled timers are dropped from `live` and skipped lazily.
  private readonly heap: Timer[] = [];
  private readonly live = new Map<TimerId, Timer>();
  private nextId = 1;
  private nextSeq = 0;
  private advancing = false;

  /** Creates a clock standing at `options.startMs` (default 0). */
  constructor(options: SimulatedClockOptions = {}) {
    const startMs = options.startMs ?? 0;
    checkDuration(
      'startMs',
      startMs,
      Number.NEGATIVE_INFINITY,
      'be a finite epoch time in milliseconds',
    );
    this.nowMs = startMs;
  }

  /** Returns the simulated time in epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** The number of timers that are set and have not fired for the last time or been canceled. */
  get pendingTimers(): number {
    return this.live.size;
  }

  /** Returns the due time of the earliest pending timer, or `undefined` when none is pending. */
  nextDueMs(): number | undefined {
    this.dropCanceled();
    return this.heap[0]?.dueMs;
  }

  /** {@inheritDoc Clock.setTimeout} */
  setTimeout(callback: TimerCallback, delayMs: number): TimerId {
    checkDuration('delayMs', delayMs, 0, 'be a finite number of milliseconds >= 0');
    return this.add(callback, this.nowMs + delayMs, undefined);
  }

  /** {@inheritDoc Clock.setAlarm} */
  setAlarm(callback: TimerCallback, atMs: number): TimerId {
    checkTimeMs(atMs, 'atMs');
    return this.add(callback, Math.max(atMs, this.nowMs), undefined);
  }

  /** {@inheritDoc Clock.setInterval} */
  setInterval(callback: TimerCallback, intervalMs: number): TimerId {
    checkDuration(
      'intervalMs',
      intervalMs,
      Number.MIN_VALUE,
      'be a finite number of milliseconds > 0',
    );
    return this.add(callback, this.nowMs + intervalMs, intervalMs);
  }

  /** {@inheritDoc Clock.cancel} */
  cancel(id: TimerId): boolean {
    return this.live.delete(id);
  }

  /**
   * Moves the clock forward by `ms` milliseconds, firing the timers due on the way.
   * @throws {@link ValidationError} when `ms` is negative or not finite
   */
  advanceBy(ms: number): void {
    checkDuration('ms', ms, 0, 'be a finite number of milliseconds >= 0');
    this.advanceTo(this.nowMs + ms);
  }

  /**
   * Moves the clock forward to `timeMs`, firing the timers due on the way in time order.
   * @throws {@link ValidationError} when `timeMs` is before the current time or not finite, or
   * when called from a timer callback
   */
  advanceTo(timeMs: number): void {
    // No timer at all: the move is the whole advance (a backtest's usual bar), without the loop.
    if (
      this.heap.length === 0 &&
      !this.advancing &&
      timeMs >= this.nowMs &&
      Number.isFinite(timeMs)
    ) {
      this.nowMs = timeMs;
      return;
    }
    checkDuration(
      'timeMs',
      timeMs,
      Number.NEGATIVE_INFINITY,
      'be a finite epoch time in milliseconds',
    );
    if (timeMs < this.nowMs) {
      throw new ValidationError('timeMs', `not be before the current time ${this.nowMs}`, timeMs);
    }
    if (this.advancing) {
      throw new ValidationError('advanceTo', 'not be called from a timer callback', timeMs);
    }
    this.advancing = true;
    try {
      for (;;) {
        this.dropCanceled();
        const timer = this.heap[0];
        if (timer === undefined || timer.dueMs > timeMs) break;
        this.pop();
        this.nowMs = timer.dueMs;
        if (timer.intervalMs === undefined) {
          this.live.delete(timer.id);
        } else {
          // Rescheduled before the callback runs, so the callback can cancel its own interval.
          timer.dueMs += timer.intervalMs;
          timer.seq = this.nextSeq++;
          this.push(timer);
        }
        timer.callback(this.nowMs);
      }
      this.nowMs = timeMs;
    } finally {
      this.advancing = false;
    }
  }

  private add(callback: TimerCallback, dueMs: number, intervalMs: number | undefined): TimerId {
    if (typeof callback !== 'function') {
      throw new ValidationError('callback', 'be a function', callback);
    }
    const id = this.nextId++ as TimerId;
    const timer: Timer = { id, dueMs, seq: this.nextSeq++, intervalMs, callback };
    this.live.set(id, timer);
    this.push(timer);
    return id;
  }

  private dropCanceled(): void {
    const heap = this.heap;
    while (heap.length > 0 && this.live.get(heap[0]!.id) !== heap[0]) this.pop();
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}
