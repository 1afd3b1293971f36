import * as z from 'zod';
import { isQtpError } from '../errors.js';
import { parseWith } from '../zod-errors.js';

/** A component's health as a system event reports it. `DEGRADED` still serves, with a fault. */
export type SystemHealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

/** The bus topic of {@link SystemHealthEvent}. */
export const SYSTEM_HEALTH_TOPIC = 'system.health';

/** The bus topic of {@link SystemErrorEvent}. */
export const SYSTEM_ERROR_TOPIC = 'system.error';

/**
 * Published on `system.health` when a component's health changes: a venue turning `DOWN`, a
 * circuit breaker opening, a feed coming back `UP`. A monitor in another process follows these
 * to alert on outages.
 *
 * @example
 * ```ts
 * import { parseSystemEvent } from '@qtp/core';
 * const event = parseSystemEvent({
 *   type: 'system.health',
 *   component: 'venue:BINANCE',
 *   status: 'DOWN',
 *   reason: 'silent for 31000 ms',
 *   timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export interface SystemHealthEvent {
  /** Always `system.health`. */
  readonly type: 'system.health';
  /** The component, such as `venue:BINANCE` or `circuit:BINANCE/trade`. */
  readonly component: string;
  /** The new status. */
  readonly status: SystemHealthStatus;
  /** Why, when the component says. */
  readonly reason?: string;
  /** When the component saw it, epoch milliseconds of the clock. */
  readonly timeMs: number;
}

/**
 * Published on `system.error` when a component meets an error no caller hears of: its
 * `QtpError` code (`INTERNAL` for anything else) and message, so errors can be counted per code.
 *
 * @example
 * ```ts
 * import { createSystemErrorEvent, NetworkError } from '@qtp/core';
 * const event = createSystemErrorEvent('engine.feed', new NetworkError('socket closed'), 1_000);
 * event.code; // 'NETWORK'
 * ```
 */
export interface SystemErrorEvent {
  /** Always `system.error`. */
  readonly type: 'system.error';
  /** The component, such as `engine.booking`. */
  readonly component: string;
  /** The error's code, SCREAMING_SNAKE (`NETWORK`, `RATE_LIMIT`, ...). */
  readonly code: string;
  /** The error's message. */
  readonly message: string;
  /** When the error happened, epoch milliseconds of the clock. */
  readonly timeMs: number;
}

/** What a process reports about its own state: health changes and errors. */
export type SystemEvent = SystemHealthEvent | SystemErrorEvent;

const component = z.string().min(1);
const timeMs = z.number().int().nonnegative();

const systemEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('system.health'),
    component,
    status: z.enum(['UP', 'DEGRADED', 'DOWN']),
    reason: z.string().optional(),
    timeMs,
  }),
  z.strictObject({
    type: z.literal('system.error'),
    component,
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'be SCREAMING_SNAKE'),
    message: z.string(),
    timeMs,
  }),
]);

/**
 * Checks a plain JSON value (for example one that crossed a process boundary) and returns it as
 * a {@link SystemEvent}. System events are plain JSON, so they are written as they are.
 *
 * @throws `ValidationError` naming the field and the rule when the value is not one: an unknown
 *   `type` or `status`, an empty `component`, a `code` that is not SCREAMING_SNAKE, a `timeMs`
 *   that is not a whole non-negative number, or a field neither kind has.
 * @example
 * ```ts
 * import { parseSystemEvent } from '@qtp/core';
 * parseSystemEvent({ type: 'system.error', component: 'engine.feed', code: 'NETWORK', message: 'closed', timeMs: 1 });
 * ```
 */
export function parseSystemEvent(value: unknown): SystemEvent {
  return parseWith(systemEventSchema, value) as SystemEvent;
}

/**
 * Returns the `system.error` event of an error met by `component` at `timeMs`: the code of a
 * `QtpError`, `INTERNAL` for anything else, and the message (the text of a non-error value).
 *
 * @example
 * ```ts
 * import { createSystemErrorEvent, TimeoutError } from '@qtp/core';
 * createSystemErrorEvent('engine.booking', new TimeoutError('no reply'), 5).code; // 'TIMEOUT'
 * ```
 */
export function createSystemErrorEvent(
  component: string,
  error: unknown,
  timeMs: number,
): SystemErrorEvent {
  return {
    type: 'system.error',
    component,
    code: isQtpError(error) ? error.code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    timeMs,
  };
}
