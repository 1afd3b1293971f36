import type { OrderRecord } from '@qtp/oms';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { type LifecycleEnd, orderLifecycle } from '@qtp/store/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

// What a journal holds, read back through its public reads and its tables.
async function contents(db: TestSchema, journal: PostgresOrderJournal) {
  const records = await journal.loadAll();
  const histories = await Promise.all(
    records.map(async (record) => [record.id, await journal.history(record.id)] as const),
  );
  const { rows: orders } = await db.pool.query(
    `SELECT id, status, venue_order_id, filled_quantity::text, last_seq, tags
       FROM qtp_orders ORDER BY id COLLATE "C"`,
  );
  const { rows: fills } = await db.pool.query(
    `SELECT instrument_id, trade_id, order_id, quantity::text, price::text, fee_amount::text
       FROM qtp_fills ORDER BY trade_id COLLATE "C"`,
  );
  return { records, histories, orders, fills };
}

describe('PostgresOrderJournal.appendEvents in batches', () => {
  let batched: TestSchema;
  let single: TestSchema;
  beforeAll(async () => {
    batched = await createTestSchema();
    single = await createTestSchema();
    await migrate(batched.pool);
    await migrate(single.pool);
  });
  afterAll(async () => {
    await batched.dispose();
    await single.dispose();
  });

  it('journals the same as one record per statement, with replays and repeats inside a batch', async () => {
    const end = fc.constantFrom<LifecycleEnd>('filled', 'canceled', 'rejected');
    await fc.assert(
      fc.asyncProperty(
        fc.array(end, { minLength: 1, maxLength: 4 }),
        // Which later record each step appends, and where a batch ends.
        fc.array(fc.record({ pick: fc.nat(), replay: fc.boolean(), cut: fc.boolean() }), {
          maxLength: 40,
        }),
        async (ends, steps) => {
          for (const db of [batched, single]) {
            await db.pool.query('TRUNCATE qtp_fills, qtp_order_events, qtp_orders');
          }
          const a = new PostgresOrderJournal({ pool: batched.pool });
          const b = new PostgresOrderJournal({ pool: single.pool });
          const lifecycles = ends.map((each, i) => orderLifecycle(`o-${i}`, each));
          for (const lifecycle of lifecycles) {
            await a.appendIntent(lifecycle[0]!);
            await b.appendIntent(lifecycle[0]!);
          }
          // Each order's records in its own order, interleaved across orders; a replay repeats
          // a record already taken (possibly in the same batch).
          const next = lifecycles.map(() => 1);
          const taken: OrderRecord[] = [];
          const stream: { record: OrderRecord; cut: boolean }[] = [];
          for (const { pick, replay, cut } of steps) {
            if (replay && taken.length > 0) {
              stream.push({ record: taken[pick % taken.length]!, cut });
              continue;
            }
            const order = pick % lifecycles.length;
            const record = lifecycles[order]![next[order]!];
            if (record === undefined) continue;
            next[order]! += 1;
            taken.push(record);
            stream.push({ record, cut });
          }
          let batch: OrderRecord[] = [];
          for (const { record, cut } of stream) {
            batch.push(record);
            await b.appendEvent(record);
            if (cut) {
              await a.appendEvents(batch);
              batch = [];
            }
          }
          await a.appendEvents(batch);
          expect(await contents(batched, a)).toEqual(await contents(single, b));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
