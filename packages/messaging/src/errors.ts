import { QTP_ERROR_CODES, QtpError, type QtpErrorCode } from '@qtp/core';

/** The payload of an error reply: what the responder's handler threw. */
export interface RemoteErrorPayload {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** The envelope `type` of error replies. */
export const ERROR_REPLY_TYPE = 'qtp.error';

const KNOWN = new Set<string>(QTP_ERROR_CODES);

/**
 * The responder's handler failed. `code` and `retryable` are the remote error's when it was a
 * `QtpError` (so `isQtpError(error, 'VALIDATION')` holds for a remote validation failure), else
 * `INTERNAL` and not retryable; `remoteName` is the remote error's class name.
 *
 * @example
 * ```ts
 * import { isQtpError } from '@qtp/core';
 * import { RemoteError } from '@qtp/messaging';
 * try {
 *   await requester.request({ symbol: 'BTCUSDT' });
 * } catch (error) {
 *   if (error instanceof RemoteError && isQtpError(error, 'VALIDATION')) console.log(error.message);
 * }
 * ```
 */
export class RemoteError extends QtpError {
  /** The class name of the error the responder threw. */
  readonly remoteName: string;

  /** Creates the error from an error reply's payload. */
  constructor(payload: RemoteErrorPayload) {
    const code = (KNOWN.has(payload.code) ? payload.code : 'INTERNAL') as QtpErrorCode;
    super(code, `remote ${payload.name}: ${payload.message}`, payload.retryable, {
      details: { remoteCode: payload.code },
    });
    this.remoteName = payload.name;
  }
}

/** Returns the error reply payload of what a handler threw. */
export function remoteErrorPayload(error: unknown): RemoteErrorPayload {
  if (error instanceof QtpError) {
    return {
      code: error.code,
      name: error.name,
      message: error.message,
      retryable: error.retryable,
    };
  }
  if (error instanceof Error) {
    return { code: 'INTERNAL', name: error.name, message: error.message, retryable: false };
  }
  return { code: 'INTERNAL', name: 'Error', message: String(error), retryable: false };
}
