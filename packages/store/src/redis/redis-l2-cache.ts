import { randomUUID } from 'node:crypto';
import { ValidationError } from '@qtp/core';
import type { L2Cache, L2Entry, TieredCache } from '@qtp/core/cache';
import type { Redis } from 'ioredis';
import { RedisLock } from './redis-lock.js';

/** Turns a cached value into the string Redis stores and back. */
export interface CacheCodec<V> {
  /** Returns the stored form of a value. */
  encode(value: V): string;
  /** Returns the value of a stored string. */
  decode(text: string): V;
}

/** Options of {@link RedisL2Cache}. */
export interface RedisL2CacheOptions<V> {
  /** The connection commands go through; it stays the caller's to close. */
  redis: Redis;
  /** Prepended to every key in Redis, so several caches share one database (default `qtp:cache:`). */
  keyPrefix?: string;
  /**
   * The Pub/Sub channel invalidation messages go to (default `<keyPrefix>invalidate`): every
   * write and delete through this tier is announced, so other processes drop their in-memory copy.
   */
  channel?: string;
  /** How values are stored (default JSON; decimals must already be strings). */
  codec?: CacheCodec<V>;
  /** How many keys a prefix delete scans per round trip (default 500). */
  scanCount?: number;
  /**
   * Prepended to the key of each load lock of {@link RedisL2Cache.getOrSetShared} (default
   * `lock:<keyPrefix>`, outside the cache's own keys, so a prefix delete leaves locks alone).
   */
  lockPrefix?: string;
  /**
   * How long a load lock lives, in milliseconds (default 10 000): a process that dies while it
   * loads frees the key after this long. Make it longer than the slowest load, or a second
   * process loads the key too.
   */
  lockTtlMs?: number;
  /** How often a process waiting for another's load looks for its value, in milliseconds (default 20). */
  lockPollMs?: number;
}

/** One invalidation message on the channel. */
interface InvalidationMessage {
  readonly origin: string;
  readonly key?: string;
  readonly prefix?: string;
}

const jsonCodec: CacheCodec<never> = {
  encode: (value) => JSON.stringify(value),
  decode: (text) => JSON.parse(text) as never,
};

function positiveMs(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a positive finite number of milliseconds', value);
  }
  return value;
}

// Redis glob patterns treat these as special; a prefix is matched literally.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * The Redis tier of core's `TieredCache`, on `ioredis` (an optional peer): values under a key
 * prefix with their time to live (`SET ... PX`, read back with `PTTL`), prefix deletes by `SCAN`
 * and `UNLINK`, and invalidation messages on a Pub/Sub channel. {@link RedisL2Cache.attach} makes
 * a process's in-memory tier hear the other processes' writes and deletes, so the L1 tiers of
 * several processes stay coherent; the `TieredCache` in front coalesces concurrent loads of a key
 * into one loader call.
 *
 * @example
 * ```ts
 * import { TieredCache } from '@qtp/core/cache';
 * import { RedisL2Cache } from '@qtp/store/redis';
 * import { Redis } from 'ioredis';
 *
 * const l2 = new RedisL2Cache<string>({ redis: new Redis(process.env.REDIS_URL!) });
 * const cache = new TieredCache<string>({ l2, defaultTtlMs: 30_000 });
 * const detach = await l2.attach(cache, new Redis(process.env.REDIS_URL!));
 * const name = await cache.getOrSet('instrument:BTCUSDT', () => 'Bitcoin / Tether');
 * ```
 */
export class RedisL2Cache<V> implements L2Cache<V> {
  /** The id this instance stamps on its invalidation messages, to skip its own. */
  readonly origin = randomUUID();
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly channel: string;
  private readonly codec: CacheCodec<V>;
  private readonly scanCount: number;
  private readonly lockPrefix: string;
  private readonly lockTtlMs: number;
  private readonly lockPollMs: number;
  // Values a shared load already wrote to Redis, by key: the TieredCache's own write of the same
  // value right after is skipped, so the entry is written and announced once.
  private readonly written = new Map<string, V>();
  // Keys and prefixes being invalidated on another process's word: their shared entry is the
  // other process's to manage, so the delete the TieredCache passes down is skipped.
  private readonly remoteKeys = new Set<string>();
  private readonly remotePrefixes = new Set<string>();

