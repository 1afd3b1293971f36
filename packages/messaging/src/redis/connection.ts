import { Redis, type RedisOptions } from 'ioredis';

/** How a Redis broker reaches the server: a URL, or ioredis options. */
export type RedisConnection = string | RedisOptions;

/**
 * Opens an ioredis client that waits through outages instead of failing commands: it reconnects
 * with a capped backoff and replays the commands that were in flight. With `autoPipelining`
 * (the default), commands issued in the same tick go out as one pipeline, a turn later; a
 * connection that sends one command at a time (a blocking reader) or its own explicit
 * pipelines goes without, and writes each command at once.
 */
export function openRedis(connection: RedisConnection, name: string, autoPipelining = true): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: true,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    connectionName: name,
    // Commands issued in the same tick go out as one pipeline: many concurrent commands cost one
    // round trip.
    enableAutoPipelining: autoPipelining,
    lazyConnect: false,
  };
  const client =
    typeof connection === 'string'
      ? new Redis(connection, options)
      : new Redis({ ...options, ...connection });
  // A dropped connection is not an error to raise: the client reconnects on its own and the
  // commands wait for it; the brokers' loops see the failed reads and try again.
  client.on('error', () => undefined);
  return client;
}

/** Closes a client at once, dropping its pending commands. */
export function dropRedis(client: Redis): void {
  client.disconnect(false);
}
