import { ValidationError } from './errors.js';
import type { InstrumentId } from './identifiers.js';
import type { Bar, BarInterval } from './market-data.js';

/** One bar of a {@link BarSeries}, as plain numbers: the open time and the OHLCV values. */
export interface BarSeriesRow {
  /** The time the bar opened, epoch milliseconds. */
  readonly openTimeMs: number;
  /** The first traded price. */
  readonly open: number;
  /** The highest traded price. */
  readonly high: number;
  /** The lowest traded price. */
  readonly low: number;
  /** The last traded price. */
  readonly close: number;
  /** The traded quantity in base units. */
  readonly volume: number;
}

/** The columns of a {@link BarSeries}, equal in length. */
export interface BarSeriesColumns {
  /** Open times, epoch milliseconds, strictly increasing. */
  readonly time: ArrayLike<number>;
  /** Open prices. */
  readonly open: ArrayLike<number>;
  /** High prices. */
  readonly high: ArrayLike<number>;
  /** Low prices. */
  readonly low: ArrayLike<number>;
  /** Close prices. */
  readonly close: ArrayLike<number>;
  /** Volumes in base units. */
  readonly volume: ArrayLike<number>;
}

/** What a {@link BarSeries} knows about its bars besides their values. */
export interface BarSeriesOptions {
  /** The instrument the bars describe, when known. */
  readonly instrumentId?: InstrumentId;
  /** The bar interval, when known. */
  readonly interval?: BarInterval;
  /** Room to reserve for appended bars; default 1024 or the initial length, whichever is more. */
  readonly capacity?: number;
}

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
type Field = (typeof FIELDS)[number];

interface Buffers {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function allocate(capacity: number): Buffers {
  return {
    time: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
}

/**
 * Checks one bar against the series rules and the previous open time; throws naming the index
 * and the field.
 */
function checkRow(
  index: number,
  previousTime: number,
  time: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): void {
  const values: Record<Field, number> = { time, open, high, low, close, volume };
  for (const field of FIELDS) {
    if (!Number.isFinite(values[field])) {
      throw new ValidationError(`${field}[${index}]`, 'be a finite number', values[field]);
    }
  }
  if (time <= previousTime) {
    throw new ValidationError(
      `time[${index}]`,
      `be later than the previous open time ${previousTime}`,
      time,
    );
  }
  if (open <= 0) throw new ValidationError(`open[${index}]`, 'be greater than 0', open);
  if (close <= 0) throw new ValidationError(`close[${index}]`, 'be greater than 0', close);
  if (low <= 0) throw new ValidationError(`low[${index}]`, 'be greater than 0', low);
  const top = Math.max(open, close);
  const bottom = Math.min(open, close);
  if (high < top) {
    throw new ValidationError(`high[${index}]`, `be at least max(open, close) ${top}`, high);
  }
  if (low > bottom) {
    throw new ValidationError(`low[${index}]`, `be at most min(open, close) ${bottom}`, low);
  }
  if (volume < 0) throw new ValidationError(`volume[${index}]`, 'be 0 or more', volume);
}

/**
 * A columnar series of bars: open times and OHLCV values in `Float64Array`s, one per field, for
 * loaders, batch indicators and feature pipelines. Each column is a view of the first `length`
 * entries of a buffer that grows by doubling, so {@link BarSeries.append} costs amortised O(1)
 * and streaming never copies the whole series per bar. {@link BarSeries.slice} is a view that
 * shares memory with its parent; appending to a slice first copies it, so the parent never changes.
 *
 * Every bar is checked on the way in: finite values, strictly increasing open times, positive
 * prices, `high >= max(open, close)`, `low <= min(open, close)`, volume of 0 or more.
 *
 * @example
 * ```ts
 * import { BarSeries } from '@qtp/core';
 * import { sma } from '@qtp/strategy';
 *
 * const series = new BarSeries({ interval: '1m' });
 * series.append({ openTimeMs: 0, open: 10, high: 11, low: 9, close: 10.5, volume: 3 });
 * series.append({ openTimeMs: 60_000, open: 10.5, high: 12, low: 10, close: 11.5, volume: 2 });
 * console.log(series.length, series.close); // 2 Float64Array [10.5, 11.5]
 * console.log(sma(series.close, 2)); // Float64Array [NaN, 11]
 * ```
 */
export class BarSeries {
  /** The instrument the bars describe, when known. */
  readonly instrumentId: InstrumentId | undefined;
  /** The bar interval, when known. */
  readonly interval: BarInterval | undefined;
  private buffers: Buffers;
  private count = 0;
  private views: Buffers | undefined;

