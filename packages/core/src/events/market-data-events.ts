import * as z from 'zod';
import type { InstrumentId } from '../identifiers.js';
import {
  type Bar,
  type BookDelta,
  type BookSnapshot,
  barSchema,
  bookDeltaSchema,
  bookSnapshotSchema,
  type QuoteTick,
  quoteTickSchema,
  type TradeTick,
  tradeTickSchema,
} from '../market-data.js';
import { parseWith } from '../zod-errors.js';

/** What every market data event carries besides its payload. */
interface MarketDataEventFields {
  /** The instrument the event is about; the same as the payload's. */
  readonly instrumentId: InstrumentId;
  /**
   * When the event happened at the venue, epoch milliseconds: a bar's `closeTimeMs` (a bar is
   * known only once it closes), else the payload's `timeMs`.
   */
  readonly eventTimeMs: number;
  /** When the event reached this process, epoch milliseconds; at or after the venue's time in a backtest. */
  readonly receivedTimeMs: number;
}

/** A bar closed (or was revised: the same open time again). */
export interface BarEvent extends MarketDataEventFields {
  /** Always `bar`. */
  readonly type: 'bar';
  /** The bar. */
  readonly bar: Bar;
}

/** A venue printed a trade. */
export interface TradeTickEvent extends MarketDataEventFields {
  /** Always `trade`. */
  readonly type: 'trade';
  /** The trade. */
  readonly trade: TradeTick;
}

/** The best bid or ask changed. */
export interface QuoteTickEvent extends MarketDataEventFields {
  /** Always `quote`. */
  readonly type: 'quote';
  /** The quote. */
  readonly quote: QuoteTick;
}

/** A venue sent a full L2 book. */
export interface BookSnapshotEvent extends MarketDataEventFields {
  /** Always `bookSnapshot`. */
  readonly type: 'bookSnapshot';
  /** The book. */
  readonly snapshot: BookSnapshot;
}

/** A venue sent a change to an L2 book. */
export interface BookDeltaEvent extends MarketDataEventFields {
  /** Always `bookDelta`. */
  readonly type: 'bookDelta';
  /** The change. */
  readonly delta: BookDelta;
}

/**
 * The one shape of market data across the SDK: what an exchange emits, what the engine takes in
 * and publishes on `market.*`, and what a strategy hears. Narrow it on `type`.
 *
 * @example
 * ```ts
 * import type { MarketDataEvent } from '@qtp/core';
 * function lastPrice(event: MarketDataEvent): number | undefined {
 *   if (event.type === 'bar') return event.bar.close;
 *   if (event.type === 'trade') return event.trade.price;
 *   return undefined;
 * }
 * ```
 */
export type MarketDataEvent =
  | BarEvent
  | TradeTickEvent
  | QuoteTickEvent
  | BookSnapshotEvent
  | BookDeltaEvent;

/** The `type` of a {@link MarketDataEvent}. */
export type MarketDataEventType = MarketDataEvent['type'];

/**
 * Every {@link MarketDataEventType}, in a fixed order.
 * @example
 * ```ts
 * import { MARKET_DATA_EVENT_TYPES } from '@qtp/core';
 * for (const type of MARKET_DATA_EVENT_TYPES) feed.on(type, onEvent);
 * ```
 */
export const MARKET_DATA_EVENT_TYPES: readonly MarketDataEventType[] = Object.freeze([
  'bar',
  'trade',
  'quote',
  'bookSnapshot',
  'bookDelta',
]);

/**
 * Returns a bar event stamped with the bar's `closeTimeMs`. The bar is taken as given (build it
 * with `createBar` or parse untrusted input with {@link parseMarketDataEvent}).
 * @param receivedTimeMs - when the bar reached this process (default its close time)
 * @example
 * ```ts
 * import { createBar, createBarEvent, instrumentId } from '@qtp/core';
 * const event = createBarEvent(createBar({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), interval: '1m',
 *   openTimeMs: 0, closeTimeMs: 59_999, open: 100, high: 101, low: 99, close: 100.5, volume: 3,
 * }));
 * event.eventTimeMs; // 59999
 * ```
 */
export function createBarEvent(bar: Bar, receivedTimeMs: number = bar.closeTimeMs): BarEvent {
  return {
    type: 'bar',
    instrumentId: bar.instrumentId,
    eventTimeMs: bar.closeTimeMs,
    receivedTimeMs,
    bar,
  };
}

