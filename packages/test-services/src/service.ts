/**
 * A real server started for tests. `stop()` shuts it down and deletes its directory; `kill()`
 * ends it abruptly (SIGKILL, or an immediate shutdown for PostgreSQL) and keeps its data, so
 * `restart()` brings it back on the same port with what it had persisted.
 *
 * @example
 * ```ts
 * import { startRedis } from '@qtp/test-services';
 * const redis = await startRedis();
 * await redis.kill();
 * await redis.restart();
 * await redis.stop();
 * ```
 */
export interface TestService {
  /** The connection URL: `redis://`, `amqp://` or `postgres://`. */
  readonly url: string;
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /** The temporary directory that holds the server's data and log. */
  readonly dir: string;
  /** Stops the server gracefully and removes its directory. */
  stop(): Promise<void>;
  /** Ends the server abruptly, keeping its data directory. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory; waits until it is ready. */
  restart(): Promise<void>;
}

/** Options every `start*` function takes. */
export interface StartServiceOptions {
  /** The port; a free one by default. */
  readonly port?: number;
  /** How long to wait for readiness, in milliseconds. */
  readonly readyTimeoutMs?: number;
}

/**
 * What another process needs to stop a server: the process groups to end, commands to run, and
 * the directory to remove. The vitest global setup's teardown reads these.
 */
export interface TeardownRecord {
  readonly dir: string;
  readonly processGroups: readonly number[];
  readonly commands: readonly (readonly string[])[];
}
