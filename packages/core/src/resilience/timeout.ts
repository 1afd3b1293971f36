import { OrderStateUnknownError, TimeoutError, ValidationError } from '@qtp/core';
import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import type { MetricsRegistry } from '../observability/metrics.js';
import type { ExecuteOptions, ResiliencePolicy } from './policy.js';

/** Options of {@link createTimeoutPolicy}. */
export interface TimeoutOptions {
  /** The time limit of one call, in milliseconds. */
  timeoutMs: number;
  /** A name for error details and metrics labels (default `default`). */
  name?: string;
  /** Counts timeouts in `qtp_resilience_timeouts_total{policy}`. */
  metrics?: MetricsRegistry;
}

/**
 * Creates a timeout policy on cockatiel. A call still running after `timeoutMs` is given up: the
 * signal handed to it aborts and the policy rejects at once with a `TimeoutError`, or with
 * an `OrderStateUnknownError` when the call is a placement (`clientOrderId` given), since
 * the order may have reached the venue.
 *
 * @throws `ValidationError` when `timeoutMs` is not a positive number
 * @example
 * ```ts
 * import { createTimeoutPolicy } from '@qtp/core';
 * const timeout = createTimeoutPolicy({ timeoutMs: 3_000 });
 * const time = await timeout.execute((signal) => fetch('https://api.binance.com/api/v3/time', { signal }));
 * ```
 */
export function createTimeoutPolicy(options: TimeoutOptions): ResiliencePolicy {
  const { timeoutMs } = options;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ValidationError('timeoutMs', 'be a positive number of milliseconds', timeoutMs);
  }
  const name = options.name ?? 'default';
  // Without abort-on-return the call's signal aborts only on timeout or the caller's cancel, so it
  // tells afterwards which of the two ended a call that failed in response to the abort.
  const policy = timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const timeouts = options.metrics?.counter(
    'qtp_resilience_timeouts_total',
    'Calls given up for taking too long.',
    ['policy'],
  );

  return {
    async execute<T>(
      fn: (signal: AbortSignal) => Promise<T> | T,
      callOptions: ExecuteOptions = {},
    ): Promise<T> {
      let callSignal: AbortSignal | undefined;
      try {
        return await policy.execute((context) => {
          callSignal = context.signal;
          return fn(context.signal);
        }, callOptions.signal);
      } catch (error) {
        // cockatiel 3.2's isTaskCancelledError tests for the bulkhead's marker, so check the class.
        if (!(error instanceof TaskCancelledError) && callSignal?.aborted !== true) throw error;
        const canceledByCaller = callOptions.signal?.aborted === true;
        if (!canceledByCaller) timeouts?.inc({ policy: name });
        const cause = canceledByCaller
          ? callOptions.signal?.reason
          : new TimeoutError(`${name}: call timed out after ${timeoutMs} ms`, timeoutMs, {
              cause: error,
              details: { policy: name },
            });
        if (callOptions.clientOrderId !== undefined) {
          throw new OrderStateUnknownError(callOptions.clientOrderId, undefined, {
            cause,
            details: { policy: name, timeoutMs },
          });
        }
        throw cause ?? error;
      }
    },
  };
}
