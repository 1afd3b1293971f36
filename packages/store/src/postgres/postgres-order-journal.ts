import { createHash } from 'node:crypto';
import {
  ConcurrencyConflictError,
  type OrderStatus,
  TERMINAL_ORDER_STATUSES,
  ValidationError,
} from '@qtp/core';
import type { OrderJournal, OrderRecord } from '@qtp/oms';
import type { Pool, PoolClient } from 'pg';
import { idempotentWrite } from './transaction.js';

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

function orderColumns(record: OrderRecord): unknown[] {
  const { order } = record;
  return [
    record.id,
    record.instrumentId,
    record.status,
    order.venueOrderId ?? null,
    order.side,
    order.quantity,
    order.filledQuantity,
    record.sentTimeMs,
    record.unknownSinceMs,
    order.createdTimeMs,
    order.updatedTimeMs,
    order.tags,
    JSON.stringify(record),
  ];
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
export class PostgresOrderJournal implements OrderJournal {
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
    const digest = digestOf(record);
    await idempotentWrite(
      this.pool,
      { entity: 'order journal', id: record.id, attempts: this.attempts },
      async (client) => {
        const inserted = await client.query(
          `INSERT INTO qtp_orders (id, instrument_id, status, venue_order_id, side, quantity,
             filled_quantity, sent_time_ms, unknown_since_ms, created_time_ms, updated_time_ms,
             tags, record, last_seq)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)
           ON CONFLICT (id) DO NOTHING`,
          orderColumns(record),
        );
        if (inserted.rowCount === 0) {
          const { rows } = await client.query<{ seq: number; digest: string }>(
            `SELECT o.last_seq AS seq, e.digest FROM qtp_orders o
               JOIN qtp_order_events e ON e.order_id = o.id AND e.seq = 1
             WHERE o.id = $1`,
            [record.id],
          );
          const stored = rows[0];
          // The same intent again: a replay, or a retry of a commit that did reach the server.
          if (stored !== undefined && stored.digest === digest) return;
          throw new ConcurrencyConflictError({
            entity: 'order journal',
            id: record.id,
            expectedVersion: undefined,
            actualVersion: stored?.seq,
          });
        }
        await insertEvent(client, record, 1, digest);
        await insertFills(client, record);
      },
    );
  }

  /**
   * Appends a change of a journaled order in one transaction: an event row, the order row's new
   * state and any fill not stored yet. Replaying a record already journaled adds nothing.
   * @throws `ValidationError` naming `id` when the journal holds no intent for the id
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendEvent(record: OrderRecord): Promise<void> {
    await this.appendEvents([record]);
  }

  /**
   * Appends changes of journaled orders in one transaction, in order: the batched form of
   * {@link PostgresOrderJournal.appendEvent}, for a host that journals many changes at once.
   * Either every record is stored or none.
   * @throws `ValidationError` naming `id` when the journal holds no intent for one of the ids
   * @throws `NetworkError` when the connection was lost on every attempt
   */
  async appendEvents(records: readonly OrderRecord[]): Promise<void> {
    if (records.length === 0) return;
    const digests = records.map(digestOf);
    await idempotentWrite(
      this.pool,
      { entity: 'order journal', id: records[0]!.id, attempts: this.attempts },
      async (client) => {
        for (let i = 0; i < records.length; i++) {
          await appendOne(client, records[i]!, digests[i]!);
        }
      },
    );
  }

  /** {@inheritDoc @qtp/oms!OrderJournal.loadAll} */
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

async function appendOne(client: PoolClient, record: OrderRecord, digest: string): Promise<void> {
  const { rows } = await client.query<{ seq: number }>(
    'SELECT last_seq AS seq FROM qtp_orders WHERE id = $1 FOR UPDATE',
    [record.id],
  );
  const current = rows[0];
  if (current === undefined) {
    throw new ValidationError('id', 'name an order whose intent is journaled', record.id);
  }
  const inserted = await insertEvent(client, record, current.seq + 1, digest);
  if (!inserted) return;
  const columns = orderColumns(record);
  await client.query(
    `UPDATE qtp_orders SET instrument_id = $2, status = $3, venue_order_id = $4, side = $5,
       quantity = $6, filled_quantity = $7, sent_time_ms = $8, unknown_since_ms = $9,
       created_time_ms = $10, updated_time_ms = $11, tags = $12, record = $13,
       last_seq = last_seq + 1
     WHERE id = $1`,
    columns,
  );
  await insertFills(client, record);
}

async function insertEvent(
  client: PoolClient,
  record: OrderRecord,
  seq: number,
  digest: string,
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO qtp_order_events (order_id, seq, status, venue_order_id, digest, record)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (order_id, digest) DO NOTHING`,
    [
      record.id,
      seq,
      record.status,
      record.order.venueOrderId ?? null,
      digest,
      JSON.stringify(record),
    ],
  );
  return result.rowCount === 1;
}

async function insertFills(client: PoolClient, record: OrderRecord): Promise<void> {
  const { fills } = record.order;
  if (fills.length === 0) return;
  await client.query(
    `INSERT INTO qtp_fills (instrument_id, trade_id, order_id, venue_order_id, side, price,
       quantity, fee_amount, fee_currency, liquidity_side, time_ms)
     SELECT f."instrumentId", f."tradeId", $1, f."venueOrderId", f.side, f.price::numeric,
            f.quantity::numeric, (f.fee->>'amount')::numeric, f.fee->>'currency',
            f."liquiditySide", f."timeMs"
       FROM jsonb_to_recordset($2::jsonb) AS f("instrumentId" text, "tradeId" text,
            "venueOrderId" text, side text, price text, quantity text, fee jsonb,
            "liquiditySide" text, "timeMs" bigint)
     ON CONFLICT (instrument_id, trade_id) DO NOTHING`,
    [record.id, JSON.stringify(fills)],
  );
}
