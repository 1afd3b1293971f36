import { parseSystemEvent, type SystemEvent } from '@qtp/core';
import type { MessageCodec } from '../codecs.js';

export type {
  SystemErrorEvent,
  SystemEvent,
  SystemHealthEvent,
  SystemHealthStatus,
} from '@qtp/core';

/**
 * The codec of core's {@link SystemEvent}s (envelope type `qtp.system-event`, `parseSystemEvent`):
 * checks the component, the status, that an error code is SCREAMING_SNAKE and that times are
 * whole epoch milliseconds.
 *
 * @example
 * ```ts
 * import { createEnvelope, systemEventCodec } from '@qtp/messaging';
 * const event = { type: 'system.health', component: 'postgres', status: 'DOWN', timeMs: 1 } as const;
 * await broker.publish('system', createEnvelope(clock, { type: systemEventCodec.type, payload: systemEventCodec.encode(event) }));
 * ```
 */
export const systemEventCodec: MessageCodec<SystemEvent> = Object.freeze({
  type: 'qtp.system-event',
  schemaVersion: 1,
  encode: (event: SystemEvent) => ({ ...event }),
  decode: (json: unknown) => parseSystemEvent(json),
});
