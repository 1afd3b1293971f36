import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { runOrThrow, waitUntil } from './process.js';
import type { StartServiceOptions, TeardownRecord, TestService } from './service.js';

/** A running PostgreSQL cluster, with the means to add databases to it. */
export interface PostgresService extends TestService {
  /** Creates a database and returns its `postgres://` URL. */
  createDatabase(name: string): Promise<string>;
  /** Returns the `postgres://` URL of `database` on this cluster. */
  databaseUrl(database: string): string;
  /** Runs SQL with `psql` against `database` (`postgres` by default) and returns its output. */
  psql(sql: string, database?: string): string;
  /** What a teardown in another process needs to stop this cluster. */
  teardownRecord(): TeardownRecord;
}

/** The client side of a cluster: URLs, `psql` and database creation. */
export type PostgresClient = Pick<
  PostgresService,
  'url' | 'databaseUrl' | 'psql' | 'createDatabase'
>;

/**
 * Returns the client side of the cluster on 127.0.0.1:`port`, reached with `psql` as the
 * `postgres` role.
 *
 * @example
 * ```ts
 * import { postgresClient } from '@qtp/test-services';
 * const pg = postgresClient(5432);
 * pg.psql('SELECT 1');
 * ```
 */
export function postgresClient(port: number): PostgresClient {
  const bin = postgresBinDir();
  const tool = (name: string) => (bin === '' ? name : join(bin, name));
  const databaseUrl = (database: string) =>
    `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const psql = (sql: string, database = 'postgres') =>
    runOrThrow(tool('psql'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-At',
      '-c',
      sql,
    ]);
  return {
    url: databaseUrl('postgres'),
    databaseUrl,
    psql,
    async createDatabase(name: string) {
      psql(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      return databaseUrl(name);
    },
  };
}

/**
 * Returns the directory of the newest PostgreSQL server binaries: `QTP_POSTGRES_BIN` when set,
 * else the highest `/usr/lib/postgresql/N/bin` (Debian's layout), else the binaries on `PATH`.
 */
export function postgresBinDir(): string {
  const fromEnv = process.env.QTP_POSTGRES_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(base, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(base, versions[0], 'bin');
  }
  return '';
}

const SERVER_USER = 'postgres';

/**
 * Starts a PostgreSQL cluster (initdb, then pg_ctl) on a free loopback port in a temporary
 * directory, with trust authentication for the `postgres` role, and resolves once `pg_isready`
 * accepts connections. As root, initdb and the server run as the `postgres` system user, which
 * owns the data directory.
 *
 * @example
 * ```ts
 * import { startPostgres } from '@qtp/test-services';
 * const pg = await startPostgres();
 * const url = await pg.createDatabase('orders_test');
 * await pg.stop();
 * ```
 */
export async function startPostgres(options: StartServiceOptions = {}): Promise<PostgresService> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'qtp-postgres-'));
  const data = join(dir, 'data');
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const bin = postgresBinDir();
  const tool = (name: string) => (bin === '' ? name : join(bin, name));
  const asRoot = userInfo().uid === 0;
  mkdirSync(data, { mode: 0o700 });
  if (asRoot) {
    const uid = Number(runOrThrow('id', ['-u', SERVER_USER]).trim());
    const gid = Number(runOrThrow('id', ['-g', SERVER_USER]).trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  const asServerUser = (name: string, args: readonly string[]) =>
    asRoot
      ? runOrThrow('runuser', ['-u', SERVER_USER, '--', tool(name), ...args], { cwd: dir })
      : runOrThrow(tool(name), args, { cwd: dir });

  asServerUser('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    '-c fsync=on',
    '-c max_connections=200',
  ].join(' ');
  const ready = () =>
    waitUntil(
      `postgres on port ${port}`,
      async () => {
        try {
          runOrThrow(tool('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
          return true;
        } catch {
          return false;
        }
      },
      readyTimeoutMs,
    );
  let running = false;
  const boot = async () => {
    asServerUser('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      serverOptions,
      '-w',
      '-t',
      String(Math.ceil(readyTimeoutMs / 1000)),
      'start',
    ]);
    running = true;
    await ready();
  };
  const end = async (mode: 'fast' | 'immediate') => {
    if (!running) return;
    running = false;
    asServerUser('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };

  await boot();
  const stopArgs = ['-D', data, '-m', 'fast', '-w', 'stop'];
  const stopCommand = asRoot
    ? ['runuser', '-u', SERVER_USER, '--', tool('pg_ctl'), ...stopArgs]
    : [tool('pg_ctl'), ...stopArgs];
  return {
    ...postgresClient(port),
    port,
    dir,
    teardownRecord: () => ({ dir, processGroups: [], commands: running ? [stopCommand] : [] }),
    async stop() {
      await end('fast');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('immediate'),
    async restart() {
      await end('immediate');
      await boot();
    },
  };
}
