import { isQtpError } from '@qtp/core';
import { loadMigrations, migrate, storeMigrations } from '@qtp/store/postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

const LOCK_KEY = 4_170_825_301;

describe('migrate', () => {
  let db: TestSchema;
  beforeEach(async () => {
    db = await createTestSchema();
  });
  afterEach(async () => {
    await db.dispose();
  });

  it('applies every migration once and records its version', async () => {
    const versions = storeMigrations().map((migration) => migration.version);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(await migrate(db.pool)).toEqual({ applied: versions, currentVersion: 5 });
    expect(await migrate(db.pool)).toEqual({ applied: [], currentVersion: 5 });
    const { rows } = await db.pool.query(
      'SELECT version, name FROM qtp_schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, name: 'order_journal' },
      { version: 2, name: 'snapshots_and_results' },
      { version: 3, name: 'journal_functions' },
      { version: 4, name: 'set_based_event_batches' },
      { version: 5, name: 'parent_orders' },
    ]);
  });

  it('stores every decimal column as NUMERIC, never as a float', async () => {
    await migrate(db.pool);
    const { rows } = await db.pool.query<{ data_type: string }>(
      `SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = $1`,
      [db.schema],
    );
    const types = rows.map((row) => row.data_type);
    expect(types).toContain('numeric');
    expect(types).not.toContain('double precision');
    expect(types).not.toContain('real');
  });

  it('lets two concurrent migrators apply each version exactly once', async () => {
    const other = db.pool2();
    const [first, second] = await Promise.all([migrate(db.pool), migrate(other)]);
    const applied = [...first.applied, ...second.applied].sort();
    expect(applied).toEqual([1, 2, 3, 4, 5]);
    expect([first.applied.length, second.applied.length].sort()).toEqual([0, 5]);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM qtp_schema_migrations');
    expect(rows[0].n).toBe(5);
  });

  it('waits for the advisory lock another migrator holds before it reads the version table', async () => {
    const holder = await db.pool2({ max: 1 }).connect();
    await holder.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const migrator = db.pool2({ max: 1 });
    const running = migrate(migrator);
    // The migrator's backend is blocked on the advisory lock until the holder lets go.
    for (;;) {
      const { rows } = await holder.query(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND objid = $1::bigint % 4294967296`,
        [LOCK_KEY],
      );
      if (rows[0].n === 1) break;
    }
    const tables = await holder.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
      [db.schema],
    );
    expect(tables.rows[0].n).toBe(0);
    await holder.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    holder.release();
    expect((await running).applied).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses to run when an applied migration was edited, and rolls back a failing one', async () => {
    await migrate(db.pool);
    const edited = storeMigrations().map((migration) =>
      migration.version === 1 ? { ...migration, sql: `${migration.sql}\n-- edited` } : migration,
    );
    const error = await migrate(db.pool, { migrations: edited }).catch((e: unknown) => e);
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    const broken = [
      ...storeMigrations(),
      { version: 6, name: 'broken', sql: 'CREATE TABLE half (x int); SELECT 1/0;' },
    ];
    await expect(migrate(db.pool, { migrations: broken })).rejects.toThrow(/division by zero/);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half'`,
      [db.schema],
    );
    expect(rows[0].n).toBe(0);
    expect((await migrate(db.pool)).currentVersion).toBe(5);
  });

  it('reads a folder of migration files in version order', () => {
    const migrations = loadMigrations(new URL('../migrations/', import.meta.url));
    expect(migrations.map((migration) => migration.name)).toEqual([
      'order_journal',
      'snapshots_and_results',
      'journal_functions',
      'set_based_event_batches',
      'parent_orders',
    ]);
  });
});
