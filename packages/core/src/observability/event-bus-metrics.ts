import type { MetricsRegistry } from './metrics.js';

/**
 * What an event bus reports about itself. The bus calls these methods; it needs no knowledge of
 * Prometheus. Get one from {@link createEventBusMetrics}, or implement it to report elsewhere.
 */
export interface EventBusMetrics {
  /** Counts one event published on `topic`. */
  published(topic: string): void;
  /** Counts one subscriber of `topic` that threw or rejected while handling an event. */
  handlerFailed(topic: string): void;
  /** Records how long delivering one event on `topic` to its subscribers took, in milliseconds. */
  delivered(topic: string, durationMs: number): void;
  /** Records how many subscribers `topic` has now. */
  subscribers(topic: string, count: number): void;
}

/**
 * Returns {@link EventBusMetrics} that report into `metrics` as `qtp_events_published_total`,
 * `qtp_event_handler_failures_total`, `qtp_event_delivery_seconds` and `qtp_event_subscribers`,
 * each labelled by `topic`.
 *
 * @example
 * ```ts
 * import { createEventBusMetrics, MetricsRegistry } from '@qtp/core';
 * const busMetrics = createEventBusMetrics(new MetricsRegistry());
 * busMetrics.published('order.filled');
 * ```
 */
export function createEventBusMetrics(metrics: MetricsRegistry): EventBusMetrics {
  const published = metrics.counter(
    'qtp_events_published_total',
    'Events published on the event bus.',
    ['topic'],
  );
  const failures = metrics.counter(
    'qtp_event_handler_failures_total',
    'Event subscribers that threw or rejected while handling an event.',
    ['topic'],
  );
  const delivery = metrics.histogram(
    'qtp_event_delivery_seconds',
    'Time taken to deliver one event to its subscribers.',
    ['topic'],
    [0.00001, 0.0001, 0.001, 0.01, 0.1, 1],
  );
  const subscribers = metrics.gauge('qtp_event_subscribers', 'Subscribers per topic.', ['topic']);
  return {
    published: (topic) => published.inc({ topic }),
    handlerFailed: (topic) => failures.inc({ topic }),
    delivered: (topic, durationMs) => delivery.observe({ topic }, durationMs / 1000),
    subscribers: (topic, count) => subscribers.set({ topic }, count),
  };
}
