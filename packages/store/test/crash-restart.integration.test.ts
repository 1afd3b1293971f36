import { type ChildProcess, spawn } from 'node:child_process';
import { createBarEvent, Decimal, type Fill, SimulatedClock } from '@qtp/core';
import { barFillModel, SimulatedExchange } from '@qtp/exchange';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btc, type KillKind, type KillPoint } from './crash/engine-process.js';
import { serveVenue } from './crash/venue-host.js';
import { createTestSchema, type TestSchema } from './support/database.js';

const ENGINE = new URL('./crash/engine-process.ts', import.meta.url).pathname;
const START = Date.UTC(2024, 0, 1);
const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 10);
const KINDS: readonly KillKind[] = ['beforeJournal', 'afterJournal', 'afterSend', 'betweenFills'];

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function runEngine(
  args: string[],
  venue: SimulatedExchange,
  placements: Map<string, number>,
  advance: () => void,
): Promise<Outcome> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@qtp/source', ENGINE, ...args],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const stop = serveVenue(child, venue, placements, advance);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      stop();
      resolve({ code, signal, output });
    });
  });
}

function signed(fills: readonly { side: string; quantity: string | Decimal }[]): string {
  return fills
    .reduce((sum, fill) => {
      const quantity = new Decimal(fill.quantity.toString());
      return fill.side === 'BUY' ? sum.plus(quantity) : sum.minus(quantity);
    }, new Decimal(0))
    .toString();
}

describe('crash and restart of an engine process against a venue that survives it', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it(`leaves no orphan, no duplicate and the venue's position booked, at ${RUNS} seeded kill points`, async () => {
    const kills: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(...KINDS),
        fc.integer({ min: 1, max: 8 }),
        async (seed, kind, at) => {
          const schema = `run_${seed}_${kind.toLowerCase()}_${at}`;
          await db.pool.query(`CREATE SCHEMA ${schema}`);
          const pool = db.pool2({ options: `-c search_path=${schema}` });
          try {
            await migrate(pool);
            const clock = new SimulatedClock({ startMs: START });
            const venue = new SimulatedExchange({
              clock,
              instruments: [btc],
              balances: { USDT: '1000000', BTC: '1000' },
              venue: 'SIM',
              fillModel: barFillModel({ volumeCap: 1 }),
            });
            let bars = 0;
            // Each bar crosses every resting limit and trades 1 BTC, so larger orders fill in parts.
            const advance = () => {
              bars += 1;
              const openTimeMs = START + bars * 60_000;
              clock.advanceTo(openTimeMs + 60_000);
              venue.process(
                createBarEvent({
                  instrumentId: btc.id,
                  interval: '1m',
                  openTimeMs,
                  closeTimeMs: openTimeMs + 59_999,
                  open: 100,
                  high: 105,
                  low: 95,
                  close: 100,
                  volume: 1,
                }),
              );
            };
            const placements = new Map<string, number>();
            const point: KillPoint = { kind, at };
            const common = [db.url, schema];
            const first = await runEngine(
              [...common, 'trade', String(seed), JSON.stringify(point), String(START)],
              venue,
              placements,
              advance,
            );
            expect(first.signal === 'SIGKILL' || first.code === 0).toBe(true);
            kills.push(
              first.signal === 'SIGKILL' ? `${kind}#${at}` : `${kind}#${at} (not reached)`,
            );
            // The venue keeps trading while the engine is down.
            advance();
            const second = await runEngine(
              [...common, 'recover', String(seed), 'none', String(START + 86_400_000)],
              venue,
              placements,
              advance,
            );
            expect(second.code).toBe(0);

            // No order was sent twice.
            for (const [id, count] of placements) expect([id, count]).toEqual([id, 1]);
            // No orphan: the venue's open orders are exactly the journal's open orders.
            const journal = new PostgresOrderJournal({ pool });
            const open = (await journal.loadOpen()).map((record) => record.id).sort();
            const venueOpen = (await venue.fetchOpenOrders())
              .map((order) => order.clientOrderId)
              .sort();
            expect(open).toEqual(venueOpen);
            // Every journaled order agrees with the venue, and every order the venue knows is journaled.
            const records = await journal.loadAll();
            const journaled = new Set(records.map((record) => record.id));
            for (const id of placements.keys()) expect(journaled.has(id)).toBe(true);
            for (const record of records) {
              if (!placements.has(record.id)) {
                expect(record.status).toBe('REJECTED');
                continue;
              }
              const report = await venue.fetchOrder({
                instrumentId: btc.id,
                clientOrderId: record.id as never,
              });
              expect([record.id, record.status, record.order.filledQuantity]).toEqual([
                record.id,
                report.status,
                report.filledQuantity.toString(),
              ]);
            }
            // The booked position is the venue's record: the same trades, each once.
            const trades: readonly Fill[] = await venue.fetchMyTrades(btc.id);
            const booked = await journal.fills({ instrumentId: btc.id });
            expect(booked.map((fill) => fill.tradeId).sort()).toEqual(
              trades.map((fill) => fill.tradeId).sort(),
            );
            expect(signed(booked)).toBe(signed(trades));
          } finally {
            await pool.end();
            await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
          }
        },
      ),
      { numRuns: RUNS, seed: 15 },
    );
    expect(kills.filter((kill) => !kill.includes('not reached')).length).toBeGreaterThan(0);
  }, 600_000);
});
