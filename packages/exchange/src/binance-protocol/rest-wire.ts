import * as z from 'zod';

// Binance sends every decimal as a string; ids and times as numbers.
const dec = z.string();
const long = z.number().int();

/**
 * A Binance error body, `{"code":-1013,"msg":"Filter failure: LOT_SIZE"}`.
 * @example
 * ```ts
 * import { binanceErrorSchema } from '@qtp/exchange/binance-server';
 * binanceErrorSchema.parse({ code: -2013, msg: 'Order does not exist.' });
 * ```
 */
export const binanceErrorSchema = z.object({ code: z.number().int(), msg: z.string() });

/** `GET /api/v3/time`. @example `serverTimeSchema.parse({ serverTime: 1700000000123 })` */
export const serverTimeSchema = z.object({ serverTime: long });

/**
 * One rate limit of `exchangeInfo`; `count` is present in WebSocket API `rateLimits` arrays.
 * @example
 * ```ts
 * import { rateLimitSchema } from '@qtp/exchange/binance-server';
 * const payload = rateLimitSchema.parse(JSON.parse(text));
 * ```
 */
export const rateLimitSchema = z.object({
  rateLimitType: z.string(),
  interval: z.string(),
  intervalNum: z.number().int(),
  limit: z.number().int(),
  count: z.number().int().optional(),
});

/**
 * One symbol filter of `exchangeInfo`: its `filterType` and the fields of that type.
 * @example
 * ```ts
 * import { symbolFilterSchema } from '@qtp/exchange/binance-server';
 * const payload = symbolFilterSchema.parse(JSON.parse(text));
 * ```
 */
export const symbolFilterSchema = z.looseObject({ filterType: z.string() });

/**
 * One symbol of `GET /api/v3/exchangeInfo`.
 * @example
 * ```ts
 * import { exchangeSymbolSchema } from '@qtp/exchange/binance-server';
 * const payload = exchangeSymbolSchema.parse(JSON.parse(text));
 * ```
 */
export const exchangeSymbolSchema = z.looseObject({
  symbol: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  baseAssetPrecision: z.number().int(),
  quoteAsset: z.string(),
  quotePrecision: z.number().int(),
  quoteAssetPrecision: z.number().int(),
  orderTypes: z.array(z.string()),
  icebergAllowed: z.boolean(),
  ocoAllowed: z.boolean(),
  quoteOrderQtyMarketAllowed: z.boolean(),
  allowTrailingStop: z.boolean(),
  cancelReplaceAllowed: z.boolean(),
  isSpotTradingAllowed: z.boolean(),
  filters: z.array(symbolFilterSchema),
  permissions: z.array(z.string()),
  permissionSets: z.array(z.array(z.string())),
  defaultSelfTradePreventionMode: z.string(),
  allowedSelfTradePreventionModes: z.array(z.string()),
});

/**
 * `GET /api/v3/exchangeInfo`.
 * @example
 * ```ts
 * import { exchangeInfoSchema } from '@qtp/exchange/binance-server';
 * const payload = exchangeInfoSchema.parse(JSON.parse(text));
 * ```
 */
export const exchangeInfoSchema = z.looseObject({
  timezone: z.string(),
  serverTime: long,
  rateLimits: z.array(rateLimitSchema),
  exchangeFilters: z.array(symbolFilterSchema),
  symbols: z.array(exchangeSymbolSchema),
});

/**
 * One `[price, quantity]` level of a depth snapshot or diff.
 * @example
 * ```ts
 * import { depthLevelSchema } from '@qtp/exchange/binance-server';
 * const payload = depthLevelSchema.parse(JSON.parse(text));
 * ```
 */
export const depthLevelSchema = z.tuple([dec, dec]);

/**
 * `GET /api/v3/depth`: bids descending, asks ascending, tied to the diff stream by `lastUpdateId`.
 * @example
 * ```ts
 * import { depthSnapshotSchema } from '@qtp/exchange/binance-server';
 * const payload = depthSnapshotSchema.parse(JSON.parse(text));
 * ```
 */
export const depthSnapshotSchema = z.object({
  lastUpdateId: long,
  bids: z.array(depthLevelSchema),
  asks: z.array(depthLevelSchema),
});

/**
 * One element of `GET /api/v3/trades` and `historicalTrades`.
 * @example
 * ```ts
 * import { restTradeSchema } from '@qtp/exchange/binance-server';
 * const payload = restTradeSchema.parse(JSON.parse(text));
 * ```
 */
