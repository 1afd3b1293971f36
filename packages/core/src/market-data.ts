import * as z from 'zod';
import { ValidationError } from './errors.js';
import { type InstrumentId, parseInstrumentId } from './identifiers.js';
import { parseWith } from './zod-errors.js';

/** The unit letter of a {@link BarInterval}: seconds, minutes, hours, days or weeks. */
export type BarIntervalUnit = 's' | 'm' | 'h' | 'd' | 'w';

/**
 * The length of a bar, written as a positive integer and a unit: `'1s'`, `'1m'`, `'5m'`, `'4h'`,
 * `'1d'`, `'1w'`. Calendar months are not intervals here: their length varies, so no fixed
 * number of milliseconds describes them.
 */
export type BarInterval = `${number}${BarIntervalUnit}`;

const BAR_INTERVAL = /^([1-9]\d{0,5})([smhdw])$/;
const UNIT_MS: Readonly<Record<BarIntervalUnit, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Returns true when `value` is a well-formed {@link BarInterval} such as `'5m'`. */
export function isBarInterval(value: unknown): value is BarInterval {
  return typeof value === 'string' && BAR_INTERVAL.test(value);
}

/**
 * Returns the length of a bar interval in milliseconds.
 * @throws {@link ValidationError} naming `interval` when the text is not a bar interval
 * @example
 * ```ts
 * import { barIntervalToMs } from '@qtp/core';
 * barIntervalToMs('5m'); // 300000
 * barIntervalToMs('1d'); // 86400000
 * ```
 */
export function barIntervalToMs(interval: BarInterval): number {
  const match = typeof interval === 'string' ? BAR_INTERVAL.exec(interval) : null;
  if (match === null) {
    throw new ValidationError('interval', INTERVAL_RULE, interval);
  }
  return Number(match[1]) * UNIT_MS[match[2] as BarIntervalUnit];
}

/** The side of the taker in a trade: `'BUY'` lifted an ask, `'SELL'` hit a bid. */
export type AggressorSide = 'BUY' | 'SELL';

/**
 * One OHLCV bar (a candle) of an instrument. Prices and volume are observed numbers:
 * `new Decimal(String(bar.close))` recovers the exact decimal the exchange sent (see
 * {@link BookLevel}).
 */
export interface Bar {
  /** The instrument the bar describes. */
  readonly instrumentId: InstrumentId;
  /** The bar's length, such as `'1m'`. */
  readonly interval: BarInterval;
  /** The time the bar opened, epoch milliseconds. */
  readonly openTimeMs: number;
  /** The time the bar closed, epoch milliseconds; later than `openTimeMs`. */
  readonly closeTimeMs: number;
  /** The first traded price. */
  readonly open: number;
  /** The highest traded price; at least `max(open, close)`. */
  readonly high: number;
  /** The lowest traded price; at most `min(open, close)`. */
  readonly low: number;
  /** The last traded price. */
  readonly close: number;
  /** The traded quantity in base units; zero or more. */
  readonly volume: number;
}

/**
 * One trade printed by a venue. Price and size are observed numbers: the double nearest to the
 * exchange's decimal string, from which `new Decimal(String(trade.price))` recovers that decimal
 * exactly (see {@link BookLevel}).
 */
export interface TradeTick {
  /** The instrument that traded. */
  readonly instrumentId: InstrumentId;
  /** The trade price; greater than 0. */
  readonly price: number;
  /** The traded quantity in base units; greater than 0. */
  readonly size: number;
  /** The side of the taker. */
  readonly aggressorSide: AggressorSide;
  /** The venue's id of the trade, as text. */
  readonly tradeId: string;
  /** The trade time, epoch milliseconds. */
  readonly timeMs: number;
}

