import type { AggressorSide, InstrumentId, TradeTick } from '@qtp/core';
import {
  type CsvColumn,
  type CsvLayoutOptions,
  headerFieldsOf,
  type ResolvedColumns,
  resolveColumns,
  timeParser,
  widthIssue,
} from './csv-format.js';
import { readLineBatches } from './line-reader.js';
import {
  emptyFileError,
  fileTimeIssue,
  parseDecimal,
  type RowIssue,
  type RowOptions,
  rejectRow,
  rowError,
} from './rows.js';

/** Where each field of a trade is in a CSV file: a header name or a zero-based index. */
export interface CsvTradeColumns {
  /** The trade time; default `'time'`. */
  readonly time: CsvColumn;
  /** The venue's trade id; default `'trade_id'`. */
  readonly tradeId: CsvColumn;
  /** The taker's side, `buy` or `sell` in any case; default `'side'`. */
  readonly side: CsvColumn;
  /** The price; default `'price'`. */
  readonly price: CsvColumn;
  /** The quantity in base units; default `'qty'`. */
  readonly quantity: CsvColumn;
}

/** Options of {@link readCsvTrades}. */
export interface CsvTradesOptions extends RowOptions, CsvLayoutOptions {
  /** The instrument the file describes. */
  readonly instrumentId: InstrumentId;
  /**
   * Where the fields are, for files whose columns are named otherwise. Columns not listed keep
   * their default names; other columns of the file (such as `quote_qty`) are ignored.
   */
  readonly columns?: Partial<CsvTradeColumns>;
}

const DEFAULT_COLUMNS: CsvTradeColumns = {
  time: 'time',
  tradeId: 'trade_id',
  side: 'side',
  price: 'price',
  quantity: 'qty',
};

type Layout = ResolvedColumns<keyof CsvTradeColumns>;

function sideOf(text: string | undefined): AggressorSide | undefined {
  switch (text) {
    case 'buy':
    case 'BUY':
    case 'Buy':
      return 'BUY';
    case 'sell':
    case 'SELL':
    case 'Sell':
      return 'SELL';
    default:
      return undefined;
  }
}

function parseRow(
  fields: readonly string[],
  layout: Layout,
  parseTime: (text: string) => number,
  instrumentId: InstrumentId,
): TradeTick | RowIssue {
  const { index, label } = layout;
  const wrongWidth = widthIssue(fields, layout);
  if (wrongWidth !== undefined) return wrongWidth;
  const timeText = fields[index.time]!;
  const timeMs = parseTime(timeText);
  const timeIssue = fileTimeIssue(label.time, timeText, timeMs);
  if (timeIssue !== undefined) return timeIssue;
  const tradeId = fields[index.tradeId]!;
  if (tradeId.length === 0) return { column: label.tradeId, rule: 'be non-empty', value: tradeId };
  const aggressorSide = sideOf(fields[index.side]);
  if (aggressorSide === undefined) {
    return { column: label.side, rule: 'be buy or sell', value: fields[index.side] };
  }
  const price = parseDecimal(fields[index.price]);
  if (!(price > 0)) {
    return {
      column: label.price,
      rule: 'be a decimal number greater than 0',
      value: fields[index.price],
    };
  }
  const size = parseDecimal(fields[index.quantity]);
  if (!(size > 0)) {
    return {
      column: label.quantity,
      rule: 'be a decimal number greater than 0',
      value: fields[index.quantity],
    };
  }
  return { instrumentId, price, size, aggressorSide, tradeId, timeMs };
}

/** Compares two ids written as digits by their numeric value, however long. */
function compareDigitIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Finds a trade id used twice in a file. Venues that number their trades (Binance) number them
 * upwards, so a digit id must beat the last digit id; other ids go into a set.
 */
class TradeIdCheck {
  #lastDigitId: string | undefined;
  readonly #others = new Set<string>();

