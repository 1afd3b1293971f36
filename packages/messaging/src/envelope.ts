import { type Clock, parseWith, ValidationError } from '@qtp/core';
import * as z from 'zod';

/**
 * One message on a broker: who it is (`id`, unique per message and kept across redeliveries and
 * retries, so consumers deduplicate by it), what it carries (`type`, `schemaVersion`), when it was
 * made (`time`, epoch milliseconds from the clock), what it answers or belongs to
 * (`correlationId`), where a reply goes (`replyTo`), its ordering key (`key`, for example the
 * instrument), its queue priority (`priority`, 0 to 9), which delivery attempt this is (`attempt`, from 1), and the payload as a JSON value.
 */
export interface Envelope<Payload = unknown> {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly time: number;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly key?: string;
  readonly priority?: number;
  readonly attempt: number;
  readonly payload: Payload;
}

const name = z.string().min(1).max(256);

/** The zod schema every envelope is checked against on the way in. */
export const envelopeSchema = z
  .object({
    id: name,
    type: name,
    schemaVersion: z.number().int().min(1),
    time: z.number().int().nonnegative(),
    correlationId: name.optional(),
    replyTo: name.optional(),
    key: name.optional(),
    priority: z.number().int().min(0).max(9).optional(),
    attempt: z.number().int().min(1),
    payload: z.unknown(),
  })
  .strict();

/** What {@link createEnvelope} needs besides the clock. */
export interface EnvelopeInput<Payload> {
  readonly type: string;
  readonly payload: Payload;
  readonly schemaVersion?: number;
  readonly id?: string;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly key?: string;
  readonly priority?: number;
  readonly attempt?: number;
}

/**
 * Returns a new envelope stamped with the clock's time and, unless given, a random id.
 *
 * @example
 * ```ts
 * import { LiveClock } from '@qtp/core';
 * import { createEnvelope } from '@qtp/messaging';
 * const envelope = createEnvelope(new LiveClock(), { type: 'ping', payload: { n: 1 } });
 * ```
 */
export function createEnvelope<Payload>(
  clock: Clock,
  input: EnvelopeInput<Payload>,
): Envelope<Payload> {
  return {
    id: input.id ?? crypto.randomUUID(),
    type: input.type,
    schemaVersion: input.schemaVersion ?? 1,
    time: clock.now(),
    ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    ...(input.key === undefined ? {} : { key: input.key }),
    ...(input.priority === undefined ? {} : { priority: input.priority }),
    attempt: input.attempt ?? 1,
    payload: input.payload,
  };
}

/**
 * Returns the envelope as the UTF-8 JSON text a broker carries.
 *
 * @example
 * ```ts
 * import { encodeEnvelope } from '@qtp/messaging';
 * const text = encodeEnvelope({ id: 'm1', type: 'ping', schemaVersion: 1, time: 0, attempt: 1, payload: {} });
 * ```
 */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/**
 * Parses the JSON text of an envelope and checks it.
 *
 * @throws `ValidationError` when the text is not JSON (field `(body)`) or not an envelope (the
 *   offending field by its path).
 * @example
 * ```ts
 * import { decodeEnvelope } from '@qtp/messaging';
 * const envelope = decodeEnvelope('{"id":"m1","type":"ping","schemaVersion":1,"time":0,"attempt":1,"payload":{}}');
 * ```
 */
export function decodeEnvelope(text: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('(body)', 'be JSON text', text.slice(0, 80), { cause: error });
  }
  // The plain check accepts only what the schema accepts (a property test holds them together)
  // and costs a fraction of a zod pass; anything it doubts goes to zod, which decides and names
  // the field.
  if (isPlainEnvelope(json)) return json;
  return parseWith(envelopeSchema, json) as Envelope;
}

const OPTIONAL_NAMES = ['correlationId', 'replyTo', 'key'] as const;
const KNOWN_FIELDS = new Set([
  'id',
  'type',
  'schemaVersion',
  'time',
  'correlationId',
  'replyTo',
  'key',
  'priority',
  'attempt',
  'payload',
]);

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 256;
}

function isWhole(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * Returns whether a parsed JSON value is an envelope by the rules of {@link envelopeSchema},
 * checked by hand: a plain object with only the known fields, each present one of its type and
 * range. It may refuse values the schema would take (it never takes one the schema refuses).
 */
function isPlainEnvelope(json: unknown): json is Envelope {
  if (typeof json !== 'object' || json === null || Object.getPrototypeOf(json) !== Object.prototype)
    return false;
  const value = json as Record<string, unknown>;
  let fields = 0;
  for (const field in value) {
    if (!Object.hasOwn(value, field) || !KNOWN_FIELDS.has(field)) return false;
    fields++;
  }
  if (!Object.hasOwn(value, 'payload')) return false;
  if (!isName(value.id) || !isName(value.type)) return false;
  if (!isWhole(value.schemaVersion, 1) || !isWhole(value.time, 0) || !isWhole(value.attempt, 1))
    return false;
  let present = 6;
  for (const field of OPTIONAL_NAMES) {
    if (!Object.hasOwn(value, field)) continue;
    if (!isName(value[field])) return false;
    present++;
  }
  if (Object.hasOwn(value, 'priority')) {
    if (!isWhole(value.priority, 0, 9)) return false;
    present++;
  }
  return present === fields;
}
