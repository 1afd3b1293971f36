import { EventEmitter } from 'eventemitter3';
import { type Clock, LiveClock, type TimerId } from './clock.js';
import { TimeoutError, ValidationError } from './errors.js';
import type { EventPublisher } from './event-publisher.js';

/** The topic on which the bus reports every failed handler attempt, as a {@link HandlerErrorEvent}. */
export const BUS_ERROR_TOPIC = 'bus.error';
/** The topic on which the bus reports a delivery it gave up on, as a {@link DeadLetterEvent}. */
export const BUS_DEAD_LETTER_TOPIC = 'bus.deadLetter';

/** Published on {@link BUS_ERROR_TOPIC} each time a handler throws, rejects or times out. */
export interface HandlerErrorEvent {
  /** Always `bus.error`. */
  readonly type: 'bus.error';
  /** The topic whose delivery failed. */
  readonly topic: string;
  /** The handler's name: `SubscribeOptions.name`, else the function's name, else `anonymous`. */
  readonly handler: string;
  /** What the handler threw or rejected with; a `TimeoutError` when it did not settle in time. */
  readonly error: unknown;
  /** The payload the handler was given. */
  readonly payload: unknown;
  /** The number of the failed attempt, from 1. */
  readonly attempt: number;
  /** Whether the retry policy scheduled another attempt. */
  readonly willRetry: boolean;
}

/** Published on {@link BUS_DEAD_LETTER_TOPIC} when a handler failed and will not be retried. */
export interface DeadLetterEvent {
  /** Always `bus.deadLetter`. */
  readonly type: 'bus.deadLetter';
  /** The topic whose delivery was given up. */
  readonly topic: string;
  /** The handler's name. */
  readonly handler: string;
  /** The payload that was not handled. */
  readonly payload: unknown;
  /** The error of the last attempt. */
  readonly error: unknown;
  /** How many attempts were made. */
  readonly attempts: number;
}

/** The topics every {@link EventBus} adds to its own, with their payloads. */
export interface BusEvents {
  /** Every failed handler attempt. */
  'bus.error': HandlerErrorEvent;
  /** Every delivery given up after its last attempt. */
  'bus.deadLetter': DeadLetterEvent;
}

/** Every topic of a bus with the event map `Events`: its own and those of {@link BusEvents}. */
export type BusTopic<Events extends object> = keyof (Events & BusEvents) & string;

/**
 * Every way to write `Topic` with some of its dot-separated segments replaced by `*`:
 * `order.filled`, `*.filled`, `order.*` and `*.*` for `order.filled`.
 */
export type TopicWildcards<Topic extends string> = Topic extends `${infer Head}.${infer Rest}`
  ? `${Head | '*'}.${TopicWildcards<Rest>}`
  : Topic | '*';

/**
 * A subscription pattern for a bus with the event map `Events`: a topic, a topic with one or
 * more whole segments replaced by `*` (each `*` matches exactly one segment, so `order.*` matches
 * `order.filled` but not `order` or `order.fill.partial`), or `*` alone, which matches every topic,
 * the bus's own `bus.error` and `bus.deadLetter` included.
 */
export type TopicPattern<Events extends object> = TopicWildcards<BusTopic<Events>> | '*';

/** The topics of `Events` (and of {@link BusEvents}) that `Pattern` matches. */
export type MatchingTopic<Events extends object, Pattern extends string> = Pattern extends '*'
  ? BusTopic<Events>
  : {
      [Topic in BusTopic<Events>]: Pattern extends TopicWildcards<Topic> ? Topic : never;
    }[BusTopic<Events>];

/** The union of the payloads of the topics that `Pattern` matches. */
export type PatternPayload<Events extends object, Pattern extends string> = (Events &
  BusEvents)[MatchingTopic<Events, Pattern>];

/**
 * A subscriber: receives the payload and the concrete topic it was published on. A handler that
 * returns a thenable is asynchronous: the bus tracks it, applies the timeout and the retry policy
 * when it rejects, and {@link EventBus.waitForIdle} waits for it.
 */
export type EventHandler<Payload = unknown, Topic extends string = string> = (
  payload: Payload,
  topic: Topic,
) => unknown;

/**
 * Decides whether a failed handler is tried again: receives the number of the attempt that just
 * failed (from 1) and its error, and returns the delay in milliseconds before the next attempt,
 * or `undefined` to give up, which sends the delivery to the dead letters.
 */
export type HandlerRetryPolicy = (attempt: number, error: unknown) => number | undefined;

