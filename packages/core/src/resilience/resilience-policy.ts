import type { Clock, EventPublisher } from '@qtp/core';
import { isQtpError } from '@qtp/core';
import type { MetricsRegistry } from '../observability/metrics.js';
import { type BulkheadOptions, createBulkheadPolicy } from './bulkhead.js';
import {
  type CircuitBreakerOptions,
  type CircuitBreakerResiliencePolicy,
  type CircuitState,
  createCircuitBreakerPolicy,
  type ResilienceEvents,
} from './circuit-breaker.js';
import { composePolicies, type ExecuteOptions, type ResiliencePolicy } from './policy.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRetryPolicy, type RetryOptions } from './retry.js';
import { createTimeoutPolicy } from './timeout.js';

/**
 * Options of {@link createResiliencePolicy}. Each layer is present only when its option is
 * given; `name`, `events`, `metrics` and `clock` are shared by all of them.
 */
export interface ResiliencePolicyOptions {
  /** The policy's name, for example `binance-rest`: the circuit's name and the metrics label. */
  name: string;
  /** Retries failed calls (pass `{}` for the defaults). */
  retry?: Omit<RetryOptions, 'name' | 'metrics'>;
  /** Opens a circuit after failures (pass `{}` for the defaults). */
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'events' | 'metrics' | 'clock'>;
  /** Gives up each attempt after this many milliseconds. */
  timeoutMs?: number;
  /** Limits how many calls run at once. */
  bulkhead?: Omit<BulkheadOptions, 'name' | 'metrics'>;
  /** Spends a rate limit budget on each attempt, weighted by `ExecuteOptions.weight`. */
  rateLimiter?: RateLimiter;
  /** Receives `circuit.state` events. */
  events?: EventPublisher<ResilienceEvents>;
  /** Receives calls, failures, retries, timeouts, rejections and circuit state. */
  metrics?: MetricsRegistry;
  /** The source of event timestamps (default the system time). */
  clock?: Pick<Clock, 'now'>;
}

/** The policy {@link createResiliencePolicy} returns. */
export interface ComposedResiliencePolicy extends ResiliencePolicy {
  /** The policy's name. */
  readonly name: string;
  /** The circuit's state, or `undefined` without a breaker. */
  readonly circuitState: CircuitState | undefined;
}

/**
 * Composes the resilience layers a venue client needs, in the order that makes each one
 * meaningful, from the outside in:
 *
 * 1. bulkhead: caps calls in progress, retries included, and sheds the excess;
 * 2. retry: tries again after retryable failures, honouring retry-after, never after an unknown
 *    placement outcome or the breaker's or bulkhead's own refusal;
 * 3. circuit breaker: refuses calls while the venue is failing, so retries do not pile on;
 * 4. rate limiter: spends budget per attempt, and pauses on a venue's retry-after;
 * 5. timeout: bounds each attempt, not the whole call with its waits.
 *
 * Every layer is optional. Failures come out as QTP errors: `TIMEOUT` (or `ORDER_STATE_UNKNOWN`
 * for a placement), `CIRCUIT_OPEN`, `BULKHEAD_REJECTED`, or the call's own error.
 *
 * @example
 * ```ts
 * import { createResiliencePolicy, MetricsRegistry, RateLimiter } from '@qtp/core';
 * const policy = createResiliencePolicy({
 *   name: 'binance-rest',
 *   retry: { maxRetries: 3 },
 *   breaker: { breaker: { type: 'consecutive', failures: 5 }, halfOpenAfterMs: 15_000 },
 *   timeoutMs: 10_000,
 *   bulkhead: { maxConcurrent: 20, maxQueued: 200 },
 *   rateLimiter: new RateLimiter({ limit: 6_000, intervalMs: 60_000 }),
 *   metrics: new MetricsRegistry(),
 * });
 * const account = await policy.execute((signal) => client.getAccount({ signal }), { weight: 20 });
 * const ack = await policy.execute((signal) => client.placeOrder(order, { signal }), { clientOrderId: order.clientOrderId });
 * ```
 */
export function createResiliencePolicy(options: ResiliencePolicyOptions): ComposedResiliencePolicy {
  const { name, metrics } = options;
  const shared = metrics === undefined ? {} : { metrics };
  const layers: ResiliencePolicy[] = [];
  if (options.bulkhead !== undefined)
    layers.push(createBulkheadPolicy({ ...options.bulkhead, name, ...shared }));
  if (options.retry !== undefined)
    layers.push(createRetryPolicy({ ...options.retry, name, ...shared }));
  let breaker: CircuitBreakerResiliencePolicy | undefined;
  if (options.breaker !== undefined) {
    breaker = createCircuitBreakerPolicy({
      ...options.breaker,
      name,
      ...shared,
      ...(options.events === undefined ? {} : { events: options.events }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    layers.push(breaker);
  }
  if (options.rateLimiter !== undefined) layers.push(options.rateLimiter);
  if (options.timeoutMs !== undefined)
    layers.push(createTimeoutPolicy({ timeoutMs: options.timeoutMs, name, ...shared }));
  const composed = composePolicies(...layers);

  const calls = metrics?.counter(
    'qtp_resilience_calls_total',
    'Calls through a resilience policy, by outcome.',
    ['policy', 'outcome'],
  );
  const failures = metrics?.counter(
    'qtp_resilience_failures_total',
    'Failed calls through a resilience policy, by error code.',
    ['policy', 'code'],
  );

  return {
    name,
    get circuitState() {
      return breaker?.state;
    },
    async execute<T>(
      fn: (signal: AbortSignal) => Promise<T> | T,
      callOptions?: ExecuteOptions,
    ): Promise<T> {
      try {
        const result = await composed.execute(fn, callOptions);
        calls?.inc({ policy: name, outcome: 'success' });
        return result;
      } catch (error) {
        calls?.inc({ policy: name, outcome: 'failure' });
        failures?.inc({ policy: name, code: isQtpError(error) ? error.code : 'UNKNOWN' });
        throw error;
      }
    },
  };
}
