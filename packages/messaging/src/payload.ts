import { ValidationError } from '@qtp/core';
import type { MessageCodec } from './codecs.js';
import type { Envelope } from './envelope.js';

/**
 * Returns the envelope's payload decoded with the codec.
 *
 * @throws `ValidationError` when the envelope's `type` or `schemaVersion` is not the codec's, or
 *   the payload is not a valid value (the field named by its path under `payload`).
 * @example
 * ```ts
 * import { decodePayload, orderEventCodec } from '@qtp/messaging';
 * const event = decodePayload(orderEventCodec, envelope);
 * ```
 */
export function decodePayload<Value>(codec: MessageCodec<Value>, envelope: Envelope): Value {
  if (envelope.type !== codec.type) {
    throw new ValidationError('type', `be "${codec.type}"`, envelope.type);
  }
  if (envelope.schemaVersion !== codec.schemaVersion) {
    throw new ValidationError('schemaVersion', `be ${codec.schemaVersion}`, envelope.schemaVersion);
  }
  try {
    return codec.decode(envelope.payload);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.issues.map((issue) => ({
          ...issue,
          field: issue.field === '(root)' ? 'payload' : `payload.${issue.field}`,
        })),
        undefined,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
}
