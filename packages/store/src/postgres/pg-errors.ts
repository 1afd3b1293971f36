import { ConcurrencyConflictError, isQtpError, NetworkError } from '@qtp/core';

// SQLSTATE classes and codes meaning the connection or the server went away: the statement
// may or may not have run, and trying again on a new connection may succeed.
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);
const NODE_CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

interface PgErrorFields {
  readonly code?: string;
  readonly constraint?: string;
  readonly message?: string;
}

function fieldsOf(error: unknown): PgErrorFields {
  return typeof error === 'object' && error !== null ? (error as PgErrorFields) : {};
}

/** Returns true when `error` says the connection to PostgreSQL was lost or refused. */
export function isConnectionError(error: unknown): boolean {
  if (isQtpError(error, 'NETWORK')) return true;
  const { code, message } = fieldsOf(error);
  if (code !== undefined && (CONNECTION_CODES.has(code) || NODE_CONNECTION_CODES.has(code))) {
    return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|connection is closed|Client has encountered a connection error|not queryable/i.test(
      message,
    )
  );
}

/** Returns true when PostgreSQL refused a statement for a serialization failure or deadlock. */
export function isSerializationFailure(error: unknown): boolean {
  const { code } = fieldsOf(error);
  return code === '40001' || code === '40P01';
}

/**
 * Translates what `pg` threw into the SDK's errors: a lost connection becomes a retryable
 * `NetworkError`, a serialization failure a `ConcurrencyConflictError`; anything else is
 * returned unchanged. The original error is kept as `cause`.
 */
export function translatePgError(error: unknown, entity: string, id = ''): unknown {
  if (isQtpError(error)) return error;
  if (isConnectionError(error)) {
    return new NetworkError(`the PostgreSQL connection was lost during a write to ${entity}`, {
      cause: error,
      details: { entity, id },
    });
  }
  if (isSerializationFailure(error)) {
    return new ConcurrencyConflictError(
      { entity, id, expectedVersion: undefined, actualVersion: undefined },
      { cause: error },
    );
  }
  return error;
}
