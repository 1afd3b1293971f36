import { type Clock, LiveClock, ValidationError } from '@qtp/core';

/** A value read from an {@link L2Cache}, with the time it has left. */
export interface L2Entry<V> {
  /** The cached value. */
  readonly value: V;
  /** Milliseconds until the entry expires, or undefined when it never does. */
  readonly ttlMs: number | undefined;
}

/**
 * The second, shared tier of a {@link TieredCache}: typically Redis (`@qtp/store` implements it),
 * or {@link InMemoryL2Cache} in tests and single-process use. Keys are strings; values are
 * whatever the implementation can store (a Redis tier serialises them).
 */
export interface L2Cache<V> {
  /** Returns the entry under `key` with its remaining time to live, or undefined when absent or expired. */
  get(key: string): Promise<L2Entry<V> | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds, or with no expiry when `ttlMs` is omitted. */
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  /** Deletes the entry under `key`; returns true when there was one. */
  delete(key: string): Promise<boolean>;
  /** Deletes every entry whose key starts with `prefix`; returns how many were deleted. */
  deleteByPrefix(prefix: string): Promise<number>;
}

/** Options of {@link InMemoryL2Cache}. */
export interface InMemoryL2CacheOptions {
  /** The time source for expiry (default a `LiveClock`); pass a `SimulatedClock` in tests. */
  clock?: Pick<Clock, 'now'>;
}

/**
 * Throws unless `ttlMs` is a positive finite number of milliseconds.
 * @internal
 */
export function checkTtl(ttlMs: number, field = 'ttlMs'): void {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ValidationError(field, 'be a positive finite number of milliseconds', ttlMs);
  }
}

/**
 * An {@link L2Cache} in a `Map`, for tests and single-process use. Expired entries are dropped
 * when read, so no timer runs. Values are stored by reference, not copied.
 *
 * @example
 * ```ts
 * import { InMemoryL2Cache, TieredCache } from '@qtp/core';
 * const cache = new TieredCache<string>({ l2: new InMemoryL2Cache<string>() });
 * ```
 */
export class InMemoryL2Cache<V> implements L2Cache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number | undefined }>();
  private readonly clock: Pick<Clock, 'now'>;

  /** Creates an empty tier. */
  constructor(options: InMemoryL2CacheOptions = {}) {
    this.clock = options.clock ?? new LiveClock();
  }

  /** The number of entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  /** {@inheritDoc L2Cache.get} */
  async get(key: string): Promise<L2Entry<V> | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt === undefined) return { value: entry.value, ttlMs: undefined };
    const ttlMs = entry.expiresAt - this.clock.now();
    if (ttlMs <= 0) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, ttlMs };
  }

  /** {@inheritDoc L2Cache.set} */
  async set(key: string, value: V, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined) checkTtl(ttlMs);
    const expiresAt = ttlMs === undefined ? undefined : this.clock.now() + ttlMs;
    this.entries.set(key, { value, expiresAt });
  }

  /** {@inheritDoc L2Cache.delete} */
  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  /** {@inheritDoc L2Cache.deleteByPrefix} */
  async deleteByPrefix(prefix: string): Promise<number> {
    let count = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.entries.delete(key)) count += 1;
    }
    return count;
  }
}
