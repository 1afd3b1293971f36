import * as z from 'zod';

// zod schemas of the Binance payloads the adapter reads. Objects are loose: Binance adds fields
// regularly and parsers must ignore what they do not know. Decimals stay strings until parsed.

const dec = z.string();
const long = z.number().int();

/** A `{code, msg}` error body. */
export const errorBodySchema = z.looseObject({ code: z.number().int(), msg: z.string() });

/** `GET /api/v3/time`. */
export const serverTimeSchema = z.looseObject({ serverTime: long });

/** One filter of a symbol; only the fields the adapter reads are named. */
const filterSchema = z.looseObject({
  filterType: z.string(),
  minPrice: dec.optional(),
  maxPrice: dec.optional(),
  tickSize: dec.optional(),
  minQty: dec.optional(),
  maxQty: dec.optional(),
  stepSize: dec.optional(),
  minNotional: dec.optional(),
});

/** One symbol of `GET /api/v3/exchangeInfo`. */
export const symbolInfoSchema = z.looseObject({
  symbol: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  baseAssetPrecision: z.number().int().optional(),
  quoteAssetPrecision: z.number().int().optional(),
  orderTypes: z.array(z.string()).optional(),
  filters: z.array(filterSchema),
});

/** `GET /api/v3/exchangeInfo`. */
export const exchangeInfoSchema = z.looseObject({
  serverTime: long.optional(),
  rateLimits: z
    .array(
      z.looseObject({
        rateLimitType: z.string(),
        interval: z.string(),
        intervalNum: z.number().int(),
        limit: z.number().int(),
      }),
    )
    .optional(),
  symbols: z.array(symbolInfoSchema),
});

/** A fill of a FULL placement reply. */
const placementFillSchema = z.looseObject({
  price: dec,
  qty: dec,
  commission: dec,
  commissionAsset: z.string(),
  tradeId: long,
});

/** An order object: placement (ACK/RESULT/FULL), cancel and query replies share it. */
export const orderObjectSchema = z.looseObject({
  symbol: z.string(),
  orderId: long,
  clientOrderId: z.string(),
  origClientOrderId: z.string().optional(),
  transactTime: long.optional(),
  price: dec.optional(),
  origQty: dec.optional(),
  executedQty: dec.optional(),
  cummulativeQuoteQty: dec.optional(),
  status: z.string().optional(),
  type: z.string().optional(),
  side: z.string().optional(),
  time: long.optional(),
  updateTime: long.optional(),
  fills: z.array(placementFillSchema).optional(),
});

/** An order object as Binance sends it. */
export type OrderObjectWire = z.infer<typeof orderObjectSchema>;

/** One row of `GET /api/v3/myTrades`. */
export const myTradeSchema = z.looseObject({
  symbol: z.string(),
  id: long,
  orderId: long,
  price: dec,
  qty: dec,
  commission: dec,
  commissionAsset: z.string(),
  time: long,
  isBuyer: z.boolean(),
  isMaker: z.boolean(),
});

/** A row of `GET /api/v3/myTrades`. */
export type MyTradeWire = z.infer<typeof myTradeSchema>;

/** `GET /api/v3/account`. */
export const accountSchema = z.looseObject({
  balances: z.array(z.looseObject({ asset: z.string(), free: dec, locked: dec })),
  updateTime: long.optional(),
});

/** `executionReport` of the user data stream. */
export const executionReportSchema = z.looseObject({
  e: z.literal('executionReport'),
  E: long,
  s: z.string(),
  c: z.string(),
  S: z.string(),
  o: z.string(),
  q: dec,
  p: dec,
  C: z.string().nullable().optional(),
  x: z.string(),
  X: z.string(),
  r: z.string().optional(),
  i: long,
  l: dec,
  z: dec,
  L: dec,
  n: dec.nullable().optional(),
  N: z.string().nullable().optional(),
  T: long,
  t: long,
  m: z.boolean().optional(),
  Z: dec.optional(),
});

/** An `executionReport` as Binance sends it. */
export type ExecutionReportWire = z.infer<typeof executionReportSchema>;

/** `outboundAccountPosition` of the user data stream. */
export const accountPositionSchema = z.looseObject({
  e: z.literal('outboundAccountPosition'),
  E: long,
  u: long.optional(),
  B: z.array(z.looseObject({ a: z.string(), f: dec, l: dec })),
});

/** A WebSocket API reply: `result` on success, `error` on failure. */
export const wsApiReplySchema = z.looseObject({
  id: z.union([z.string(), z.number(), z.null()]),
  status: z.number().int(),
  result: z.unknown().optional(),
  error: z
    .looseObject({ code: z.number().int(), msg: z.string(), data: z.unknown().optional() })
    .optional(),
  rateLimits: z
    .array(
      z.looseObject({
        rateLimitType: z.string(),
        interval: z.string(),
        intervalNum: z.number().int(),
        limit: z.number().int(),
        count: z.number().int(),
      }),
    )
    .optional(),
});

/** A WebSocket API reply. */
export type WsApiReplyWire = z.infer<typeof wsApiReplySchema>;
