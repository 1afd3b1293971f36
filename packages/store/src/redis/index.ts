/**
 * The Redis tier of core's `TieredCache`, on `ioredis` (an optional peer): shared entries with
 * their time to live, and invalidation messages that keep several processes' in-memory tiers
 * coherent.
 *
 * @module
 */

export type { CacheCodec, RedisL2CacheOptions } from './redis-l2-cache.js';
export { RedisL2Cache } from './redis-l2-cache.js';
