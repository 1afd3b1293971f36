import { QtpError, ValidationError } from '@qtp/core';
import { type BulkheadPolicy, bulkhead, isBulkheadRejectedError } from 'cockatiel';
import type { MetricsRegistry } from '../observability/metrics.js';
import type { ExecuteOptions, ResiliencePolicy } from './policy.js';

/** Options of {@link createBulkheadPolicy}. */
export interface BulkheadOptions {
  /** How many calls may run at once. */
  maxConcurrent: number;
  /** How many calls may wait for a free slot (default 0: reject at once when full). */
  maxQueued?: number;
  /** A name for error details and metrics labels (default `default`). */
  name?: string;
  /** Counts rejections in `qtp_bulkhead_rejections_total{policy}`. */
  metrics?: MetricsRegistry;
}

/** A bulkhead that also tells how full it is. */
export interface BulkheadResiliencePolicy extends ResiliencePolicy {
  /** Free execution slots now. */
  readonly freeSlots: number;
  /** Free places in the waiting queue now. */
  readonly freeQueueSlots: number;
}

function checkCount(field: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `be a whole number >= ${min}`, value);
  }
  return value;
}

/**
 * Creates a bulkhead on cockatiel: at most `maxConcurrent` calls run at once and at most
 * `maxQueued` wait; a call beyond that is rejected with a `QtpError` of code
 * `BULKHEAD_REJECTED` (retryable later, but not retried by the default retry rule), so one slow
 * venue cannot tie up every connection or worker.
 *
 * @throws `ValidationError` when a limit is not a whole number in range
 * @example
 * ```ts
 * import { createBulkheadPolicy } from '@qtp/core';
 * const bulkhead = createBulkheadPolicy({ maxConcurrent: 10, maxQueued: 100 });
 * await bulkhead.execute(() => client.getOpenOrders());
 * ```
 */
export function createBulkheadPolicy(options: BulkheadOptions): BulkheadResiliencePolicy {
  const maxConcurrent = checkCount('maxConcurrent', options.maxConcurrent, 1);
  const maxQueued = checkCount('maxQueued', options.maxQueued ?? 0, 0);
  const name = options.name ?? 'default';
  const policy: BulkheadPolicy = bulkhead(maxConcurrent, maxQueued);
  const rejections = options.metrics?.counter(
    'qtp_bulkhead_rejections_total',
    'Calls rejected because the bulkhead was full.',
    ['policy'],
  );

  return {
    get freeSlots() {
      return policy.executionSlots;
    },
    get freeQueueSlots() {
      return policy.queueSlots;
    },
    async execute<T>(
      fn: (signal: AbortSignal) => Promise<T> | T,
      callOptions: ExecuteOptions = {},
    ): Promise<T> {
      try {
        return await policy.execute((context) => fn(context.signal), callOptions.signal);
      } catch (error) {
        if (!isBulkheadRejectedError(error)) throw error;
        rejections?.inc({ policy: name });
        throw new QtpError(
          'BULKHEAD_REJECTED',
          `${name}: bulkhead full (${maxConcurrent} running, ${maxQueued} queued)`,
          true,
          {
            cause: error,
            details: { policy: name, maxConcurrent, maxQueued },
          },
        );
      }
    },
  };
}
