/**
 * The order journal on PostgreSQL: appends per second through `PostgresOrderJournal`, one order
 * at a time (an intent and an event, each one statement, as the order manager writes them) and
 * batched (`appendEvents`, 100 records per statement), against a plain hand-written `pg` loop
 * inserting the same JSON rows into a bare table (the practical limit: no event history, no
 * fills table, no idempotency); and the time `OrderManager.recover()` takes to reload and
 * reconcile 10 000 journaled open orders with a `SimulatedExchange`.
 *
 * The server is a private PostgreSQL started on a free loopback port (fsync on), so the figures
 * include a real commit per transaction. Each contender runs once after a warm-up; this file
 * times itself and prints its own table, registering nothing with mitata.
 */
import { performance } from 'node:perf_hooks';
import {
  createOrderRequest,
  Instrument,
  instrumentId,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { SimulatedExchange } from '@qtp/exchange';
import { OrderManager } from '@qtp/oms';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { orderLifecycle } from '@qtp/store/testing';
import { startPostgres } from '@qtp/test-services';
import pg from 'pg';

const SINGLE = 1_000;
const BATCHED = 10_000;
const BATCH = 100;
const RECOVER = 10_000;

const server = await startPostgres();
const pool = new pg.Pool({ connectionString: await server.createDatabase('bench'), max: 8 });
await migrate(pool);
await pool.query(
  'CREATE TABLE plain_journal (id text, seq int, record jsonb, PRIMARY KEY (id, seq))',
);
const journal = new PostgresOrderJournal({ pool });
const rows: string[][] = [];

function rate(label: string, count: number, ms: number): void {
  rows.push([label, `${count}`, `${ms.toFixed(0)} ms`, `${Math.round((count / ms) * 1000)} /s`]);
}

// Warm-up: connections open, plans cached.
for (let i = 0; i < 50; i++) {
  const [intent, submitted] = orderLifecycle(`warm-${i}`, 'filled');
  await journal.appendIntent(intent!);
  await journal.appendEvent(submitted!);
}

{
  const lifecycles = Array.from({ length: SINGLE / 2 }, (_, i) =>
    orderLifecycle(`s-${i}`, 'filled'),
  );
  const start = performance.now();
  for (const [intent, submitted] of lifecycles) {
    await journal.appendIntent(intent!);
    await journal.appendEvent(submitted!);
  }
  rate('PostgresOrderJournal, one record per statement', SINGLE, performance.now() - start);
}
{
  const lifecycles = Array.from({ length: SINGLE / 2 }, (_, i) =>
    orderLifecycle(`p-${i}`, 'filled'),
  );
  const start = performance.now();
  for (const [i, [intent, submitted]] of lifecycles.entries()) {
    await pool.query('INSERT INTO plain_journal VALUES ($1, 1, $2)', [
      `p-${i}`,
      JSON.stringify(intent),
    ]);
    await pool.query('INSERT INTO plain_journal VALUES ($1, 2, $2)', [
      `p-${i}`,
      JSON.stringify(submitted),
    ]);
  }
  rate('plain pg INSERT, one row per statement', SINGLE, performance.now() - start);
}
{
  // Intents first (one each), then every later record of every order in batches.
  const lifecycles = Array.from({ length: BATCHED / 5 }, (_, i) =>
    orderLifecycle(`b-${i}`, 'filled'),
  );
  for (const [intent] of lifecycles) await journal.appendIntent(intent!);
  const events = lifecycles.flatMap((records) => records.slice(1));
  const start = performance.now();
  for (let i = 0; i < events.length; i += BATCH)
    await journal.appendEvents(events.slice(i, i + BATCH));
  rate(
    `PostgresOrderJournal.appendEvents, ${BATCH} per statement`,
    events.length,
    performance.now() - start,
  );
}
{
  const lifecycles = Array.from({ length: BATCHED / 5 }, (_, i) =>
    orderLifecycle(`q-${i}`, 'filled'),
  );
  const records = lifecycles.flatMap((list) =>
    list.slice(1).map((record, seq) => [record, seq + 2] as const),
  );
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    await pool.query(
      'INSERT INTO plain_journal SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[])',
      [
        batch.map(([record]) => record.id),
        batch.map(([, seq]) => seq),
        batch.map(([record]) => JSON.stringify(record)),
      ],
    );
  }
  rate(
    `plain pg multi-row INSERT, ${BATCH} per statement`,
    records.length,
    performance.now() - start,
  );
}

// Recovery: 10 000 resting orders journaled by one order manager, reloaded by a second.
{
  await pool.query('TRUNCATE qtp_fills, qtp_order_events, qtp_orders');
  const btc = new Instrument({
    id: instrumentId('BTCUSDT', 'BINANCE'),
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.0001',
  });
  const clock = new SimulatedClock();
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '1000000000' },
  });
  const first = new OrderManager({
    gateway: exchange,
    instruments: [btc],
    clock,
    journal,
    idGenerator: new SeededIdGenerator({ seed: 1 }),
  });
  for (let i = 0; i < RECOVER; i++) {
    first.submit(
      createOrderRequest({
        instrumentId: btc.id,
        side: 'BUY',
        type: 'LIMIT',
        price: '100',
        quantity: '0.01',
      }),
    );
    if (i % 200 === 199) await first.flush();
  }
  await first.flush();
  first.close();
  const second = new OrderManager({
    gateway: exchange,
    instruments: [btc],
    clock,
    journal,
    idGenerator: new SeededIdGenerator({ seed: 1 }),
  });
  const start = performance.now();
  const { recovered } = await second.recover();
  const ms = performance.now() - start;
  if (recovered.length !== RECOVER || recovered.some((order) => order.status !== 'ACCEPTED')) {
    throw new Error(`recovered ${recovered.length} orders, expected ${RECOVER} ACCEPTED`);
  }
  rate('OrderManager.recover() from PostgresOrderJournal', RECOVER, ms);
  second.close();
}

await pool.end();
await server.stop();

const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length), 8));
const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
console.log('\norder journal on PostgreSQL');
console.log(line(['', 'records', 'time', 'rate']));
for (const row of rows) console.log(line(row));
