// One process of the cross-process single-flight test: it waits until every process of the
// run is ready, then asks its own TieredCache on the shared Redis for a missing key. Its loader
// counts the load in Redis, holds it for `holdMs`, and kills the process first when told to
// (`die`), so the lock is left for its expiry. Prints the value it got.
import { TieredCache } from '@qtp/core/cache';
import { RedisL2Cache } from '@qtp/store/redis';
import { Redis } from 'ioredis';

async function main(): Promise<void> {
  const [url, keyPrefix, processes, holdMs, lockTtlMs, mode] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    'load' | 'die',
  ];
  const redis = new Redis(url);
  const l2 = new RedisL2Cache<{ price: string }>({
    redis,
    keyPrefix,
    lockTtlMs: Number(lockTtlMs),
    lockPollMs: 10,
  });
  const cache = new TieredCache<{ price: string }>({ l2 });
  // A barrier: every process asks at about the same time.
  await redis.incr(`${keyPrefix}test:ready`);
  while (Number(await redis.get(`${keyPrefix}test:ready`)) < Number(processes)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const value = await l2.getOrSetShared(
    cache,
    'price:BTC',
    async () => {
      const loads = await redis.incr(`${keyPrefix}test:loads`);
      if (mode === 'die') process.kill(process.pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
      return { price: `27000.${loads}` };
    },
    60_000,
  );
  process.stdout.write(`${JSON.stringify(value)}\n`);
  await redis.quit();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
