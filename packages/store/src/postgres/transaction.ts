import { NetworkError } from '@qtp/core';
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import { isConnectionError, translatePgError } from './pg-errors.js';

/**
 * Runs one idempotent statement (atomic on its own) on `pool`, trying again on a fresh
 * connection when the connection is lost, since the first attempt may have committed before the loss and an idempotent write repeated after a commit changes nothing.
 * @throws `NetworkError` (retryable) when every attempt lost its connection
 * @internal
 */
export async function idempotentQuery<R extends QueryResultRow>(
  pool: Pool,
  target: { readonly entity: string; readonly id: string; readonly attempts: number },
  text: string,
  values: unknown[],
): Promise<QueryResult<R>> {
  let last: unknown;
  for (let attempt = 0; attempt < target.attempts; attempt++) {
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      if (!isConnectionError(error)) throw translatePgError(error, target.entity, target.id);
      last = error;
    }
  }
  throw new NetworkError(
    `the PostgreSQL connection was lost on each of ${target.attempts} attempts to write ${target.entity} ${target.id}`,
    { cause: last, details: { entity: target.entity, id: target.id } },
  );
}