/** Removes a subscription. Calling it again, or after a `once` handler has run, does nothing. */
export type Unsubscribe = () => void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /** Higher runs first (default 0); equal priorities run in subscription order. */
  priority?: number;
  /** Removes the subscription just before its first call (default false). */
  once?: boolean;
  /** The name reported in error and dead-letter events (default the function's name). */
  name?: string;
  /** Fails an asynchronous call that has not settled after this many ms (default the bus's). */
  timeoutMs?: number;
  /** Retries failed calls, synchronous or asynchronous (default the bus's policy). */
  retry?: HandlerRetryPolicy;
}

/** Options of {@link EventBus}. */
export interface EventBusOptions {
  /** The clock that times handler timeouts and retry delays (default a new `LiveClock`). */
  clock?: Clock;
  /** The timeout of asynchronous handler calls, in ms (default none). */
  handlerTimeoutMs?: number;
  /** The retry policy of handlers that set none (default none: a failure is final). */
  retry?: HandlerRetryPolicy;
  /**
   * Measures handler latency with `performance.now()` for {@link EventBus.stats} (default false;
   * it costs two clock reads per handler call).
   */
  measureLatency?: boolean;
  /**
   * Receives the failures the bus cannot report on `bus.error` without risking a loop: those of
   * handlers of `bus.error` and `bus.deadLetter` themselves, and those raised while an error
   * report is being delivered. Default: `console.error`.
   */
  onUnhandledError?: (event: HandlerErrorEvent) => void;
}

/** Handler latency of one topic, in milliseconds, summed over all its handlers' calls. */
export interface HandlerLatency {
  /** Calls measured. */
  readonly count: number;
  /** Their total duration. */
  readonly totalMs: number;
  /** The longest one. */
  readonly maxMs: number;
}

/** Counters of one topic. */
export interface TopicStats {
  /** Payloads published on the topic. */
  readonly published: number;
  /** Handler calls that completed (for asynchronous handlers: resolved in time). */
  readonly handled: number;
  /** Handler attempts that threw, rejected or timed out, retries included. */
  readonly failed: number;
  /** Deliveries given up and sent to the dead letters. */
  readonly deadLettered: number;
  /** Handler latency, when the bus measures it; else `undefined`. */
  readonly latency: HandlerLatency | undefined;
}

/** A snapshot of an {@link EventBus}'s counters. */
export interface EventBusStats {
  /** Asynchronous handler calls and scheduled retries not yet finished. */
  readonly pending: number;
  /** Failures handed to `onUnhandledError` instead of `bus.error`. */
  readonly unhandledErrors: number;
  /** Counters per topic published at least once. */
  readonly topics: Readonly<Record<string, TopicStats>>;
}

class Subscription {
  // Cleared when removed or when a `once` subscription is consumed.
  active = true;
  // Set only by unsubscribing, which also cancels pending retries; a consumed `once` may retry.
  removed = false;
  // True when a publish must look closer (a `once` subscription, or one no longer active), so
  // the common case costs one load per handler.
  special: boolean;

  constructor(
    readonly pattern: string,
    // undefined for an exact topic or for `*`
    readonly segments: readonly string[] | undefined,
    readonly fn: EventHandler,
    readonly priority: number,
    readonly once: boolean,
    readonly name: string,
    readonly timeoutMs: number | undefined,
    readonly retry: HandlerRetryPolicy | undefined,
  ) {
    this.special = once;
  }

  deactivate(removed: boolean): void {
    this.active = false;
    this.special = true;
    if (removed) this.removed = true;
  }

  matches(topic: string, topicSegments: readonly string[]): boolean {
    const segments = this.segments;
    if (segments === undefined) return this.pattern === '*' || this.pattern === topic;
    if (segments.length !== topicSegments.length) return false;
    for (let i = 0; i < segments.length; i++) {
      if (segments[i] !== '*' && segments[i] !== topicSegments[i]) return false;
    }
    return true;
  }
}

const NO_HANDLERS: readonly Subscription[] = [];

class TopicState {
  // Replaced, never mutated, so a publish in progress iterates a stable snapshot.
  handlers: readonly Subscription[] = NO_HANDLERS;
  published = 0;
  handled = 0;
  failed = 0;
  deadLettered = 0;
  latencyCount = 0;
  latencySumMs = 0;
  latencyMaxMs = 0;
  readonly segments: readonly string[];
  readonly internal: boolean;

