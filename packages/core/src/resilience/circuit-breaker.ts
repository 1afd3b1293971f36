import type { Clock, EventPublisher } from '@qtp/core';
import { isQtpError, QtpError, ValidationError } from '@qtp/core';
import {
  CircuitState as CockatielState,
  ConsecutiveBreaker,
  circuitBreaker,
  type FailureReason,
  handleWhen,
  isBrokenCircuitError,
  SamplingBreaker,
} from 'cockatiel';
import type { MetricsRegistry } from '../observability/metrics.js';
import { redactSecretsInText } from '../observability/redact.js';
import { platformNow } from './platform.js';
import type { ExecuteOptions, ResiliencePolicy } from './policy.js';

/**
 * A circuit's state. `CLOSED`: calls pass. `OPEN`: calls are refused at once. `HALF_OPEN`: one
 * trial call passes; its outcome closes or reopens the circuit.
 */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Published on topic `circuit.state` whenever a circuit changes state. */
export interface CircuitStateEvent {
  /** Always `circuit.state`. */
  readonly type: 'circuit.state';
  /** The circuit's name, for example `binance-rest`. */
  readonly name: string;
  /** The new state. */
  readonly state: CircuitState;
  /** The state before. */
  readonly previous: CircuitState;
  /** Why, in words: the failure that opened it, or the trial that closed it. */
  readonly reason: string;
  /** The code of the error that opened the circuit, when a QTP error did. */
  readonly errorCode?: string;
  /** When the change happened, in epoch milliseconds. */
  readonly timestampMs: number;
}

/** The events the resilience policies publish, keyed by topic. */
export interface ResilienceEvents {
  /** A circuit changed state. */
  'circuit.state': CircuitStateEvent;
}

/** When a circuit opens: after a run of failures, or when too many calls fail within a window. */
export type BreakerRule =
  | {
      /** Opens after `failures` failed calls in a row. */
      readonly type: 'consecutive';
      /** Failed calls in a row that open the circuit. */
      readonly failures: number;
    }
  | {
      /** Opens when the share of failed calls in the last `windowMs` exceeds `failureRate`. */
      readonly type: 'sampling';
      /** Share of failed calls, above 0 and below 1, beyond which the circuit opens. */
      readonly failureRate: number;
      /** The length of the sliding window, in milliseconds. */
      readonly windowMs: number;
      /**
       * Calls per second needed before the rate counts, so a quiet hour cannot trip it (default:
       * the rate at which the threshold means 5 failures per second).
       */
      readonly minimumRps?: number;
    };

/** Options of {@link createCircuitBreakerPolicy}. */
export interface CircuitBreakerOptions {
  /** The circuit's name, in events, errors and metrics. */
  name: string;
  /** When the circuit opens (default: after 5 consecutive failures). */
  breaker?: BreakerRule;
  /** How long the circuit stays open before a trial call, in milliseconds (default 30 000). */
  halfOpenAfterMs?: number;
  /**
   * Decides whether an error counts against the circuit. The default counts retryable QTP
   * errors, unknown placement outcomes and errors that are not QTP errors, but not definitive
   * answers such as an invalid order, which show the venue is working.
   */
  isFailure?: (error: unknown) => boolean;
  /** Receives a `circuit.state` event on every change of state. */
  events?: EventPublisher<ResilienceEvents>;
  /** Reports `qtp_circuit_state{circuit}` (0 closed, 1 open, 2 half-open) and transitions. */
  metrics?: MetricsRegistry;
  /** The source of event timestamps (default the system time). */
  clock?: Pick<Clock, 'now'>;
}

/** A circuit breaker that also tells its state. */
export interface CircuitBreakerResiliencePolicy extends ResiliencePolicy {
  /** The circuit's name. */
  readonly name: string;
  /**
   * The current state. An open circuit reads `OPEN` until the first call after
   * `halfOpenAfterMs`, which is the trial call.
   */
  readonly state: CircuitState;
}

/**
 * Returns true for the errors a circuit breaker counts by default: errors that are not QTP
 * errors, retryable QTP errors and unknown placement outcomes; not the SDK's own load shedding
 * (`CIRCUIT_OPEN`, `BULKHEAD_REJECTED`).
 */
export function isBreakerFailureByDefault(error: unknown): boolean {
  if (!isQtpError(error)) return true;
  if (error.code === 'CIRCUIT_OPEN' || error.code === 'BULKHEAD_REJECTED') return false;
  return error.retryable || error.code === 'ORDER_STATE_UNKNOWN';
}

const STATE_VALUE: Readonly<Record<CircuitState, number>> = { CLOSED: 0, OPEN: 1, HALF_OPEN: 2 };

function toState(state: CockatielState): CircuitState {
  if (state === CockatielState.Closed) return 'CLOSED';
  if (state === CockatielState.HalfOpen) return 'HALF_OPEN';
  return 'OPEN';
}

function createBreaker(rule: BreakerRule): ConsecutiveBreaker | SamplingBreaker {
  if (rule.type === 'consecutive') {
    if (!Number.isInteger(rule.failures) || rule.failures < 1) {
      throw new ValidationError('breaker.failures', 'be a whole number >= 1', rule.failures);
    }
    return new ConsecutiveBreaker(rule.failures);
  }
  if (!(rule.failureRate > 0 && rule.failureRate < 1)) {
    throw new ValidationError('breaker.failureRate', 'be above 0 and below 1', rule.failureRate);
  }
  if (!(Number.isFinite(rule.windowMs) && rule.windowMs > 0)) {
    throw new ValidationError(
      'breaker.windowMs',
      'be a positive number of milliseconds',
      rule.windowMs,
    );
  }
  return new SamplingBreaker({
    threshold: rule.failureRate,
    duration: rule.windowMs,
    ...(rule.minimumRps === undefined ? {} : { minimumRps: rule.minimumRps }),
  });
}

