import type { Clock } from '@qtp/core';
import { DEAD_LETTER_TYPE, type DeadLetter } from './broker.js';
import { createEnvelope, type Envelope } from './envelope.js';

/**
 * Returns the envelope of a dead letter for `queue`: a new id, type `qtp.dead-letter`, the
 * original's id as correlation id when there was an envelope.
 *
 * @example
 * ```ts
 * import { LiveClock } from '@qtp/core';
 * import { createDeadLetter } from '@qtp/messaging';
 * const letter = createDeadLetter(new LiveClock(), { queue: 'jobs', reason: 'body: must be JSON text', body: 'x' });
 * ```
 */
export function createDeadLetter(clock: Clock, letter: DeadLetter): Envelope<DeadLetter> {
  return createEnvelope(clock, {
    type: DEAD_LETTER_TYPE,
    payload: letter,
    ...(letter.envelope === undefined ? {} : { correlationId: letter.envelope.id }),
  });
}

/** Returns the reason an error gives, for a dead letter: its message, or its text. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
