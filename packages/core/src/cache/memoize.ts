import type { TieredCache } from './tiered-cache.js';

/** Options of {@link memoizeAsync}. */
export interface MemoizeAsyncOptions<A extends unknown[], R> {
  /** The cache the results are kept in. */
  cache: TieredCache<R>;
  /**
   * Returns the cache key for a call's arguments. Include a prefix naming the function when the
   * cache is shared, so two functions never read each other's results.
   */
  key: (...args: A) => string;
  /** How long a result is kept, in milliseconds (default the cache's `defaultTtlMs`). */
  ttlMs?: number;
}

/**
 * Returns a function that calls `fn` through `cache.getOrSet`: a result is reused until it
 * expires, concurrent calls with the same key share one call of `fn`, and a call that throws
 * caches nothing.
 *
 * @example
 * ```ts
 * import { memoizeAsync, TieredCache } from '@qtp/core';
 *
 * const cache = new TieredCache<number>();
 * const fetchPrice = memoizeAsync(async (symbol: string) => api.price(symbol), {
 *   cache,
 *   key: (symbol) => `price:${symbol}`,
 *   ttlMs: 1_000,
 * });
 * await fetchPrice('BTCUSDT'); // calls the API
 * await fetchPrice('BTCUSDT'); // answered from the cache
 * ```
 */
export function memoizeAsync<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  options: MemoizeAsyncOptions<A, R>,
): (...args: A) => Promise<R> {
  const { cache, key, ttlMs } = options;
  return (...args: A) => {
    const load = () => fn(...args);
    return ttlMs === undefined
      ? cache.getOrSet(key(...args), load)
      : cache.getOrSet(key(...args), load, ttlMs);
  };
}
