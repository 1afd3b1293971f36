import { TieredCache } from '@qtp/core/cache';
import { RedisL2Cache } from '@qtp/store/redis';
import { sharedRedis } from '@qtp/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition never held');
}

describe('RedisL2Cache', () => {
  const connections: Redis[] = [];
  let url: string;
  let prefix: () => string;
  const connect = () => {
    const redis = new Redis(url, { lazyConnect: false });
    connections.push(redis);
    return redis;
  };
  // One process's cache: its own command and subscriber connections.
  const processCache = async (keyPrefix: string) => {
    const l2 = new RedisL2Cache<{ price: string }>({ redis: connect(), keyPrefix });
    const cache = new TieredCache<{ price: string }>({ l2, defaultTtlMs: 60_000 });
    await l2.attach(cache, connect());
    return { l2, cache };
  };

  beforeAll(async () => {
    const redis = await sharedRedis();
    url = redis.url;
    prefix = () => redis.keyPrefix('l2');
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it('stores values with their time to live and deletes by key and by literal prefix', async () => {
    const keyPrefix = prefix();
    const l2 = new RedisL2Cache<{ price: string }>({ redis: connect(), keyPrefix });
    await l2.set('price:BTC', { price: '27000.01' }, 30_000);
    await l2.set('price:ETH', { price: '1800.5' });
    await l2.set('price*x', { price: '1' });
    const btc = await l2.get('price:BTC');
    expect(btc?.value).toEqual({ price: '27000.01' });
    expect(btc!.ttlMs).toBeGreaterThan(0);
    expect(btc!.ttlMs).toBeLessThanOrEqual(30_000);
    expect((await l2.get('price:ETH'))?.ttlMs).toBeUndefined();
    expect(await l2.get('missing')).toBeUndefined();
    // `*` in a prefix is a character, not a pattern: `price*` matches only `price*x`.
    expect(await l2.deleteByPrefix('price*')).toBe(1);
    expect(await l2.delete('price:ETH')).toBe(true);
    expect(await l2.delete('price:ETH')).toBe(false);
    expect(await l2.deleteByPrefix('price:')).toBe(1);
    expect(await connect().keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('lets an entry expire after its time to live', async () => {
    const l2 = new RedisL2Cache<string>({ redis: connect(), keyPrefix: prefix() });
    await l2.set('short', 'gone soon', 1);
    await eventually(async () => (await l2.get('short')) === undefined);
    await expect(l2.set('bad', 'x', 0)).rejects.toThrow(/ttlMs/);
  });

  it('runs one loader for concurrent misses and serves another process from Redis', async () => {
    const keyPrefix = prefix();
    const a = await processCache(keyPrefix);
    const b = await processCache(keyPrefix);
    let loads = 0;
    const loader = async () => {
      loads += 1;
      return { price: '27000.01' };
    };
    const values = await Promise.all(
      Array.from({ length: 10 }, () => a.cache.getOrSet('price:BTC', loader)),
    );
    expect(values.every((value) => value.price === '27000.01')).toBe(true);
    expect(loads).toBe(1);
    expect(a.cache.stats().coalesced).toBe(9);
    expect(await b.cache.getOrSet('price:BTC', loader)).toEqual({ price: '27000.01' });
    expect(loads).toBe(1);
    expect(b.cache.stats().l2Hits).toBe(1);
  });

  it("keeps another process's in-memory tier coherent through invalidation messages", async () => {
    const keyPrefix = prefix();
    const a = await processCache(keyPrefix);
    const b = await processCache(keyPrefix);
    await a.cache.set('price:BTC', { price: '1' });
    await a.cache.set('price:ETH', { price: '2' });
    expect(await b.cache.get('price:BTC')).toEqual({ price: '1' });
    expect(await b.cache.get('price:ETH')).toEqual({ price: '2' });
    // B now serves both from memory; A's write must reach B's memory, not only Redis.
    await a.cache.set('price:BTC', { price: '3' });
    await eventually(async () => (await b.cache.get('price:BTC'))?.price === '3');
    // B dropping its copy did not delete A's new entry from Redis.
    expect((await a.l2.get('price:BTC'))?.value).toEqual({ price: '3' });
    await a.cache.invalidatePrefix('price:');
    await eventually(async () => (await b.cache.get('price:ETH')) === undefined);
    expect(b.cache.stats().l1Size).toBe(0);
  });
});
