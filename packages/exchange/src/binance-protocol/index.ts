/**
 * The Binance Spot wire protocol as both the local server and the adapter speak it: zod schemas
 * of the payloads, the error code table, signing and decimal formatting.
 *
 * @module
 */

export { BINANCE_DECIMAL_PATTERN, toBinanceDecimal } from './decimal-text.js';
export type { BinanceErrorBody, BinanceErrorCode } from './error-codes.js';
export {
  BINANCE_ENGINE_MESSAGES,
  BINANCE_ERROR_CODES,
  formatBinanceMessage,
} from './error-codes.js';
export type {
  AccountJson,
  BinanceErrorJson,
  DepthSnapshotJson,
  ExchangeInfoJson,
  ExchangeSymbolJson,
  KlineRowJson,
  MyTradeJson,
  OrderAckJson,
  OrderFillJson,
  OrderListJson,
  OrderResultJson,
  QueryOrderJson,
  RateLimitJson,
  RestAggTradeJson,
  RestTradeJson,
} from './rest-wire.js';
export {
  accountSchema,
  avgPriceSchema,
  binanceErrorSchema,
  bookTickerSchema,
  depthLevelSchema,
  depthSnapshotSchema,
  exchangeInfoSchema,
  exchangeSymbolSchema,
  klineRowSchema,
  myTradeSchema,
  orderAckSchema,
  orderFillSchema,
  orderListSchema,
  orderResultSchema,
  priceTickerSchema,
  queryOrderSchema,
  rateLimitSchema,
  restAggTradeSchema,
  restTradeSchema,
  serverTimeSchema,
  symbolFilterSchema,
} from './rest-wire.js';
export type { WsApiParamValue } from './signing.js';
export {
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromHex,
  encodeRestParams,
  isPercentEncoded,
  signEd25519,
  signHmac,
  verifyEd25519,
  wsApiSignaturePayload,
} from './signing.js';
export type {
  AggTradeEventJson,
  BookTickerEventJson,
  DepthUpdateEventJson,
  KlineEventJson,
  PartialDepthEventJson,
  TradeEventJson,
} from './stream-wire.js';
export {
  aggTradeEventSchema,
  bookTickerEventSchema,
  combinedStreamSchema,
  depthUpdateEventSchema,
  klineEventSchema,
  partialDepthEventSchema,
  serverShutdownEventSchema,
  streamControlReplySchema,
  tradeEventSchema,
} from './stream-wire.js';
export type {
  BalanceUpdateJson,
  EventStreamTerminatedJson,
  ExecutionReportJson,
  ListStatusJson,
  OutboundAccountPositionJson,
  UserDataEventJson,
} from './user-data-wire.js';
export {
  balanceUpdateSchema,
  eventStreamTerminatedSchema,
  executionReportSchema,
  listStatusSchema,
  outboundAccountPositionSchema,
  userDataEventSchema,
} from './user-data-wire.js';
export type { WsApiEventFrameJson, WsApiRequestJson, WsApiResponseJson } from './ws-api-wire.js';
export { wsApiEventFrameSchema, wsApiRequestSchema, wsApiResponseSchema } from './ws-api-wire.js';
