import { createHash } from 'node:crypto';
import {
  ConcurrencyConflictError,
  type OrderStatus,
  TERMINAL_ORDER_STATUSES,
  ValidationError,
} from '@qtp/core';
import type { OrderJournal, OrderRecord, ParentJournal, ParentRecord } from '@qtp/oms';
import type { Pool } from 'pg';
import { idempotentQuery } from './transaction.js';

/** Options of {@link PostgresOrderJournal}. */
export interface PostgresOrderJournalOptions {
  /** The pool to write through; its connections' `search_path` names the migrated schema. */
  pool: Pool;
  /**
   * How many times a write is tried when its connection is lost before it throws a retryable
   * `NetworkError` (default 3). Writes are idempotent, so a retry after a commit that did reach
   * the server adds nothing.
   */
  attempts?: number;
}

/** A fill as the journal stored it, in the `qtp_fills` table; decimals as strings. */
export interface JournaledFill {
  /** The venue's trade id; with the instrument, the fill's key. */
  readonly tradeId: string;
  /** The client order id. */
  readonly clientOrderId: string;
  /** The venue's order id. */
  readonly venueOrderId: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly instrumentId: string;
  /** `BUY` or `SELL`. */
  readonly side: string;
  /** The fill price, exact. */
  readonly price: string;
  /** The filled quantity, exact. */
  readonly quantity: string;
  /** The fee amount, exact. */
  readonly feeAmount: string;
  /** The fee currency. */
  readonly feeCurrency: string;
  /** When the fill happened, epoch milliseconds. */
  readonly timeMs: number;
}

/** Options of {@link PostgresOrderJournal.fills}. */
export interface JournaledFillQuery {
  /** Only fills of this instrument. */
  readonly instrumentId?: string;
  /** Only fills at or after this time, epoch milliseconds. */
  readonly sinceMs?: number;
}

const TERMINAL: readonly string[] = TERMINAL_ORDER_STATUSES;

function digestOf(record: OrderRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('base64url');
}

/**
 * The order journal on PostgreSQL: the `OrderJournal` port of `@qtp/oms`. An intent is one
 * committed transaction (the order row, its first event row and its fills) before the order
 * manager sends the order; every later change appends an event row with the venue's order id
 * and moves the order row to the new state, and each fill is stored once under its venue trade
 * id in `qtp_fills`. Decimals are `NUMERIC`.
 *
 * Appends are idempotent on replay: a record identical to one already journaled for the order
 * (an intent or an event) adds nothing and succeeds, so a write whose connection dropped during
 * COMMIT is simply tried again. A different intent for a taken id is a conflict.
 *
 * Run {@link migrate} on the database first.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { OrderManager } from '@qtp/oms';
 * import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * const journal = new PostgresOrderJournal({ pool });
 * const oms = new OrderManager({ gateway, instruments, clock, journal });
 * const { recovered } = await oms.recover();
 * ```
 */
export class PostgresOrderJournal implements OrderJournal, ParentJournal {
  private readonly pool: Pool;
  private readonly attempts: number;

  /**
   * Creates a journal on a pool; it holds no connection until the first call.
   * @throws `ValidationError` naming `attempts` when it is not a positive integer
   */
  constructor(options: PostgresOrderJournalOptions) {
    this.pool = options.pool;
    this.attempts = options.attempts ?? 3;
    if (!Number.isInteger(this.attempts) || this.attempts < 1) {
      throw new ValidationError('attempts', 'be a positive integer', options.attempts);
    }
  }

  /**
   * Appends an order's intent in one transaction. Replaying the identical intent succeeds and
   * adds nothing.
   * @throws `ConcurrencyConflictError` when the journal holds a different intent for the id, or
   * the order has moved on since the intent
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendIntent(record: OrderRecord): Promise<void> {
    const target = { entity: 'order journal', id: record.id, attempts: this.attempts };
    const { rows } = await idempotentQuery<{ outcome: number }>(
      this.pool,
      target,
      'SELECT qtp_append_order_intent($1::jsonb, $2) AS outcome',
      [JSON.stringify(record), digestOf(record)],
    );
    const outcome = rows[0]!.outcome;
    // 0: stored; -1: the same intent again, a replay or a retry of a commit that did land.
    if (outcome <= 0) return;
    throw new ConcurrencyConflictError({
      entity: 'order journal',
      id: record.id,
      expectedVersion: undefined,
      actualVersion: outcome,
    });
  }

  /**
   * Appends a change of a journaled order: an event row, the order row's new state and any fill
   * not stored yet, in one statement. Replaying a record already journaled adds nothing.
   * @throws `ValidationError` naming `id` when the journal holds no intent for the id
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendEvent(record: OrderRecord): Promise<void> {
    await this.appendEvents([record]);
  }

  /**
   * Appends changes of journaled orders in one statement, in order: the batched form of
   * {@link PostgresOrderJournal.appendEvent}, for a host that journals many changes at once.
   * Either every record is stored or none.
   * @throws `ValidationError` naming `id` when the journal holds no intent for one of the ids
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendEvents(records: readonly OrderRecord[]): Promise<void> {
    if (records.length === 0) return;
    const target = { entity: 'order journal', id: records[0]!.id, attempts: this.attempts };
    try {
      await idempotentQuery(
        this.pool,
        target,
        'SELECT qtp_append_order_events($1::jsonb, $2::text[])',
        [JSON.stringify(records), records.map(digestOf)],
      );
    } catch (error) {
      const fields = error as { code?: string; detail?: string };
      if (fields.code === 'QJ001') {
        throw new ValidationError('id', 'name an order whose intent is journaled', fields.detail, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Returns the latest record of every journaled order, terminal ones included, by id. */
  async loadAll(): Promise<readonly OrderRecord[]> {
    const { rows } = await this.pool.query<{ record: OrderRecord }>(
      'SELECT record FROM qtp_orders ORDER BY id COLLATE "C"',
    );
    return rows.map((row) => row.record);
  }

