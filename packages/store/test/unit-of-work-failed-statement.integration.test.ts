import { isQtpError } from '@qtp/core';
import { defineCollection, withUnitOfWork } from '@qtp/core/repository';
import { PostgresDataStore } from '@qtp/store/postgres';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

interface Lot {
  readonly id: string;
  readonly version: number;
  readonly quantity: number | null;
  readonly venue: string;
}

const lots = defineCollection<Lot>('lots');
// Constraints of each kind a write can break: a check, a not-null, a foreign key, an integer range.
const TABLES = `
  CREATE TABLE venues (code text PRIMARY KEY);
  INSERT INTO venues VALUES ('BINANCE'), ('SIM');
  CREATE TABLE lots (
    id text PRIMARY KEY,
    quantity integer NOT NULL CHECK (quantity > 0),
    venue text NOT NULL REFERENCES venues (code),
    version integer NOT NULL
  )`;

describe('a unit of work on PostgreSQL after a statement PostgreSQL refused', () => {
  let db: TestSchema;
  let store: PostgresDataStore;
  beforeAll(async () => {
    db = await createTestSchema();
    await db.pool.query(TABLES);
    store = new PostgresDataStore({
      pool: db.pool,
      tables: { lots: { table: 'lots', columns: { quantity: 'integer', venue: 'text' } } },
    });
  });
  beforeEach(async () => {
    await db.pool.query('DELETE FROM lots');
  });
  afterAll(async () => {
    await db.dispose();
  });

  const ids = async () =>
    (await db.pool.query<{ id: string }>('SELECT id FROM lots ORDER BY id')).rows.map(
      (row) => row.id,
    );

  it('throws a typed error naming the constraint, keeps the unit usable and commits the rest', async () => {
    const uow = store.unitOfWork();
    await uow.begin();
    const inside = uow.repository(lots);
    await inside.add({ id: 'a', quantity: 1, venue: 'SIM' });
    const check = await inside
      .add({ id: 'b', quantity: -1, venue: 'SIM' })
      .catch((error: unknown) => error);
    expect(isQtpError(check, 'VALIDATION')).toBe(true);
    expect(check).toMatchObject({ field: 'lots.lots_quantity_check' });
    expect((check as { rule: string }).rule).toMatch(/^pass the check constraint/);
    const missing = await inside
      .add({ id: 'c', quantity: null, venue: 'SIM' })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({
      code: 'VALIDATION',
      field: 'lots.quantity',
      rule: 'not be null',
    });
    const reference = await inside
      .add({ id: 'd', quantity: 2, venue: 'NOWHERE' })
      .catch((error: unknown) => error);
    expect(reference).toMatchObject({ code: 'VALIDATION', field: 'lots.lots_venue_fkey' });
    // 2^31 does not fit an integer column: a data exception, not a constraint.
    const range = await inside
      .add({ id: 'e', quantity: 2 ** 31, venue: 'SIM' })
      .catch((error: unknown) => error);
    expect(range).toMatchObject({ code: 'VALIDATION' });
    // The transaction was not aborted: reads and writes go on, and see the unit's own write.
    expect((await inside.get('a'))?.quantity).toBe(1);
    const updated = await inside.update({ ...(await inside.get('a'))!, quantity: 5 });
    expect(updated.version).toBe(2);
    await inside.add({ id: 'f', quantity: 3, venue: 'BINANCE' });
    // Nothing is visible outside before the commit.
    expect(await ids()).toEqual([]);
    await uow.commit();
    expect(uow.state).toBe('committed');
    expect(await ids()).toEqual(['a', 'f']);
    expect((await db.pool.query('SELECT quantity FROM lots WHERE id = $1', ['a'])).rows).toEqual([
      { quantity: 5 },
    ]);
  });

  it('still undoes every write of the unit on rollback, refused statements or not', async () => {
    await withUnitOfWork(store, async (uow) => {
      await uow.repository(lots).add({ id: 'kept', quantity: 1, venue: 'SIM' });
    });
    const uow = store.unitOfWork();
    await uow.begin();
    await uow.repository(lots).add({ id: 'x', quantity: 1, venue: 'SIM' });
    await expect(uow.repository(lots).add({ id: 'y', quantity: 0, venue: 'SIM' })).rejects.toThrow(
      /check constraint/,
    );
    await uow.rollback();
    expect(await ids()).toEqual(['kept']);
  });

  it('commits exactly the writes PostgreSQL accepted, for any mix of good and refused ones', async () => {
    // Each write is good, breaks the check, names an unknown venue, or repeats an id (a conflict).
    const write = fc.record({
      id: fc.constantFrom('p', 'q', 'r', 's', 't'),
      fault: fc.constantFrom('none', 'check', 'venue'),
      quantity: fc.integer({ min: 1, max: 1_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 12 }), async (writes) => {
        await db.pool.query('DELETE FROM lots');
        const expected = new Map<string, number>();
        await withUnitOfWork(store, async (uow) => {
          const inside = uow.repository(lots);
          for (const { id, fault, quantity } of writes) {
            const accepted = fault === 'none' && !expected.has(id);
            const attempt = inside.add({
              id,
              quantity: fault === 'check' ? -quantity : quantity,
              venue: fault === 'venue' ? 'NOWHERE' : 'SIM',
            });
            if (accepted) {
              await attempt;
              expected.set(id, quantity);
            } else {
              const error = await attempt.catch((caught: unknown) => caught);
              expect(isQtpError(error)).toBe(true);
            }
          }
        });
        const { rows } = await db.pool.query<{ id: string; quantity: number }>(
          'SELECT id, quantity FROM lots ORDER BY id',
        );
        expect(rows).toEqual(
          [...expected]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([id, quantity]) => ({ id, quantity })),
        );
      }),
      { numRuns: 25 },
    );
  });
});
