import { NetworkError, ValidationError } from '@qtp/core';
import type {
  Collection,
  DataStore,
  Entity,
  EntityId,
  Repository,
  UnitOfWork,
  UnitOfWorkState,
} from '@qtp/core/repository';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { isConnectionError, translatePgError } from './pg-errors.js';
import { PostgresRepository, type Queryable } from './postgres-repository.js';
import { type ResolvedTable, resolveTable, type TableMapping } from './table-mapping.js';

/** Options of {@link PostgresDataStore}. */
export interface PostgresDataStoreOptions {
  /** The pool to work through; its connections' `search_path` names the schema. */
  pool: Pool;
  /**
   * Where each collection lives, by collection name; merged over {@link storeTables}, the
   * tables of this package's migrations.
   */
  tables?: Readonly<Record<string, TableMapping>>;
}

/**
 * The tables of this package's migrations, by collection name: position and balance snapshots,
 * strategy states and backtest runs (see the collections exported by `@qtp/store`).
 * @example
 * ```ts
 * import { storeTables } from '@qtp/store/postgres';
 * console.log(storeTables.backtest_runs.table); // 'qtp_backtest_runs'
 * ```
 */
export const storeTables: Readonly<Record<string, TableMapping>> = Object.freeze({
  position_snapshots: {
    table: 'qtp_position_snapshots',
    columns: {
      venue: 'text',
      instrumentId: 'text',
      quantity: 'decimal',
      averagePrice: 'decimal',
      realizedPnl: 'decimal',
      currency: 'text',
      timeMs: 'timeMs',
    },
  },
  balance_snapshots: {
    table: 'qtp_balance_snapshots',
    columns: { venue: 'text', asset: 'text', free: 'decimal', locked: 'decimal', timeMs: 'timeMs' },
  },
  strategy_states: {
    table: 'qtp_strategy_states',
    columns: { state: 'json', timeMs: 'timeMs' },
  },
  backtest_runs: {
    table: 'qtp_backtest_runs',
    columns: {
      sweepId: 'text',
      strategy: 'text',
      params: 'json',
      startedMs: 'timeMs',
      finishedMs: 'timeMs',
      finalEquity: 'decimal',
      totalReturn: 'number',
      sharpe: 'number',
      maxDrawdown: 'number',
      trades: 'integer',
      analytics: 'json',
    },
  },
});

