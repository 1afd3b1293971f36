/**
 * A tiered cache: an in-memory L1 (lru-cache) over a shared L2 tier, read-through with
 * single-flight loads.
 *
 * @module
 */

export type { InMemoryL2CacheOptions, L2Cache, L2Entry } from './l2-cache.js';
// cache: in-memory L1 over a shared L2, read-through
export { InMemoryL2Cache } from './l2-cache.js';
export type { MemoizeAsyncOptions } from './memoize.js';
export { memoizeAsync } from './memoize.js';
export type {
  CacheMetricEvent,
  CacheMetricKind,
  CacheStats,
  TieredCacheOptions,
} from './tiered-cache.js';
export { TieredCache } from './tiered-cache.js';
