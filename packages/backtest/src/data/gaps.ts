import {
  type Bar,
  type BarInterval,
  barIntervalToMs,
  type InstrumentId,
  ValidationError,
} from '@qtp/core';
import type { RowIssue } from './rows.js';

/**
 * A run of missing bars: every bar from `startMs` (inclusive) to `endMs` (exclusive) is absent.
 * `startMs` is the open time the next bar after the gap's left edge would have had, `endMs` the
 * open time of the bar that follows the gap.
 */
export interface BarGap {
  /** The instrument whose bars are missing. */
  readonly instrumentId: InstrumentId;
  /** The interval of the series. */
  readonly interval: BarInterval;
  /** The open time of the first missing bar, epoch milliseconds. */
  readonly startMs: number;
  /** The open time of the bar after the gap, epoch milliseconds; exclusive. */
  readonly endMs: number;
  /** How many bars are missing: `(endMs - startMs) / intervalMs`. */
  readonly missingBars: number;
}

/** What to do with missing bars: leave them missing (and report them) or fill them with flat bars. */
export type GapPolicy = 'leave' | 'fill';

/** Options of the gap handling that every bar loader shares. */
export interface GapOptions {
  /**
   * `'leave'` (the default) yields the bars as they are and reports each gap; `'fill'` also
   * yields a flat bar for each missing one: open, high, low and close equal the previous close,
   * volume 0. Filled bars are reported as gaps all the same.
   */
  readonly gaps?: GapPolicy;
  /** Called with each gap as it is found, before the bar that ends it is yielded. */
  readonly onGap?: (gap: BarGap) => void;
}

/**
 * A stream of the bars of one instrument, read lazily each time it is iterated, with the gaps
 * found on the way.
 */
export interface BarStream extends AsyncIterable<Bar> {
  /**
   * The gaps found by the latest iteration, in time order: complete once the iteration has
   * finished, partial while it runs, and emptied when a new iteration starts. Use `onGap` to
   * handle gaps as they come instead of holding them all.
   */
  readonly gaps: readonly BarGap[];
}

/** Returns a {@link BarStream} whose every iteration runs `produce` with a fresh gap list. */
export function createBarStream<B extends Bar>(
  produce: (gaps: BarGap[]) => AsyncGenerator<B>,
): AsyncIterable<B> & { readonly gaps: readonly BarGap[] } {
  let gaps: BarGap[] = [];
  return {
    get gaps(): readonly BarGap[] {
      return gaps;
    },
    [Symbol.asyncIterator](): AsyncIterator<B> {
      gaps = [];
      return produce(gaps);
    },
  };
}

/** Returns the flat bar that stands in for a missing one: the previous close, volume 0. */
function flatBar(previous: Bar, openTimeMs: number, closeOffsetMs: number): Bar {
  const price = previous.close;
  return {
    instrumentId: previous.instrumentId,
    interval: previous.interval,
    openTimeMs,
    closeTimeMs: openTimeMs + closeOffsetMs,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: 0,
  };
}

/**
 * Checks that each bar extends one instrument's series (later open time, on the interval grid)
 * and notes the gap before it. Shared by every loader so they agree on the rules.
 */
export class SeriesChecker {
  private previous: Bar | undefined;
  private readonly intervalMs: number;
  /** The gap found by the last accepted bar, if any. */
  gap: BarGap | undefined;

  constructor(
    private readonly interval: BarInterval,
    private readonly options: GapOptions,
    private readonly gaps: BarGap[],
  ) {
    this.intervalMs = barIntervalToMs(interval);
  }

  /** Returns the rule `bar` breaks, or accepts it (noting any gap before it) and returns undefined. */
  accept(bar: Bar): RowIssue | undefined {
    this.gap = undefined;
    const previous = this.previous;
    if (previous !== undefined) {
      const stepMs = bar.openTimeMs - previous.openTimeMs;
      if (stepMs <= 0) {
        return {
          column: 'openTimeMs',
          rule: `be later than the previous open time ${previous.openTimeMs}`,
          value: bar.openTimeMs,
        };
      }
      if (stepMs % this.intervalMs !== 0) {
        return {
          column: 'openTimeMs',
          rule: `be a whole number of ${this.interval} intervals after the previous open time ${previous.openTimeMs}`,
          value: bar.openTimeMs,
        };
      }
      if (stepMs > this.intervalMs) {
        const gap: BarGap = {
          instrumentId: bar.instrumentId,
          interval: this.interval,
          startMs: previous.openTimeMs + this.intervalMs,
          endMs: bar.openTimeMs,
          missingBars: stepMs / this.intervalMs - 1,
        };
        this.gaps.push(gap);
        this.options.onGap?.(gap);
        this.gap = gap;
      }
    }
    this.previous = bar;
    return undefined;
  }