  /**
   * Creates an empty series with room for `options.capacity` bars.
   * @throws {@link ValidationError} naming `capacity` when it is not an integer >= 0
   */
  constructor(options: BarSeriesOptions = {}) {
    const capacity = options.capacity ?? 1024;
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new ValidationError('capacity', 'be an integer >= 0', capacity);
    }
    this.instrumentId = options.instrumentId;
    this.interval = options.interval;
    this.buffers = allocate(capacity);
  }

  /**
   * Returns a series of `bars`, taking the instrument and interval from the first bar.
   * @throws {@link ValidationError} naming the index and field of the first bad bar, such as `time[3]`
   * @example
   * ```ts
   * import { BarSeries, instrumentId } from '@qtp/core';
   * const id = instrumentId('XRPETH', 'BINANCE');
   * const bar = { instrumentId: id, interval: '1m', openTimeMs: 0, closeTimeMs: 59_999,
   *   open: 1, high: 2, low: 1, close: 2, volume: 5 } as const;
   * BarSeries.fromBars([bar]).length; // 1
   * ```
   */
  static fromBars(bars: Iterable<Bar>, options: BarSeriesOptions = {}): BarSeries {
    const list = Array.isArray(bars) ? (bars as readonly Bar[]) : [...bars];
    const first = list[0];
    const instrument = options.instrumentId ?? first?.instrumentId;
    const interval = options.interval ?? first?.interval;
    const series = new BarSeries({
      capacity: Math.max(options.capacity ?? 0, list.length),
      ...(instrument === undefined ? {} : { instrumentId: instrument }),
      ...(interval === undefined ? {} : { interval }),
    });
    for (const bar of list) series.append(bar);
    return series;
  }

  /**
   * Returns a series holding copies of the given columns.
   * @throws {@link ValidationError} when the columns differ in length, or naming the index and
   *   field of the first bad value, such as `close[12]: must be a finite number, was NaN`
   * @example
   * ```ts
   * import { BarSeries } from '@qtp/core';
   * const series = BarSeries.fromColumns({
   *   time: [0, 60_000], open: [1, 2], high: [2, 3], low: [1, 2], close: [2, 3], volume: [5, 6],
   * });
   * series.at(1).close; // 3
   * ```
   */
  static fromColumns(columns: BarSeriesColumns, options: BarSeriesOptions = {}): BarSeries {
    const n = columns.time.length;
    for (const field of FIELDS) {
      if (columns[field].length !== n) {
        throw new ValidationError(
          `${field}.length`,
          `equal the length of time ${n}`,
          columns[field].length,
        );
      }
    }
    const series = new BarSeries({ ...options, capacity: Math.max(options.capacity ?? 0, n) });
    for (let i = 0; i < n; i++) {
      series.appendValues(
        columns.time[i]!,
        columns.open[i]!,
        columns.high[i]!,
        columns.low[i]!,
        columns.close[i]!,
        columns.volume[i]!,
      );
    }
    return series;
  }

  /** The number of bars. */
  get length(): number {
    return this.count;
  }

  /** The open times, epoch milliseconds: a view, valid until the next append. */
  get time(): Float64Array {
    return this.columns().time;
  }

  /** The open prices: a view, valid until the next append. */
  get open(): Float64Array {
    return this.columns().open;
  }

