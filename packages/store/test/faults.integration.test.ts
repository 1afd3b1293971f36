import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isQtpError } from '@qtp/core';
import { defineCollection, type Entity } from '@qtp/core/repository';
import type { OrderRecord } from '@qtp/oms';
import { migrate, PostgresDataStore, PostgresOrderJournal } from '@qtp/store/postgres';
import { orderLifecycle } from '@qtp/store/testing';
import { startPostgres } from '@qtp/test-services';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

interface Row extends Entity {
  readonly amount: string;
}
const rows = defineCollection<Row>('fault_rows');
const LOCK = 99_001;
const WRITER = new URL('./support/journal-writer.ts', import.meta.url).pathname;

// Makes every COMMIT that inserted into fault_rows or qtp_orders wait on advisory lock LOCK, so
// a test can hold a transaction inside its COMMIT and drop its connection there.
const COMMIT_GATE = `
  CREATE TABLE fault_rows (id text PRIMARY KEY, amount NUMERIC NOT NULL, version integer NOT NULL);
  CREATE FUNCTION commit_gate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${LOCK}); RETURN NULL; END $$;
  CREATE CONSTRAINT TRIGGER gate AFTER INSERT ON fault_rows
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_gate();
  CREATE CONSTRAINT TRIGGER gate AFTER INSERT ON qtp_orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_gate();`;

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function count(pool: pg.Pool, sql: string, values: unknown[] = []): Promise<number> {
  const { rows: result } = await pool.query<{ n: number }>(sql, values);
  return result[0]!.n;
}

describe('faults: a connection dropped inside a transaction', () => {
  let db: TestSchema;
  let admin: pg.Pool;
  beforeEach(async () => {
    db = await createTestSchema({ application_name: 'qtp_victim' });
    await migrate(db.pool);
    await db.pool.query(COMMIT_GATE);
    admin = db.pool2({ application_name: 'qtp_admin' });
  });
  afterEach(async () => {
    await db.dispose();
  });

  const terminateVictims = (where = 'TRUE') =>
    admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'qtp_victim' AND datname = current_database() AND ${where}`,
    );
  // A victim blocked at the gate: in COMMIT, or in the commit of a statement run on its own.
  const commitWaiting = async (query = 'COMMIT') =>
    (await count(
      admin,
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = 'qtp_victim' AND query LIKE $1 AND wait_event_type = 'Lock'`,
      [query],
    )) === 1;

  it('leaves no partial write when the connection drops mid-transaction', async () => {
    const store = new PostgresDataStore({
      pool: db.pool,
      tables: { fault_rows: { table: 'fault_rows', columns: { amount: 'decimal' } } },
    });
    const uow = store.unitOfWork();
    await uow.begin();
    await uow.repository(rows).add({ id: 'a', amount: '1.5' });
    await terminateVictims();
    const error = await uow
      .repository(rows)
      .add({ id: 'b', amount: '2.5' })
      .catch((e: unknown) => e);
    expect(isQtpError(error, 'NETWORK')).toBe(true);
    await uow.rollback();
    expect(uow.state).toBe('rolled-back');
    expect(await count(admin, 'SELECT count(*)::int AS n FROM fault_rows')).toBe(0);
  });

  it('leaves no partial write when the connection drops during COMMIT', async () => {
    const store = new PostgresDataStore({
      pool: db.pool,
      tables: { fault_rows: { table: 'fault_rows', columns: { amount: 'decimal' } } },
    });
    const gate = await admin.connect();
    await gate.query('BEGIN');
    await gate.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    const uow = store.unitOfWork();
    await uow.begin();
    await uow.repository(rows).add({ id: 'a', amount: '1.5' });
    await uow.repository(rows).add({ id: 'b', amount: '2.5' });
    const committing = uow.commit().catch((e: unknown) => e);
    await waitFor(() => commitWaiting());
    await terminateVictims("query = 'COMMIT'");
    const error = await committing;
    expect(isQtpError(error, 'NETWORK')).toBe(true);
    expect(uow.state).toBe('rolled-back');
    await gate.query('COMMIT');
    gate.release();
    expect(await count(admin, 'SELECT count(*)::int AS n FROM fault_rows')).toBe(0);
  });

  it('journals an intent exactly once when the connection drops in its commit and the write is retried', async () => {
    const journal = new PostgresOrderJournal({ pool: db.pool });
    const [intent] = orderLifecycle('f-1', 'filled') as [OrderRecord];
    const gate = await admin.connect();
    await gate.query('BEGIN');
    await gate.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    const appending = journal.appendIntent(intent);
    const intentCommit = () => commitWaiting('SELECT qtp_append_order_intent%');
    await waitFor(intentCommit);
    await terminateVictims("wait_event_type = 'Lock'");
    // The journal retries on a new connection, whose commit waits at the gate in turn.
    await waitFor(intentCommit);
    await gate.query('COMMIT');
    gate.release();
    await appending;
    expect(await journal.loadAll()).toEqual([intent]);
    expect(
      await count(admin, `SELECT count(*)::int AS n FROM qtp_order_events WHERE order_id = 'f-1'`),
    ).toBe(1);
  });
});

describe('faults: PostgreSQL killed and restarted under a steady write load', () => {
  it('loses no committed row and duplicates none', async () => {
    const server = await startPostgres();
    try {
      const db = await createTestSchema({ max: 2 }, await server.createDatabase('restart_load'));
      await migrate(db.pool);
      const writer = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@qtp/source', WRITER, db.url, db.schema],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const acknowledged: string[] = [];
      let retries = 0;
      createInterface({ input: writer.stdout! }).on('line', (line) => {
        if (line === 'retry') retries += 1;
        else acknowledged.push(line.slice('ack '.length));
      });
      const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
      await waitFor(async () => acknowledged.length >= 20);
      await server.kill();
      await server.restart();
      const beforeRestart = acknowledged.length;
      await waitFor(async () => acknowledged.length >= beforeRestart + 20);
      writer.stdin!.end('stop\n');
      expect(await exited).toBe(0);
      expect(retries).toBeGreaterThan(0);
      const journal = new PostgresOrderJournal({ pool: db.pool });
      const loaded = await journal.loadAll();
      const ids = new Set(loaded.map((record) => record.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      const { rows: perOrder } = await db.pool.query<{ id: string; n: number }>(
        'SELECT order_id AS id, count(*)::int AS n FROM qtp_order_events GROUP BY order_id',
      );
      // The writer finishes the order under way when told to stop, so every journaled order was
      // acknowledged, with its two records once each.
      expect(perOrder.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
      expect(perOrder.every((row) => row.n === 2)).toBe(true);
      await db.dispose();
    } finally {
      await server.stop();
    }
  }, 120_000);
});
