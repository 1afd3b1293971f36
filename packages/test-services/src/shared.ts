import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresClient, postgresClient, startPostgres } from './postgres.js';
import { sleep } from './process.js';
import { startRabbitMq } from './rabbitmq.js';
import { startRedis } from './redis.js';
import type { TeardownRecord } from './service.js';
import { teardownRunDir } from './teardown.js';

/** The environment variable that names the run directory the global setup created. */
export const RUN_DIR_ENV = 'QTP_TEST_SERVICES_DIR';

interface SharedRecord {
  readonly url: string;
  readonly port: number;
  readonly pooledVhosts?: readonly string[];
  readonly error?: string;
}

let localRunDir: string | undefined;

/**
 * Returns the directory where this test run's shared servers are recorded: the one the vitest
 * global setup made, or, in a script without it, one made for this process and torn down when
 * the process exits.
 */
export function runDirectory(): string {
  const fromEnv = process.env[RUN_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (localRunDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'qtp-services-'));
    localRunDir = dir;
    process.once('exit', () => teardownRunDir(dir));
  }
  return localRunDir;
}

/**
 * Starts the named server once per run, across the test processes of the run: the first caller
 * takes a lock (an atomic `mkdir`), starts it and writes its record; the others wait for the
 * record. The global setup's teardown stops it.
 */
async function shared(
  kind: string,
  start: () => Promise<{ record: SharedRecord; teardown: TeardownRecord }>,
  timeoutMs: number,
): Promise<SharedRecord> {
  const runDir = runDirectory();
  const recordFile = join(runDir, `${kind}.json`);
  try {
    mkdirSync(join(runDir, `${kind}.lock`));
  } catch {
    const started = performance.now();
    while (!existsSync(recordFile)) {
      if (performance.now() - started > timeoutMs) {
        throw new Error(`shared ${kind}: no server recorded after ${timeoutMs} ms`);
      }
      await sleep(50);
    }
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as SharedRecord;
    if (record.error !== undefined) throw new Error(`shared ${kind}: ${record.error}`);
    return record;
  }
  try {
    const { record, teardown } = await start();
    writeFileSync(join(runDir, `${kind}.teardown.json`), JSON.stringify(teardown));
    writeFileSync(recordFile, JSON.stringify(record));
    return record;
  } catch (error) {
    writeFileSync(recordFile, JSON.stringify({ url: '', port: 0, error: String(error) }));
    throw error;
  }
}

/** The run's shared Redis: its URL and a fresh key prefix per call. */
export interface SharedRedis {
  readonly url: string;
  /** Returns a key prefix no other caller gets, `label:xxxxxxxx:`. */
  keyPrefix(label?: string): string;
}

/**
 * Returns the run's shared Redis, starting it on first use. Tests that kill or restart a server
 * start their own with `startRedis()` instead.
 *
 * @example
 * ```ts
 * import { sharedRedis } from '@qtp/test-services';
 * const redis = await sharedRedis();
 * const prefix = redis.keyPrefix('streams');
 * ```
 */
export async function sharedRedis(): Promise<SharedRedis> {
  const record = await shared(
    'redis',
    async () => {
      const redis = await startRedis();
      return { record: { url: redis.url, port: redis.port }, teardown: redis.teardownRecord() };
    },
    30_000,
  );
  return { url: record.url, keyPrefix: (label = 'qtp') => `${uniqueName(label)}:` };
}

/** The run's shared RabbitMQ node. */
export interface SharedRabbitMq {
  /** The URL of the default vhost `/`. */
  readonly url: string;
  /** Returns the URL of `vhost`. */
  vhostUrl(vhost: string): string;
  /** Claims a vhost no other caller of this run gets and returns its URL. */
  takeVhost(): Promise<string>;
}

/**
 * Returns the run's shared RabbitMQ node, starting it on first use (a few seconds). Each test
 * file takes a vhost of its own with `takeVhost()`.
 *
 * @example
 * ```ts
 * import { sharedRabbitMq } from '@qtp/test-services';
 * const rabbit = await sharedRabbitMq();
 * const url = await rabbit.takeVhost();
 * ```
 */
export async function sharedRabbitMq(): Promise<SharedRabbitMq> {
  const record = await shared(
    'rabbitmq',
    async () => {
      const rabbit = await startRabbitMq();
      return {
        record: { url: rabbit.url, port: rabbit.port, pooledVhosts: rabbit.pooledVhosts },
        teardown: rabbit.teardownRecord(),
      };
    },
    120_000,
  );
  const vhostUrl = (vhost: string) =>
    `amqp://guest:guest@127.0.0.1:${record.port}/${encodeURIComponent(vhost)}`;
  const claims = join(runDirectory(), 'rabbitmq-vhosts');
  mkdirSync(claims, { recursive: true });
  return {
    url: record.url,
    vhostUrl,
    async takeVhost() {
      for (const vhost of record.pooledVhosts ?? []) {
        try {
          mkdirSync(join(claims, vhost));
          return vhostUrl(vhost);
        } catch {
          // Claimed by another caller.
        }
      }
      throw new Error(`shared rabbitmq: all ${record.pooledVhosts?.length ?? 0} vhosts are taken`);
    },
  };
}

/** The run's shared PostgreSQL cluster. */
export interface SharedPostgres extends PostgresClient {
  /** Creates a database no other caller gets and returns its URL. */
  takeDatabase(label?: string): Promise<string>;
}

/**
 * Returns the run's shared PostgreSQL cluster, starting it on first use. Each test file takes a
 * database of its own with `takeDatabase()`.
 *
 * @example
 * ```ts
 * import { sharedPostgres } from '@qtp/test-services';
 * const pg = await sharedPostgres();
 * const url = await pg.takeDatabase('journal');
 * ```
 */
export async function sharedPostgres(): Promise<SharedPostgres> {
  const record = await shared(
    'postgres',
    async () => {
      const pg = await startPostgres();
      return { record: { url: pg.url, port: pg.port }, teardown: pg.teardownRecord() };
    },
    60_000,
  );
  const client = postgresClient(record.port);
  return {
    ...client,
    takeDatabase: (label = 'qtp') => client.createDatabase(uniqueName(label).replaceAll('-', '_')),
  };
}

/**
 * Returns `label` followed by eight random hex digits, `label-1a2b3c4d`: a name for a key
 * prefix, queue, vhost or database that no other test uses.
 *
 * @example
 * ```ts
 * import { uniqueName } from '@qtp/test-services';
 * const queue = uniqueName('jobs');
 * ```
 */
export function uniqueName(label = 'qtp'): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  return `${safe}-${randomUUID().slice(0, 8)}`;
}