  /**
   * Creates the tier on a connection.
   * @throws `ValidationError` naming `scanCount` when it is not a positive integer
   * @throws `ValidationError` naming `lockTtlMs` or `lockPollMs` when it is not a positive finite number
   */
  constructor(options: RedisL2CacheOptions<V>) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'qtp:cache:';
    this.channel = options.channel ?? `${this.keyPrefix}invalidate`;
    this.codec = options.codec ?? (jsonCodec as CacheCodec<V>);
    this.scanCount = options.scanCount ?? 500;
    if (!Number.isInteger(this.scanCount) || this.scanCount < 1) {
      throw new ValidationError('scanCount', 'be a positive integer', options.scanCount);
    }
    this.lockPrefix = options.lockPrefix ?? `lock:${this.keyPrefix}`;
    this.lockTtlMs = positiveMs('lockTtlMs', options.lockTtlMs, 10_000);
    this.lockPollMs = positiveMs('lockPollMs', options.lockPollMs, 20);
  }

  /** Returns the entry under `key` with its remaining time to live, or undefined when absent or expired. */
  async get(key: string): Promise<L2Entry<V> | undefined> {
    const full = this.keyPrefix + key;
    const replies = await this.redis.multi().get(full).pttl(full).exec();
    const [[getError, text], [ttlError, ttl]] = replies as [
      [Error | null, string | null],
      [Error | null, number],
    ];
    if (getError) throw getError;
    if (ttlError) throw ttlError;
    if (text === null) return undefined;
    return { value: this.codec.decode(text), ttlMs: ttl > 0 ? ttl : undefined };
  }

  /**
   * Stores `value` under `key` for `ttlMs` milliseconds, or with no expiry, and announces it.
   * @throws `ValidationError` naming `ttlMs` when it is not a positive finite number
   */
  async set(key: string, value: V, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
      throw new ValidationError('ttlMs', 'be a positive finite number of milliseconds', ttlMs);
    }
    const marked = this.written.has(key);
    const shared = this.written.get(key);
    this.written.delete(key);
    if (marked && shared === value) return;
    await this.write(key, value, ttlMs);
  }

  /**
   * Returns the value under `key` from `cache`, loading it at most once across every process
   * that shares this Redis: on a miss in both tiers the process that takes the key's load lock
   * (`SET NX PX` with a token of its own) calls `loader`, stores the value for `ttlMs` and
   * releases the lock; the others poll until the value is in Redis and take it from there. A
   * lock whose owner died expires after `lockTtlMs` and the next waiter loads; only the owner's
   * token releases a lock, so an owner whose lock expired cannot free another process's.
   * Concurrent callers in one process share one flight, as `TieredCache.getOrSet` does.
   * @throws whatever `loader` throws, with nothing cached and the lock released
   * @throws `ValidationError` naming `ttlMs` when it is not a positive finite number
   * @example
   * ```ts
   * const instrument = await l2.getOrSetShared(cache, 'instrument:BTCUSDT', () => api.fetchInstrument('BTCUSDT'), 60_000);
   * ```
   */
  getOrSetShared(
    cache: TieredCache<V>,
    key: string,
    loader: () => V | Promise<V>,
    ttlMs: number,
  ): Promise<V> {
    return cache.getOrSet(key, () => this.loadExclusively(key, loader, ttlMs), ttlMs);
  }

  private async loadExclusively(
    key: string,
    loader: () => V | Promise<V>,
    ttlMs: number,
  ): Promise<V> {
    const lock = new RedisLock(this.redis, this.lockPrefix + key, this.lockTtlMs);
    for (;;) {
      if (await lock.acquire()) {
        try {
          // Another process may have stored the value and released the lock since the miss.
          const stored = await this.get(key);
          if (stored !== undefined) return this.shared(key, stored.value);
          const value = await loader();
          await this.write(key, value, ttlMs);
          return this.shared(key, value);
        } finally {
          await lock.release();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, this.lockPollMs));
      const entry = await this.get(key);
      if (entry !== undefined) return this.shared(key, entry.value);
    }
  }

  private shared(key: string, value: V): V {
    this.written.set(key, value);
    return value;
  }

  private async write(key: string, value: V, ttlMs: number | undefined): Promise<void> {
    const text = this.codec.encode(value);
    const full = this.keyPrefix + key;
    if (ttlMs === undefined) await this.redis.set(full, text);
    else await this.redis.set(full, text, 'PX', Math.ceil(ttlMs));
    await this.announce({ origin: this.origin, key });
  }

  /** Deletes the entry under `key` and announces it; returns true when there was one. */
  async delete(key: string): Promise<boolean> {
    if (this.remoteKeys.delete(key)) return false;
    const removed = await this.redis.unlink(this.keyPrefix + key);
    await this.announce({ origin: this.origin, key });
    return removed > 0;
  }

  /** Deletes every entry whose key starts with `prefix` (matched literally), announces it, and returns how many. */
  async deleteByPrefix(prefix: string): Promise<number> {
    if (this.remotePrefixes.delete(prefix)) return 0;
    const pattern = `${escapeGlob(this.keyPrefix + prefix)}*`;
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.scanCount);
      cursor = next;
      if (keys.length > 0) removed += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    await this.announce({ origin: this.origin, prefix });
    return removed;
  }

  /**
   * Subscribes `subscriber` (a connection of its own, as Redis Pub/Sub takes it over) to the
   * invalidation channel and drops from `cache`'s in-memory tier every key another process
   * wrote or deleted, and every key under a prefix it deleted. A load of such a key in flight
   * is not cached. Resolves once subscribed; returns a function that unsubscribes.
   */
  async attach(cache: TieredCache<V>, subscriber: Redis): Promise<() => Promise<void>> {
    const onMessage = (channel: string, text: string): void => {
      if (channel !== this.channel) return;
      const message = JSON.parse(text) as InvalidationMessage;
      if (message.origin === this.origin) return;
      // The cache passes the invalidation down to this tier; the marks make that a no-op.
      if (message.key !== undefined) {
        this.remoteKeys.add(message.key);
        void cache.invalidate(message.key).finally(() => this.remoteKeys.delete(message.key!));
      } else if (message.prefix !== undefined) {
        this.remotePrefixes.add(message.prefix);
        void cache
          .invalidatePrefix(message.prefix)
          .finally(() => this.remotePrefixes.delete(message.prefix!));
      }
    };
    subscriber.on('message', onMessage);
    await subscriber.subscribe(this.channel);
    return async () => {
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(this.channel);
    };
  }

  private async announce(message: InvalidationMessage): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(message));
  }
}