  constructor(
    readonly runtime: BusRuntime,
    readonly topic: string,
  ) {
    this.segments = topic.split('.');
    this.internal = topic === BUS_ERROR_TOPIC || topic === BUS_DEAD_LETTER_TOPIC;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

// The eventemitter3 listener of every topic, called with its TopicState as `this`. Kept free of
// allocations and closures: it is the whole cost of a synchronous publish.
function dispatch(this: TopicState, payload: unknown): void {
  const handlers = this.handlers;
  const count = handlers.length;
  let handled = 0;
  this.published++;
  for (let i = 0; i < count; i++) {
    const sub = handlers[i]!;
    if (sub.special) {
      if (!sub.active) continue;
      this.runtime.consume(sub);
    }
    let result: unknown;
    try {
      result = sub.fn(payload, this.topic);
    } catch (error) {
      this.runtime.fail(this, sub, payload, error, 1);
      continue;
    }
    if (result === undefined || !isThenable(result)) handled++;
    else this.runtime.track(this, sub, payload, result, 1, -1);
  }
  this.handled += handled;
}

// The listener when latency is measured; the extra work stays out of `dispatch`.
function dispatchMeasured(this: TopicState, payload: unknown): void {
  const handlers = this.handlers;
  const count = handlers.length;
  this.published++;
  for (let i = 0; i < count; i++) {
    const sub = handlers[i]!;
    if (sub.special) {
      if (!sub.active) continue;
      this.runtime.consume(sub);
    }
    this.runtime.invoke(this, sub, payload, 1);
  }
}

function defaultUnhandledError(event: HandlerErrorEvent): void {
  console.error(
    `[qtp] unreported failure of handler ${event.handler} on ${event.topic}:`,
    event.error,
  );
}

// The untyped machinery behind EventBus; the class itself only adds the typed surface.
class BusRuntime {
  readonly emitter = new EventEmitter<string>();
  readonly topics = new Map<string, TopicState>();
  // Every live subscription, sorted by priority (descending) then subscription order.
  subscriptions: readonly Subscription[] = NO_HANDLERS;
  pending = 0;
  unhandledErrors = 0;
  private idleWaiters: Array<() => void> = [];
  private reportDepth = 0;
  readonly listener: (this: TopicState, payload: unknown) => void;

  constructor(
    readonly clock: Clock,
    readonly measureLatency: boolean,
    private readonly onUnhandledError: (event: HandlerErrorEvent) => void,
  ) {
    this.listener = measureLatency ? dispatchMeasured : dispatch;
  }

  publishNew(topic: string, payload: unknown): void {
    if (typeof topic !== 'string' || topic === '' || topic.includes('*')) {
      throw new ValidationError('topic', 'be a non-empty string without "*"', topic);
    }
    const state = new TopicState(this, topic);
    const matching: Subscription[] = [];
    for (const sub of this.subscriptions) {
      if (sub.matches(topic, state.segments)) matching.push(sub);
    }
    if (matching.length > 0) state.handlers = matching;
    this.topics.set(topic, state);
    this.emitter.on(topic, this.listener, state);
    this.listener.call(state, payload);
  }

  add(sub: Subscription): void {
    this.subscriptions = insertSorted(this.subscriptions, sub);
    // Resolves wildcards now, per known topic, so publishing never matches patterns.
    for (const state of this.topics.values()) {
      if (sub.matches(state.topic, state.segments)) {
        state.handlers = insertSorted(state.handlers, sub);
      }
    }
  }

  remove(sub: Subscription): void {
    if (!this.subscriptions.includes(sub)) return;
    this.subscriptions = this.subscriptions.filter((other) => other !== sub);
    for (const state of this.topics.values()) {
      if (state.handlers.includes(sub)) {
        state.handlers = state.handlers.filter((other) => other !== sub);
      }
    }
  }

  consume(sub: Subscription): void {
    sub.deactivate(false);
    this.remove(sub);
  }

  invoke(state: TopicState, sub: Subscription, payload: unknown, attempt: number): void {
    const startedAt = this.measureLatency ? performance.now() : -1;
    let result: unknown;
    try {
      result = sub.fn(payload, state.topic);
    } catch (error) {
      if (startedAt >= 0) this.recordLatency(state, startedAt);
      this.fail(state, sub, payload, error, attempt);
      return;
    }
    if (isThenable(result)) {
      this.track(state, sub, payload, result, attempt, startedAt);
      return;
    }
    if (startedAt >= 0) this.recordLatency(state, startedAt);
    state.handled++;
  }

  track(
    state: TopicState,
    sub: Subscription,
    payload: unknown,
    result: PromiseLike<unknown>,
    attempt: number,
    startedAt: number,
  ): void {
    this.pending++;
    let settled = false;
    let timer: TimerId | undefined;
    const timeoutMs = sub.timeoutMs;
    if (timeoutMs !== undefined) {
      timer = this.clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        const message = `handler ${sub.name} on ${state.topic} did not settle within ${timeoutMs} ms`;
        const details = { topic: state.topic, handler: sub.name };
        this.fail(state, sub, payload, new TimeoutError(message, timeoutMs, { details }), attempt);
        this.release();
      }, timeoutMs);
    }
    const finish = (error: unknown, failed: boolean): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) this.clock.cancel(timer);
      if (startedAt >= 0) this.recordLatency(state, startedAt);
      if (failed) this.fail(state, sub, payload, error, attempt);
      else state.handled++;
      this.release();
    };
    // Promise.resolve adopts odd thenables safely and returns a native promise unchanged.
    Promise.resolve(result).then(
      () => finish(undefined, false),
      (error: unknown) => finish(error, true),
    );
  }

  fail(
    state: TopicState,
    sub: Subscription,
    payload: unknown,
    error: unknown,
    attempt: number,
  ): void {
    state.failed++;
    if (state.internal || this.reportDepth > 0) {
      // Reporting this on bus.error could fail again and loop, so it leaves the bus here.
      this.unhandled({
        type: 'bus.error',
        topic: state.topic,
        handler: sub.name,
        error,
        payload,
        attempt,
        willRetry: false,
      });
      return;
    }
    const delayMs = sub.removed ? undefined : nextDelay(sub.retry, attempt, error);
    const willRetry = delayMs !== undefined;
    const report: HandlerErrorEvent = {
      type: 'bus.error',
      topic: state.topic,
      handler: sub.name,
      error,
      payload,
      attempt,
      willRetry,
    };
    this.report(BUS_ERROR_TOPIC, Object.freeze(report));
    if (delayMs !== undefined) {
      this.pending++;
      this.clock.setTimeout(() => {
        if (!sub.removed) this.invoke(state, sub, payload, attempt + 1);
        this.release();
      }, delayMs);
      return;
    }
    state.deadLettered++;
    const dead: DeadLetterEvent = {
      type: 'bus.deadLetter',
      topic: state.topic,
      handler: sub.name,
      payload,
      error,
      attempts: attempt,
    };
    this.report(BUS_DEAD_LETTER_TOPIC, Object.freeze(dead));
  }

  waitForIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private report(topic: string, event: HandlerErrorEvent | DeadLetterEvent): void {
    this.reportDepth++;
    try {
      if (!this.emitter.emit(topic, event)) this.publishNew(topic, event);
    } finally {
      this.reportDepth--;
    }
  }

  private unhandled(event: HandlerErrorEvent): void {
    this.unhandledErrors++;
    try {
      this.onUnhandledError(Object.freeze(event));
    } catch {
      // The last resort failed too; the count above is all that can be kept without a loop.
    }
  }

  private release(): void {
    this.pending--;
    if (this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private recordLatency(state: TopicState, startedAt: number): void {
    const elapsedMs = performance.now() - startedAt;
    state.latencyCount++;
    state.latencySumMs += elapsedMs;
    if (elapsedMs > state.latencyMaxMs) state.latencyMaxMs = elapsedMs;
  }
}

function nextDelay(
  policy: HandlerRetryPolicy | undefined,
  attempt: number,
  error: unknown,
): number | undefined {
  if (policy === undefined) return undefined;
  let delayMs: number | undefined;
  try {
    delayMs = policy(attempt, error);
  } catch {
    // A broken policy gives up rather than retrying forever; the handler's error is reported.
    return undefined;
  }
  return typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0
    ? delayMs
    : undefined;
}

function insertSorted(list: readonly Subscription[], sub: Subscription): Subscription[] {
  // Later subscriptions go after every earlier one of the same or higher priority.
  let at = list.length;
  while (at > 0 && list[at - 1]!.priority < sub.priority) at--;
  return [...list.slice(0, at), sub, ...list.slice(at)];
}

function compilePattern(pattern: string): readonly string[] | undefined {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new ValidationError('topic', 'be a non-empty topic or pattern', pattern);
  }
  if (pattern === '*' || !pattern.includes('*')) return undefined;
  const segments = pattern.split('.');
  for (const segment of segments) {
    if (segment.includes('*') && segment !== '*') {
      throw new ValidationError('topic', 'use "*" only as a whole dot-separated segment', pattern);
    }
  }
  return segments;
}

