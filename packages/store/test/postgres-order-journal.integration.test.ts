import { InMemoryOrderJournal } from '@qtp/oms';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { orderJournalConformance, orderLifecycle } from '@qtp/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

orderJournalConformance({
  name: 'InMemoryOrderJournal',
  createJournal: () => new InMemoryOrderJournal(),
});

const schemas = new Map<PostgresOrderJournal, TestSchema>();
orderJournalConformance({
  name: 'PostgresOrderJournal',
  createJournal: async () => {
    const db = await createTestSchema();
    await migrate(db.pool);
    const journal = new PostgresOrderJournal({ pool: db.pool });
    schemas.set(journal, db);
    return journal;
  },
  disposeJournal: async (journal) => {
    await schemas.get(journal as PostgresOrderJournal)?.dispose();
  },
  numRuns: 10,
});

describe('PostgresOrderJournal', () => {
  let db: TestSchema;
  let journal: PostgresOrderJournal;
  beforeAll(async () => {
    db = await createTestSchema();
    await migrate(db.pool);
    journal = new PostgresOrderJournal({ pool: db.pool });
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('keeps every record as an event row with the venue order id, and each fill once by trade id', async () => {
    const records = orderLifecycle('h-1', 'filled');
    await journal.appendIntent(records[0]!);
    for (const record of records.slice(1)) await journal.appendEvent(record);
    expect(await journal.statuses('h-1')).toEqual([
      'INITIALIZED',
      'SUBMITTED',
      'ACCEPTED',
      'PARTIALLY_FILLED',
      'FILLED',
    ]);
    const { rows } = await db.pool.query(
      'SELECT seq, venue_order_id FROM qtp_order_events WHERE order_id = $1 ORDER BY seq',
      ['h-1'],
    );
    expect(rows.map((row) => row.venue_order_id)).toEqual([null, null, 'v-h-1', 'v-h-1', 'v-h-1']);
    const fills = await journal.fills({ instrumentId: 'BTCUSDT.BINANCE' });
    expect(fills.filter((fill) => fill.clientOrderId === 'h-1')).toEqual([
      {
        tradeId: 'h-1-t1',
        clientOrderId: 'h-1',
        venueOrderId: 'v-h-1',
        instrumentId: 'BTCUSDT.BINANCE',
        side: 'BUY',
        price: '27000.5',
        quantity: '0.01',
        feeAmount: '0.000001',
        feeCurrency: 'BTC',
        timeMs: 1_700_000_000_003,
      },
      {
        tradeId: 'h-1-t2',
        clientOrderId: 'h-1',
        venueOrderId: 'v-h-1',
        instrumentId: 'BTCUSDT.BINANCE',
        side: 'BUY',
        price: '27000.25',
        quantity: '0.02',
        feeAmount: '0.000001',
        feeCurrency: 'BTC',
        timeMs: 1_700_000_000_004,
      },
    ]);
    // 0.01 * 27000.5 + 0.02 * 27000.25 = 270.005 + 540.005, summed exactly in NUMERIC.
    const notional = await db.pool.query(
      `SELECT sum(price * quantity)::text AS total FROM qtp_fills WHERE order_id = 'h-1'`,
    );
    expect(notional.rows[0].total).toBe('810.0100');
  });

  it('takes a replayed intent and replayed events as no-ops, adding no row', async () => {
    const records = orderLifecycle('h-2', 'canceled');
    for (const [index, record] of records.entries()) {
      if (index === 0) await journal.appendIntent(record);
      else await journal.appendEvent(record);
    }
    await journal.appendIntent(records[0]!);
    for (const record of records.slice(1)) await journal.appendEvent(record);
    expect(await journal.statuses('h-2')).toEqual([
      'INITIALIZED',
      'SUBMITTED',
      'ACCEPTED',
      'PENDING_CANCEL',
      'CANCELED',
    ]);
    expect((await journal.get('h-2'))?.status).toBe('CANCELED');
  });

  it('appends a batch in one transaction: all records or none', async () => {
    const a = orderLifecycle('b-1', 'filled');
    const b = orderLifecycle('b-2', 'filled');
    await journal.appendIntent(a[0]!);
    await journal.appendIntent(b[0]!);
    const ghost = { ...orderLifecycle('b-ghost', 'filled')[1]! };
    await expect(journal.appendEvents([a[1]!, b[1]!, ghost])).rejects.toThrow(/intent/);
    expect((await journal.statuses('b-1')).length).toBe(1);
    await journal.appendEvents([...a.slice(1), ...b.slice(1)]);
    expect((await journal.loadOpen()).map((record) => record.id)).not.toContain('b-1');
    expect((await journal.get('b-2'))?.status).toBe('FILLED');
  });
});
