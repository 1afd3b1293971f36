import type { Bar, InstrumentId, QuoteTick, TradeTick } from '@qtp/core';
import { ValidationError } from '@qtp/core';

/** Market data that {@link mergeByTime} can order: bars, trade ticks and quote ticks. */
export type TimedMarketData = Bar | TradeTick | QuoteTick;

/**
 * Returns the time at which an item of market data becomes known: a bar's close time (a bar is
 * complete only when it closes), a tick's own time.
 *
 * @example
 * ```ts
 * import { eventTimeOf } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 * eventTimeOf({ instrumentId: instrumentId('BTCUSDT', 'BINANCE'), interval: '1m', openTimeMs: 0,
 *   closeTimeMs: 59_999, open: 1, high: 1, low: 1, close: 1, volume: 0 }); // 59999
 * ```
 */
export function eventTimeOf(item: TimedMarketData): number {
  return 'closeTimeMs' in item ? item.closeTimeMs : item.timeMs;
}

/** One source's next item in the heap. */
interface Head<T> {
  readonly source: number;
  readonly item: T;
  readonly timeMs: number;
  readonly instrumentId: InstrumentId;
}

type Cursor<T> = Iterator<T> | AsyncIterator<T>;

// Orders by event time, then by instrument id (code units, not locale, so every machine
// agrees), then by the position of the source in the list.
function before<T>(a: Head<T>, b: Head<T>): boolean {
  if (a.timeMs !== b.timeMs) return a.timeMs < b.timeMs;
  if (a.instrumentId !== b.instrumentId) return a.instrumentId < b.instrumentId;
  return a.source < b.source;
}

function push<T>(heap: Head<T>[], head: Head<T>): void {
  heap.push(head);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop<T>(heap: Head<T>[]): Head<T> {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
  return top;
}

function cursorOf<T>(source: Iterable<T> | AsyncIterable<T>): Cursor<T> {
  return Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : (source as Iterable<T>)[Symbol.iterator]();
}

/**
 * Merges several time-ordered streams of market data into one, in the order the data became
 * known: by {@link eventTimeOf} (a bar's close time, a tick's time). Ties go to the smaller
 * instrument id (compared by code units), then to the source listed first, and items of one
 * source always keep their order (a source holding several instruments is not re-sorted), so the
 * result is the same on every run.
 *
 * Ordering bars by close time rather than open time is what keeps a backtest from looking ahead
 * across instruments: a 1h bar opened at 10:00 is known at 10:59:59.999, after every 1m bar of
 * another instrument that closed before then, so no strategy sees its high or close early.
 *
 * A k-way merge on a binary heap: it holds one item per source and reads each source only when
 * its item has been yielded, so memory stays constant however long the streams are. Every
 * source is closed when the merge finishes or the loop over it stops early.
 *
 * @throws ValidationError naming `sources[i]` when a source goes back in time, since the merged
 *   stream could then no longer be in order
 * @example
 * ```ts
 * import { mergeByTime, readCsvBars } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const universe = ['DASHBTC', 'LTCBTC', 'XLMBTC', 'ZECBTC'].map((symbol) =>
 *   readCsvBars(`examples/data/${symbol}-5m.csv`, {
 *     instrumentId: instrumentId(symbol, 'BINANCE'),
 *     interval: '5m',
 *   }),
 * );
 * for await (const bar of mergeByTime(universe)) console.log(bar.instrumentId, bar.closeTimeMs);
 * ```
 */
export async function* mergeByTime<T extends TimedMarketData>(
  sources: readonly (Iterable<T> | AsyncIterable<T>)[],
): AsyncGenerator<T, void, undefined> {
  const cursors = sources.map(cursorOf);
  const lastTimeMs = sources.map(() => Number.NEGATIVE_INFINITY);
  const heap: Head<T>[] = [];
  const open = new Set<number>(cursors.keys());

  const advance = async (source: number): Promise<void> => {
    const result = await cursors[source]!.next();
    if (result.done === true) {
      open.delete(source);
      return;
    }
    const item = result.value;
    const timeMs = eventTimeOf(item);
    if (!(timeMs >= lastTimeMs[source]!)) {
      throw new ValidationError(
        `sources[${source}]`,
        `be in time order: an item at ${timeMs} follows one at ${lastTimeMs[source]}`,
        timeMs,
      );
    }
    lastTimeMs[source] = timeMs;
    push(heap, { source, item, timeMs, instrumentId: item.instrumentId });
  };

  try {
    await Promise.all(cursors.map((_, source) => advance(source)));
    while (heap.length > 0) {
      const head = pop(heap);
      yield head.item;
      await advance(head.source);
    }
  } finally {
    // Closes the sources still open, such as files, when the consumer stops early or one throws.
    await Promise.allSettled([...open].map((source) => cursors[source]!.return?.()));
  }
}