export const restTradeSchema = z.object({
  id: long,
  price: dec,
  qty: dec,
  quoteQty: dec,
  time: long,
  isBuyerMaker: z.boolean(),
  isBestMatch: z.boolean(),
});

/**
 * One element of `GET /api/v3/aggTrades` (short keys).
 * @example
 * ```ts
 * import { restAggTradeSchema } from '@qtp/exchange/binance-server';
 * const payload = restAggTradeSchema.parse(JSON.parse(text));
 * ```
 */
export const restAggTradeSchema = z.object({
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
 * One 12-element row of `GET /api/v3/klines`.
 * @example
 * ```ts
 * import { klineRowSchema } from '@qtp/exchange/binance-server';
 * const payload = klineRowSchema.parse(JSON.parse(text));
 * ```
 */
export const klineRowSchema = z.tuple([
  long,
  dec,
  dec,
  dec,
  dec,
  dec,
  long,
  dec,
  z.number().int(),
  dec,
  dec,
  z.string(),
]);

/**
 * One fill of a FULL order response.
 * @example
 * ```ts
 * import { orderFillSchema } from '@qtp/exchange/binance-server';
 * const payload = orderFillSchema.parse(JSON.parse(text));
 * ```
 */
export const orderFillSchema = z.object({
  price: dec,
  qty: dec,
  commission: dec,
  commissionAsset: z.string(),
  tradeId: long,
});

/**
 * An ACK order response; RESULT and FULL add fields (see {@link orderResultSchema}).
 * @example
 * ```ts
 * import { orderAckSchema } from '@qtp/exchange/binance-server';
 * const payload = orderAckSchema.parse(JSON.parse(text));
 * ```
 */
export const orderAckSchema = z.looseObject({
  symbol: z.string(),
  orderId: long,
  orderListId: long,
  clientOrderId: z.string(),
  transactTime: long,
});

/**
 * A RESULT or FULL order response (FULL carries `fills`), and the cancel response shape.
 * @example
 * ```ts
 * import { orderResultSchema } from '@qtp/exchange/binance-server';
 * const payload = orderResultSchema.parse(JSON.parse(text));
 * ```
 */
export const orderResultSchema = orderAckSchema.extend({
  price: dec,
  origQty: dec,
  executedQty: dec,
  origQuoteOrderQty: dec,
  cummulativeQuoteQty: dec,
  status: z.string(),
  timeInForce: z.string(),
  type: z.string(),
  side: z.string(),
  workingTime: long.optional(),
  selfTradePreventionMode: z.string(),
  stopPrice: dec.optional(),
  icebergQty: dec.optional(),
  trailingDelta: long.optional(),
  trailingTime: long.optional(),
  origClientOrderId: z.string().optional(),
  expiryReason: z.string().optional(),
  fills: z.array(orderFillSchema).optional(),
});

/**
 * `GET /api/v3/order`, and each element of `openOrders` and `allOrders`.
 * @example
 * ```ts
 * import { queryOrderSchema } from '@qtp/exchange/binance-server';
 * const payload = queryOrderSchema.parse(JSON.parse(text));
 * ```
 */
export const queryOrderSchema = z.looseObject({
  symbol: z.string(),
  orderId: long,
  orderListId: long,
  clientOrderId: z.string(),
  price: dec,
  origQty: dec,
  executedQty: dec,
  cummulativeQuoteQty: dec,
  status: z.string(),
  timeInForce: z.string(),
  type: z.string(),
  side: z.string(),
  stopPrice: dec,
  icebergQty: dec,
  time: long,
  updateTime: long,
  isWorking: z.boolean(),
  workingTime: long,
  origQuoteOrderQty: dec,
  selfTradePreventionMode: z.string(),
  trailingDelta: long.optional(),
  trailingTime: long.optional(),
  expiryReason: z.string().optional(),
});

/**
 * An order list (OCO): `GET /api/v3/orderList`, `openOrderList`, `allOrderList`, and with
 * `orderReports` (its legs, shaped by `newOrderRespType` or as cancels) the placement and cancel
 * responses. Lists say `transactionTime` where orders say `transactTime`.
 * @example
 * ```ts
 * import { orderListSchema } from '@qtp/exchange/binance-server';
 * const payload = orderListSchema.parse(JSON.parse(text));
 * ```
 */
export const orderListSchema = z.looseObject({
  orderListId: long,
  contingencyType: z.string(),
  listStatusType: z.string(),
  listOrderStatus: z.string(),
  listClientOrderId: z.string(),
  transactionTime: long,
  symbol: z.string(),
  orders: z.array(z.object({ symbol: z.string(), orderId: long, clientOrderId: z.string() })),
  orderReports: z.array(z.union([orderResultSchema, orderAckSchema])).optional(),
});

/**
 * One element of `GET /api/v3/myTrades`.
 * @example
 * ```ts
 * import { myTradeSchema } from '@qtp/exchange/binance-server';
 * const payload = myTradeSchema.parse(JSON.parse(text));
 * ```
 */
export const myTradeSchema = z.object({
  symbol: z.string(),
  id: long,
  orderId: long,
  orderListId: long,
  price: dec,
  qty: dec,
  quoteQty: dec,
  commission: dec,
  commissionAsset: z.string(),
  time: long,
  isBuyer: z.boolean(),
  isMaker: z.boolean(),
  isBestMatch: z.boolean(),
});

/**
 * `GET /api/v3/account`.
 * @example
 * ```ts
 * import { accountSchema } from '@qtp/exchange/binance-server';
 * const payload = accountSchema.parse(JSON.parse(text));
 * ```
 */
export const accountSchema = z.looseObject({
  makerCommission: z.number(),
  takerCommission: z.number(),
  canTrade: z.boolean(),
  updateTime: long,
  accountType: z.string(),
  balances: z.array(z.object({ asset: z.string(), free: dec, locked: dec })),
  permissions: z.array(z.string()),
});

/**
 * `GET /api/v3/ticker/bookTicker` for one symbol.
 * @example
 * ```ts
 * import { bookTickerSchema } from '@qtp/exchange/binance-server';
 * const payload = bookTickerSchema.parse(JSON.parse(text));
 * ```
 */
export const bookTickerSchema = z.object({
  symbol: z.string(),
  bidPrice: dec,
  bidQty: dec,
  askPrice: dec,
  askQty: dec,
});

/**
 * `GET /api/v3/ticker/price` for one symbol.
 * @example
 * ```ts
 * import { priceTickerSchema } from '@qtp/exchange/binance-server';
 * const payload = priceTickerSchema.parse(JSON.parse(text));
 * ```
 */
export const priceTickerSchema = z.object({ symbol: z.string(), price: dec });

/**
 * `GET /api/v3/avgPrice`.
 * @example
 * ```ts
 * import { avgPriceSchema } from '@qtp/exchange/binance-server';
 * const payload = avgPriceSchema.parse(JSON.parse(text));
 * ```
 */
export const avgPriceSchema = z.object({ mins: z.number().int(), price: dec, closeTime: long });

/** Binance error body. */
export type BinanceErrorJson = z.infer<typeof binanceErrorSchema>;
/** `GET /api/v3/exchangeInfo`. */
export type ExchangeInfoJson = z.infer<typeof exchangeInfoSchema>;
/** One symbol of `exchangeInfo`. */
export type ExchangeSymbolJson = z.infer<typeof exchangeSymbolSchema>;
/** One rate limit. */
export type RateLimitJson = z.infer<typeof rateLimitSchema>;
/** A depth snapshot. */
export type DepthSnapshotJson = z.infer<typeof depthSnapshotSchema>;
/** A REST trade. */
export type RestTradeJson = z.infer<typeof restTradeSchema>;
/** A REST aggregate trade. */
export type RestAggTradeJson = z.infer<typeof restAggTradeSchema>;
/** A kline row. */
export type KlineRowJson = z.infer<typeof klineRowSchema>;
/** One fill of a FULL response. */
export type OrderFillJson = z.infer<typeof orderFillSchema>;
/** An ACK response. */
export type OrderAckJson = z.infer<typeof orderAckSchema>;
/** A RESULT/FULL/cancel response. */
export type OrderResultJson = z.infer<typeof orderResultSchema>;
/** A queried order. */
export type QueryOrderJson = z.infer<typeof queryOrderSchema>;
/** An order list, with its leg reports in placement and cancel responses. */
export type OrderListJson = z.infer<typeof orderListSchema>;
/** An account trade. */
export type MyTradeJson = z.infer<typeof myTradeSchema>;
/** The account. */
export type AccountJson = z.infer<typeof accountSchema>;
