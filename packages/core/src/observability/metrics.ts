import { ValidationError } from '@qtp/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Label values of one series, keyed by label name. */
export type MetricLabels<L extends string = string> = Partial<Record<L, string | number>>;

/** A value that only goes up: calls, failures, retries. */
export interface CounterMetric<L extends string = string> {
  /** Adds `value` (default 1, never negative) to the series with these labels. */
  inc(labels?: MetricLabels<L>, value?: number): void;
}

/** A value that goes up and down: queue length, circuit state, open positions. */
export interface GaugeMetric<L extends string = string> {
  /** Sets the series with these labels to `value`. */
  set(labels: MetricLabels<L>, value: number): void;
  /** Adds `value` (default 1) to the series with these labels. */
  inc(labels?: MetricLabels<L>, value?: number): void;
  /** Subtracts `value` (default 1) from the series with these labels. */
  dec(labels?: MetricLabels<L>, value?: number): void;
}

/** A distribution of observed values in buckets: latencies, sizes. */
export interface HistogramMetric<L extends string = string> {
  /** Records one observation, in the metric's unit (seconds for durations, by convention). */
  observe(labels: MetricLabels<L>, value: number): void;
}

/** Options of {@link MetricsRegistry}. */
export interface MetricsRegistryOptions {
  /** Labels added to every series, for example `{ engine: 'live-1' }`. */
  defaultLabels?: Readonly<Record<string, string>>;
}

type Kind = 'counter' | 'gauge' | 'histogram';

interface Entry {
  readonly kind: Kind;
  readonly labelNames: readonly string[];
  readonly metric: CounterMetric<string> | GaugeMetric<string> | HistogramMetric<string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Counters, gauges and histograms with labels, exposed in the Prometheus text format. Each
 * registry owns a private prom-client `Registry`, never the process-wide default one, so two
 * engines in one process keep separate metrics.
 *
 * Asking twice for a metric with the same name, kind and label names returns the same metric,
 * so several components can report into one series family without coordinating.
 *
 * @example
 * ```ts
 * import { MetricsRegistry } from '@qtp/core';
 * const metrics = new MetricsRegistry({ defaultLabels: { engine: 'paper' } });
 * const fills = metrics.counter('qtp_fills_total', 'Fills booked.', ['venue']);
 * fills.inc({ venue: 'BINANCE' });
 * console.log(await metrics.text());
 * ```
 */
export class MetricsRegistry {
  /** The Content-Type of {@link MetricsRegistry.text}'s output, for an HTTP response. */
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly entries = new Map<string, Entry>();
  private readonly collectors: Array<() => void> = [];

  /** Creates an empty registry. */
  constructor(options: MetricsRegistryOptions = {}) {
    if (options.defaultLabels !== undefined) {
      for (const label of Object.keys(options.defaultLabels)) checkLabelName(label);
      this.registry.setDefaultLabels({ ...options.defaultLabels });
    }
    this.contentType = this.registry.contentType;
  }

  /**
   * Returns the counter called `name`, creating it on first use.
   * @param name - the metric name, by convention ending in `_total`
   * @param help - one sentence saying what is counted
   * @param labelNames - the label names every series of this metric has
   * @throws `ValidationError` when a name is malformed, or when `name` is already taken by
   * a metric of another kind or with other label names
   */
  counter<L extends string = string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): CounterMetric<L> {
    return this.getOrCreate(name, 'counter', labelNames, () => {
      const metric = new Counter({ name, help, labelNames, registers: [this.registry] });
      return { inc: (labels = {}, value = 1) => metric.inc(labels, value) };
    }) as CounterMetric<L>;
  }

  /**
   * Returns the gauge called `name`, creating it on first use.
   * @throws `ValidationError` as {@link MetricsRegistry.counter} does
   */
  gauge<L extends string = string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): GaugeMetric<L> {
    return this.getOrCreate(name, 'gauge', labelNames, () => {
      const metric = new Gauge({ name, help, labelNames, registers: [this.registry] });
      return {
        set: (labels, value) => metric.set(labels, value),
        inc: (labels = {}, value = 1) => metric.inc(labels, value),
        dec: (labels = {}, value = 1) => metric.dec(labels, value),
      };
    }) as GaugeMetric<L>;
  }

  /**
   * Returns the histogram called `name`, creating it on first use.
   * @param buckets - upper bounds of the buckets, ascending (default prom-client's, in seconds,
   * from 5 ms to 10 s)
   * @throws `ValidationError` as {@link MetricsRegistry.counter} does
   */
  histogram<L extends string = string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: readonly number[],
  ): HistogramMetric<L> {
    return this.getOrCreate(name, 'histogram', labelNames, () => {
      const metric = new Histogram({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(buckets === undefined ? {} : { buckets: [...buckets] }),
      });
      return { observe: (labels, value) => metric.observe(labels, value) };
    }) as HistogramMetric<L>;
  }

  /**
   * Adds the Node.js process metrics prom-client collects (CPU, memory, event loop lag, handles)
   * to this registry; they are read when the registry is scraped.
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Registers `collect` to run just before every scrape, so a component that keeps its own
   * counters (the event bus) reports them without paying for metrics on its hot path.
   * @returns a function that removes the collector
   */
  onCollect(collect: () => void): () => void {
    this.collectors.push(collect);
    return () => {
      const index = this.collectors.indexOf(collect);
      if (index >= 0) this.collectors.splice(index, 1);
    };
  }

  /** Returns every metric in the Prometheus text exposition format, after running the collectors. */
  text(): Promise<string> {
    for (const collect of this.collectors) collect();
    return this.registry.metrics();
  }

  /** Resets every series to zero, keeping the metrics registered. */
  reset(): void {
    this.registry.resetMetrics();
  }

  private getOrCreate(
    name: string,
    kind: Kind,
    labelNames: readonly string[],
    create: () => Entry['metric'],
  ): Entry['metric'] {
    if (!METRIC_NAME.test(name))
      throw new ValidationError('name', 'be a Prometheus metric name', name);
    for (const label of labelNames) checkLabelName(label);
    const existing = this.entries.get(name);
    if (existing !== undefined) {
      const same =
        existing.kind === kind &&
        existing.labelNames.length === labelNames.length &&
        existing.labelNames.every((label) => labelNames.includes(label));
      if (!same) {
        throw new ValidationError(
          'name',
          `be unused or match the ${existing.kind} already registered with labels [${existing.labelNames.join(', ')}]`,
          name,
        );
      }
      return existing.metric;
    }
    const metric = create();
    this.entries.set(name, { kind, labelNames: [...labelNames], metric });
    return metric;
  }
}

function checkLabelName(label: string): void {
  if (!LABEL_NAME.test(label) || label.startsWith('__')) {
    throw new ValidationError('labelNames', 'be Prometheus label names', label);
  }
}
