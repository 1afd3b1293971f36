import { type BarSeries, type BarSeriesRow, ValidationError } from '@qtp/core';
import { type CompiledFeature, compileFeature, type FeatureStep } from './compile-feature.js';
import { type FeatureSpec, parseFeatureSpecs } from './feature-spec.js';

/** Features computed over a whole series: one column per feature, NaN where a value is not yet defined. */
export interface FeatureMatrix {
  /** The feature names, in declaration order. */
  readonly names: readonly string[];
  /** The open time of each row's bar, epoch milliseconds. */
  readonly time: Float64Array;
  /** One column per feature, each as long as the series. */
  readonly columns: readonly Float64Array[];
  /** The number of rows: the length of the series. */
  readonly length: number;
}

/**
 * Streaming features, one bar at a time: `update` returns the row of the bar just closed, with
 * exactly the numbers {@link FeaturePipeline.compute} gives at that bar.
 */
export interface FeatureStream {
  /** The feature names, in declaration order. */
  readonly names: readonly string[];
  /**
   * Adds a closed bar and returns its feature row. The array is owned by the stream and
   * overwritten by the next update: copy it to keep it.
   */
  update(bar: BarSeriesRow): Float64Array;
  /** As `update`, from the bar's numbers. */
  updateValues(
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): Float64Array;
  /** Whether every feature of the last row is defined (no NaN). */
  readonly isReady: boolean;
}

/**
 * A feature pipeline declared as data: indicators with their parameters, returns, rolling
 * statistics and raw fields, each with an optional lag. {@link FeaturePipeline.compute} runs the
 * batch indicator functions over a {@link @qtp/core!BarSeries}; {@link FeaturePipeline.stream}
 * runs the streaming indicators bar by bar; both give the same numbers, bit for bit, because each
 * streaming indicator makes the same operations in the same order as its batch function.
 *
 * A feature at bar `t` reads bars `0..t` only: nothing computed here looks ahead.
 *
 * @example
 * ```ts
 * import { BarSeries } from '@qtp/core';
 * import { FeaturePipeline } from '@qtp/strategy/ml';
 *
 * const pipeline = new FeaturePipeline([
 *   { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
 *   { kind: 'indicator', indicator: 'macd', output: 'histogram' },
 *   { kind: 'return', period: 5, log: true },
 *   { kind: 'rolling', statistic: 'std', period: 20, of: 'return' },
 *   { kind: 'field', source: 'volume', lag: 1 },
 * ]);
 * declare const series: BarSeries;
 * const matrix = pipeline.compute(series); // matrix.names: ['rsi_14', 'macd_12_26_9_histogram', ...]
 * const stream = pipeline.stream();
 * const row = stream.update(series.at(0)); // the same numbers as matrix row 0
 * ```
 */
export class FeaturePipeline {
  /** The declarations, as checked. */
  readonly specs: readonly FeatureSpec[];
  /** The feature names, in declaration order. */
  readonly names: readonly string[];
  private readonly features: readonly CompiledFeature[];

  /**
   * Creates a pipeline from feature declarations.
   * @throws {@link @qtp/core!ValidationError} naming the path of a bad declaration (`[2].params.period`),
   *   or `names` when two features share a name
   */
  constructor(specs: readonly FeatureSpec[]) {
    this.specs = parseFeatureSpecs(specs);
    this.features = this.specs.map((spec, i) => compileFeature(spec, `[${i}]`));
    this.names = this.features.map((feature) => feature.name);
    const seen = new Set<string>();
    for (const name of this.names) {
      if (seen.has(name))
        throw new ValidationError('names', 'be unique; give one feature a name', name);
      seen.add(name);
    }
  }

  /** Returns every feature over the whole series, in batch. */
  compute(series: BarSeries): FeatureMatrix {
    const bars = {
      open: series.open,
      high: series.high,
      low: series.low,
      close: series.close,
      volume: series.volume,
    };
    return {
      names: this.names,
      time: Float64Array.from(series.time),
      columns: this.features.map((feature) => feature.batch(bars)),
      length: series.length,
    };
  }

  /** Returns a fresh stream of the features, for live or event-driven use. */
  stream(): FeatureStream {
    const steps: FeatureStep[] = this.features.map((feature) => feature.stream());
    const row = new Float64Array(steps.length).fill(Number.NaN);
    let ready = false;
    const updateValues = (
      open: number,
      high: number,
      low: number,
      close: number,
      volume: number,
    ) => {
      ready = true;
      for (let i = 0; i < steps.length; i++) {
        const value = steps[i]!(open, high, low, close, volume);
        row[i] = value;
        if (Number.isNaN(value)) ready = false;
      }
      return row;
    };
    return {
      names: this.names,
      update: (bar) => updateValues(bar.open, bar.high, bar.low, bar.close, bar.volume),
      updateValues,
      get isReady() {
        return ready;
      },
    };
  }
}

/**
 * Returns row `index` of a feature matrix, written into `out` when given.
 * @example
 * ```ts
 * import { featureRow } from '@qtp/strategy/ml';
 * const row = featureRow(matrix, 100); // Float64Array, one value per feature
 * ```
 */
export function featureRow(matrix: FeatureMatrix, index: number, out?: Float64Array): Float64Array {
  const row = out ?? new Float64Array(matrix.columns.length);
  for (let j = 0; j < matrix.columns.length; j++) row[j] = matrix.columns[j]![index]!;
  return row;
}
