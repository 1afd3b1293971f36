import { ConcurrencyConflictError, isQtpError, NetworkError, ValidationError } from '@qtp/core';

// SQLSTATE classes and codes meaning the connection or the server went away: the statement
// may or may not have run, and trying again on a new connection may succeed.
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);
const NODE_CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

interface PgErrorFields {
  readonly code?: string;
  readonly constraint?: string;
  readonly column?: string;
  readonly detail?: string;
  readonly message?: string;
}

// The rule a statement broke, by SQLSTATE, worded to follow "must".
const CONSTRAINT_RULES: Readonly<Record<string, string>> = {
  '23502': 'not be null',
  '23503': 'reference a row that exists',
  '23505': 'be unique',
  '23514': 'pass the check constraint',
  '23P01': 'not overlap another row',
};

/**
 * Returns a `ValidationError` for a statement PostgreSQL refused for its data: a broken
 * constraint (SQLSTATE class 23) or a value the column cannot take (class 22); undefined for
 * any other error.
 */
function dataError(error: unknown, entity: string, id: string): ValidationError | undefined {
  const { code, constraint, column, detail, message } = fieldsOf(error);
  if (code === undefined || !(code.startsWith('23') || code.startsWith('22'))) return undefined;
  const field = `${entity}.${column ?? constraint ?? (id === '' ? 'row' : id)}`;
  const known = CONSTRAINT_RULES[code];
  const rule =
    known === undefined
      ? `be a value PostgreSQL accepts (${message ?? code})`
      : constraint === undefined
        ? known
        : `${known} (constraint ${constraint})`;
  return new ValidationError(field, rule, detail ?? id, {
    cause: error,
    details: { entity, id, sqlState: code },
  });
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
 * `NetworkError`, a serialization failure a `ConcurrencyConflictError`, a broken constraint or
 * a value a column cannot take a `ValidationError` naming the column or constraint; anything
 * else is returned unchanged. The original error is kept as `cause`.
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
  return dataError(error, entity, id) ?? error;
}
