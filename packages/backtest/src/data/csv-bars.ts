import type { Bar, BarInterval, InstrumentId } from '@qtp/core';
import { barIntervalToMs, ValidationError } from '@qtp/core';
import {
  type CsvColumn,
  type CsvLayoutOptions,
  headerFieldsOf,
  type ResolvedColumns,
  resolveColumns,
  timeParser,
  widthIssue,
} from './csv-format.js';
import {
  type BarGap,
  type BarStream,
  createBarStream,
  type GapOptions,
  SeriesChecker,
} from './gaps.js';
import { barIntervalFromMs } from './interval.js';
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

/** Where each field of a bar is in a CSV file: a header name or a zero-based index. */
export interface CsvBarColumns {
  /** The bar's open time; default `'open_time'`. */
  readonly openTime: CsvColumn;
  /** The open price; default `'open'`. */
  readonly open: CsvColumn;
  /** The high price; default `'high'`. */
  readonly high: CsvColumn;
  /** The low price; default `'low'`. */
  readonly low: CsvColumn;
  /** The close price; default `'close'`. */
  readonly close: CsvColumn;
  /** The volume in base units; default `'volume'`. */
  readonly volume: CsvColumn;
}

/** Options of {@link readCsvBars}. */
export interface CsvBarsOptions extends RowOptions, GapOptions, CsvLayoutOptions {
  /** The instrument the file describes. */
  readonly instrumentId: InstrumentId;
  /**
   * The bar interval. When absent it is inferred from the modal spacing of the open times of
   * the first `inferIntervalRows` valid rows (on a tie, the smaller spacing), so a file with gaps
   * still gives its true interval; a file needs 2 rows for that.
   */
  readonly interval?: BarInterval;
  /** How many rows to look at when inferring the interval; default 1000. */
  readonly inferIntervalRows?: number;
  /**
   * Where the fields are, for files whose columns are named otherwise, such as
   * `{ openTime: 'timestamp', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' }`.
   * Columns not listed keep their default names. Other columns of the file are ignored.
   */
  readonly columns?: Partial<CsvBarColumns>;
}

const DEFAULT_COLUMNS: CsvBarColumns = {
  openTime: 'open_time',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
};

type BarColumn = keyof CsvBarColumns;
type Layout = ResolvedColumns<BarColumn>;

/** A row that passed its own checks, waiting for the interval to be inferred. */
interface PendingRow {
  readonly line: number;
  readonly bar: Bar;
}

const PRICE_RULE = 'be a decimal number greater than 0';

/** Returns the first rule the row breaks, or the bar it describes. */
function parseRow(
  fields: readonly string[],
  layout: Layout,
  parseTime: (text: string) => number,
  instrumentId: InstrumentId,
  interval: BarInterval,
  closeOffsetMs: number,
): Bar | RowIssue {
  const { index, label } = layout;
  const wrongWidth = widthIssue(fields, layout);
  if (wrongWidth !== undefined) return wrongWidth;
  const timeText = fields[index.openTime]!;
  const openTimeMs = parseTime(timeText);
  const timeIssue = fileTimeIssue(label.openTime, timeText, openTimeMs);
  if (timeIssue !== undefined) return timeIssue;
  const open = parseDecimal(fields[index.open]);
  if (!(open > 0)) return { column: label.open, rule: PRICE_RULE, value: fields[index.open] };
  const high = parseDecimal(fields[index.high]);
  if (!(high > 0)) return { column: label.high, rule: PRICE_RULE, value: fields[index.high] };
  const low = parseDecimal(fields[index.low]);
  if (!(low > 0)) return { column: label.low, rule: PRICE_RULE, value: fields[index.low] };
  const close = parseDecimal(fields[index.close]);
  if (!(close > 0)) return { column: label.close, rule: PRICE_RULE, value: fields[index.close] };
  const volume = parseDecimal(fields[index.volume]);
  if (!(volume >= 0)) {
    return {
      column: label.volume,
      rule: 'be a decimal number, 0 or more',
      value: fields[index.volume],
    };
  }
  if (high < low) return { column: label.high, rule: `be at least low ${low}`, value: high };
  if (high < open || high < close) {
    return {
      column: label.high,
      rule: `be at least max(open, close) ${Math.max(open, close)}`,
      value: high,
    };
  }
  if (low > open || low > close) {
    return {
      column: label.low,
      rule: `be at most min(open, close) ${Math.min(open, close)}`,
      value: low,
    };
  }
  return {
    instrumentId,
    interval,
    openTimeMs,
    closeTimeMs: openTimeMs + closeOffsetMs,
    open,
    high,
    low,
    close,
    volume,
  };
}

function isIssue(row: Bar | RowIssue): row is RowIssue {
  return 'rule' in row;
}

/** Returns the modal spacing of the rows' open times; on a tie, the smaller spacing. */
function inferInterval(source: string, rows: readonly PendingRow[]): BarInterval {
  const counts = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const stepMs = rows[i]!.bar.openTimeMs - rows[i - 1]!.bar.openTimeMs;
    if (stepMs > 0) counts.set(stepMs, (counts.get(stepMs) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [stepMs, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && stepMs < best)) {
      best = stepMs;
      bestCount = count;
    }
  }
  if (best === undefined) {
    throw new ValidationError(
      `${source} interval`,
      'be given, since the file has no two rows with increasing open times to infer it from',
      undefined,
    );
  }
  return barIntervalFromMs(best);
}

