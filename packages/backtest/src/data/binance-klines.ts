import type { Bar, BarInterval, InstrumentId } from '@qtp/core';
import { barIntervalToMs } from '@qtp/core';
import { type BarGap, createBarStream, type GapOptions, SeriesChecker } from './gaps.js';
import { barIntervalFromMs } from './interval.js';
import {
  decimalOf,
  fileTimeIssue,
  type RowIssue,
  type RowOptions,
  rejectRow,
  rowError,
} from './rows.js';

/**
 * A `Bar` read from a Binance kline row, with the row's other figures kept. Prices and
 * volumes are observed numbers, like a bar's.
 */
export interface BinanceBar extends Bar {
  /** The traded quote quantity (row index 7). */
  readonly quoteVolume: number;
  /** How many trades made the bar (row index 8). */
  readonly tradeCount: number;
  /** The base quantity bought by takers (row index 9). */
  readonly takerBuyBaseVolume: number;
  /** The quote quantity spent by takers buying (row index 10). */
  readonly takerBuyQuoteVolume: number;
}

/** A stream of {@link BinanceBar}s with the gaps found on the way (see {@link BarStream}). */
export interface BinanceBarStream extends AsyncIterable<BinanceBar> {
  /** The gaps found by the latest iteration, as {@link BarStream.gaps} describes. */
  readonly gaps: readonly BarGap[];
}

/** Options of {@link readBinanceKlines}. */
export interface BinanceKlinesOptions extends RowOptions, GapOptions {
  /** The instrument of the rows. */
  readonly instrumentId: InstrumentId;
  /**
   * The interval the rows were asked for. When absent it is read from the first valid row, as
   * its close time minus its open time plus 1 ms.
   */
  readonly interval?: BarInterval;
  /** What errors call the rows, before `:row`; default `'binance klines'`. */
  readonly sourceName?: string;
}

const ROW_LENGTH = 12;

function timeOf(value: unknown): number {
  const time = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof time === 'number' && Number.isSafeInteger(time) && time >= 0 ? time : Number.NaN;
}

interface ParsedRow {
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly tradeCount: number;
  readonly takerBuyBaseVolume: number;
  readonly takerBuyQuoteVolume: number;
}

const PRICES = [
  [1, 'open'],
  [2, 'high'],
  [3, 'low'],
  [4, 'close'],
] as const;
const AMOUNTS = [
  [5, 'volume'],
  [7, 'quoteVolume'],
  [9, 'takerBuyBaseVolume'],
  [10, 'takerBuyQuoteVolume'],
] as const;

function parseRow(row: unknown): ParsedRow | RowIssue {
  if (!Array.isArray(row) || row.length !== ROW_LENGTH) {
    return { column: '(row)', rule: `be an array of ${ROW_LENGTH} elements`, value: row };
  }
  const openTimeMs = timeOf(row[0]);
  const openIssue = fileTimeIssue('openTime', row[0], openTimeMs, false);
  if (openIssue !== undefined) return openIssue;
  const closeTimeMs = timeOf(row[6]);
  const closeIssue = fileTimeIssue('closeTime', row[6], closeTimeMs, false);
  if (closeIssue !== undefined) return closeIssue;
  const numbers: Record<string, number> = {};
  for (const [index, name] of PRICES) {
    const price = decimalOf(row[index]);
    if (!(price > 0)) {
      return { column: name, rule: 'be a decimal number greater than 0', value: row[index] };
    }
    numbers[name] = price;
  }
  for (const [index, name] of AMOUNTS) {
    const amount = decimalOf(row[index]);
    if (!(amount >= 0)) {
      return { column: name, rule: 'be a decimal number, 0 or more', value: row[index] };
    }
    numbers[name] = amount;
  }
  const tradeCount = timeOf(row[8]);
  if (Number.isNaN(tradeCount)) {
    return { column: 'trades', rule: 'be a whole number, 0 or more', value: row[8] };
  }
  const { open, high, low, close } = numbers as Record<(typeof PRICES)[number][1], number>;
  if (high < low) return { column: 'high', rule: `be at least low ${low}`, value: high };
  if (high < Math.max(open, close)) {
    return {
      column: 'high',
      rule: `be at least max(open, close) ${Math.max(open, close)}`,
      value: high,
    };
  }
  if (low > Math.min(open, close)) {
    return {
      column: 'low',
      rule: `be at most min(open, close) ${Math.min(open, close)}`,
      value: low,
    };
  }
  return {
    openTimeMs,
    closeTimeMs,
    open,
    high,
    low,
    close,
    volume: numbers.volume!,
    quoteVolume: numbers.quoteVolume!,
    tradeCount,
    takerBuyBaseVolume: numbers.takerBuyBaseVolume!,
    takerBuyQuoteVolume: numbers.takerBuyQuoteVolume!,
  };
}

