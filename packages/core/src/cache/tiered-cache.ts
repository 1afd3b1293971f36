import { type Clock, LiveClock, ValidationError } from '@qtp/core';
import { LRUCache } from 'lru-cache';
import { checkTtl, type L2Cache } from './l2-cache.js';

/** What a {@link CacheMetricEvent} reports. */
export type CacheMetricKind = 'hit' | 'miss' | 'load' | 'load_error' | 'coalesced' | 'l2_error';

/** One observation for a metrics sink; see {@link TieredCacheOptions.onMetric}. */
export interface CacheMetricEvent {
  /** The cache's name, for a metric label. */
  readonly cache: string;
  /** What happened. */
  readonly kind: CacheMetricKind;
  /** The tier that answered a hit or failed (`l1` or `l2`). */
  readonly tier?: 'l1' | 'l2';
  /** For `load` and `load_error`: how long the loader ran, in milliseconds on the cache's clock. */
  readonly durationMs?: number;
  /** For `load_error` and `l2_error`: what was thrown. */
  readonly error?: unknown;
}

/** Counters of a {@link TieredCache} since it was created. */
export interface CacheStats {
  /** Lookups answered by either tier. */
  readonly hits: number;
  /** Lookups answered by the in-memory tier. */
  readonly l1Hits: number;
  /** Lookups answered by the shared tier. */
  readonly l2Hits: number;
  /** Lookups that found nothing in either tier. */
  readonly misses: number;
  /** Loader calls that started. */
  readonly loads: number;
  /** Loader calls that threw. */
  readonly loadErrors: number;
  /** Callers that joined a load already in flight instead of starting one. */
  readonly coalesced: number;
  /** Reads or writes of the shared tier that failed and were passed over. */
  readonly l2Errors: number;
  /** Entries held in the in-memory tier. */
  readonly l1Size: number;
}

/** Options of {@link TieredCache}. */
export interface TieredCacheOptions<V> {
  /** A name for metric labels (default `cache`). */
  name?: string;
  /** The most entries the in-memory tier holds; the least recently used go first (default 1000). */
  maxEntries?: number;
  /** Bounds the in-memory tier by total size as well, measured by `sizeOf`. */
  maxSize?: number;
  /** The size of one value, required with `maxSize` (default 1 per entry). */
  sizeOf?: (value: V, key: string) => number;
  /** The time to live when a call gives none, in milliseconds (default 60 000). */
  defaultTtlMs?: number;
  /** Caps how long the in-memory tier keeps an entry, in milliseconds, so it rechecks the shared tier sooner. */
  l1MaxTtlMs?: number;
  /** The shared tier; without it the cache is in memory only. */
  l2?: L2Cache<V>;
  /** The time source for expiry (default a `LiveClock`); a `SimulatedClock` makes expiry testable without sleeping. */
  clock?: Pick<Clock, 'now'>;
  /** Receives each hit, miss, load and failure, for a metrics registry. */
  onMetric?: (event: CacheMetricEvent) => void;
}

interface FlightState {
  // Set when the key is invalidated or overwritten mid-load: the loaded value still goes to the
  // callers waiting for it, but is not cached, since it may predate the change.
  invalidated: boolean;
}

interface Flight<V> {
  readonly state: FlightState;
  readonly promise: Promise<V>;
}

type Counters = { -readonly [K in Exclude<keyof CacheStats, 'l1Size'>]: number };

/**
 * A two-tier read-through cache: an in-memory LRU tier (bounded by entries, size and time to live)
 * in front of an optional shared {@link L2Cache}, such as Redis.
 *
 * {@link TieredCache.getOrSet} looks in memory, then in the shared tier (copying a hit into
 * memory for the entry's remaining time), then calls the loader and stores its value in both.
 * Concurrent misses of one key share one loader call. A loader that throws caches nothing, and
 * every caller waiting on it gets the error. Failures of the shared tier during a lookup are
 * counted and reported through `onMetric`, and the lookup carries on without it; invalidation
 * failures are thrown, since a stale entry left behind would be served.
 *
 * @example
 * ```ts
 * import { InMemoryL2Cache, TieredCache } from '@qtp/core';
 *
 * const cache = new TieredCache<number>({ maxEntries: 500, defaultTtlMs: 30_000, l2: new InMemoryL2Cache() });
 * const price = await cache.getOrSet('price:BTCUSDT', () => fetchPrice('BTCUSDT'), 5_000);
 * await cache.invalidatePrefix('price:');
 * console.log(cache.stats()); // { hits: 0, misses: 1, loads: 1, ... }
 * ```
 */
