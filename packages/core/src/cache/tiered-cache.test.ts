import { SimulatedClock, ValidationError } from '@qtp/core';
import {
  type CacheMetricEvent,
  InMemoryL2Cache,
  type L2Cache,
  type L2Entry,
  memoizeAsync,
  TieredCache,
} from '@qtp/core/cache';
import { describe, expect, it } from 'vitest';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TieredCache.getOrSet', () => {
  it('calls the loader once and then answers from memory', async () => {
    const cache = new TieredCache<string>();
    let calls = 0;
    const loader = async () => `value-${++calls}`;
    expect(await cache.getOrSet('a', loader)).toBe('value-1');
    expect(await cache.getOrSet('a', loader)).toBe('value-1');
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, l1Hits: 1, misses: 1, loads: 1, l1Size: 1 });
  });

  it('shares one loader call between concurrent misses of a key', async () => {
    const cache = new TieredCache<number>();
    const gate = deferred<number>();
    let calls = 0;
    const loader = () => {
      calls += 1;
      return gate.promise;
    };
    const results = Promise.all([
      cache.getOrSet('k', loader),
      cache.getOrSet('k', loader),
      cache.getOrSet('k', loader),
    ]);
    gate.resolve(42);
    expect(await results).toEqual([42, 42, 42]);
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 2 });
  });

  it('gives the loader error to every waiting caller and caches nothing', async () => {
    const cache = new TieredCache<number>({ l2: new InMemoryL2Cache() });
    const gate = deferred<number>();
    const first = cache.getOrSet('k', () => gate.promise);
    const second = cache.getOrSet('k', () => gate.promise);
    gate.reject(new Error('venue down'));
    await expect(first).rejects.toThrow('venue down');
    await expect(second).rejects.toThrow('venue down');
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrSet('k', async () => 7)).toBe(7);
    expect(cache.stats()).toMatchObject({ loads: 2, loadErrors: 1 });
  });

  it('caches an undefined or null loader result', async () => {
    const cache = new TieredCache<string | null | undefined>();
    let calls = 0;
    await cache.getOrSet('u', async () => {
      calls += 1;
      return undefined;
    });
    await cache.getOrSet('u', async () => {
      calls += 1;
      return undefined;
    });
    expect(calls).toBe(1);
  });

  it('rejects a time to live that is not positive', async () => {
    const cache = new TieredCache<number>();
    await expect(cache.getOrSet('k', () => 1, 0)).rejects.toBeInstanceOf(ValidationError);
    expect(() => new TieredCache({ defaultTtlMs: -1 })).toThrow(ValidationError);
  });
});

