import { EventBus, ValidationError } from '@qtp/core';
import { MetricsRegistry, reportEventBusMetrics } from '@qtp/core/observability';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';

describe('MetricsRegistry', () => {
  it('exposes counters, gauges and histograms with labels in the Prometheus text format', async () => {
    const metrics = new MetricsRegistry({ defaultLabels: { engine: 'paper' } });
    metrics.counter('qtp_fills_total', 'Fills booked.', ['venue']).inc({ venue: 'BINANCE' }, 2);
    metrics.gauge('qtp_open_orders', 'Open orders.', ['venue']).set({ venue: 'BINANCE' }, 7);
    metrics
      .histogram('qtp_latency_seconds', 'Order latency.', ['venue'], [0.1, 1])
      .observe({ venue: 'BINANCE' }, 0.5);
    const text = await metrics.text();
    expect(text).toContain('# HELP qtp_fills_total Fills booked.');
    expect(text).toContain('# TYPE qtp_fills_total counter');
    expect(text).toContain('qtp_fills_total{venue="BINANCE",engine="paper"} 2');
    expect(text).toContain('qtp_open_orders{venue="BINANCE",engine="paper"} 7');
    expect(text).toContain('qtp_latency_seconds_bucket{le="1",engine="paper",venue="BINANCE"} 1');
    expect(metrics.contentType).toContain('text/plain');
  });

  it('keeps the metrics of two registries apart and out of the global default registry', async () => {
    const first = new MetricsRegistry();
    const second = new MetricsRegistry();
    first.counter('qtp_events_total', 'Events.').inc();
    second.counter('qtp_events_total', 'Events.').inc({}, 5);
    expect(await first.text()).toContain('qtp_events_total 1');
    expect(await second.text()).toContain('qtp_events_total 5');
    expect(await globalRegistry.metrics()).not.toContain('qtp_events_total');
  });

  it('returns the same metric when asked twice with the same name, kind and labels', async () => {
    const metrics = new MetricsRegistry();
    metrics.counter('qtp_calls_total', 'Calls.', ['policy']).inc({ policy: 'a' });
    metrics.counter('qtp_calls_total', 'Calls.', ['policy']).inc({ policy: 'a' });
    expect(await metrics.text()).toContain('qtp_calls_total{policy="a"} 2');
  });

  it('refuses a name taken by another kind or other labels, and malformed names', () => {
    const metrics = new MetricsRegistry();
    metrics.counter('qtp_calls_total', 'Calls.', ['policy']);
    expect(() => metrics.gauge('qtp_calls_total', 'Calls.', ['policy'])).toThrow(ValidationError);
    expect(() => metrics.counter('qtp_calls_total', 'Calls.', ['venue'])).toThrow(ValidationError);
    expect(() => metrics.counter('qtp-calls', 'Calls.')).toThrow(ValidationError);
  });

  it("reports an event bus's counters at each scrape, adding only what is new", async () => {
    const metrics = new MetricsRegistry();
    const bus = new EventBus<{ 'order.filled': { id: string } }>();
    bus.subscribe('order.filled', () => {
      throw new Error('handler failed');
    });
    bus.subscribe('bus.error', () => {});
    reportEventBusMetrics(bus, metrics);
    bus.publish('order.filled', { id: 'a' });
    bus.publish('order.filled', { id: 'b' });
    let text = await metrics.text();
    expect(text).toContain('qtp_bus_events_published_total{topic="order.filled"} 2');
    expect(text).toContain('qtp_bus_handler_failures_total{topic="order.filled"} 2');
    bus.publish('order.filled', { id: 'c' });
    text = await metrics.text();
    expect(text).toContain('qtp_bus_events_published_total{topic="order.filled"} 3');
    expect(text).toContain('qtp_bus_pending_handlers 0');
  });
});
