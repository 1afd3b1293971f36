/** Per-call options of {@link ResiliencePolicy.execute}. */
export interface ExecuteOptions {
  /** Cancels the call: the policies stop waiting and the signal given to the function aborts. */
  signal?: AbortSignal;
  /**
   * Marks the call as the placement of the order with this client order id. A timeout then
   * raises `OrderStateUnknownError` instead of `TimeoutError`, so the order is
   * looked up by this id and never sent twice.
   */
  clientOrderId?: string;
  /** The call's weight for a rate limiter, as the venue counts it (default 1). */
  weight?: number;
  /** The call's priority in a rate limiter's queue, 0 (first) to 9 (last) (default 5). */
  priority?: number;
}

/**
 * Runs async work under a resilience rule: retry, circuit breaker, timeout, bulkhead, rate limit,
 * or several of them composed. Failures come out as QTP errors (see `QtpError`).
 */
export interface ResiliencePolicy {
  /**
   * Runs `fn` under the policy and returns its result. `fn` receives an `AbortSignal` that aborts
   * when the call is given up (timeout, caller's signal); pass it on to `fetch` and the like.
   */
  execute<T>(fn: (signal: AbortSignal) => Promise<T> | T, options?: ExecuteOptions): Promise<T>;
}

/**
 * Returns a policy that runs each call through `policies` from the first (outermost) to the last
 * (innermost, nearest the work). Every policy sees the same per-call options; the signal each
 * inner policy receives is the one its outer policy hands down.
 *
 * @example
 * ```ts
 * import { composePolicies, createRetryPolicy, createTimeoutPolicy } from '@qtp/core';
 * const policy = composePolicies(createRetryPolicy({ maxRetries: 2 }), createTimeoutPolicy({ timeoutMs: 5_000 }));
 * const ticker = await policy.execute((signal) => fetch('https://api.binance.com/api/v3/time', { signal }));
 * ```
 */
export function composePolicies(...policies: readonly ResiliencePolicy[]): ResiliencePolicy {
  const chain = (index: number): ResiliencePolicy['execute'] => {
    const policy = policies[index];
    if (policy === undefined) {
      return async (fn, options) => fn(options?.signal ?? new AbortController().signal);
    }
    const inner = chain(index + 1);
    return (fn, options) => policy.execute((signal) => inner(fn, { ...options, signal }), options);
  };
  const execute = chain(0);
  return { execute: (fn, options) => execute(fn, options) };
}
