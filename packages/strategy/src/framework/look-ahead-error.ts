import { ValidationError } from '@qtp/core';
import { eventTimeMs, type StrategyInputEvent } from './events.js';

/**
 * Thrown when a host delivers to a strategy an event stamped after the clock's current time:
 * a strategy may only see what has already happened. A {@link @qtp/core!ValidationError} (code
 * `VALIDATION`), so `isQtpError(error, 'VALIDATION')` catches it too; the message reads
 * `bar.closeTimeMs: must not be after the clock time 1000, was 2000`.
 *
 * @example
 * ```ts
 * import { LookAheadError } from '@qtp/strategy';
 * try {
 *   manager.handle(createBarEvent(bar));
 * } catch (error) {
 *   if (error instanceof LookAheadError) console.log(error.eventTimeMs - error.nowMs);
 * }
 * ```
 */
export class LookAheadError extends ValidationError {
  /** The time the event is stamped with, epoch milliseconds. */
  readonly eventTimeMs: number;
  /** The clock time when it was delivered, epoch milliseconds. */
  readonly nowMs: number;

  /**
   * Creates the error for an event stamped `eventTimeMs` delivered at `nowMs`.
   * @param field - the event's time field, such as `bar.closeTimeMs`
   */
  constructor(field: string, eventTimeMs: number, nowMs: number) {
    super(field, `not be after the clock time ${nowMs}`, eventTimeMs, {
      details: { eventTimeMs, nowMs },
    });
    this.eventTimeMs = eventTimeMs;
    this.nowMs = nowMs;
  }
}

const TIME_FIELD = {
  bar: 'eventTimeMs',
  trade: 'eventTimeMs',
  quote: 'eventTimeMs',
  bookSnapshot: 'eventTimeMs',
  bookDelta: 'eventTimeMs',
  orderUpdate: 'report.timeMs',
  fill: 'fill.timeMs',
  'order.denied': 'timeMs',
} as const;

/**
 * Throws a {@link LookAheadError} when `event` is stamped after `nowMs`.
 * @internal
 */
export function assertNotAhead(event: StrategyInputEvent, nowMs: number): void {
  const timeMs = eventTimeMs(event);
  if (timeMs > nowMs) throw new LookAheadError(TIME_FIELD[event.type], timeMs, nowMs);
}
