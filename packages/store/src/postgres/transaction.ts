import { NetworkError } from '@qtp/core';
import type { Pool, PoolClient } from 'pg';
import { isConnectionError, translatePgError } from './pg-errors.js';

function ignoreLostConnection(): void {}

/**
 * Runs `work` in one transaction on a client of `pool`: BEGIN, work, COMMIT; ROLLBACK when work
 * throws. A client whose connection broke is destroyed rather than returned to the pool.
 * @internal
 */
export async function inTransaction<R>(
  pool: Pool,
  work: (client: PoolClient) => Promise<R>,
): Promise<R> {
  const client = await pool.connect();
  // A connection that drops mid-transaction fails the pending query; it must not also crash the
  // process as an unhandled 'error' event.
  client.on('error', ignoreLostConnection);
  let broken: unknown;
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken = error;
      else
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
      throw error;
    }
  } finally {
    client.off('error', ignoreLostConnection);
    client.release(broken !== undefined);
  }
}

/**
 * Runs an idempotent write in a transaction, trying again on a fresh connection when the
 * connection is lost: the first attempt may have committed before the loss (during COMMIT), and
 * an idempotent write repeated after a commit changes nothing, so the retry settles the outcome.
 * @throws `NetworkError` (retryable) when every attempt lost its connection; nothing is known to
 * be written, and repeating the call later is safe
 * @internal
 */
export async function idempotentWrite<R>(
  pool: Pool,
  target: { readonly entity: string; readonly id: string; readonly attempts: number },
  work: (client: PoolClient) => Promise<R>,
): Promise<R> {
  let last: unknown;
  for (let attempt = 0; attempt < target.attempts; attempt++) {
    try {
      return await inTransaction(pool, work);
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