function ignoreLostConnection(): void {}

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A `DataStore` of `@qtp/core/repository` on PostgreSQL: one table per collection, optimistic
 * versioning checked by each statement, and units of work that are transactions, with
 * savepoints for nested units. It passes the same repository conformance suite as
 * `InMemoryDataStore`.
 *
 * Repositories from the store itself commit each write on its own; those of a unit of work
 * share its transaction and connection.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { withUnitOfWork } from '@qtp/core/repository';
 * import { backtestRuns, strategyStates } from '@qtp/store';
 * import { migrate, PostgresDataStore } from '@qtp/store/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * const store = new PostgresDataStore({ pool });
 * await withUnitOfWork(store, async (uow) => {
 *   await uow.repository(strategyStates).add({ id: 'sma', state: { fast: 5 }, timeMs: 0 });
 * });
 * const best = await store.repository(backtestRuns).find({
 *   orderBy: [{ field: 'sharpe', direction: 'desc' }], limit: 10,
 * });
 * ```
 */
export class PostgresDataStore implements DataStore {
  private readonly pool: Pool;
  private readonly tables = new Map<string, ResolvedTable>();

  /**
   * Creates a store on a pool; it holds no connection until the first call.
   * @throws `ValidationError` naming the table or column when a mapping names no SQL identifier
   */
  constructor(options: PostgresDataStoreOptions) {
    this.pool = options.pool;
    const mappings = { ...storeTables, ...options.tables };
    for (const [name, mapping] of Object.entries(mappings)) {
      this.tables.set(name, resolveTable(name, mapping));
    }
  }

  /**
   * Returns the repository of a collection; each write commits on its own.
   * @throws `ValidationError` naming `collection` when the store has no table for it
   */
  repository<T extends Entity<Id>, Id extends EntityId = string>(
    collection: Collection<T, Id>,
  ): Repository<T, Id> {
    return new PostgresRepository<T, Id>(
      collection.name,
      this.tableOf(collection.name),
      () => this.pool,
    );
  }

  /** Returns a new, idle unit of work: a transaction on a connection of its own once begun. */
  unitOfWork(): UnitOfWork {
    return new PostgresUnitOfWork(this.pool, (name) => this.tableOf(name));
  }

  private tableOf(name: string): ResolvedTable {
    const table = this.tables.get(name);
    if (table === undefined) {
      throw new ValidationError('collection', 'name a collection the store has a table for', name);
    }
    return table;
  }
}

/** The savepoint each statement of a unit of work runs under. */
const STATEMENT_SAVEPOINT = 'qtp_statement';

/**
 * A unit of work on PostgreSQL: BEGIN on `begin`, COMMIT or ROLLBACK at the end, savepoints in
 * between. Its repositories' statements run one at a time, each under a savepoint of its own:
 * a statement PostgreSQL refuses (a broken constraint, a value a column cannot take) is rolled
 * back alone, so the transaction stays usable and the unit's other writes still commit, as
 * they do after a conflict. A connection lost at any point leaves nothing written, as PostgreSQL rolls back an
 * unfinished transaction; a connection lost during COMMIT throws a `NetworkError` whose outcome
 * is unknown, and the unit of work ends as rolled back.
 * @internal
 */
class PostgresUnitOfWork implements UnitOfWork {
  private current: UnitOfWorkState = 'idle';
  private client: PoolClient | undefined;
  private readonly savepoints: string[] = [];
  private counter = 0;
  // The tail of the statements in flight: each waits for the one before it.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements: Queryable = {
    query: <R extends QueryResultRow>(text: string, values?: unknown[]) =>
      this.serialized(() => this.statement<R>(text, values)),
  };

  constructor(
    private readonly pool: Pool,
    private readonly tableOf: (name: string) => ResolvedTable,
  ) {}

  get state(): UnitOfWorkState {
    return this.current;
  }

  repository<T extends Entity<Id>, Id extends EntityId = string>(
    collection: Collection<T, Id>,
  ): Repository<T, Id> {
    return new PostgresRepository<T, Id>(
      collection.name,
      this.tableOf(collection.name),
      () => this.statements,
    );
  }

  async begin(): Promise<void> {
    if (this.current !== 'idle') {
      throw new ValidationError('unitOfWork', 'be idle to begin', this.current);
    }
    const client = await this.pool.connect();
    // A connection that drops while the unit of work holds it must not crash the process; the
    // next statement fails with it instead.
    client.on('error', ignoreLostConnection);
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(true);
      throw translatePgError(error, 'unit of work');
    }
    this.client = client;
    this.current = 'active';
  }

  async commit(): Promise<void> {
    const client = this.activeClient();
    await this.queue;
    try {
      await client.query('COMMIT');
      this.finish('committed', false);
    } catch (error) {
      const broken = isConnectionError(error);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      this.finish('rolled-back', broken);
      if (broken) {
        throw new NetworkError(
          'the PostgreSQL connection was lost during COMMIT; the outcome is unknown',
          {
            cause: error,
          },
        );
      }
      throw translatePgError(error, 'unit of work');
    }
  }

  async rollback(): Promise<void> {
    const client = this.activeClient();
    await this.queue;
    try {
      await client.query('ROLLBACK');
      this.finish('rolled-back', false);
    } catch (error) {
      // The server rolls back a transaction whose connection is gone.
      this.finish('rolled-back', true);
      if (!isConnectionError(error)) throw error;
    }
  }

  async savepoint(name?: string): Promise<string> {
    const client = this.activeClient();
    const chosen = name ?? `qtp_sp_${++this.counter}`;
    if (!SAVEPOINT_NAME.test(chosen)) {
      throw new ValidationError('name', 'be letters, digits and _', chosen);
    }
    await this.run(client, `SAVEPOINT "${chosen}"`);
    this.savepoints.push(chosen);
    return chosen;
  }

  async rollbackTo(name: string): Promise<void> {
    const client = this.activeClient();
    const index = this.indexOf(name);
    await this.run(client, `ROLLBACK TO SAVEPOINT "${name}"`);
    this.savepoints.length = index + 1;
  }

  async release(name: string): Promise<void> {
    const client = this.activeClient();
    const index = this.indexOf(name);
    await this.run(client, `RELEASE SAVEPOINT "${name}"`);
    this.savepoints.length = index;
  }

  private indexOf(name: string): number {
    const index = this.savepoints.lastIndexOf(name);
    if (index < 0) throw new ValidationError('name', 'name an active savepoint', name);
    return index;
  }

  private async run(client: PoolClient, text: string): Promise<void> {
    try {
      await this.serialized(() => client.query(text));
    } catch (error) {
      throw translatePgError(error, 'unit of work');
    }
  }

  /** Runs `work` once every statement before it has finished. */
  private serialized<R>(work: () => Promise<R>): Promise<R> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement under its own savepoint, undoing it alone when PostgreSQL refuses it. */
  private async statement<R extends QueryResultRow>(
    text: string,
    values: unknown[] | undefined,
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    const client = this.activeClient();
    await client.query(`SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    let result: { rows: R[]; rowCount: number | null };
    try {
      result = await client.query<R>(text, values);
    } catch (error) {
      // A lost connection has taken the transaction with it: nothing is left to roll back to.
      if (!isConnectionError(error)) {
        await client.query(`ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}`);
        await client.query(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`);
      }
      throw error;
    }
    await client.query(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    return result;
  }

  private activeClient(): PoolClient {
    if (this.current !== 'active' || this.client === undefined) {
      throw new ValidationError('unitOfWork', 'be active', this.current);
    }
    return this.client;
  }

  private finish(state: UnitOfWorkState, destroy: boolean): void {
    this.current = state;
    this.savepoints.length = 0;
    this.client?.off('error', ignoreLostConnection);
    this.client?.release(destroy);
    this.client = undefined;
  }
}

/**
 * Runs `work` as a nested unit inside an active unit of work: under a savepoint that is
 * released when `work` resolves and rolled back to (then released) when it throws, so the outer
 * unit keeps going without the nested writes.
 * @throws what `work` throws, after undoing its writes
 * @example
 * ```ts
 * import { withSavepoint } from '@qtp/store/postgres';
 * await withSavepoint(uow, async () => {
 *   await uow.repository(positionSnapshots).add(snapshot);
 * });
 * ```
 */
export async function withSavepoint<R>(uow: UnitOfWork, work: () => Promise<R>): Promise<R> {
  const name = await uow.savepoint();
  let result: R;
  try {
    result = await work();
  } catch (error) {
    if (uow.state === 'active') {
      await uow.rollbackTo(name);
      await uow.release(name);
    }
    throw error;
  }
  await uow.release(name);
  return result;
}