/** The best bid and ask of an instrument at one moment. Prices and sizes are observed numbers. */
export interface QuoteTick {
  /** The quoted instrument. */
  readonly instrumentId: InstrumentId;
  /** The best bid price; greater than 0. */
  readonly bidPrice: number;
  /** The quantity at the best bid; zero or more. */
  readonly bidSize: number;
  /** The best ask price; greater than 0. */
  readonly askPrice: number;
  /** The quantity at the best ask; zero or more. */
  readonly askSize: number;
  /** The quote time, epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * One price level of an L2 book: a price and the total quantity resting at it.
 *
 * Market data is observed, not booked, so prices and sizes here (as in every market data type)
 * are `number`, never `Decimal`. An exchange string such as `"0.00141342"` parses to the nearest
 * double, and `String(n)` prints the shortest decimal that reads back as that double: the same
 * decimal value as the exchange sent, for any value of up to 15 significant digits (trailing
 * zeros dropped). Booking code recovers the exact decimal with `new Decimal(String(price))`.
 */
export interface BookLevel {
  /** The level's price; greater than 0. */
  readonly price: number;
  /** The total quantity at the price, in base units. */
  readonly size: number;
}

/**
 * A full L2 book at one update id, as Binance's `GET /api/v3/depth` returns it. Bids are listed
 * best first (strictly descending prices), asks best first (strictly ascending prices), and every
 * size is greater than 0.
 */
export interface BookSnapshot {
  /** The instrument of the book. */
  readonly instrumentId: InstrumentId;
  /** The id of the last update the snapshot includes (Binance's `lastUpdateId`). */
  readonly sequence: number;
  /** Bid levels, highest price first. */
  readonly bids: readonly BookLevel[];
  /** Ask levels, lowest price first. */
  readonly asks: readonly BookLevel[];
  /** The snapshot time, epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * A change to an L2 book covering the update ids `firstSequence..lastSequence` (Binance's `U` and
 * `u` of a diff depth event). Each listed level carries the new absolute size at its price; a
 * size of 0 removes the level, and removing an absent level is normal.
 */
export interface BookDelta {
  /** The instrument of the book. */
  readonly instrumentId: InstrumentId;
  /** The first update id the delta covers (Binance's `U`). */
  readonly firstSequence: number;
  /** The last update id the delta covers (Binance's `u`); at least `firstSequence`. */
  readonly lastSequence: number;
  /** Changed bid levels, in the order to apply them. */
  readonly bids: readonly BookLevel[];
  /** Changed ask levels, in the order to apply them. */
  readonly asks: readonly BookLevel[];
  /** The time of the change, epoch milliseconds. */
  readonly timeMs: number;
}

// The schemas refuse unknown keys: a payload with a misspelt field is an error, not a silent drop.
const INTERVAL_RULE = 'be a positive whole number and a unit s, m, h, d or w, such as 1m or 4h';

function isInstrumentIdText(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseInstrumentId(value);
    return true;
  } catch {
    return false;
  }
}

const instrumentIdField = z.custom<InstrumentId>(isInstrumentIdText, {
  error: 'be an instrument id written SYMBOL.VENUE',
});
// zod 4's number() already refuses NaN and infinities; int() also refuses unsafe integers.
const price = z.number().positive();
const positiveSize = z.number().positive();
const nonNegativeSize = z.number().nonnegative();
const timeMs = z.int().nonnegative();
const sequence = z.int().nonnegative();

/** Validates a {@link Bar}: finite positive prices, `high >= max(open, close)`, `low <= min(open, close)`, volume of 0 or more, `closeTimeMs > openTimeMs`. */
export const barSchema: z.ZodType<Bar> = z
  .strictObject({
    instrumentId: instrumentIdField,
    interval: z.custom<BarInterval>(isBarInterval, { error: INTERVAL_RULE }),
    openTimeMs: timeMs,
    closeTimeMs: timeMs,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: nonNegativeSize,
  })
  .superRefine((bar, context) => {
    const top = Math.max(bar.open, bar.close);
    const bottom = Math.min(bar.open, bar.close);
    if (bar.high < top) {
      context.addIssue({
        code: 'custom',
        path: ['high'],
        input: bar.high,
        message: `be at least max(open, close) ${top}`,
      });
    }
    if (bar.low > bottom) {
      context.addIssue({
        code: 'custom',
        path: ['low'],
        input: bar.low,
        message: `be at most min(open, close) ${bottom}`,
      });
    }
    if (bar.closeTimeMs <= bar.openTimeMs) {
      context.addIssue({
        code: 'custom',
        path: ['closeTimeMs'],
        input: bar.closeTimeMs,
        message: `be later than openTimeMs ${bar.openTimeMs}`,
      });
    }
  });

/** Validates a {@link TradeTick}: positive finite price and size, a known side, a non-empty trade id. */
export const tradeTickSchema: z.ZodType<TradeTick> = z.strictObject({
  instrumentId: instrumentIdField,
  price,
  size: positiveSize,
  aggressorSide: z.enum(['BUY', 'SELL']),
  tradeId: z.string().min(1),
  timeMs,
});

/** Validates a {@link QuoteTick}: positive finite prices and sizes of 0 or more. */
export const quoteTickSchema: z.ZodType<QuoteTick> = z.strictObject({
  instrumentId: instrumentIdField,
  bidPrice: price,
  bidSize: nonNegativeSize,
  askPrice: price,
  askSize: nonNegativeSize,
  timeMs,
});

const restingLevel = z.strictObject({ price, size: positiveSize });
const changedLevel = z.strictObject({ price, size: nonNegativeSize });

/** Validates a {@link BookLevel} resting in a book: positive finite price and size. */
export const bookLevelSchema: z.ZodType<BookLevel> = restingLevel;

function checkOrder(
  side: 'bids' | 'asks',
  list: readonly BookLevel[],
  context: z.RefinementCtx,
): void {
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1]!.price;
    const current = list[i]!.price;
    const ordered = side === 'bids' ? current < previous : current > previous;
    if (!ordered) {
      context.addIssue({
        code: 'custom',
        path: [side, i, 'price'],
        input: current,
        message:
          side === 'bids'
            ? `be below the previous bid ${previous} (bids are listed highest first, each price once)`
            : `be above the previous ask ${previous} (asks are listed lowest first, each price once)`,
      });
      return;
    }
  }
}