describe('TieredCache expiry', () => {
  it('expires memory entries on the injected clock', async () => {
    const clock = new SimulatedClock();
    const cache = new TieredCache<number>({ clock });
    let calls = 0;
    const loader = async () => ++calls;
    await cache.getOrSet('k', loader, 1_000);
    clock.advanceBy(999);
    expect(await cache.getOrSet('k', loader, 1_000)).toBe(1);
    clock.advanceBy(2);
    expect(await cache.getOrSet('k', loader, 1_000)).toBe(2);
  });

  it('copies a shared-tier hit into memory only for its remaining time', async () => {
    const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
    const l2 = new InMemoryL2Cache<string>({ clock });
    await l2.set('k', 'shared', 500);
    const cache = new TieredCache<string>({ clock, l2, defaultTtlMs: 60_000 });
    expect(await cache.getOrSet('k', async () => 'loaded')).toBe('shared');
    expect(cache.stats()).toMatchObject({ l2Hits: 1, loads: 0 });
    clock.advanceBy(501);
    expect(await cache.getOrSet('k', async () => 'loaded')).toBe('loaded');
  });

  it('caps the memory time to live so the shared tier is consulted again', async () => {
    const clock = new SimulatedClock();
    const l2 = new InMemoryL2Cache<string>({ clock });
    const cache = new TieredCache<string>({ clock, l2, l1MaxTtlMs: 100 });
    await cache.set('k', 'one', 10_000);
    await l2.set('k', 'two', 10_000);
    expect(await cache.get('k')).toBe('one');
    clock.advanceBy(101);
    expect(await cache.get('k')).toBe('two');
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = new TieredCache<number>({ maxEntries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a');
    await cache.set('c', 3);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
  });
});

describe('TieredCache invalidation', () => {
  it('removes a key and a prefix from both tiers', async () => {
    const l2 = new InMemoryL2Cache<number>();
    const cache = new TieredCache<number>({ l2 });
    await cache.set('price:BTC', 1);
    await cache.set('price:ETH', 2);
    await cache.set('book:BTC', 3);
    await cache.invalidate('book:BTC');
    expect(await l2.get('book:BTC')).toBeUndefined();
    await cache.invalidatePrefix('price:');
    expect(await cache.get('price:BTC')).toBeUndefined();
    expect(await cache.get('price:ETH')).toBeUndefined();
    expect(l2.size).toBe(0);
  });

  it('does not cache a value whose load was in flight when the key was invalidated', async () => {
    const l2 = new InMemoryL2Cache<string>();
    const cache = new TieredCache<string>({ l2 });
    const gate = deferred<string>();
    const pending = cache.getOrSet('k', () => gate.promise);
    await Promise.resolve();
    await cache.invalidate('k');
    gate.resolve('stale');
    expect(await pending).toBe('stale');
    expect(await cache.get('k')).toBeUndefined();
    expect(await l2.get('k')).toBeUndefined();
  });
});

describe('TieredCache shared tier failures', () => {
  class BrokenL2 implements L2Cache<number> {
    async get(): Promise<L2Entry<number> | undefined> {
      throw new Error('redis down');
    }
    async set(): Promise<void> {
      throw new Error('redis down');
    }
    async delete(): Promise<boolean> {
      throw new Error('redis down');
    }
    async deleteByPrefix(): Promise<number> {
      throw new Error('redis down');
    }
  }

  it('serves loads without the shared tier and reports each failure', async () => {
    const metrics: CacheMetricEvent[] = [];
    const cache = new TieredCache<number>({
      name: 'prices',
      l2: new BrokenL2(),
      onMetric: (m) => metrics.push(m),
    });
    expect(await cache.getOrSet('k', async () => 5)).toBe(5);
    expect(cache.stats().l2Errors).toBe(2);
    expect(metrics.map((m) => m.kind)).toEqual(['l2_error', 'miss', 'load', 'l2_error']);
    expect(metrics.every((m) => m.cache === 'prices')).toBe(true);
  });

  it('throws when an invalidation cannot reach the shared tier', async () => {
    const cache = new TieredCache<number>({ l2: new BrokenL2() });
    await expect(cache.invalidate('k')).rejects.toThrow('redis down');
  });
});

describe('memoizeAsync', () => {
  it('reuses results per key and calls through after expiry', async () => {
    const clock = new SimulatedClock();
    const cache = new TieredCache<number>({ clock });
    const calls: string[] = [];
    const price = memoizeAsync(
      async (symbol: string, venue: string) => {
        calls.push(`${symbol}.${venue}`);
        return calls.length;
      },
      { cache, key: (symbol, venue) => `price:${symbol}.${venue}`, ttlMs: 1_000 },
    );
    expect(await price('BTCUSDT', 'BINANCE')).toBe(1);
    expect(await price('BTCUSDT', 'BINANCE')).toBe(1);
    expect(await price('ETHUSDT', 'BINANCE')).toBe(2);
    clock.advanceBy(1_001);
    expect(await price('BTCUSDT', 'BINANCE')).toBe(3);
    expect(calls).toEqual(['BTCUSDT.BINANCE', 'ETHUSDT.BINANCE', 'BTCUSDT.BINANCE']);
  });
});
