import type { ParentRecord } from '@qtp/oms';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

function record(id: string, overrides: Partial<ParentRecord> = {}): ParentRecord {
  return {
    id,
    algorithm: 'TWAP',
    instrumentId: 'BTCUSDT.BINANCE',
    status: 'WORKING',
    quantity: '6',
    filledQuantity: '0',
    children: 0,
    startTimeMs: 1_704_067_259_999,
    endTimeMs: null,
    reason: null,
    options: {
      instrumentId: 'BTCUSDT.BINANCE',
      side: 'BUY',
      quantity: '6',
      durationMs: 360_000,
      slices: 6,
    },
    resumedFrom: null,
    ...overrides,
  };
}

describe('PostgresOrderJournal parent records', () => {
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

  it('loads the latest record of each parent by id and keeps every one in its history', async () => {
    await journal.appendParent(record('P2'));
    await journal.appendParent(record('P1'));
    await journal.appendParent(record('P1', { filledQuantity: '2.5', children: 3 }));
    const ended = record('P1', {
      status: 'CANCELED',
      filledQuantity: '3',
      children: 3,
      endTimeMs: 1_704_067_499_999,
      reason: 'canceled on restart by policy',
    });
    await journal.appendParent(ended);
    expect(await journal.loadParents()).toEqual([ended, record('P2')]);
    expect((await journal.parentHistory('P1')).map((r) => r.filledQuantity)).toEqual([
      '0',
      '2.5',
      '3',
    ]);
  });

  it('stores the quantities as NUMERIC beside the record', async () => {
    const { rows } = await db.pool.query<{ filled: string; quantity: string }>(
      "SELECT filled_quantity::text AS filled, quantity::text AS quantity FROM qtp_parent_orders WHERE id = 'P1'",
    );
    expect(rows).toEqual([{ filled: '3', quantity: '6' }]);
  });
});
