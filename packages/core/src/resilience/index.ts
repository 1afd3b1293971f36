/**
 * Resilience policies for calls to venues and services: retry, circuit breaker, timeout and
 * bulkhead on cockatiel, and request-weight rate limits on bottleneck.
 *
 * @module
 */

export type { BulkheadOptions, BulkheadResiliencePolicy } from './bulkhead.js';
// resilience: retry, circuit breaker, timeout, bulkhead (cockatiel); rate and weight limits (bottleneck)
export { createBulkheadPolicy } from './bulkhead.js';
export type {
  BreakerRule,
  CircuitBreakerOptions,
  CircuitBreakerResiliencePolicy,
  CircuitState,
  CircuitStateEvent,
  ResilienceEvents,
} from './circuit-breaker.js';
export {
  createCircuitBreakerPolicy,
  isBreakerFailureByDefault,
} from './circuit-breaker.js';
export type { ExecuteOptions, ResiliencePolicy } from './policy.js';
export { composePolicies } from './policy.js';
export type { RateLimiterOptions } from './rate-limiter.js';
export { RateLimiter } from './rate-limiter.js';
export type {
  RateLimitBudget,
  RateLimiterRegistryOptions,
} from './rate-limiter-registry.js';
export { RateLimiterRegistry } from './rate-limiter-registry.js';
export type {
  ComposedResiliencePolicy,
  ResiliencePolicyOptions,
} from './resilience-policy.js';
export { createResiliencePolicy } from './resilience-policy.js';
export type { RetryOptions } from './retry.js';
export { createRetryPolicy, isRetryableByDefault } from './retry.js';
export type { TimeoutOptions } from './timeout.js';
export { createTimeoutPolicy } from './timeout.js';
