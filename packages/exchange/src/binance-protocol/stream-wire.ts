import * as z from 'zod';

const dec = z.string();
const long = z.number().int();

/**
 * `<symbol>@trade`.
 * @example
 * ```ts
 * import { tradeEventSchema } from '@qtp/exchange/binance-server';
 * const payload = tradeEventSchema.parse(JSON.parse(text));
 * ```
 */
export const tradeEventSchema = z.object({
  e: z.literal('trade'),
  E: long,
  s: z.string(),
  t: long,
  p: dec,
  q: dec,
  T: long,
  m: z.boolean(),
  M: z.boolean(),
});

/**
 * `<symbol>@aggTrade`.
 * @example
 * ```ts
 * import { aggTradeEventSchema } from '@qtp/exchange/binance-server';
 * const payload = aggTradeEventSchema.parse(JSON.parse(text));
 * ```
 */
export const aggTradeEventSchema = z.object({
  e: z.literal('aggTrade'),
  E: long,
  s: z.string(),
  a: long,
  p: dec,
  q: dec,
  f: long,
  l: long,
  T: long,
  m: z.boolean(),
  M: z.boolean(),
});

/**
 * `<symbol>@kline_<interval>`; `k.x` is true only on the final update of a closed kline.
 * @example
 * ```ts
 * import { klineEventSchema } from '@qtp/exchange/binance-server';
 * const payload = klineEventSchema.parse(JSON.parse(text));
 * ```
 */
export const klineEventSchema = z.object({
  e: z.literal('kline'),
  E: long,
  s: z.string(),
  k: z.object({
    t: long,
    T: long,
    s: z.string(),
    i: z.string(),
    f: long,
    L: long,
    o: dec,
    c: dec,
    h: dec,
    l: dec,
    v: dec,
    n: z.number().int(),
    x: z.boolean(),
    q: dec,
    V: dec,
    Q: dec,
    B: z.string(),
  }),
});

/**
 * `<symbol>@depth` and `<symbol>@depth@100ms`: a diff covering update ids `U`..`u`.
 * @example
 * ```ts
 * import { depthUpdateEventSchema } from '@qtp/exchange/binance-server';
 * const payload = depthUpdateEventSchema.parse(JSON.parse(text));
 * ```
 */
export const depthUpdateEventSchema = z.object({
  e: z.literal('depthUpdate'),
  E: long,
  s: z.string(),
  U: long,
  u: long,
  b: z.array(z.tuple([dec, dec])),
  a: z.array(z.tuple([dec, dec])),
});

/**
 * `<symbol>@depth<5|10|20>`: the top levels, no symbol inside.
 * @example
 * ```ts
 * import { partialDepthEventSchema } from '@qtp/exchange/binance-server';
 * const payload = partialDepthEventSchema.parse(JSON.parse(text));
 * ```
 */
export const partialDepthEventSchema = z.object({
  lastUpdateId: long,
  bids: z.array(z.tuple([dec, dec])),
  asks: z.array(z.tuple([dec, dec])),
});

/**
 * `<symbol>@bookTicker`: no `e`; `u` is on the depth update-id sequence.
 * @example
 * ```ts
 * import { bookTickerEventSchema } from '@qtp/exchange/binance-server';
 * const payload = bookTickerEventSchema.parse(JSON.parse(text));
 * ```
 */
export const bookTickerEventSchema = z.object({
  u: long,
  s: z.string(),
  b: dec,
  B: dec,
  a: dec,
  A: dec,
});

/**
 * `serverShutdown`, pushed before a planned close.
 * @example
 * ```ts
 * import { serverShutdownEventSchema } from '@qtp/exchange/binance-server';
 * const payload = serverShutdownEventSchema.parse(JSON.parse(text));
 * ```
 */
export const serverShutdownEventSchema = z.object({ e: z.literal('serverShutdown'), E: long });

/**
 * The envelope of every message on a combined stream connection.
 * @example
 * ```ts
 * import { combinedStreamSchema } from '@qtp/exchange/binance-server';
 * const payload = combinedStreamSchema.parse(JSON.parse(text));
 * ```
 */
export const combinedStreamSchema = z.object({ stream: z.string(), data: z.unknown() });

/**
 * A reply to SUBSCRIBE, UNSUBSCRIBE or LIST_SUBSCRIPTIONS.
 * @example
 * ```ts
 * import { streamControlReplySchema } from '@qtp/exchange/binance-server';
 * const payload = streamControlReplySchema.parse(JSON.parse(text));
 * ```
 */
export const streamControlReplySchema = z.union([
  z.object({ result: z.union([z.null(), z.array(z.string()), z.boolean()]), id: z.unknown() }),
  z.object({ code: z.number().int(), msg: z.string(), id: z.unknown().optional() }),
]);

/** A trade event. */
export type TradeEventJson = z.infer<typeof tradeEventSchema>;
/** An aggregate trade event. */
export type AggTradeEventJson = z.infer<typeof aggTradeEventSchema>;
/** A kline event. */
export type KlineEventJson = z.infer<typeof klineEventSchema>;
/** A depth diff event. */
export type DepthUpdateEventJson = z.infer<typeof depthUpdateEventSchema>;
/** A partial depth event. */
export type PartialDepthEventJson = z.infer<typeof partialDepthEventSchema>;
/** A book ticker event. */
export type BookTickerEventJson = z.infer<typeof bookTickerEventSchema>;