/**
 * A typed, in-process publish/subscribe bus on eventemitter3, keyed by topic.
 *
 * - Handlers run synchronously, in priority order (higher first, then subscription order).
 * - Patterns: `*` replaces exactly one dot-separated segment (`order.*` matches `order.filled`);
 *   `*` alone matches every topic. Matches are resolved per topic when subscriptions change, not
 *   when publishing.
 * - A handler that throws never disturbs the publisher or the other handlers: each failure is
 *   published on `bus.error` ({@link HandlerErrorEvent}), and a delivery given up after its last
 *   attempt on `bus.deadLetter` ({@link DeadLetterEvent}).
 * - A handler that returns a thenable is tracked: it gets the timeout and the retry policy, timed
 *   on the bus's {@link Clock}, and {@link EventBus.waitForIdle} waits for it.
 * - A subscription added during a publish receives the next publish; one removed during a publish
 *   is not called again, even within it.
 *
 * The bus keeps a small record per distinct topic published (counters and resolved handlers), so
 * topics should come from a bounded set: one per instrument is fine, one per order id is not.
 *
 * @typeParam Events - maps each topic to its payload type
 *
 * @example
 * ```ts
 * import { EventBus, SimulatedClock } from '@qtp/core';
 *
 * interface Events {
 *   'order.filled': { clientOrderId: string; quantity: string };
 *   'order.canceled': { clientOrderId: string };
 * }
 * const bus = new EventBus<Events>({ clock: new SimulatedClock() });
 * const stop = bus.subscribe('order.*', (event, topic) => console.log(topic, event.clientOrderId));
 * bus.subscribe('bus.error', (report) => console.error(report.handler, report.error));
 * bus.publish('order.filled', { clientOrderId: 'abc', quantity: '0.5' });
 * stop();
 * ```
 */
