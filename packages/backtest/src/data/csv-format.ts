import { ValidationError } from '@qtp/core';
import { parseDecimal, parseInteger } from './rows.js';

/**
 * How a CSV time column is written: epoch milliseconds (`'ms'`, the default), seconds (`'s'`,
 * decimals allowed), microseconds (`'us'`, as Binance's public data files write spot times since
 * 2025), an ISO 8601 date-time (`'iso'`; without a zone designator it is read as UTC), or a
 * function from the field's text to epoch milliseconds. Seconds and microseconds are rounded to
 * the nearest millisecond.
 */
export type CsvTimeFormat = 'ms' | 's' | 'us' | 'iso' | ((text: string) => number);

/** Where a column is: its name in the header, or its zero-based index. */
export type CsvColumn = string | number;

/** Options of the CSV layout that the CSV loaders share. */
export interface CsvLayoutOptions {
  /** Whether the first line names the columns; default true. Without one, columns are indexes. */
  readonly header?: boolean;
  /** The field separator; default `','`. Fields are not quoted: these files hold numbers. */
  readonly delimiter?: string;
  /** How the time column is written; default `'ms'`. */
  readonly time?: CsvTimeFormat;
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function parseIsoTime(text: string): number {
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return Number.NaN;
  // Date.parse reads a date-time without a zone as local time; files of market data mean UTC.
  const normalized = text.replace(' ', 'T');
  if (match[1] !== undefined || text.length === 10) return Date.parse(normalized);
  return Date.parse(`${normalized}Z`);
}

/** Returns the parser of a time column: text to epoch milliseconds, NaN when unreadable. */
export function timeParser(format: CsvTimeFormat = 'ms'): (text: string) => number {
  switch (format) {
    case 'ms':
      return parseInteger;
    case 's':
      return (text) => Math.round(parseDecimal(text) * 1000);
    case 'us':
      return (text) => Math.round(parseInteger(text) / 1000);
    case 'iso':
      return parseIsoTime;
    default:
      return format;
  }
}

/** The resolved layout of a CSV file: each wanted column's index and label, and the row width. */
export interface ResolvedColumns<Key extends string> {
  readonly index: Readonly<Record<Key, number>>;
  readonly label: Readonly<Record<Key, string>>;
  readonly width: number;
  /** What set the width, for the rule of a row of another width: the header or the first row. */
  readonly widthFrom: 'header' | 'first row';
}

/**
 * Returns the index and label of each wanted column, from the header line or from indexes.
 * @throws ValidationError naming the file and the column when a named column is absent
 */
export function resolveColumns<Key extends string>(
  source: string,
  columns: Readonly<Record<Key, CsvColumn>>,
  headerFields: readonly string[] | undefined,
  firstRowWidth: number,
): ResolvedColumns<Key> {
  const index = {} as Record<Key, number>;
  const label = {} as Record<Key, string>;
  for (const key of Object.keys(columns) as Key[]) {
    const column: CsvColumn = columns[key];
    if (typeof column === 'number') {
      const width = headerFields?.length ?? firstRowWidth;
      if (!Number.isInteger(column) || column < 0 || column >= width) {
        throw new ValidationError(
          `${source}:1 ${key}`,
          `be a column index from 0 to ${width - 1}`,
          column,
        );
      }
      index[key] = column;
      label[key] = headerFields?.[column] ?? key;
    } else {
      if (headerFields === undefined) {
        throw new ValidationError(
          `${source} ${key}`,
          'be a column index, since the file has no header',
          column,
        );
      }
      const found = headerFields.indexOf(column);
      if (found === -1) {
        throw new ValidationError(
          `${source}:1 ${key}`,
          `name a column of the header (${headerFields.join(', ')})`,
          column,
        );
      }
      index[key] = found;
      label[key] = column;
    }
  }
  return {
    index,
    label,
    width: headerFields?.length ?? firstRowWidth,
    widthFrom: headerFields === undefined ? 'first row' : 'header',
  };
}

/** Returns the rule a row of the wrong width breaks, or undefined when its width is right. */
export function widthIssue<Key extends string>(
  fields: readonly string[],
  layout: ResolvedColumns<Key>,
): { column: string; rule: string; value: unknown } | undefined {
  if (fields.length === layout.width) return undefined;
  return {
    column: '(row)',
    rule: `have ${layout.width} fields like the ${layout.widthFrom}`,
    value: fields.length,
  };
}

/** Returns the fields of a header line, without a leading byte order mark or padding. */
export function headerFieldsOf(line: string, delimiter: string): string[] {
  const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  return text.split(delimiter).map((field) => field.trim());
}
