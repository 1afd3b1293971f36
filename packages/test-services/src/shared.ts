import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
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

/**
 * Set by the global setup: its process, which lives for the whole run, starts the servers that
 * test processes ask for. A test process can end (a hook timeout, the end of its file) in the
 * middle of a boot; a boot it ran itself would then never be recorded.
 */
export const SERVED_ENV = 'QTP_TEST_SERVICES_SERVED';

/** The kinds of shared server. */
export type SharedKind = 'redis' | 'rabbitmq' | 'postgres';

/** The kinds of shared server, in the order an eager run starts them. */
export const SHARED_KINDS: readonly SharedKind[] = ['redis', 'postgres', 'rabbitmq'];

interface SharedRecord {
  readonly url: string;
  readonly port: number;
  readonly pooledVhosts?: readonly string[];
  readonly error?: string;
}

// How long a caller waits for a record; above each server's own ready timeout, so a slow boot
// ends with the server's error rather than this one.
const WAIT_MS: Record<SharedKind, number> = { redis: 60_000, postgres: 120_000, rabbitmq: 180_000 };

const STARTERS: Record<
  SharedKind,
  () => Promise<{ record: SharedRecord; teardown: TeardownRecord }>
> = {
  async redis() {
    const redis = await startRedis();
    return { record: { url: redis.url, port: redis.port }, teardown: redis.teardownRecord() };
  },
  async postgres() {
    const pg = await startPostgres();
    return { record: { url: pg.url, port: pg.port }, teardown: pg.teardownRecord() };
  },
  async rabbitmq() {
    const rabbit = await startRabbitMq();
    return {
      record: { url: rabbit.url, port: rabbit.port, pooledVhosts: rabbit.pooledVhosts },
      teardown: rabbit.teardownRecord(),
    };
  },
};

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

const lockDir = (runDir: string, kind: SharedKind) => join(runDir, `${kind}.lock`);
const recordPath = (runDir: string, kind: SharedKind) => join(runDir, `${kind}.json`);

/**
 * Asks for the shared server of `kind`: takes its lock (an atomic `mkdir`) unless another caller
 * has. Returns whether this call took it.
 */
export function requestShared(runDir: string, kind: SharedKind): boolean {
  try {
    mkdirSync(lockDir(runDir, kind));
    return true;
  } catch {
    return false;
  }
}

/** Returns the kinds whose lock is taken in `runDir`. */
export function requestedKinds(runDir: string): SharedKind[] {
  return SHARED_KINDS.filter((kind) => existsSync(lockDir(runDir, kind)));
}

// Written aside and renamed, so a caller polling for the file never reads half of it.
function writeRecord(file: string, record: SharedRecord): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
}

/**
 * Starts the shared server of `kind` and records it in `runDir` (its URL for callers, its
 * teardown for the end of the run). A failed start is recorded as an error, so callers fail
 * with the server's reason instead of waiting.
 */
export async function startShared(runDir: string, kind: SharedKind): Promise<void> {
  try {
    const { record, teardown } = await STARTERS[kind]();
    writeFileSync(join(runDir, `${kind}.teardown.json`), JSON.stringify(teardown));
    writeRecord(recordPath(runDir, kind), record);
  } catch (error) {
    writeRecord(recordPath(runDir, kind), { url: '', port: 0, error: String(error) });
  }
}

/**
 * Returns the run's server of `kind`, started once per run across the test processes of the
 * run. Under the global setup its process starts it; in a script the first caller does.
 */
async function shared(kind: SharedKind): Promise<SharedRecord> {
  const runDir = runDirectory();
  const took = requestShared(runDir, kind);
  if (took && process.env[SERVED_ENV] !== '1') await startShared(runDir, kind);
  const file = recordPath(runDir, kind);
  const started = performance.now();
  while (!existsSync(file)) {
    if (performance.now() - started > WAIT_MS[kind]) {
      throw new Error(`shared ${kind}: no server recorded after ${WAIT_MS[kind]} ms`);
    }
    await sleep(50);
  }
  const record = JSON.parse(readFileSync(file, 'utf8')) as SharedRecord;
  if (record.error !== undefined) throw new Error(`shared ${kind}: ${record.error}`);
  return record;
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
  const record = await shared('redis');
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
  const record = await shared('rabbitmq');
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
  const record = await shared('postgres');
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
