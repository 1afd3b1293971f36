import {
  type MarketDataEvent,
  marketDataEventToJSON,
  type OrderEvent,
  orderEventToJSON,
  parseMarketDataEvent,
  parseOrderEvent,
  parseTradingStateChangedEvent,
  parseWith,
  type TradingStateChangedEvent,
} from '@qtp/core';
import type * as z from 'zod';

/**
 * Turns values of one message type into JSON values and back. `decode` checks its input and
 * throws a `ValidationError` naming the field when it is not a valid value, so a malformed
 * message is refused at the boundary instead of reaching a handler.
 */
export interface MessageCodec<Value> {
  /** The envelope `type` of the messages this codec carries. */
  readonly type: string;
  /** The schema version it writes; it reads this version only. */
  readonly schemaVersion: number;
  /** Returns the value as a JSON value (decimals as strings). */
  encode(value: Value): unknown;
  /** Checks a JSON value and returns it as a value. */
  decode(json: unknown): Value;
}

/**
 * Returns a codec for plain JSON values checked by a zod schema.
 *
 * @example
 * ```ts
 * import { jsonCodec } from '@qtp/messaging';
 * import * as z from 'zod';
 * const pings = jsonCodec('ping', z.object({ n: z.number() }));
 * pings.decode({ n: 1 });
 * ```
 */
export function jsonCodec<Schema extends z.ZodType>(
  type: string,
  schema: Schema,
  schemaVersion = 1,
): MessageCodec<z.output<Schema>> {
  return {
    type,
    schemaVersion,
    encode: (value) => value,
    decode: (json) => parseWith(schema, json),
  };
}

/**
 * The codec of core's order events (`orderEventToJSON` / `parseOrderEvent`).
 *
 * @example
 * ```ts
 * import { orderEventCodec } from '@qtp/messaging';
 * const json = orderEventCodec.encode(event);
 * ```
 */
export const orderEventCodec: MessageCodec<OrderEvent> = Object.freeze({
  type: 'qtp.order-event',
  schemaVersion: 1,
  encode: (event: OrderEvent) => orderEventToJSON(event),
  decode: (json: unknown) => parseOrderEvent(json),
});

/**
 * The codec of core's market-data events (`marketDataEventToJSON` / `parseMarketDataEvent`).
 *
 * @example
 * ```ts
 * import { marketDataEventCodec } from '@qtp/messaging';
 * const json = marketDataEventCodec.encode(bar);
 * ```
 */
export const marketDataEventCodec: MessageCodec<MarketDataEvent> = Object.freeze({
  type: 'qtp.market-data-event',
  schemaVersion: 1,
  encode: (event: MarketDataEvent) => marketDataEventToJSON(event),
  decode: (json: unknown) => parseMarketDataEvent(json),
});

/**
 * The codec of core's trading-state changes (`parseTradingStateChangedEvent`).
 *
 * @example
 * ```ts
 * import { tradingStateCodec } from '@qtp/messaging';
 * const change = tradingStateCodec.decode(json);
 * ```
 */
export const tradingStateCodec: MessageCodec<TradingStateChangedEvent> = Object.freeze({
  type: 'qtp.trading-state-changed',
  schemaVersion: 1,
  encode: (event: TradingStateChangedEvent) => ({ ...event }),
  decode: (json: unknown) => parseTradingStateChangedEvent(json),
});