/**
 * Reads the klines of one instrument from a CSV file, one `Bar` at a time, with constant
 * memory: the file is read in 64 KiB chunks and never held whole.
 *
 * The default layout is `open_time,open,high,low,close,volume` with a header line and open
 * times in epoch milliseconds UTC; `columns`, `header`, `delimiter` and `time` describe other
 * layouts. A bar's close time is its open time plus the interval minus 1 ms, as Binance
 * reports it: a 1m bar opened at 00:00:00.000 closes at 00:00:59.999, and it is known only then.
 *
 * Each row is checked: a width equal to the header's (or the first row's), a time of epoch
 * milliseconds from 2000 to 2100 (a 16-digit microsecond time, as in Binance's spot files since
 * 2025, is refused with how to convert it: `time: 'us'`), prices greater than 0, volume of 0 or more, `high >= low`, `high >= max(open, close)`,
 * `low <= min(open, close)`, and an open time later than the previous row's by a whole number of
 * intervals. Blank lines are ignored. Missing bars are reported in `gaps` and to `onGap`, and
 * filled with flat bars when `gaps: 'fill'`.
 *
 * The file is opened when iteration starts, and again by each new iteration.
 *
 * @throws ValidationError from the iteration, for an invalid row under `onInvalidRow: 'throw'`:
 *   the field reads `file:line column`, as in
 *   `examples/data/XRPETH-1m.csv:12 high: must be at least low 0.00141, was 0.0014`, and
 *   `details` holds `source`, `line` and `column`. Also for a named column absent from the header,
 *   for a missing or unreadable file (field `path`, the path as the value) and for a file with no
 *   header or no rows (column `(file)`).
 * @example
 * ```ts
 * import { readCsvBars } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 *
 * const bars = readCsvBars('examples/data/XRPETH-1m.csv', {
 *   instrumentId: instrumentId('XRPETH', 'BINANCE'),
 *   interval: '1m',
 * });
 * for await (const bar of bars) console.log(bar.closeTimeMs, bar.close);
 * console.log(`${bars.gaps.length} gaps`);
 *
 * // Another layout: named columns, times in seconds.
 * const other = readCsvBars('prices.csv', {
 *   instrumentId: instrumentId('BTCUSD', 'KRAKEN'),
 *   columns: { openTime: 'timestamp', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
 *   time: 's',
 * });
 * ```
 */
export function readCsvBars(path: string, options: CsvBarsOptions): BarStream {
  const columns: CsvBarColumns = { ...DEFAULT_COLUMNS, ...options.columns };
  const parseTime = timeParser(options.time);
  const delimiter = options.delimiter ?? ',';
  const hasHeader = options.header ?? true;
  const inferRows = Math.max(2, options.inferIntervalRows ?? 1000);
  const { instrumentId } = options;
  if (options.interval !== undefined) barIntervalToMs(options.interval);

  return createBarStream(async function* produce(gaps: BarGap[]) {
    let layout: Layout | undefined;
    let interval = options.interval;
    let closeOffsetMs = interval === undefined ? 0 : barIntervalToMs(interval) - 1;
    let checker = interval === undefined ? undefined : new SeriesChecker(interval, options, gaps);
    let pending: PendingRow[] = [];
    let previous: Bar | undefined;
    let lineNumber = 0;
    let rows = 0;

    const labelOf = (column: string): string =>
      column === 'openTimeMs' ? layout!.label.openTime : column;

    // Runs a bar through the series checks; returns true when it is to be yielded.
    const extend = (bar: Bar, line: number): boolean => {
      const issue = checker!.accept(bar);
      if (issue === undefined) return true;
      rejectRow(options, rowError(path, line, { ...issue, column: labelOf(issue.column) }));
      return false;
    };

    async function* flushPending(): AsyncGenerator<Bar> {
      if (pending.length === 0) return;
      interval = inferInterval(path, pending);
      closeOffsetMs = barIntervalToMs(interval) - 1;
      checker = new SeriesChecker(interval, options, gaps);
      const rows = pending;
      pending = [];
      for (const row of rows) {
        const bar: Bar = {
          ...row.bar,
          interval: interval,
          closeTimeMs: row.bar.openTimeMs + closeOffsetMs,
        };
        if (!extend(bar, row.line)) continue;
        yield* checker.fill(previous);
        previous = bar;
        yield bar;
      }
    }

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
        const row = parseRow(
          line.split(delimiter),
          layout,
          parseTime,
          instrumentId,
          // Rows read before the interval is inferred are rebuilt with it in flushPending.
          interval ?? '1m',
          closeOffsetMs,
        );
        if (isIssue(row)) {
          rejectRow(options, rowError(path, lineNumber, row));
          continue;
        }
        if (checker === undefined) {
          pending.push({ line: lineNumber, bar: row });
          if (pending.length >= inferRows) yield* flushPending();
          continue;
        }
        if (!extend(row, lineNumber)) continue;
        if (checker.gap !== undefined) yield* checker.fill(previous);
        previous = row;
        yield row;
      }
    }
    if (layout === undefined) throw emptyFileError(path, lineNumber, 'a header and rows of bars');
    if (rows === 0) throw emptyFileError(path, lineNumber, 'rows of bars after the header');
    if (pending.length === 1 && interval === undefined) {
      throw new ValidationError(
        `${path} interval`,
        'be given, since one row is too few to infer it from',
        undefined,
      );
    }
    yield* flushPending();
  });
}
