import { isQtpError, isRetryableError, type RateLimitError, ValidationError } from '@qtp/core';
import {
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  retry,
} from 'cockatiel';
import type { MetricsRegistry } from '../observability/metrics.js';
import type { ExecuteOptions, ResiliencePolicy } from './policy.js';

/** Options of {@link createRetryPolicy}. */
export interface RetryOptions {
  /** A name for metrics labels (default `default`). */
  name?: string;
  /** How many times to try again after the first call fails (default 3). */
  maxRetries?: number;
  /** The typical first delay, in milliseconds (default 200). */
  initialDelayMs?: number;
  /** The longest delay the backoff itself chooses, in milliseconds (default 10 000). */
  maxDelayMs?: number;
  /**
   * The longest retry-after from the venue that is waited out, in milliseconds (default 60 000).
   * A rate limit asking for a longer pause, such as an IP ban, is thrown at once instead.
   */
  maxRetryAfterMs?: number;
  /**
   * Decides whether an error is worth another try. The default retries QTP errors marked
   * `retryable` except a refusal by the SDK's own circuit breaker or bulkhead, which must not be
   * hammered. `OrderStateUnknownError` is never retried, whatever this says.
   */
  isRetryable?: (error: unknown) => boolean;
  /** Counts retries in `qtp_resilience_retries_total{policy}`. */
  metrics?: MetricsRegistry;
}

/**
 * Returns true for the errors the default retry rule tries again: QTP errors marked retryable,
 * other than `CIRCUIT_OPEN` and `BULKHEAD_REJECTED` (the SDK's own load shedding) and
 * `ORDER_STATE_UNKNOWN` (never retryable).
 */
export function isRetryableByDefault(error: unknown): boolean {
  return (
    isRetryableError(error) &&
    !isQtpError(error, 'CIRCUIT_OPEN') &&
    !isQtpError(error, 'BULKHEAD_REJECTED')
  );
}

/** Returns the wait a rate-limit error asks for, in milliseconds, or 0. */
function retryAfterOf(error: unknown): number {
  if (!isQtpError(error, 'RATE_LIMIT')) return 0;
  const wait = (error as RateLimitError).retryAfterMs;
  return typeof wait === 'number' && Number.isFinite(wait) && wait > 0 ? wait : 0;
}

type RetryContext = IRetryBackoffContext<unknown>;

/**
 * Wraps the jittered exponential backoff so that no delay is shorter than the retry-after the
 * venue sent with the failure being retried.
 */
function honouringRetryAfter(exponential: IBackoffFactory<unknown>): IBackoffFactory<RetryContext> {
  const step = (inner: IBackoff<unknown>, context: RetryContext): IBackoff<RetryContext> => ({
    duration: Math.max(
      inner.duration,
      'error' in context.result ? retryAfterOf(context.result.error) : 0,
    ),
    next: (nextContext) => step(inner.next(nextContext), nextContext),
  });
  return { next: (context) => step(exponential.next(context), context) };
}

function checkNonNegative(field: string, value: number, integer: boolean): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ValidationError(
      field,
      integer ? 'be a whole number >= 0' : 'be a number of milliseconds >= 0',
      value,
    );
  }
  return value;
}

/**
 * Creates a retry policy on cockatiel: exponential backoff with decorrelated jitter, retrying
 * only errors that may succeed when tried again (see {@link RetryOptions.isRetryable}), never an
 * `OrderStateUnknownError`, and never sooner than a {@link RateLimitError}'s
 * `retryAfterMs`. When the retries run out, the last error is thrown as it was.
 *
 * @throws `ValidationError` when an option is negative or not a number
 * @example
 * ```ts
 * import { createRetryPolicy } from '@qtp/core';
 * const retry = createRetryPolicy({ maxRetries: 4, initialDelayMs: 250 });
 * const account = await retry.execute(() => client.getAccount());
 * ```
 */
export function createRetryPolicy(options: RetryOptions = {}): ResiliencePolicy {
  const name = options.name ?? 'default';
  const maxRetries = checkNonNegative('maxRetries', options.maxRetries ?? 3, true);
  const initialDelay = checkNonNegative('initialDelayMs', options.initialDelayMs ?? 200, false);
  const maxDelay = checkNonNegative('maxDelayMs', options.maxDelayMs ?? 10_000, false);
  const maxRetryAfterMs = checkNonNegative(
    'maxRetryAfterMs',
    options.maxRetryAfterMs ?? 60_000,
    false,
  );
  const isRetryable = options.isRetryable ?? isRetryableByDefault;
  const shouldRetry = (error: unknown): boolean =>
    !isQtpError(error, 'ORDER_STATE_UNKNOWN') &&
    isRetryable(error) &&
    retryAfterOf(error) <= maxRetryAfterMs;

  const policy = retry(
    handleWhen((error) => shouldRetry(error)),
    {
      maxAttempts: maxRetries,
      backoff: honouringRetryAfter(
        new ExponentialBackoff({ initialDelay, maxDelay, generator: decorrelatedJitterGenerator }),
      ),
    },
  );
  const retries = options.metrics?.counter(
    'qtp_resilience_retries_total',
    'Calls tried again after a failure.',
    ['policy'],
  );
  if (retries !== undefined) policy.onRetry(() => retries.inc({ policy: name }));

  return {
    execute: <T>(fn: (signal: AbortSignal) => Promise<T> | T, callOptions: ExecuteOptions = {}) =>
      policy.execute((context) => fn(context.signal), callOptions.signal),
  };
}
