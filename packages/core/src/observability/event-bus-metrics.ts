import type { EventBusStats } from '@qtp/core';
import type { MetricsRegistry } from './metrics.js';

/** The part of an event bus the metrics read: its counters. `EventBus` satisfies it. */
export interface EventBusStatsSource {
  /** Returns a snapshot of the bus's counters. */
  stats(): EventBusStats;
}

/**
 * Reports an event bus's counters into `metrics` at every scrape, as
 * `qtp_bus_events_published_total`, `qtp_bus_events_handled_total` and
 * `qtp_bus_handler_failures_total` (labelled by `topic`), `qtp_bus_unhandled_errors_total` (failures
 * only the logger heard) and `qtp_bus_pending_handlers`. The bus keeps counting on its own; nothing is added to its publish
 * path, which matters at millions of events a second.
 *
 * @returns a function that stops reporting
 * @example
 * ```ts
 * import { EventBus, MetricsRegistry, reportEventBusMetrics } from '@qtp/core';
 * const bus = new EventBus<{ 'order.filled': { id: string } }>();
 * const metrics = new MetricsRegistry();
 * reportEventBusMetrics(bus, metrics);
 * bus.publish('order.filled', { id: 'a' });
 * console.log(await metrics.text()); // qtp_bus_events_published_total{topic="order.filled"} 1
 * ```
 */
export function reportEventBusMetrics(
  bus: EventBusStatsSource,
  metrics: MetricsRegistry,
): () => void {
  const counters = {
    published: metrics.counter(
      'qtp_bus_events_published_total',
      'Events published on the event bus.',
      ['topic'],
    ),
    handled: metrics.counter('qtp_bus_events_handled_total', 'Handler calls that completed.', [
      'topic',
    ]),
    failed: metrics.counter(
      'qtp_bus_handler_failures_total',
      'Handler calls that threw or rejected.',
      ['topic'],
    ),
  } as const;
  const unhandled = metrics.counter(
    'qtp_bus_unhandled_errors_total',
    'Handler failures with no bus.error subscriber, written to the logger.',
  );
  const pending = metrics.gauge(
    'qtp_bus_pending_handlers',
    'Asynchronous handler calls still running.',
  );
  // Counters only go up, so each scrape adds what the bus counted since the previous one; a bus
  // whose stats were reset starts again from its new value.
  const seen = new Map<string, Record<keyof typeof counters, number>>();
  let lastUnhandled = 0;
  return metrics.onCollect(() => {
    const stats = bus.stats();
    pending.set({}, stats.pending);
    const unhandledDelta =
      stats.unhandledErrors >= lastUnhandled
        ? stats.unhandledErrors - lastUnhandled
        : stats.unhandledErrors;
    if (unhandledDelta > 0) unhandled.inc({}, unhandledDelta);
    lastUnhandled = stats.unhandledErrors;
    for (const [topic, current] of Object.entries(stats.topics)) {
      const last = seen.get(topic) ?? { published: 0, handled: 0, failed: 0 };
      for (const key of Object.keys(counters) as Array<keyof typeof counters>) {
        const delta = current[key] >= last[key] ? current[key] - last[key] : current[key];
        if (delta > 0) counters[key].inc({ topic }, delta);
      }
      seen.set(topic, {
        published: current.published,
        handled: current.handled,
        failed: current.failed,
      });
    }
  });
}