function describeRule(rule: BreakerRule): string {
  return rule.type === 'consecutive'
    ? `${rule.failures} consecutive failures`
    : `more than ${rule.failureRate * 100}% of calls failed within ${rule.windowMs} ms`;
}

function describeFailure(reason: FailureReason<unknown> | { isolated: true }): {
  text: string;
  code?: string;
} {
  if ('isolated' in reason) return { text: 'isolated by hand' };
  if (!('error' in reason)) return { text: 'a result counted as failure' };
  const error: unknown = reason.error;
  const message = redactSecretsInText(error instanceof Error ? error.message : String(error));
  return isQtpError(error)
    ? { text: `${error.code}: ${message}`, code: error.code }
    : { text: message };
}

/**
 * Creates a circuit breaker on cockatiel. After enough failures (see {@link BreakerRule}) the
 * circuit opens and calls are refused at once with a `QtpError` of code `CIRCUIT_OPEN`
 * (with `details.retryAfterMs`), sparing a venue that is down. After `halfOpenAfterMs` the next
 * call is a trial: success closes the circuit, failure opens it again. Each change is published
 * as a {@link CircuitStateEvent} with the reason.
 *
 * @throws `ValidationError` when the rule or `halfOpenAfterMs` is out of range
 * @example
 * ```ts
 * import { createCircuitBreakerPolicy } from '@qtp/core';
 * const breaker = createCircuitBreakerPolicy({
 *   name: 'binance-rest',
 *   breaker: { type: 'consecutive', failures: 5 },
 *   halfOpenAfterMs: 10_000,
 *   events: bus, // publishes 'circuit.state'
 * });
 * await breaker.execute(() => client.getAccount());
 * ```
 */
export function createCircuitBreakerPolicy(
  options: CircuitBreakerOptions,
): CircuitBreakerResiliencePolicy {
  const { name } = options;
  if (typeof name !== 'string' || name === '')
    throw new ValidationError('name', 'be a non-empty string', name);
  const rule = options.breaker ?? { type: 'consecutive', failures: 5 };
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 30_000;
  if (!(Number.isFinite(halfOpenAfterMs) && halfOpenAfterMs >= 0)) {
    throw new ValidationError(
      'halfOpenAfterMs',
      'be a number of milliseconds >= 0',
      halfOpenAfterMs,
    );
  }
  const isFailure = options.isFailure ?? isBreakerFailureByDefault;
  const policy = circuitBreaker(
    handleWhen((error) => isFailure(error)),
    { halfOpenAfter: halfOpenAfterMs, breaker: createBreaker(rule) },
  );
  const clock = options.clock;
  const stateGauge = options.metrics?.gauge(
    'qtp_circuit_state',
    'Circuit state: 0 closed, 1 open, 2 half-open.',
    ['circuit'],
  );
  const transitions = options.metrics?.counter(
    'qtp_circuit_transitions_total',
    'Circuit state changes.',
    ['circuit', 'state'],
  );
  stateGauge?.set({ circuit: name }, 0);

  let state: CircuitState = 'CLOSED';
  let openedAtMs = 0;
  let lastFailure: { text: string; code?: string } = { text: 'unknown' };
  // cockatiel announces the failure that opens the circuit just before the change of state.
  policy.onBreak((reason) => {
    lastFailure = describeFailure(reason);
  });
  policy.onStateChange((next) => {
    const previous = state;
    state = toState(next);
    if (state === previous) return;
    let reason: string;
    let errorCode: string | undefined;
    if (state === 'OPEN') {
      openedAtMs = platformNow();
      const why = previous === 'HALF_OPEN' ? 'trial call failed' : describeRule(rule);
      reason =
        lastFailure.text === 'isolated by hand'
          ? lastFailure.text
          : `${why}; last: ${lastFailure.text}`;
      errorCode = lastFailure.code;
    } else if (state === 'HALF_OPEN') {
      reason = `open for ${halfOpenAfterMs} ms; letting one trial call through`;
    } else {
      reason = previous === 'HALF_OPEN' ? 'trial call succeeded' : 'isolation ended';
    }
    stateGauge?.set({ circuit: name }, STATE_VALUE[state]);
    transitions?.inc({ circuit: name, state });
    options.events?.publish('circuit.state', {
      type: 'circuit.state',
      name,
      state,
      previous,
      reason,
      ...(errorCode === undefined ? {} : { errorCode }),
      timestampMs: clock === undefined ? platformNow() : clock.now(),
    });
  });

  return {
    name,
    get state() {
      return state;
    },
    async execute<T>(
      fn: (signal: AbortSignal) => Promise<T> | T,
      callOptions: ExecuteOptions = {},
    ): Promise<T> {
      try {
        return await policy.execute((context) => fn(context.signal), callOptions.signal);
      } catch (error) {
        if (!isBrokenCircuitError(error)) throw error;
        const retryAfterMs = Math.max(0, openedAtMs + halfOpenAfterMs - platformNow());
        throw new QtpError('CIRCUIT_OPEN', `${name}: circuit open (${lastFailure.text})`, true, {
          cause: error,
          details: { circuit: name, retryAfterMs },
        });
      }
    },
  };
}
