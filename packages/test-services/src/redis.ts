import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import {
  isAlive,
  probeTcp,
  type ServerProcess,
  signalGroup,
  spawnServer,
  waitForExit,
  waitUntil,
} from './process.js';
import type { StartServiceOptions, TeardownRecord, TestService } from './service.js';

/** Options of {@link startRedis}. */
export interface StartRedisOptions extends StartServiceOptions {
  /**
   * `'none'` (the default) keeps everything in memory; `'aof'` writes an append-only file synced
   * on every write, so data survives `kill()` and `restart()`.
   */
  readonly persistence?: 'none' | 'aof';
}

/**
 * Starts `redis-server` on a free loopback port in a temporary directory and resolves once it
 * answers PING.
 *
 * @example
 * ```ts
 * import { startRedis } from '@qtp/test-services';
 * const redis = await startRedis();
 * console.log(redis.url); // redis://127.0.0.1:PORT
 * await redis.stop();
 * ```
 */
export async function startRedis(
  options: StartRedisOptions = {},
): Promise<TestService & { teardownRecord(): TeardownRecord }> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'qtp-redis-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const persistence =
    options.persistence === 'aof'
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...persistence,
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--protected-mode',
    'no',
  ];
  let server: ServerProcess | undefined;

  const boot = async () => {
    const started = spawnServer('redis-server', args, { logFile: join(dir, 'redis.log') });
    server = started;
    await waitUntil(
      `redis-server on port ${port}`,
      () => probeTcp(port, Buffer.from('PING\r\n'), (reply) => reply.includes('+PONG')),
      readyTimeoutMs,
      () => isAlive(started.pid),
    );
  };
  const end = async (signal: NodeJS.Signals) => {
    if (server === undefined) return;
    const { pid } = server;
    server = undefined;
    signalGroup(pid, signal);
    await waitForExit(pid);
  };

  await boot();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
    teardownRecord: () => ({
      dir,
      processGroups: server === undefined ? [] : [server.pid],
      commands: [],
    }),
    async restart() {
      await end('SIGKILL');
      await boot();
    },
  };
}
