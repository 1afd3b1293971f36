import * as z from 'zod';
import { jsonCodec, type MessageCodec } from '../codecs.js';

/** A component's health as a system event reports it. `DEGRADED` still serves, with a fault. */
export type SystemHealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

/** A component's health changed, or was reported again (`system.health`). */
export interface SystemHealthEvent {
  readonly type: 'system.health';
  /** The component, such as `binance-ws` or `postgres`. */
  readonly component: string;
  readonly status: SystemHealthStatus;
  /** Why, when the component says. */
  readonly reason?: string;
  /** When the component saw it, epoch milliseconds. */
  readonly timeMs: number;
}

/** A component met an error (`system.error`): its `QtpError` code and message. */
export interface SystemErrorEvent {
  readonly type: 'system.error';
  readonly component: string;
  /** The error's code, SCREAMING_SNAKE (`NETWORK`, `RATE_LIMIT`, ...). */
  readonly code: string;
  readonly message: string;
  /** When the error happened, epoch milliseconds. */
  readonly timeMs: number;
}

/** What a process reports about itself on a system-events topic. */
export type SystemEvent = SystemHealthEvent | SystemErrorEvent;

const component = z.string().min(1);
const timeMs = z.number().int().nonnegative();

const systemEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('system.health'),
    component,
    status: z.enum(['UP', 'DEGRADED', 'DOWN']),
    reason: z.string().optional(),
    timeMs,
  }),
  z.object({
    type: z.literal('system.error'),
    component,
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'be SCREAMING_SNAKE'),
    message: z.string(),
    timeMs,
  }),
]);

/**
 * The codec of {@link SystemEvent}s (envelope type `qtp.system-event`): checks the component,
 * the status, that an error code is SCREAMING_SNAKE and that times are whole epoch milliseconds.
 *
 * @example
 * ```ts
 * import { createEnvelope, systemEventCodec } from '@qtp/messaging';
 * const event = { type: 'system.health', component: 'postgres', status: 'DOWN', timeMs: 1 } as const;
 * await broker.publish('system', createEnvelope(clock, { type: systemEventCodec.type, payload: systemEventCodec.encode(event) }));
 * ```
 */
export const systemEventCodec: MessageCodec<SystemEvent> = jsonCodec(
  'qtp.system-event',
  systemEventSchema,
) as MessageCodec<SystemEvent>;