export class TieredCache<V> {
  private readonly name: string;
  private readonly l1: LRUCache<string, { value: V }>;
  private readonly l2: L2Cache<V> | undefined;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly defaultTtlMs: number;
  private readonly l1MaxTtlMs: number;
  private readonly onMetric: ((event: CacheMetricEvent) => void) | undefined;
  private readonly flights = new Map<string, Flight<V>>();
  private readonly counters: Counters = {
    hits: 0,
    l1Hits: 0,
    l2Hits: 0,
    misses: 0,
    loads: 0,
    loadErrors: 0,
    coalesced: 0,
    l2Errors: 0,
  };

  /**
   * Creates an empty cache.
   * @throws `ValidationError` when a bound or a time to live is not a positive number
   */
  constructor(options: TieredCacheOptions<V> = {}) {
    this.name = options.name ?? 'cache';
    this.clock = options.clock ?? new LiveClock();
    this.defaultTtlMs = options.defaultTtlMs ?? 60_000;
    checkTtl(this.defaultTtlMs, 'defaultTtlMs');
    this.l1MaxTtlMs = options.l1MaxTtlMs ?? Number.POSITIVE_INFINITY;
    if (options.l1MaxTtlMs !== undefined) checkTtl(options.l1MaxTtlMs, 'l1MaxTtlMs');
    const maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new ValidationError('maxEntries', 'be a positive integer', maxEntries);
    }
    this.l2 = options.l2;
    this.onMetric = options.onMetric;
    const origin = this.clock.now();
    const sizeOf = options.sizeOf;
    this.l1 = new LRUCache<string, { value: V }>({
      max: maxEntries,
      ...(options.maxSize === undefined
        ? {}
        : {
            maxSize: options.maxSize,
            sizeCalculation: (box: { value: V }, key: string) =>
              sizeOf ? sizeOf(box.value, key) : 1,
          }),
      // lru-cache reads time through `perf`; shifting the origin to 1 keeps a clock that starts at
      // 0 from stamping entries with 0, which lru-cache reads as "no start time". A resolution of
      // 0 makes it read the clock on every check instead of caching the time behind a timer.
      perf: { now: () => this.clock.now() - origin + 1 },
      ttlResolution: 0,
      ttlAutopurge: false,
      allowStale: false,
      updateAgeOnGet: false,
    });
  }

  /**
   * Returns the value under `key` from the in-memory tier or else the shared tier, or undefined
   * when neither holds it. A cached `undefined` reads as a miss here; use {@link TieredCache.getOrSet}.
   */
  async get(key: string): Promise<V | undefined> {
    const box = this.readL1(key);
    if (box !== undefined) return box.value;
    const entry = await this.readL2(key);
    if (entry !== undefined) {
      this.writeL1(key, entry.value, entry.ttlMs ?? this.defaultTtlMs);
      return entry.value;
    }
    this.count('misses', { kind: 'miss' });
    return undefined;
  }

  /**
   * Stores `value` under `key` in both tiers for `ttlMs` milliseconds (default `defaultTtlMs`).
   * @throws `ValidationError` when `ttlMs` is not a positive number; the shared tier's error when it fails
   */
  async set(key: string, value: V, ttlMs: number = this.defaultTtlMs): Promise<void> {
    checkTtl(ttlMs);
    const flight = this.flights.get(key);
    // A load in flight would otherwise overwrite this newer value when it completes.
    if (flight !== undefined) flight.state.invalidated = true;
    this.l1.set(key, { value }, { ttl: Math.min(ttlMs, this.l1MaxTtlMs) });
    await this.l2?.set(key, value, ttlMs);
  }

  /**
   * Returns the cached value under `key`, or calls `loader` once, caches its value for `ttlMs`
   * milliseconds (default `defaultTtlMs`) in both tiers and returns it. Callers that miss the
   * same key while the loader runs wait for that call instead of starting their own.
   * @throws whatever `loader` throws, to every waiting caller, with nothing cached
   * @example
   * ```ts
   * const instrument = await cache.getOrSet(`instrument:${symbol}`, () => api.fetchInstrument(symbol), 60_000);
   * ```
   */
  getOrSet(
    key: string,
    loader: () => V | Promise<V>,
    ttlMs: number = this.defaultTtlMs,
  ): Promise<V> {
    try {
      checkTtl(ttlMs);
    } catch (error) {
      return Promise.reject(error);
    }
    const box = this.readL1(key);
    if (box !== undefined) return Promise.resolve(box.value);
    const existing = this.flights.get(key);
    if (existing !== undefined) {
      this.count('coalesced', { kind: 'coalesced' });
      return existing.promise;
    }
    // `load` awaits the shared tier before calling the loader, so the flight is registered here
    // before the loader can run, and a second caller in the same tick finds it.
    const state: FlightState = { invalidated: false };
    const promise = this.load(key, loader, ttlMs, state);
    this.flights.set(key, { state, promise });
    return promise;
  }

  /**
   * Removes `key` from both tiers; a load of it in flight completes for its callers but is not cached.
   * @throws the shared tier's error when it fails
   */
  async invalidate(key: string): Promise<void> {
    this.l1.delete(key);
    this.abandon((candidate) => candidate === key);
    await this.l2?.delete(key);
  }

  /**
   * Removes every key starting with `prefix` from both tiers; `''` empties the cache.
   * @throws the shared tier's error when it fails
   */
  async invalidatePrefix(prefix: string): Promise<void> {
    for (const key of [...this.l1.keys()]) if (key.startsWith(prefix)) this.l1.delete(key);
    this.abandon((candidate) => candidate.startsWith(prefix));
    await this.l2?.deleteByPrefix(prefix);
  }

  /** Returns the counters since the cache was created, and the in-memory tier's size. */
  stats(): CacheStats {
    return { ...this.counters, l1Size: this.l1.size };
  }

  private async load(
    key: string,
    loader: () => V | Promise<V>,
    ttlMs: number,
    state: FlightState,
  ): Promise<V> {
    try {
      const entry = await this.readL2(key);
      if (entry !== undefined) {
        if (!state.invalidated) this.writeL1(key, entry.value, entry.ttlMs ?? ttlMs);
        return entry.value;
      }
      this.count('misses', { kind: 'miss' });
      this.counters.loads += 1;
      const started = this.clock.now();
      let value: V;
      try {
        value = await loader();
      } catch (error) {
        this.count('loadErrors', {
          kind: 'load_error',
          durationMs: this.clock.now() - started,
          error,
        });
        throw error;
      }
      this.emit({ kind: 'load', durationMs: this.clock.now() - started });
      if (!state.invalidated) {
        this.writeL1(key, value, ttlMs);
        await this.writeL2(key, value, ttlMs, state);
      }
      return value;
    } finally {
      if (this.flights.get(key)?.state === state) this.flights.delete(key);
    }
  }

  private readL1(key: string): { value: V } | undefined {
    const box = this.l1.get(key);
    if (box !== undefined) {
      this.counters.hits += 1;
      this.count('l1Hits', { kind: 'hit', tier: 'l1' });
    }
    return box;
  }

  private async readL2(key: string): Promise<{ value: V; ttlMs: number | undefined } | undefined> {
    if (this.l2 === undefined) return undefined;
    try {
      const entry = await this.l2.get(key);
      if (entry === undefined) return undefined;
      this.counters.hits += 1;
      this.count('l2Hits', { kind: 'hit', tier: 'l2' });
      return entry;
    } catch (error) {
      this.count('l2Errors', { kind: 'l2_error', tier: 'l2', error });
      return undefined;
    }
  }

  private writeL1(key: string, value: V, ttlMs: number): void {
    this.l1.set(key, { value }, { ttl: Math.min(ttlMs, this.l1MaxTtlMs) });
  }

  private async writeL2(key: string, value: V, ttlMs: number, state: FlightState): Promise<void> {
    if (this.l2 === undefined || state.invalidated) return;
    try {
      await this.l2.set(key, value, ttlMs);
    } catch (error) {
      this.count('l2Errors', { kind: 'l2_error', tier: 'l2', error });
    }
  }

  private abandon(matches: (key: string) => boolean): void {
    for (const [key, flight] of this.flights) {
      if (!matches(key)) continue;
      flight.state.invalidated = true;
      this.flights.delete(key);
    }
  }

  private count(counter: keyof Counters, event: Omit<CacheMetricEvent, 'cache'>): void {
    this.counters[counter] += 1;
    this.emit(event);
  }

  private emit(event: Omit<CacheMetricEvent, 'cache'>): void {
    this.onMetric?.({ cache: this.name, ...event });
  }
}
