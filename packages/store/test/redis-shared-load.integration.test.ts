import { spawn } from 'node:child_process';
import { TieredCache } from '@qtp/core/cache';
import { RedisL2Cache } from '@qtp/store/redis';
import { sharedRedis } from '@qtp/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROCESS = new URL('./cache/shared-load-process.ts', import.meta.url).pathname;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function run(args: readonly string[]): Promise<Exit> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@qtp/source', PROCESS, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, output: output.trim() }));
  });
}

describe('RedisL2Cache.getOrSetShared across processes', () => {
  let url: string;
  let prefix: () => string;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(url);
    connections.push(redis);
    return redis;
  };
  beforeAll(async () => {
    const redis = await sharedRedis();
    url = redis.url;
    prefix = () => redis.keyPrefix('shared-load');
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it('loads a missing key once for two processes asking at the same time', async () => {
    const keyPrefix = prefix();
    // The load takes 300 ms: the second process asks while the first one holds the lock.
    const exits = await Promise.all([
      run([url, keyPrefix, '2', '300', '10000', 'load']),
      run([url, keyPrefix, '2', '300', '10000', 'load']),
    ]);
    const redis = connect();
    expect(await redis.get(`${keyPrefix}test:loads`)).toBe('1');
    expect(exits.map((exit) => [exit.code, exit.output])).toEqual([
      [0, '{"price":"27000.1"}'],
      [0, '{"price":"27000.1"}'],
    ]);
    // The owner released its lock.
    expect(await redis.exists(`lock:${keyPrefix}price:BTC`)).toBe(0);
  }, 60_000);

  it('lets a waiter load once the lock of an owner that died has expired', async () => {
    const keyPrefix = prefix();
    const lockTtlMs = 500;
    const dead = run([url, keyPrefix, '1', '0', String(lockTtlMs), 'die']);
    const redis = connect();
    // The dying process counts its load, holding the lock, before the waiter starts.
    while ((await redis.get(`${keyPrefix}test:loads`)) !== '1') {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await dead).signal).toBe('SIGKILL');
    expect(await redis.exists(`lock:${keyPrefix}price:BTC`)).toBe(1);
    const waiter = await run([url, keyPrefix, '1', '0', String(lockTtlMs), 'load']);
    expect([waiter.code, waiter.output]).toEqual([0, '{"price":"27000.2"}']);
    expect(await redis.get(`${keyPrefix}test:loads`)).toBe('2');
  }, 60_000);

  it("releases only its own lock: an owner whose lock expired leaves the next owner's in place", async () => {
    const keyPrefix = prefix();
    const lockKey = `lock:${keyPrefix}slow`;
    const slow = new RedisL2Cache<string>({ redis: connect(), keyPrefix, lockTtlMs: 100 });
    const next = new RedisL2Cache<string>({ redis: connect(), keyPrefix, lockTtlMs: 10_000 });
    const redis = connect();
    let releaseNext: (() => void) | undefined;
    let slowStarted: (() => void) | undefined;
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    let finishSlow: (() => void) | undefined;
    const slowLoad = slow.getOrSetShared(
      new TieredCache<string>({ l2: slow }),
      'slow',
      () =>
        new Promise<string>((resolve) => {
          slowStarted!();
          finishSlow = () => resolve('from the slow owner');
        }),
      60_000,
    );
    await started;
    // The slow owner's lock expires while it still loads; the next process takes the lock.
    while ((await redis.exists(lockKey)) === 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let nextStarted: (() => void) | undefined;
    const nextIn = new Promise<void>((resolve) => {
      nextStarted = resolve;
    });
    const nextLoad = next.getOrSetShared(
      new TieredCache<string>({ l2: next }),
      'slow',
      () =>
        new Promise<string>((resolve) => {
          nextStarted!();
          releaseNext = () => resolve('from the next owner');
        }),
      60_000,
    );
    await nextIn;
    const nextToken = await redis.get(lockKey);
    expect(nextToken).not.toBeNull();
    finishSlow!();
    expect(await slowLoad).toBe('from the slow owner');
    // The slow owner's release found another token and deleted nothing.
    expect(await redis.get(lockKey)).toBe(nextToken);
    releaseNext!();
    // The next owner had taken the lock before the slow value was stored, so it loads its own.
    expect(await nextLoad).toBe('from the next owner');
    expect(await redis.exists(lockKey)).toBe(0);
  });

  it('passes a loader error to the caller, caches nothing and frees the lock', async () => {
    const keyPrefix = prefix();
    const l2 = new RedisL2Cache<string>({ redis: connect(), keyPrefix });
    const cache = new TieredCache<string>({ l2 });
    await expect(
      l2.getOrSetShared(
        cache,
        'broken',
        () => {
          throw new Error('the venue did not answer');
        },
        60_000,
      ),
    ).rejects.toThrow('the venue did not answer');
    const redis = connect();
    expect(await redis.exists(`lock:${keyPrefix}broken`, `${keyPrefix}broken`)).toBe(0);
    expect(await l2.getOrSetShared(cache, 'broken', () => 'second try', 60_000)).toBe('second try');
    expect(() => new RedisL2Cache<string>({ redis, lockTtlMs: 0 })).toThrow(/lockTtlMs/);
  });
});
