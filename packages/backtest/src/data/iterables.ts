import {
  type Bar,
  createBar,
  createTradeTick,
  isQtpError,
  type TradeTick,
  ValidationError,
} from '@qtp/core';
import {
  type BarGap,
  type BarStream,
  createBarStream,
  type GapOptions,
  SeriesChecker,
} from './gaps.js';
import { type RowIssue, type RowOptions, rejectRow, rowError } from './rows.js';

/** Options of {@link readBars}. */
export interface ReadBarsOptions extends RowOptions, GapOptions {
  /** What errors call the source, before `:item`; default `'bars'`. */
  readonly sourceName?: string;
}

/** Options of {@link readTrades}. */
export interface ReadTradesOptions extends RowOptions {
  /** What errors call the source, before `:item`; default `'trades'`. */
  readonly sourceName?: string;
}

/** Returns the issue of an item that core's schema refused, keeping its field and rule. */
function schemaIssue(error: unknown): RowIssue {
  if (isQtpError(error, 'VALIDATION') && error instanceof ValidationError) {
    return { column: error.field, rule: error.rule, value: error.value };
  }
  throw error;
}

/**
 * Reads the bars of one instrument from any iterable or async iterable (an array, a generator,
 * a database cursor), checking each as {@link readCsvBars} checks a file's rows: core's
 * `barSchema` (prices, volume, high and low, close after open), then one instrument and one
 * interval throughout, open times later by whole intervals. Gaps are reported, or filled with
 * flat bars under `gaps: 'fill'`; filled bars keep the source's distance from open to close time.
 *
 * @throws ValidationError from the iteration, for an invalid bar under `onInvalidRow: 'throw'`;
 *   its field reads `bars:item field`, with items counted from 1
 * @example
 * ```ts
 * import { readBars } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const id = instrumentId('BTCUSDT', 'BINANCE');
 * const bars = readBars([
 *   { instrumentId: id, interval: '1m', openTimeMs: 0, closeTimeMs: 59_999,
 *     open: 10, high: 11, low: 9, close: 10.5, volume: 3 },
 *   { instrumentId: id, interval: '1m', openTimeMs: 180_000, closeTimeMs: 239_999,
 *     open: 10.5, high: 11, low: 10, close: 10.8, volume: 2 },
 * ], { gaps: 'fill' });
 * for await (const bar of bars) console.log(bar.openTimeMs, bar.volume); // 0, 60000, 120000, 180000
 * console.log(bars.gaps); // one gap of 2 bars
 * ```
 */
export function readBars(
  source: Iterable<Bar> | AsyncIterable<Bar>,
  options: ReadBarsOptions = {},
): BarStream {
  const name = options.sourceName ?? 'bars';
  return createBarStream(async function* produce(gaps: BarGap[]) {
    let first: Bar | undefined;
    let checker: SeriesChecker | undefined;
    let previous: Bar | undefined;
    let item = 0;
    for await (const input of source) {
      item += 1;
      let bar: Bar;
      try {
        bar = createBar(input);
      } catch (error) {
        rejectRow(options, rowError(name, item, schemaIssue(error), error));
        continue;
      }
      if (first === undefined) {
        first = bar;
        checker = new SeriesChecker(bar.interval, options, gaps);
      } else if (bar.instrumentId !== first.instrumentId || bar.interval !== first.interval) {
        const field = bar.instrumentId !== first.instrumentId ? 'instrumentId' : 'interval';
        const issue = {
          column: field,
          rule: `be ${first[field]} like the first bar's`,
          value: bar[field],
        };
        rejectRow(options, rowError(name, item, issue));
        continue;
      }
      const issue = checker!.accept(bar);
      if (issue !== undefined) {
        rejectRow(options, rowError(name, item, issue));
        continue;
      }
      yield* checker!.fill(previous);
      previous = bar;
      yield bar;
    }
  });
}

/**
 * Reads the trades of one instrument from any iterable or async iterable, checking each with
 * core's `tradeTickSchema` (price and size greater than 0, a side, a trade id), one instrument
 * throughout, and times that never go back (trades may share a millisecond).
 *
 * @throws ValidationError from the iteration, for an invalid trade under `onInvalidRow: 'throw'`;
 *   its field reads `trades:item field`, with items counted from 1
 * @example
 * ```ts
 * import { readTrades } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const id = instrumentId('XRPETH', 'BINANCE');
 * const trades = readTrades([
 *   { instrumentId: id, price: 0.00141342, size: 23, aggressorSide: 'SELL', tradeId: '13519807', timeMs: 1570752011620 },
 * ]);
 * for await (const trade of trades) console.log(trade.price);
 * ```
 */
export function readTrades(
  source: Iterable<TradeTick> | AsyncIterable<TradeTick>,
  options: ReadTradesOptions = {},
): AsyncIterable<TradeTick> {
  const name = options.sourceName ?? 'trades';
  return {
    async *[Symbol.asyncIterator]() {
      let previous: TradeTick | undefined;
      let item = 0;
      for await (const input of source) {
        item += 1;
        let trade: TradeTick;
        try {
          trade = createTradeTick(input);
        } catch (error) {
          rejectRow(options, rowError(name, item, schemaIssue(error), error));
          continue;
        }
        let issue: RowIssue | undefined;
        if (previous !== undefined && trade.instrumentId !== previous.instrumentId) {
          issue = {
            column: 'instrumentId',
            rule: `be ${previous.instrumentId} like the previous trade's`,
            value: trade.instrumentId,
          };
        }
        if (previous !== undefined && trade.timeMs < previous.timeMs) {
          issue = {
            column: 'timeMs',
            rule: `be no earlier than the previous trade's time ${previous.timeMs}`,
            value: trade.timeMs,
          };
        }
        if (issue !== undefined) {
          rejectRow(options, rowError(name, item, issue));
          continue;
        }
        previous = trade;
        yield trade;
      }
    },
  };
}