  /** Returns the latest record of every order not in a terminal status, by id. */
  async loadOpen(): Promise<readonly OrderRecord[]> {
    const { rows } = await this.pool.query<{ record: OrderRecord }>(
      'SELECT record FROM qtp_orders WHERE NOT (status = ANY($1)) ORDER BY id COLLATE "C"',
      [TERMINAL],
    );
    return rows.map((row) => row.record);
  }

  /** Returns the latest record of an order, or `undefined` when it is not journaled. */
  async get(id: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.pool.query<{ record: OrderRecord }>(
      'SELECT record FROM qtp_orders WHERE id = $1',
      [id],
    );
    return rows[0]?.record;
  }

  /**
   * Appends a parent order's latest state (the `ParentJournal` port of `@qtp/oms`): its row in
   * `qtp_parent_orders` moves to the record and an event row keeps it, in one statement. A retry
   * after a lost commit may keep the same record twice in the history; the latest is unchanged.
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendParent(record: ParentRecord): Promise<void> {
    await idempotentQuery(
      this.pool,
      { entity: 'parent order journal', id: record.id, attempts: this.attempts },
      `WITH latest AS (
         INSERT INTO qtp_parent_orders
           (id, algorithm, instrument_id, status, quantity, filled_quantity, last_seq, record)
         VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, 1, $7::jsonb)
         ON CONFLICT (id) DO UPDATE SET
           status = EXCLUDED.status, filled_quantity = EXCLUDED.filled_quantity,
           last_seq = qtp_parent_orders.last_seq + 1, record = EXCLUDED.record
         RETURNING last_seq
       )
       INSERT INTO qtp_parent_order_events (parent_id, seq, status, record)
       SELECT $1, last_seq, $4, $7::jsonb FROM latest`,
      [
        record.id,
        record.algorithm,
        record.instrumentId,
        record.status,
        record.quantity,
        record.filledQuantity,
        JSON.stringify(record),
      ],
    );
  }

  /** Returns the latest record of every journaled parent order, by id. */
  async loadParents(): Promise<readonly ParentRecord[]> {
    const { rows } = await this.pool.query<{ record: ParentRecord }>(
      'SELECT record FROM qtp_parent_orders ORDER BY id COLLATE "C"',
    );
    return rows.map((row) => row.record);
  }

  /** Returns every record appended for a parent order, oldest first. */
  async parentHistory(id: string): Promise<readonly ParentRecord[]> {
    const { rows } = await this.pool.query<{ record: ParentRecord }>(
      'SELECT record FROM qtp_parent_order_events WHERE parent_id = $1 ORDER BY seq',
      [id],
    );
    return rows.map((row) => row.record);
  }

  /** Returns every record appended for an order, oldest first. */
  async history(id: string): Promise<readonly OrderRecord[]> {
    const { rows } = await this.pool.query<{ record: OrderRecord }>(
      'SELECT record FROM qtp_order_events WHERE order_id = $1 ORDER BY seq',
      [id],
    );
    return rows.map((row) => row.record);
  }

  /** Returns the statuses of an order's records, oldest first: its journaled path. */
  async statuses(id: string): Promise<readonly OrderStatus[]> {
    const { rows } = await this.pool.query<{ status: OrderStatus }>(
      'SELECT status FROM qtp_order_events WHERE order_id = $1 ORDER BY seq',
      [id],
    );
    return rows.map((row) => row.status);
  }

  /** Returns the journaled fills, oldest first (ties by trade id), narrowed by `query`. */
  async fills(query: JournaledFillQuery = {}): Promise<readonly JournaledFill[]> {
    const { rows } = await this.pool.query<JournaledFill & { timeMs: string }>(
      `SELECT trade_id AS "tradeId", order_id AS "clientOrderId", venue_order_id AS "venueOrderId",
              instrument_id AS "instrumentId", side, price::text AS price,
              quantity::text AS quantity, fee_amount::text AS "feeAmount",
              fee_currency AS "feeCurrency", time_ms AS "timeMs"
         FROM qtp_fills
        WHERE ($1::text IS NULL OR instrument_id = $1) AND ($2::bigint IS NULL OR time_ms >= $2)
        ORDER BY time_ms, trade_id COLLATE "C"`,
      [query.instrumentId ?? null, query.sinceMs ?? null],
    );
    return rows.map((row) => ({ ...row, timeMs: Number(row.timeMs) }));
  }
}
