import { EventEmitter } from 'eventemitter3';
import { type Clock, LiveClock, type TimerId } from './clock.js';
import { isQtpError, QtpError, TimeoutError, ValidationError } from './errors.js';
import type { EventPublisher } from './event-publisher.js';
import { createConsoleLogger, type Logger } from './logger.js';

/** The topic on which the bus reports every failed handler call, as a {@link HandlerErrorEvent}. */
export const BUS_ERROR_TOPIC = 'bus.error';

/** The default of {@link EventBusOptions.maxDepth}: how deeply publishes may nest. */
export const DEFAULT_MAX_PUBLISH_DEPTH = 64;

/** Published on {@link BUS_ERROR_TOPIC} each time a handler throws or its promise rejects. */
export interface HandlerErrorEvent {
  /** Always `bus.error`. */
  readonly type: 'bus.error';
  /** The topic whose delivery failed. */
  readonly topic: string;
  /** The handler's name: `SubscribeOptions.name`, else the function's name, else `anonymous`. */
  readonly handler: string;
  /** What the handler threw or rejected with. */
  readonly error: unknown;
  /** The payload the handler was given. */
  readonly payload: unknown;
}

/** The topics every {@link EventBus} adds to its own, with their payloads. */
export interface BusEvents {
  /** Every failed handler call. */
  'bus.error': HandlerErrorEvent;
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
 * the bus's own `bus.error` included.
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
 * returns a thenable is tracked until it settles: a rejection is reported like a throw, and
 * {@link EventBus.waitForIdle} waits for it.
 */
export type EventHandler<Payload = unknown, Topic extends string = string> = (
  payload: Payload,
  topic: Topic,
) => unknown;

/** Removes a subscription. Calling it again, or after a `once` handler has run, does nothing. */
export type Unsubscribe = () => void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /** Higher runs first (default 0); equal priorities run in subscription order. */
  priority?: number;
  /** Removes the subscription just before its first call (default false). */
  once?: boolean;
  /** The name reported in error events and log entries (default the function's name). */
  name?: string;
}

/** Options of {@link EventBus}. */
export interface EventBusOptions {
  /** The clock that times {@link EventBus.waitForIdle}'s timeout (default a new `LiveClock`). */
  clock?: Clock;
  /**
   * Receives the handler failures nobody hears: those published while `bus.error` has no
   * subscriber, and those of `bus.error`'s own handlers (default `createConsoleLogger()`).
   */
  logger?: Logger;
  /**
   * How deeply publishes may nest, a handler publishing from inside a handler (default 64). A
   * publish beyond it throws a `QtpError` with code `BUS_RECURSION_LIMIT` to the outermost
   * publisher.
   */
  maxDepth?: number;
}

/** Options of {@link EventBus.waitForIdle}. */
export interface WaitForIdleOptions {
  /** Rejects with a `TimeoutError` after this many ms on the bus's clock (default no limit). */
  timeoutMs?: number;
}

/** Counters of one topic that has subscribers. */
export interface TopicStats {
  /** Payloads published on the topic while it had subscribers. */
  readonly published: number;
  /** Handler calls that completed (for asynchronous handlers: resolved). */
  readonly handled: number;
  /** Handler calls that threw or rejected. */
  readonly failed: number;
}

/** A snapshot of an {@link EventBus}'s counters. */
export interface EventBusStats {
  /** Asynchronous handler calls not yet settled. */
  readonly pending: number;
  /** Handler failures written to the logger because no `bus.error` subscriber heard them. */
  readonly unhandledErrors: number;
  /** Counters per topic that currently has subscribers; a topic's record goes with its last one. */
  readonly topics: Readonly<Record<string, TopicStats>>;
}

class Subscription {
  // Cleared when removed or when a `once` subscription is consumed.
  active = true;

  constructor(
    // Orders equal priorities by subscription.
    readonly sequence: number,
    readonly pattern: string,
    // undefined for an exact topic
    readonly segments: readonly string[] | undefined,
    readonly fn: EventHandler,
    readonly priority: number,
    readonly once: boolean,
    readonly name: string,
  ) {}

  matches(topic: string, topicSegments: readonly string[]): boolean {
    const segments = this.segments;
    if (segments === undefined) return this.pattern === topic;
    if (segments.length === 1 && segments[0] === '*') return true;
    if (segments.length !== topicSegments.length) return false;
    for (let i = 0; i < segments.length; i++) {
      if (segments[i] !== '*' && segments[i] !== topicSegments[i]) return false;
    }
    return true;
  }
}

const NO_HANDLERS: readonly Subscription[] = [];
// How many unheard topics the bus remembers as matching no wildcard; a bound, as topics are
// strings a caller may make up.
const UNMATCHED_TOPICS_KEPT = 1024;