  /**
   * Yields the flat bars that fill the gap before the bar just accepted, when filling is on.
   * Generated one at a time, so a gap of a million bars costs no memory.
   */
  *fill(previous: Bar | undefined): Generator<Bar> {
    const gap = this.gap;
    if (gap === undefined || previous === undefined || this.options.gaps !== 'fill') return;
    const closeOffsetMs = previous.closeTimeMs - previous.openTimeMs;
    for (let time = gap.startMs; time < gap.endMs; time += this.intervalMs) {
      yield flatBar(previous, time, closeOffsetMs);
    }
  }
}

/**
 * Returns the gaps of one or more bar series, each series keyed by instrument and read in the
 * order given: a gap is two consecutive bars of an instrument whose open times are more than
 * one interval apart. Consumes `source`.
 *
 * Bars are expected on their interval's grid; a step that is not a whole number of intervals
 * counts the whole intervals that fit in it.
 *
 * @throws ValidationError when an instrument's open times do not increase
 * @example
 * ```ts
 * import { findGaps, readCsvBars } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 * const bars = readCsvBars('examples/data/ADABTC-1m.csv', {
 *   instrumentId: instrumentId('ADABTC', 'BINANCE'),
 * });
 * const gaps = await findGaps(bars);
 * console.log(gaps.length, gaps[0]?.startMs);
 * ```
 */
export async function findGaps(source: Iterable<Bar> | AsyncIterable<Bar>): Promise<BarGap[]> {
  const gaps: BarGap[] = [];
  const last = new Map<InstrumentId, Bar>();
  for await (const bar of source) {
    const previous = last.get(bar.instrumentId);
    last.set(bar.instrumentId, bar);
    if (previous === undefined) continue;
    const intervalMs = barIntervalToMs(bar.interval);
    const stepMs = bar.openTimeMs - previous.openTimeMs;
    if (stepMs <= 0) {
      throw new ValidationError(
        `${bar.instrumentId} openTimeMs`,
        `be later than the previous open time ${previous.openTimeMs}`,
        bar.openTimeMs,
      );
    }
    const missingBars = Math.ceil(stepMs / intervalMs) - 1;
    if (missingBars > 0) {
      gaps.push({
        instrumentId: bar.instrumentId,
        interval: bar.interval,
        startMs: previous.openTimeMs + intervalMs,
        endMs: bar.openTimeMs,
        missingBars,
      });
    }
  }
  return gaps;
}

/**
 * Yields the bars of one instrument's series with a flat bar in place of each missing one:
 * open, high, low and close equal the previous close, volume 0, and the close time keeps the
 * previous bar's distance from its open time. Apply it to each instrument before merging, so the
 * filled bars stay in time order.
 *
 * @throws ValidationError when a bar of another instrument or interval appears, or open times do
 *   not step forward by whole intervals
 * @example
 * ```ts
 * import { fillGaps, readCsvBars } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 * const bars = readCsvBars('examples/data/ADABTC-1m.csv', {
 *   instrumentId: instrumentId('ADABTC', 'BINANCE'),
 * });
 * for await (const bar of fillGaps(bars)) console.log(bar.openTimeMs, bar.volume);
 * ```
 */
export async function* fillGaps(
  source: Iterable<Bar> | AsyncIterable<Bar>,
  options: GapOptions = {},
): AsyncGenerator<Bar> {
  let checker: SeriesChecker | undefined;
  let first: Bar | undefined;
  let previous: Bar | undefined;
  let index = 0;
  for await (const bar of source) {
    index += 1;
    if (first === undefined) {
      first = bar;
      checker = new SeriesChecker(bar.interval, { ...options, gaps: 'fill' }, []);
    } else if (bar.instrumentId !== first.instrumentId || bar.interval !== first.interval) {
      throw new ValidationError(
        `bars[${index - 1}]`,
        `be of ${first.instrumentId} ${first.interval} like the first bar`,
        `${bar.instrumentId} ${bar.interval}`,
      );
    }
    const issue = checker!.accept(bar);
    if (issue !== undefined) {
      throw new ValidationError(`bars[${index - 1}].${issue.column}`, issue.rule, issue.value);
    }
    yield* checker!.fill(previous);
    previous = bar;
    yield bar;
  }
}
