import { ValidationError } from '@qtp/core';
import type { MetricsRegistry } from '../observability/metrics.js';
import { RateLimiter } from './rate-limiter.js';

/** Options of {@link RateLimiterRegistry}. */
export interface RateLimiterRegistryOptions {
  /** Metrics every limiter of the registry reports into. */
  metrics?: MetricsRegistry;
}

/** The budget of a limiter the registry creates: see {@link RateLimiterOptions}. */
export interface RateLimitBudget {
  /** The budget of one window. */
  limit: number;
  /** The window length, in milliseconds. */
  intervalMs: number;
}

/**
 * One {@link RateLimiter} per venue and key, shared by every client that asks for it, so several
 * REST clients, streams or strategies on one venue spend one budget, as the venue counts it (per
 * IP for request weight, per account for orders).
 *
 * @example
 * ```ts
 * import { RateLimiterRegistry } from '@qtp/core';
 * const limiters = new RateLimiterRegistry();
 * const weight = limiters.get('BINANCE', 'REQUEST_WEIGHT', { limit: 6_000, intervalMs: 60_000 });
 * const orders = limiters.get('BINANCE', 'ORDERS', { limit: 100, intervalMs: 10_000 });
 * limiters.get('BINANCE', 'REQUEST_WEIGHT', { limit: 6_000, intervalMs: 60_000 }) === weight; // true
 * ```
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly metrics: MetricsRegistry | undefined;

  /** Creates an empty registry. */
  constructor(options: RateLimiterRegistryOptions = {}) {
    this.metrics = options.metrics;
  }

  /**
   * Returns the limiter for `venue` and `key`, creating it with `budget` on first use.
   * @throws `ValidationError` when `venue` or `key` is empty or contains `/`, or when the
   * limiter exists with another budget, since two clients disagreeing about a venue's limits is a
   * configuration mistake
   */
  get(venue: string, key: string, budget: RateLimitBudget): RateLimiter {
    checkPart('venue', venue);
    checkPart('key', key);
    const name = `${venue}/${key}`;
    const existing = this.limiters.get(name);
    if (existing !== undefined) {
      if (existing.limit !== budget.limit || existing.intervalMs !== budget.intervalMs) {
        throw new ValidationError(
          'budget',
          `match the budget already registered for ${name} (${existing.limit} per ${existing.intervalMs} ms)`,
          budget,
        );
      }
      return existing;
    }
    const limiter = new RateLimiter({
      name,
      limit: budget.limit,
      intervalMs: budget.intervalMs,
      ...(this.metrics === undefined ? {} : { metrics: this.metrics }),
    });
    this.limiters.set(name, limiter);
    return limiter;
  }

  /** Returns the limiter for `venue` and `key` when one exists. */
  find(venue: string, key: string): RateLimiter | undefined {
    return this.limiters.get(`${venue}/${key}`);
  }

  /**
   * Pauses every limiter of `venue` for `ms` milliseconds, as a venue-wide retry-after or IP ban
   * demands (Binance answers 418 and 429 with one for all REST traffic from the IP).
   */
  pauseVenue(venue: string, ms: number): void {
    for (const [name, limiter] of this.limiters) {
      if (name.startsWith(`${venue}/`)) limiter.pauseFor(ms);
    }
  }

  /** Stops every limiter and forgets them. */
  async stopAll(): Promise<void> {
    const limiters = [...this.limiters.values()];
    this.limiters.clear();
    await Promise.all(limiters.map((limiter) => limiter.stop()));
  }
}

function checkPart(field: string, value: string): void {
  if (typeof value !== 'string' || value === '' || value.includes('/')) {
    throw new ValidationError(field, 'be a non-empty string without "/"', value);
  }
}