class TopicState {
  // Replaced, never mutated, so a publish in progress iterates a stable snapshot.
  handlers: readonly Subscription[] = NO_HANDLERS;
  published = 0;
  handled = 0;
  failed = 0;
  readonly segments: readonly string[];

  constructor(
    readonly runtime: BusRuntime,
    readonly topic: string,
  ) {
    this.segments = topic.split('.');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function isRecursionLimit(error: unknown): boolean {
  return isQtpError(error, 'BUS_RECURSION_LIMIT');
}

// The eventemitter3 listener of every topic with subscribers, called with its TopicState as
// `this`. Kept free of allocations and closures: it is the whole cost of a synchronous publish.
function dispatch(this: TopicState, payload: unknown): void {
  const runtime = this.runtime;
  if (runtime.depth >= runtime.maxDepth) throw runtime.recursionError(this.topic);
  const handlers = this.handlers;
  const count = handlers.length;
  let handled = 0;
  this.published++;
  runtime.depth++;
  try {
    for (let i = 0; i < count; i++) {
      const sub = handlers[i]!;
      if (!sub.active) continue;
      if (sub.once) runtime.remove(sub);
      let result: unknown;
      try {
        result = sub.fn(payload, this.topic);
      } catch (error) {
        // Running out of depth is the publisher's bug, not this handler's: it goes all the way up.
        if (isRecursionLimit(error)) throw error;
        runtime.fail(this, sub, payload, error);
        continue;
      }
      if (result === undefined || !isThenable(result)) handled++;
      else runtime.track(this, sub, payload, result);
    }
  } finally {
    runtime.depth--;
    this.handled += handled;
  }
}

interface IdleWaiter {
  resolve: () => void;
  timer: TimerId | undefined;
}

// The untyped machinery behind EventBus; the class itself only adds the typed surface.
class BusRuntime {
  readonly emitter = new EventEmitter<string>();
  // One record per topic with at least one subscriber, exact or wildcard; freed with the last.
  readonly topics = new Map<string, TopicState>();
  // Wildcard subscriptions, sorted by priority (descending) then subscription order.
  wildcards: readonly Subscription[] = NO_HANDLERS;
  // Topics without subscribers of their own that no wildcard matched when last published.
  readonly unmatched = new Set<string>();
  pending = 0;
  unhandledErrors = 0;
  depth = 0;
  sequence = 0;
  private idleWaiters: IdleWaiter[] = [];
  private reporting = 0;
  // The last topic `heard` answered and its answer, forgotten whenever a subscription comes or
  // goes: a bar loop asks about the same topic on every bar.
  private heardTopic: string | undefined;
  private heardAnswer = false;

  constructor(
    readonly clock: Clock,
    readonly logger: Logger,
    readonly maxDepth: number,
  ) {}

  recursionError(topic: string): QtpError {
    return new QtpError(
      'BUS_RECURSION_LIMIT',
      `publish on ${topic}: must nest at most ${this.maxDepth} publishes deep, was ${this.maxDepth + 1}`,
      false,
      { details: { topic, maxDepth: this.maxDepth } },
    );
  }

  // Reached only for a topic without subscribers of its own: free unless a wildcard matches.
  publishUnheard(topic: string, payload: unknown): void {
    if (typeof topic !== 'string' || topic === '' || topic.includes('*')) {
      throw new ValidationError('topic', 'be a non-empty string without "*"', topic);
    }
    if (this.wildcards.length === 0 || this.unmatched.has(topic)) return;
    const segments = topic.split('.');
    const matching = this.wildcards.filter((sub) => sub.matches(topic, segments));
    if (matching.length === 0) {
      // Remembered until the next wildcard subscription, so the next publish is one lookup.
      if (this.unmatched.size >= UNMATCHED_TOPICS_KEPT) this.unmatched.clear();
      this.unmatched.add(topic);
      return;
    }
    const state = this.open(topic);
    state.handlers = matching;
    dispatch.call(state, payload);
  }

  add(sub: Subscription): void {
    this.heardTopic = undefined;
    if (sub.segments === undefined) {
      const state = this.topics.get(sub.pattern) ?? this.openResolved(sub.pattern);
      state.handlers = insertSorted(state.handlers, sub);
      return;
    }
    this.wildcards = insertSorted(this.wildcards, sub);
    this.unmatched.clear();
    // Wildcards are resolved per known topic now, so publishing never matches patterns; topics
    // not yet known are resolved on their first publish.
    for (const state of this.topics.values()) {
      if (sub.matches(state.topic, state.segments)) {
        state.handlers = insertSorted(state.handlers, sub);
      }
    }
  }

  remove(sub: Subscription): void {
    if (!sub.active) return;
    sub.active = false;
    this.heardTopic = undefined;
    if (sub.segments === undefined) {
      const state = this.topics.get(sub.pattern);
      if (state !== undefined) this.removeFrom(state, sub);
      return;
    }
    this.wildcards = this.wildcards.filter((other) => other !== sub);
    // Deleting from a Map while iterating it is safe: the iteration skips deleted entries.
    for (const state of this.topics.values()) this.removeFrom(state, sub);
  }

  clear(): void {
    this.heardTopic = undefined;
    for (const state of this.topics.values()) {
      for (const sub of state.handlers) sub.active = false;
      this.emitter.off(state.topic, dispatch, state);
    }
    for (const sub of this.wildcards) sub.active = false;
    this.wildcards = NO_HANDLERS;
    this.unmatched.clear();
    this.topics.clear();
  }

  // Whether a publish on `topic` would reach a handler now. A topic no wildcard matches is
  // remembered as `publishUnheard` remembers it, so asking again is one lookup.
  heard(topic: string): boolean {
    if (topic === this.heardTopic) return this.heardAnswer;
    const answer = this.lookUpHeard(topic);
    this.heardTopic = topic;
    this.heardAnswer = answer;
    return answer;
  }

  private lookUpHeard(topic: string): boolean {
    const state = this.topics.get(topic);
    if (state !== undefined) return state.handlers.length > 0;
    if (this.wildcards.length === 0 || this.unmatched.has(topic)) return false;
    if (this.subscriberCount(topic) > 0) return true;
    if (this.unmatched.size >= UNMATCHED_TOPICS_KEPT) this.unmatched.clear();
    this.unmatched.add(topic);
    return false;
  }

  subscriberCount(topic: string): number {
    const state = this.topics.get(topic);
    if (state !== undefined) return state.handlers.length;
    const segments = topic.split('.');
    let count = 0;
    for (const sub of this.wildcards) if (sub.matches(topic, segments)) count++;
    return count;
  }

  track(
    state: TopicState,
    sub: Subscription,
    payload: unknown,
    result: PromiseLike<unknown>,
  ): void {
    this.pending++;
    // Promise.resolve adopts odd thenables safely and returns a native promise unchanged.
    Promise.resolve(result).then(
      () => {
        state.handled++;
        this.release();
      },
      (error: unknown) => {
        this.fail(state, sub, payload, error);
        this.release();
      },
    );
  }

  fail(state: TopicState, sub: Subscription, payload: unknown, error: unknown): void {
    state.failed++;
    const event: HandlerErrorEvent = Object.freeze({
      type: 'bus.error',
      topic: state.topic,
      handler: sub.name,
      error,
      payload,
    });
    // A failure while reporting, or with nobody to report to, leaves the bus through the logger,
    // so an error handler that throws cannot loop.
    const errorTopic = this.topics.get(BUS_ERROR_TOPIC);
    if (this.reporting > 0 || errorTopic === undefined || state.topic === BUS_ERROR_TOPIC) {
      this.log(event);
      return;
    }
    this.reporting++;
    try {
      this.emitter.emit(BUS_ERROR_TOPIC, event);
    } finally {
      this.reporting--;
    }
  }

  waitForIdle(timeoutMs: number | undefined): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: IdleWaiter = { resolve, timer: undefined };
      if (timeoutMs !== undefined) {
        waiter.timer = this.clock.setTimeout(() => {
          this.idleWaiters = this.idleWaiters.filter((other) => other !== waiter);
          const message = `waitForIdle: ${this.pending} handler calls still pending after ${timeoutMs} ms`;
          reject(new TimeoutError(message, timeoutMs, { details: { pending: this.pending } }));
        }, timeoutMs);
      }
      this.idleWaiters.push(waiter);
    });
  }

  private open(topic: string): TopicState {
    const state = new TopicState(this, topic);
    this.topics.set(topic, state);
    this.emitter.on(topic, dispatch, state);
    return state;
  }

  private openResolved(topic: string): TopicState {
    const state = this.open(topic);
    const matching = this.wildcards.filter((sub) => sub.matches(topic, state.segments));
    if (matching.length > 0) state.handlers = matching;
    return state;
  }

  private removeFrom(state: TopicState, sub: Subscription): void {
    const index = state.handlers.indexOf(sub);
    if (index < 0) return;
    if (state.handlers.length === 1) {
      // The last subscriber takes the topic's record with it.
      this.topics.delete(state.topic);
      this.emitter.off(state.topic, dispatch, state);
      state.handlers = NO_HANDLERS;
      return;
    }
    state.handlers = [...state.handlers.slice(0, index), ...state.handlers.slice(index + 1)];
  }

  private log(event: HandlerErrorEvent): void {
    this.unhandledErrors++;
    try {
      this.logger.error(`event bus handler ${event.handler} failed on ${event.topic}`, {
        topic: event.topic,
        handler: event.handler,
        err: event.error,
      });
    } catch {
      // The logger failed too; the count above is all that can be kept without a loop.
    }
  }

  private release(): void {
    this.pending--;
    if (this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) {
        if (waiter.timer !== undefined) this.clock.cancel(waiter.timer);
        waiter.resolve();
      }
    }
  }
}