/** Validates a {@link BookSnapshot}: bids strictly descending, asks strictly ascending, sizes greater than 0. */
export const bookSnapshotSchema: z.ZodType<BookSnapshot> = z
  .strictObject({
    instrumentId: instrumentIdField,
    sequence,
    bids: z.array(restingLevel),
    asks: z.array(restingLevel),
    timeMs,
  })
  .superRefine((snapshot, context) => {
    checkOrder('bids', snapshot.bids, context);
    checkOrder('asks', snapshot.asks, context);
  });

/** Validates a {@link BookDelta}: `firstSequence <= lastSequence`, positive prices, sizes of 0 or more. */
export const bookDeltaSchema: z.ZodType<BookDelta> = z
  .strictObject({
    instrumentId: instrumentIdField,
    firstSequence: sequence,
    lastSequence: sequence,
    bids: z.array(changedLevel),
    asks: z.array(changedLevel),
    timeMs,
  })
  .superRefine((delta, context) => {
    if (delta.lastSequence < delta.firstSequence) {
      context.addIssue({
        code: 'custom',
        path: ['lastSequence'],
        input: delta.lastSequence,
        message: `be at least firstSequence ${delta.firstSequence}`,
      });
    }
  });

/**
 * Returns a validated copy of `bar`.
 * @throws {@link ValidationError} naming the field and the rule, for example
 *   `high: must be at least max(open, close) 101, was 100`
 * @example
 * ```ts
 * import { createBar, instrumentId } from '@qtp/core';
 * const bar = createBar({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   interval: '1m',
 *   openTimeMs: 1_700_000_000_000,
 *   closeTimeMs: 1_700_000_059_999,
 *   open: 37_000.5, high: 37_010, low: 36_990.25, close: 37_005, volume: 12.5,
 * });
 * ```
 */
export function createBar(bar: Bar): Bar {
  return parseWith(barSchema, bar);
}

/**
 * Returns a validated copy of `trade`.
 * @throws {@link ValidationError} naming the field and the rule
 * @example
 * ```ts
 * import { createTradeTick, instrumentId } from '@qtp/core';
 * const trade = createTradeTick({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   price: 37_000.5, size: 0.01, aggressorSide: 'BUY', tradeId: '12345', timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export function createTradeTick(trade: TradeTick): TradeTick {
  return parseWith(tradeTickSchema, trade);
}

/**
 * Returns a validated copy of `quote`.
 * @throws {@link ValidationError} naming the field and the rule
 * @example
 * ```ts
 * import { createQuoteTick, instrumentId } from '@qtp/core';
 * const quote = createQuoteTick({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   bidPrice: 37_000, bidSize: 1.5, askPrice: 37_000.01, askSize: 0.2, timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export function createQuoteTick(quote: QuoteTick): QuoteTick {
  return parseWith(quoteTickSchema, quote);
}

/**
 * Returns a validated copy of `snapshot`.
 * @throws {@link ValidationError} naming the field and the rule, for example
 *   `bids[1].price: must be below the previous bid 100 ...`
 * @example
 * ```ts
 * import { createBookSnapshot, instrumentId } from '@qtp/core';
 * const snapshot = createBookSnapshot({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   sequence: 100,
 *   bids: [{ price: 99.5, size: 2 }, { price: 99, size: 1 }],
 *   asks: [{ price: 100, size: 1.5 }],
 *   timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export function createBookSnapshot(snapshot: BookSnapshot): BookSnapshot {
  return parseWith(bookSnapshotSchema, snapshot);
}

/**
 * Returns a validated copy of `delta`.
 * @throws {@link ValidationError} naming the field and the rule
 * @example
 * ```ts
 * import { createBookDelta, instrumentId } from '@qtp/core';
 * const delta = createBookDelta({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   firstSequence: 101,
 *   lastSequence: 103,
 *   bids: [{ price: 99.5, size: 0 }], // size 0 removes the level
 *   asks: [{ price: 100, size: 3 }],
 *   timeMs: 1_700_000_000_100,
 * });
 * ```
 */
export function createBookDelta(delta: BookDelta): BookDelta {
  return parseWith(bookDeltaSchema, delta);
}
