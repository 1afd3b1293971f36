// The crash-restart campaign, whatever the venue: at each seeded kill point an engine process
// trades until it is killed, the market moves while it is down, a second engine process
// recovers on the same journal, and the venue's checks run against the journal.
import { type ChildProcess, spawn } from 'node:child_process';
import { Decimal } from '@qtp/core';
import type { OrphanPolicy } from '@qtp/engine';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import fc from 'fast-check';
import type pg from 'pg';
import { expect } from 'vitest';
import type { TestSchema } from '../support/database.js';
import { KILL_KINDS, type KillKind, type KillPoint } from './kill-points.js';

const ENGINE = new URL('./engine-process.ts', import.meta.url).pathname;
const DAY_MS = 86_400_000;

/** One seeded kill point of the campaign. */
export interface CampaignRun {
  readonly seed: number;
  readonly kind: KillKind;
  readonly at: number;
}

/** The venue of one run, kept in the test process, so it outlives both engine processes. */
export interface CampaignVenue {
  /** `sim` or `binance`: which venue the engine process builds. */
  readonly kind: 'sim' | 'binance';
  /** What the engine process needs to reach the venue. */
  readonly engineArgs: readonly string[];
  /** The engine's clock at the first start; the restart's is a day later. */
  readonly startMs: number;
  /** What the restarted engine does with venue orders the journal does not know. */
  readonly orphans: OrphanPolicy;
  /** Answers the engine process's requests; returns a function that stops. */
  serve(child: ChildProcess): () => void;
  /** What happens at the venue while no engine runs. */
  whileDown(): Promise<void>;
  /** Checks the venue against the journal after the restart. */
  verify(journal: PostgresOrderJournal): Promise<void>;
  dispose(): Promise<void>;
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function runEngine(args: readonly string[], venue: CampaignVenue): Promise<Outcome> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@qtp/source', ENGINE, ...args],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const stop = venue.serve(child);
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

/** Returns the signed sum of fill quantities (buys up, sells down), as a decimal string. */
export function signed(fills: readonly { side: string; quantity: string | Decimal }[]): string {
  return fills
    .reduce((sum, fill) => {
      const quantity = new Decimal(fill.quantity.toString());
      return fill.side === 'BUY' ? sum.plus(quantity) : sum.minus(quantity);
    }, new Decimal(0))
    .toString();
}

/**
 * Runs `runs` seeded kill points, each in a schema of its own, with the venue `open` makes for
 * it; returns what each run hit (`kind#at`, or `(not reached)` when the engine finished first).
 */
export async function crashCampaign(options: {
  readonly db: TestSchema;
  readonly runs: number;
  readonly seed: number;
  readonly open: (run: CampaignRun) => Promise<CampaignVenue>;
}): Promise<string[]> {
  const { db } = options;
  const kills: string[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.constantFrom(...KILL_KINDS),
      fc.integer({ min: 1, max: 8 }),
      async (seed, kind, at) => {
        const schema = `run_${seed}_${kind.toLowerCase()}_${at}`;
        await db.pool.query(`CREATE SCHEMA ${schema}`);
        const pool: pg.Pool = db.pool2({ options: `-c search_path=${schema}` });
        const venue = await options.open({ seed, kind, at });
        try {
          await migrate(pool);
          const point: KillPoint = { kind, at };
          const common = (phase: string, kill: string, startMs: number) => [
            venue.kind,
            db.url,
            schema,
            phase,
            String(seed),
            kill,
            String(startMs),
            venue.orphans,
            ...venue.engineArgs,
          ];
          const first = await runEngine(
            common('trade', JSON.stringify(point), venue.startMs),
            venue,
          );
          expect(first.signal === 'SIGKILL' || first.code === 0).toBe(true);
          kills.push(first.signal === 'SIGKILL' ? `${kind}#${at}` : `${kind}#${at} (not reached)`);
          await venue.whileDown();
          const second = await runEngine(common('recover', 'none', venue.startMs + DAY_MS), venue);
          expect(second.code).toBe(0);
          await venue.verify(new PostgresOrderJournal({ pool }));
        } finally {
          await venue.dispose();
          await pool.end();
          await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
        }
      },
    ),
    { numRuns: options.runs, seed: options.seed },
  );
  return kills;
}