export class EventBus<Events extends object = Record<string, unknown>>
  implements EventPublisher<Events>
{
  private readonly runtime: BusRuntime;
  private readonly emitter: EventEmitter<string>;
  private readonly handlerTimeoutMs: number | undefined;
  private readonly retry: HandlerRetryPolicy | undefined;

  /**
   * Creates a bus.
   * @throws {@link ValidationError} when `handlerTimeoutMs` is not a positive finite number
   */
  constructor(options: EventBusOptions = {}) {
    this.handlerTimeoutMs = checkTimeout('handlerTimeoutMs', options.handlerTimeoutMs);
    this.retry = options.retry;
    this.runtime = new BusRuntime(
      options.clock ?? new LiveClock(),
      options.measureLatency ?? false,
      options.onUnhandledError ?? defaultUnhandledError,
    );
    this.emitter = this.runtime.emitter;
  }

  /**
   * Publishes `payload` on `topic`: calls every matching handler before returning. Handler
   * failures are reported on `bus.error`, never thrown here.
   * @throws {@link ValidationError} the first time a topic is empty or contains `*`
   */
  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void {
    // eventemitter3 holds one listener per topic seen; an unseen topic is resolved once.
    if (!this.emitter.emit(topic, payload)) this.runtime.publishNew(topic, payload);
  }

  /**
   * Calls `handler` for every payload published on a topic that `pattern` matches, and returns
   * the function that ends the subscription.
   * @throws {@link ValidationError} when the pattern is malformed or an option is out of range
   */
  subscribe<P extends TopicPattern<Events>>(
    pattern: P,
    handler: EventHandler<PatternPayload<Events, P>, MatchingTopic<Events, P>>,
    options: SubscribeOptions = {},
  ): Unsubscribe {
    const segments = compilePattern(pattern);
    if (typeof handler !== 'function') {
      throw new ValidationError('handler', 'be a function', handler);
    }
    const priority = options.priority ?? 0;
    if (!Number.isFinite(priority)) {
      throw new ValidationError('priority', 'be a finite number', priority);
    }
    const sub = new Subscription(
      pattern,
      segments,
      handler as EventHandler,
      priority,
      options.once ?? false,
      options.name ?? (handler.name || 'anonymous'),
      checkTimeout('timeoutMs', options.timeoutMs) ?? this.handlerTimeoutMs,
      options.retry ?? this.retry,
    );
    this.runtime.add(sub);
    return () => {
      sub.deactivate(true);
      this.runtime.remove(sub);
    };
  }

  /** Subscribes `handler` for the first matching payload only; same as `once: true`. */
  once<P extends TopicPattern<Events>>(
    pattern: P,
    handler: EventHandler<PatternPayload<Events, P>, MatchingTopic<Events, P>>,
    options: Omit<SubscribeOptions, 'once'> = {},
  ): Unsubscribe {
    return this.subscribe(pattern, handler, { ...options, once: true });
  }

  /** Returns the number of live subscriptions whose pattern matches `topic`. */
  subscriberCount(topic: string): number {
    const segments = topic.split('.');
    let count = 0;
    for (const sub of this.runtime.subscriptions) if (sub.matches(topic, segments)) count++;
    return count;
  }

  /**
   * Removes every subscription. Asynchronous calls in flight still finish; scheduled retries are
   * dropped when they come due.
   */
  clear(): void {
    for (const sub of this.runtime.subscriptions) {
      sub.deactivate(true);
      this.runtime.remove(sub);
    }
  }

  /**
   * Resolves once no asynchronous handler call or scheduled retry is pending. Retries wait on the
   * bus's clock, so with a `SimulatedClock` the clock must be advanced for them to finish.
   */
  waitForIdle(): Promise<void> {
    return this.runtime.waitForIdle();
  }

  /** Returns a snapshot of the counters of every topic published so far. */
  stats(): EventBusStats {
    const topics: Record<string, TopicStats> = {};
    for (const state of this.runtime.topics.values()) {
      topics[state.topic] = {
        published: state.published,
        handled: state.handled,
        failed: state.failed,
        deadLettered: state.deadLettered,
        latency: this.runtime.measureLatency
          ? { count: state.latencyCount, totalMs: state.latencySumMs, maxMs: state.latencyMaxMs }
          : undefined,
      };
    }
    return { pending: this.runtime.pending, unhandledErrors: this.runtime.unhandledErrors, topics };
  }

  /** Sets every counter of {@link EventBus.stats} back to zero, except `pending`. */
  resetStats(): void {
    this.runtime.unhandledErrors = 0;
    for (const state of this.runtime.topics.values()) {
      state.published = 0;
      state.handled = 0;
      state.failed = 0;
      state.deadLettered = 0;
      state.latencyCount = 0;
      state.latencySumMs = 0;
      state.latencyMaxMs = 0;
    }
  }
}

