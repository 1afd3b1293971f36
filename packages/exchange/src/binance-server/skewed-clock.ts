import type { Clock, TimerCallback, TimerId } from '@qtp/core';

/**
 * The server's clock: its base clock plus a skew a fault or a test sets, so every time the
 * server reports (server time, order and trade times, event times) moves together.
 */
export class SkewedClock implements Clock {
  skewMs = 0;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.skewMs;
  }

  setTimeout(callback: TimerCallback, delayMs: number): TimerId {
    return this.base.setTimeout((nowMs) => callback(nowMs + this.skewMs), delayMs);
  }

  setAlarm(callback: TimerCallback, atMs: number): TimerId {
    return this.base.setAlarm(
      (nowMs) => callback(nowMs + this.skewMs),
      Math.max(0, atMs - this.skewMs),
    );
  }

  setInterval(callback: TimerCallback, intervalMs: number): TimerId {
    return this.base.setInterval((nowMs) => callback(nowMs + this.skewMs), intervalMs);
  }

  cancel(id: TimerId): boolean {
    return this.base.cancel(id);
  }
}