/**
 * Returns a trade event stamped with the trade's time.
 * @param receivedTimeMs - when the trade reached this process (default its time)
 * @example
 * ```ts
 * import { createTradeTickEvent, instrumentId } from '@qtp/core';
 * const event = createTradeTickEvent({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   price: 37_000.5, size: 0.01, aggressorSide: 'BUY', tradeId: '1', timeMs: 1_000,
 * });
 * ```
 */
export function createTradeTickEvent(
  trade: TradeTick,
  receivedTimeMs: number = trade.timeMs,
): TradeTickEvent {
  return {
    type: 'trade',
    instrumentId: trade.instrumentId,
    eventTimeMs: trade.timeMs,
    receivedTimeMs,
    trade,
  };
}

/**
 * Returns a quote event stamped with the quote's time.
 * @param receivedTimeMs - when the quote reached this process (default its time)
 * @example
 * ```ts
 * import { createQuoteTickEvent, instrumentId } from '@qtp/core';
 * const event = createQuoteTickEvent({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   bidPrice: 100, bidSize: 1, askPrice: 100.5, askSize: 2, timeMs: 1_000,
 * });
 * ```
 */
export function createQuoteTickEvent(
  quote: QuoteTick,
  receivedTimeMs: number = quote.timeMs,
): QuoteTickEvent {
  return {
    type: 'quote',
    instrumentId: quote.instrumentId,
    eventTimeMs: quote.timeMs,
    receivedTimeMs,
    quote,
  };
}

/**
 * Returns a book snapshot event stamped with the snapshot's time.
 * @param receivedTimeMs - when the snapshot reached this process (default its time)
 * @example
 * ```ts
 * import { createBookSnapshotEvent, instrumentId } from '@qtp/core';
 * const event = createBookSnapshotEvent({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), sequence: 1,
 *   bids: [{ price: 99, size: 1 }], asks: [{ price: 101, size: 1 }], timeMs: 1_000,
 * });
 * ```
 */
export function createBookSnapshotEvent(
  snapshot: BookSnapshot,
  receivedTimeMs: number = snapshot.timeMs,
): BookSnapshotEvent {
  return {
    type: 'bookSnapshot',
    instrumentId: snapshot.instrumentId,
    eventTimeMs: snapshot.timeMs,
    receivedTimeMs,
    snapshot,
  };
}

/**
 * Returns a book delta event stamped with the delta's time.
 * @param receivedTimeMs - when the delta reached this process (default its time)
 * @example
 * ```ts
 * import { createBookDeltaEvent, instrumentId } from '@qtp/core';
 * const event = createBookDeltaEvent({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), firstSequence: 2, lastSequence: 2,
 *   bids: [{ price: 99, size: 0 }], asks: [], timeMs: 1_001,
 * });
 * ```
 */
export function createBookDeltaEvent(
  delta: BookDelta,
  receivedTimeMs: number = delta.timeMs,
): BookDeltaEvent {
  return {
    type: 'bookDelta',
    instrumentId: delta.instrumentId,
    eventTimeMs: delta.timeMs,
    receivedTimeMs,
    delta,
  };
}

/**
 * Returns the payload of a market data event: the bar, trade, quote, snapshot or delta.
 * @example
 * ```ts
 * import { marketDataPayload, type MarketDataEvent } from '@qtp/core';
 * declare const event: MarketDataEvent;
 * marketDataPayload(event).instrumentId;
 * ```
 */
export function marketDataPayload(
  event: MarketDataEvent,
): Bar | TradeTick | QuoteTick | BookSnapshot | BookDelta {
  switch (event.type) {
    case 'bar':
      return event.bar;
    case 'trade':
      return event.trade;
    case 'quote':
      return event.quote;
    case 'bookSnapshot':
      return event.snapshot;
    case 'bookDelta':
      return event.delta;
  }
}

const timeMs = z.int().nonnegative();
const instrumentIdText = z.string();
const fields = { instrumentId: instrumentIdText, eventTimeMs: timeMs, receivedTimeMs: timeMs };