function insertSorted(list: readonly Subscription[], sub: Subscription): Subscription[] {
  let at = list.length;
  while (at > 0 && precedes(sub, list[at - 1]!)) at--;
  return [...list.slice(0, at), sub, ...list.slice(at)];
}

function precedes(a: Subscription, b: Subscription): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.sequence < b.sequence);
}

function compilePattern(pattern: string): readonly string[] | undefined {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new ValidationError('topic', 'be a non-empty topic or pattern', pattern);
  }
  if (!pattern.includes('*')) return undefined;
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
 * - A handler that throws (or whose promise rejects) never disturbs the publisher or the other
 *   handlers, and is never silent: the failure is published on `bus.error`
 *   ({@link HandlerErrorEvent}), or, with no subscriber there, written to the logger and counted
 *   in {@link EventBus.stats}.
 * - A topic nobody subscribes to costs one lookup to publish, and a topic's record is freed with
 *   its last subscriber.
 * - Publishes nested deeper than `maxDepth` throw a `QtpError` with code `BUS_RECURSION_LIMIT`.
 * - A subscription added during a publish receives the next publish; one removed during a publish
 *   is not called again, even within it.
 *
 * Retrying a failed handler is the handler's business (see `@qtp/core/resilience`); carrying
 * events to other processes, dead letters included, is `@qtp/messaging`'s.
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

  /**
   * Creates a bus.
   * @throws {@link ValidationError} when `maxDepth` is not an integer >= 1
   */
  constructor(options: EventBusOptions = {}) {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_PUBLISH_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) {
      throw new ValidationError('maxDepth', 'be an integer >= 1', maxDepth);
    }
    this.runtime = new BusRuntime(
      options.clock ?? new LiveClock(),
      options.logger ?? createConsoleLogger(),
      maxDepth,
    );
    this.emitter = this.runtime.emitter;
  }

  /**
   * Publishes `payload` on `topic`: calls every matching handler before returning. Handler
   * failures are reported on `bus.error` or logged, never thrown here.
   * @throws {@link ValidationError} when a topic without subscribers is empty or contains `*`
   * @throws a `QtpError` with code `BUS_RECURSION_LIMIT` when publishes nest deeper than
   *   `maxDepth`
   */
  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void {
    // eventemitter3 holds one listener per topic with subscribers; any other topic is one miss.
    if (!this.emitter.emit(topic, payload)) this.runtime.publishUnheard(topic, payload);
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
      this.runtime.sequence++,
      pattern,
      segments,
      handler as EventHandler,
      priority,
      options.once ?? false,
      options.name ?? (handler.name || 'anonymous'),
    );
    this.runtime.add(sub);
    return () => this.runtime.remove(sub);
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
    return this.runtime.subscriberCount(topic);
  }

  /**
   * Returns whether a publish on `topic` would reach a subscriber now, exact or wildcard: a
   * publisher whose payload costs something to build asks first. Asking about a topic nobody
   * hears is one lookup, as publishing it is.
   * @example
   * ```ts
   * if (bus.hasSubscribers('market.bar')) bus.publish('market.bar', createBarEvent(bar));
   * ```
   */
  hasSubscribers(topic: keyof Events & string): boolean {
    return this.runtime.heard(topic);
  }

  /** Removes every subscription. Asynchronous calls in flight still settle and are counted. */
  clear(): void {
    this.runtime.clear();
  }

  /**
   * Resolves once no asynchronous handler call is pending.
   * @throws rejects with {@link TimeoutError} when calls are still pending after
   *   `options.timeoutMs` on the bus's clock, and with {@link ValidationError} when `timeoutMs`
   *   is not a positive finite number
   * @example
   * ```ts
   * import { EventBus } from '@qtp/core';
   * const bus = new EventBus<{ saved: string }>();
   * bus.subscribe('saved', async (id) => console.log('stored', id));
   * bus.publish('saved', 'a');
   * await bus.waitForIdle({ timeoutMs: 5_000 });
   * ```
   */
  waitForIdle(options: WaitForIdleOptions = {}): Promise<void> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      return Promise.reject(
        new ValidationError('timeoutMs', 'be a finite number of milliseconds > 0', timeoutMs),
      );
    }
    return this.runtime.waitForIdle(timeoutMs);
  }

  /** Returns a snapshot of the counters of every topic that has subscribers. */
  stats(): EventBusStats {
    const topics: Record<string, TopicStats> = {};
    for (const state of this.runtime.topics.values()) {
      topics[state.topic] = {
        published: state.published,
        handled: state.handled,
        failed: state.failed,
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
    }
  }
}