function checkTimeout(field: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new ValidationError(field, 'be a finite number of milliseconds > 0', value);
  }
  return value;
}

/** Options of {@link createBackoffRetry}. */
export interface BackoffRetryOptions {
  /** The total number of attempts, the first one included (at least 1). */
  attempts: number;
  /** The delay before the second attempt, in ms (default 100). */
  initialDelayMs?: number;
  /** The factor applied to the delay after each further failure (default 2). */
  multiplier?: number;
  /** The longest delay, in ms (default no limit). */
  maxDelayMs?: number;
}

/**
 * Returns a {@link HandlerRetryPolicy} that tries up to `attempts` times in all, waiting
 * `initialDelayMs`, then `initialDelayMs * multiplier`, and so on, capped at `maxDelayMs`.
 * @throws {@link ValidationError} when an option is out of range
 * @example
 * ```ts
 * import { createBackoffRetry, EventBus } from '@qtp/core';
 * const bus = new EventBus({ retry: createBackoffRetry({ attempts: 3, initialDelayMs: 50 }) });
 * ```
 */
export function createBackoffRetry(options: BackoffRetryOptions): HandlerRetryPolicy {
  const {
    attempts,
    initialDelayMs = 100,
    multiplier = 2,
    maxDelayMs = Number.POSITIVE_INFINITY,
  } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ValidationError('attempts', 'be an integer >= 1', attempts);
  }
  if (!Number.isFinite(initialDelayMs) || initialDelayMs < 0) {
    throw new ValidationError(
      'initialDelayMs',
      'be a finite number of milliseconds >= 0',
      initialDelayMs,
    );
  }
  if (!Number.isFinite(multiplier) || multiplier < 1) {
    throw new ValidationError('multiplier', 'be a finite number >= 1', multiplier);
  }
  if (Number.isNaN(maxDelayMs) || maxDelayMs < 0) {
    throw new ValidationError('maxDelayMs', 'be a number of milliseconds >= 0', maxDelayMs);
  }
  return (attempt) =>
    attempt >= attempts
      ? undefined
      : Math.min(initialDelayMs * multiplier ** (attempt - 1), maxDelayMs);
}
