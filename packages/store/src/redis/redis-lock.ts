import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Deletes the lock only while it still holds the caller's token: a lock that expired and was
// taken by another process is that process's to release.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A lock in Redis under one key: `SET key token NX PX ttl` takes it, the token proves the
 * owner, and the expiry frees it when the owner dies without releasing it.
 * @internal
 */
export class RedisLock {
  private token: string | undefined;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lock when it is free; returns true when this instance now holds it. */
  async acquire(): Promise<boolean> {
    const token = randomUUID();
    const reply = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    if (reply !== 'OK') return false;
    this.token = token;
    return true;
  }

  /** Releases the lock if this instance still holds it; returns true when it did. */
  async release(): Promise<boolean> {
    const token = this.token;
    if (token === undefined) return false;
    this.token = undefined;
    return (await this.redis.eval(RELEASE, 1, this.key, token)) === 1;
  }
}