  /** Returns the rule `id` breaks, or undefined when it is new; remembers it when new. */
  check(id: string): string | undefined {
    if (/^\d+$/.test(id)) {
      const last = this.#lastDigitId;
      if (last !== undefined && compareDigitIds(id, last) <= 0) {
        return `be greater than the previous trade id ${last}: numbered trade ids increase, so this one is a repeat or out of order`;
      }
      this.#lastDigitId = id;
      return undefined;
    }
    if (this.#others.has(id)) return 'be unique: the trade id appears twice';
    this.#others.add(id);
    return undefined;
  }
}

/**
 * Reads the trades of one instrument from a CSV file, one `TradeTick` at a time, with
 * constant memory.
 *
 * The default layout is `time,trade_id,side,price,qty,quote_qty` with a header line, times in
 * epoch milliseconds UTC, and `side` the taker's side (`buy` lifted an ask, `sell` hit a bid),
 * which becomes the tick's `aggressorSide`. `quote_qty` is not read: it is `price * qty`.
 *
 * Each row is checked: a width equal to the header's, a time of epoch milliseconds from 2000 to
 * 2100 no earlier than the previous row's (trades may share a millisecond; a 16-digit microsecond
 * time is refused with how to convert it), a non-empty trade id seen nowhere else in the file, a
 * side of buy or sell, and price and quantity greater than 0. Ids written as digits, as
 * Binance's are, must increase from row to row, which finds a repeat in constant memory; other
 * ids are remembered for the whole file. Blank lines are ignored.
 *
 * @throws ValidationError from the iteration, for an invalid row under `onInvalidRow: 'throw'`,
 *   its field reading `file:line column` and its `details` holding `source`, `line`, `column`;
 *   for a missing or unreadable file (field `path`, the path as the value); for a file with no
 *   header or no rows (column `(file)`)
 * @example
 * ```ts
 * import { readCsvTrades } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const trades = readCsvTrades('examples/data/XRPETH-trades.csv', {
 *   instrumentId: instrumentId('XRPETH', 'BINANCE'),
 * });
 * for await (const trade of trades) console.log(trade.timeMs, trade.aggressorSide, trade.price);
 * ```
 */
export function readCsvTrades(path: string, options: CsvTradesOptions): AsyncIterable<TradeTick> {
  const columns: CsvTradeColumns = { ...DEFAULT_COLUMNS, ...options.columns };
  const parseTime = timeParser(options.time);
  const delimiter = options.delimiter ?? ',';
  const hasHeader = options.header ?? true;
  return {
    async *[Symbol.asyncIterator]() {
      let layout: Layout | undefined;
      let lineNumber = 0;
      let previousMs = Number.NEGATIVE_INFINITY;
      const ids = new TradeIdCheck();
      let rows = 0;
      for await (const lines of readLineBatches(path)) {
        for (const line of lines) {
          lineNumber += 1;
          if (line.length === 0) continue;
          if (layout === undefined) {
            if (hasHeader) {
              layout = resolveColumns(path, columns, headerFieldsOf(line, delimiter), 0);
              continue;
            }
            layout = resolveColumns(path, columns, undefined, line.split(delimiter).length);
          }
          rows += 1;
          const row = parseRow(line.split(delimiter), layout, parseTime, options.instrumentId);
          if ('rule' in row) {
            rejectRow(options, rowError(path, lineNumber, row));
            continue;
          }
          if (row.timeMs < previousMs) {
            const issue = {
              column: layout.label.time,
              rule: `be no earlier than the previous trade's time ${previousMs}`,
              value: row.timeMs,
            };
            rejectRow(options, rowError(path, lineNumber, issue));
            continue;
          }
          const idRule = ids.check(row.tradeId);
          if (idRule !== undefined) {
            const issue = { column: layout.label.tradeId, rule: idRule, value: row.tradeId };
            rejectRow(options, rowError(path, lineNumber, issue));
            continue;
          }
          previousMs = row.timeMs;
          yield row;
        }
      }
      if (layout === undefined)
        throw emptyFileError(path, lineNumber, 'a header and rows of trades');
      if (rows === 0) throw emptyFileError(path, lineNumber, 'rows of trades after the header');
    },
  };
}