  /** The high prices: a view, valid until the next append. */
  get high(): Float64Array {
    return this.columns().high;
  }

  /** The low prices: a view, valid until the next append. */
  get low(): Float64Array {
    return this.columns().low;
  }

  /** The close prices: a view, valid until the next append. */
  get close(): Float64Array {
    return this.columns().close;
  }

  /** The volumes: a view, valid until the next append. */
  get volume(): Float64Array {
    return this.columns().volume;
  }

  /**
   * Returns bar `index` as a plain row; negative indexes count from the end (`-1` is the last).
   * Reads six numbers and copies nothing else.
   * @throws {@link ValidationError} naming `index` when it is outside the series
   */
  at(index: number): BarSeriesRow {
    const i = index < 0 ? this.count + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new ValidationError(
        'index',
        `be an integer within the series length ${this.count}`,
        index,
      );
    }
    const b = this.buffers;
    return {
      openTimeMs: b.time[i]!,
      open: b.open[i]!,
      high: b.high[i]!,
      low: b.low[i]!,
      close: b.close[i]!,
      volume: b.volume[i]!,
    };
  }

  /**
   * Returns the bars `start..end` (end excluded, negative counts from the end, as
   * `Array.prototype.slice`) as a series that shares memory with this one.
   */
  slice(start = 0, end = this.count): BarSeries {
    const from = clampIndex(start, this.count);
    const to = Math.max(from, clampIndex(end, this.count));
    const view = new BarSeries({
      capacity: 0,
      ...(this.instrumentId === undefined ? {} : { instrumentId: this.instrumentId }),
      ...(this.interval === undefined ? {} : { interval: this.interval }),
    });
    const b = this.buffers;
    view.buffers = {
      time: b.time.subarray(from, to),
      open: b.open.subarray(from, to),
      high: b.high.subarray(from, to),
      low: b.low.subarray(from, to),
      close: b.close.subarray(from, to),
      volume: b.volume.subarray(from, to),
    };
    view.count = to - from;
    return view;
  }

  /**
   * Appends one bar after the last, in amortised O(1).
   * @throws {@link ValidationError} naming the index and field when the bar breaks a rule; the
   *   series is left unchanged
   */
  append(bar: BarSeriesRow): void {
    this.appendValues(bar.openTimeMs, bar.open, bar.high, bar.low, bar.close, bar.volume);
  }

  /**
   * Appends one bar given as numbers, without an object per bar.
   * @throws {@link ValidationError} naming the index and field when the bar breaks a rule; the
   *   series is left unchanged
   */
  appendValues(
    openTimeMs: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    const i = this.count;
    const previous = i === 0 ? Number.NEGATIVE_INFINITY : this.buffers.time[i - 1]!;
    checkRow(i, previous, openTimeMs, open, high, low, close, volume);
    if (i === this.buffers.time.length) this.grow();
    const b = this.buffers;
    b.time[i] = openTimeMs;
    b.open[i] = open;
    b.high[i] = high;
    b.low[i] = low;
    b.close[i] = close;
    b.volume[i] = volume;
    this.count = i + 1;
    this.views = undefined;
  }

  private grow(): void {
    const old = this.buffers;
    const next = allocate(Math.max(16, old.time.length * 2));
    for (const field of FIELDS) next[field].set(old[field].subarray(0, this.count));
    this.buffers = next;
  }

  private columns(): Buffers {
    if (this.views !== undefined) return this.views;
    const b = this.buffers;
    const n = this.count;
    this.views = {
      time: b.time.subarray(0, n),
      open: b.open.subarray(0, n),
      high: b.high.subarray(0, n),
      low: b.low.subarray(0, n),
      close: b.close.subarray(0, n),
      volume: b.volume.subarray(0, n),
    };
    return this.views;
  }
}

function clampIndex(index: number, length: number): number {
  const i = Math.trunc(index);
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}