/**
 * Validates a {@link MarketDataEvent}: one of the five shapes with its payload's schema, no
 * unknown keys, and `instrumentId` and `eventTimeMs` agreeing with the payload.
 * @example
 * ```ts
 * import { marketDataEventSchema } from '@qtp/core';
 * marketDataEventSchema.safeParse({ type: 'bar' }).success; // false
 * ```
 */
export const marketDataEventSchema: z.ZodType<MarketDataEvent> = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('bar'), ...fields, bar: barSchema }),
    z.strictObject({ type: z.literal('trade'), ...fields, trade: tradeTickSchema }),
    z.strictObject({ type: z.literal('quote'), ...fields, quote: quoteTickSchema }),
    z.strictObject({ type: z.literal('bookSnapshot'), ...fields, snapshot: bookSnapshotSchema }),
    z.strictObject({ type: z.literal('bookDelta'), ...fields, delta: bookDeltaSchema }),
  ])
  .superRefine((event, context) => {
    const payload = marketDataPayload(event as MarketDataEvent);
    if (event.instrumentId !== payload.instrumentId) {
      context.addIssue({
        code: 'custom',
        path: ['instrumentId'],
        input: event.instrumentId,
        message: `equal the payload's instrument id ${payload.instrumentId}`,
      });
    }
    const expected = 'closeTimeMs' in payload ? payload.closeTimeMs : payload.timeMs;
    if (event.eventTimeMs !== expected) {
      context.addIssue({
        code: 'custom',
        path: ['eventTimeMs'],
        input: event.eventTimeMs,
        message: `equal the payload's time ${expected}`,
      });
    }
  }) as unknown as z.ZodType<MarketDataEvent>;

/**
 * A {@link MarketDataEvent} as plain JSON. Market data is observed, so prices and sizes stay JSON
 * numbers (the double nearest the venue's decimal, see `BookLevel`).
 */
export type MarketDataEventJson = MarketDataEvent;

/**
 * Returns a plain JSON copy of a market data event, ready for `JSON.stringify` or a message
 * broker; {@link parseMarketDataEvent} reads it back.
 * @example
 * ```ts
 * import { createQuoteTickEvent, instrumentId, marketDataEventToJSON } from '@qtp/core';
 * const text = JSON.stringify(marketDataEventToJSON(createQuoteTickEvent({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   bidPrice: 100, bidSize: 1, askPrice: 100.5, askSize: 2, timeMs: 1_000,
 * })));
 * ```
 */
export function marketDataEventToJSON(event: MarketDataEvent): MarketDataEventJson {
  const base = {
    instrumentId: event.instrumentId,
    eventTimeMs: event.eventTimeMs,
    receivedTimeMs: event.receivedTimeMs,
  };
  switch (event.type) {
    case 'bar':
      return { type: 'bar', ...base, bar: { ...event.bar } };
    case 'trade':
      return { type: 'trade', ...base, trade: { ...event.trade } };
    case 'quote':
      return { type: 'quote', ...base, quote: { ...event.quote } };
    case 'bookSnapshot': {
      const { snapshot } = event;
      return {
        type: 'bookSnapshot',
        ...base,
        snapshot: { ...snapshot, bids: copyLevels(snapshot.bids), asks: copyLevels(snapshot.asks) },
      };
    }
    case 'bookDelta': {
      const { delta } = event;
      return {
        type: 'bookDelta',
        ...base,
        delta: { ...delta, bids: copyLevels(delta.bids), asks: copyLevels(delta.asks) },
      };
    }
  }
}

function copyLevels(
  levels: readonly { readonly price: number; readonly size: number }[],
): { price: number; size: number }[] {
  return levels.map((level) => ({ price: level.price, size: level.size }));
}

/**
 * Reads a market data event from plain JSON (as {@link marketDataEventToJSON} writes it, or as it
 * arrives from another process), checking every field.
 * @throws `ValidationError` naming the field and the rule, such as
 *   `bar.high: must be at least max(open, close) 101, was 100`, or an unknown key
 * @example
 * ```ts
 * import { parseMarketDataEvent } from '@qtp/core';
 * const event = parseMarketDataEvent(JSON.parse(text));
 * if (event.type === 'bar') console.log(event.bar.close);
 * ```
 */
export function parseMarketDataEvent(input: unknown): MarketDataEvent {
  return parseWith(marketDataEventSchema, input);
}