/**
 * Reads Binance kline rows, the arrays `GET /api/v3/klines` returns, into bars:
 * `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase,
 * takerBuyQuote, ignore]`, decimals as strings. Decimal numbers and digit strings for the times
 * are accepted too, so rows parsed from Binance's public CSV files read the same way. The rows
 * may come from any iterable or async iterable, such as pages fetched one after another.
 *
 * Each row's close time must be its open time plus the interval minus 1 ms, Binance's own
 * convention, and the rows are checked as {@link readCsvBars} checks a file's (prices, volume,
 * high and low, open times later by whole intervals, gaps reported or filled). Note that the last
 * row of a live request is usually the kline still open: leave it out of a backtest.
 *
 * @throws ValidationError from the iteration, for an invalid row under `onInvalidRow: 'throw'`;
 *   its field reads `binance klines:row column`, with rows counted from 1
 * @example
 * ```ts
 * import { readBinanceKlines } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const rows = [
 *   [1700000040000, '37590.01000000', '37612.40000000', '37588.00000000', '37600.00000000',
 *    '12.48210000', 1700000099999, '469310.61734100', 1833, '6.10020000', '229367.80010500', '0'],
 * ];
 * for await (const bar of readBinanceKlines(rows, { instrumentId: instrumentId('BTCUSDT', 'BINANCE') })) {
 *   console.log(bar.interval, bar.close, bar.tradeCount); // '1m' 37600 1833
 * }
 * ```
 */
export function readBinanceKlines(
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: BinanceKlinesOptions,
): BinanceBarStream {
  const source = options.sourceName ?? 'binance klines';
  if (options.interval !== undefined) barIntervalToMs(options.interval);
  return createBarStream(async function* produce(gaps: BarGap[]) {
    let interval = options.interval;
    let closeOffsetMs = interval === undefined ? 0 : barIntervalToMs(interval) - 1;
    let checker = interval === undefined ? undefined : new SeriesChecker(interval, options, gaps);
    let previous: BinanceBar | undefined;
    let rowNumber = 0;
    for await (const row of rows) {
      rowNumber += 1;
      const parsed = parseRow(row);
      if ('rule' in parsed) {
        rejectRow(options, rowError(source, rowNumber, parsed));
        continue;
      }
      if (interval === undefined) {
        const spanMs = parsed.closeTimeMs - parsed.openTimeMs + 1;
        try {
          interval = barIntervalFromMs(spanMs);
        } catch (cause) {
          const issue = {
            column: 'closeTime',
            rule: 'be the open time plus a whole number of seconds minus 1 ms',
            value: parsed.closeTimeMs,
          };
          rejectRow(options, rowError(source, rowNumber, issue, cause));
          continue;
        }
        closeOffsetMs = spanMs - 1;
        checker = new SeriesChecker(interval, options, gaps);
      }
      if (parsed.closeTimeMs !== parsed.openTimeMs + closeOffsetMs) {
        const issue = {
          column: 'closeTime',
          rule: `be the open time plus ${interval} minus 1 ms, ${parsed.openTimeMs + closeOffsetMs}`,
          value: parsed.closeTimeMs,
        };
        rejectRow(options, rowError(source, rowNumber, issue));
        continue;
      }
      const bar: BinanceBar = { instrumentId: options.instrumentId, interval, ...parsed };
      const issue = checker!.accept(bar);
      if (issue !== undefined) {
        const column = issue.column === 'openTimeMs' ? 'openTime' : issue.column;
        rejectRow(options, rowError(source, rowNumber, { ...issue, column }));
        continue;
      }
      for (const flat of checker!.fill(previous)) {
        yield {
          ...flat,
          quoteVolume: 0,
          tradeCount: 0,
          takerBuyBaseVolume: 0,
          takerBuyQuoteVolume: 0,
        };
      }
      previous = bar;
      yield bar;
    }
  });
}
