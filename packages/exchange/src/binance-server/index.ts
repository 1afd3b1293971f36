/**
 * A local Binance Spot server for tests and paper trading: REST, market streams and the
 * WebSocket API of the real wire protocol, backed by QTP's matching engine. Needs the optional
 * peer `ws`. Also re-exports the wire protocol (schemas, error codes, signing).
 *
 * @module
 */

export { BINANCE_DECIMAL_PATTERN, toBinanceDecimal } from '../binance-protocol/decimal-text.js';
export type { BinanceErrorBody, BinanceErrorCode } from '../binance-protocol/error-codes.js';
export {
  BINANCE_ENGINE_MESSAGES,
  BINANCE_ERROR_CODES,
  formatBinanceMessage,
} from '../binance-protocol/error-codes.js';
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
  OrderResultJson,
  QueryOrderJson,
  RateLimitJson,
  RestAggTradeJson,
  RestTradeJson,
} from '../binance-protocol/rest-wire.js';
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
  orderResultSchema,
  priceTickerSchema,
  queryOrderSchema,
  rateLimitSchema,
  restAggTradeSchema,
  restTradeSchema,
  serverTimeSchema,
  symbolFilterSchema,
} from '../binance-protocol/rest-wire.js';
export type { WsApiParamValue } from '../binance-protocol/signing.js';
export {
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromHex,
  encodeRestParams,
  isPercentEncoded,
  signEd25519,
  signHmac,
  verifyEd25519,
  wsApiSignaturePayload,
} from '../binance-protocol/signing.js';
export type {
  AggTradeEventJson,
  BookTickerEventJson,
  DepthUpdateEventJson,
  KlineEventJson,
  PartialDepthEventJson,
  TradeEventJson,
} from '../binance-protocol/stream-wire.js';
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
} from '../binance-protocol/stream-wire.js';
export type {
  BalanceUpdateJson,
  EventStreamTerminatedJson,
  ExecutionReportJson,
  OutboundAccountPositionJson,
  UserDataEventJson,
} from '../binance-protocol/user-data-wire.js';
export {
  balanceUpdateSchema,
  eventStreamTerminatedSchema,
  executionReportSchema,
  outboundAccountPositionSchema,
  userDataEventSchema,
} from '../binance-protocol/user-data-wire.js';
export type {
  WsApiEventFrameJson,
  WsApiRequestJson,
  WsApiResponseJson,
} from '../binance-protocol/ws-api-wire.js';
export {
  wsApiEventFrameSchema,
  wsApiRequestSchema,
  wsApiResponseSchema,
} from '../binance-protocol/ws-api-wire.js';
export type { BinanceServerAccount } from './auth.js';
export type { BinanceServerOptions } from './binance-server.js';
export { BinanceServer } from './binance-server.js';
export type { BinanceServerFaults } from './faults.js';
export type { BinanceServerSymbol } from './market.js';
export type { BinanceServerConnectionOptions } from './market-streams.js';
export type { OrderLogEntry } from './order-log.js';
export type { BinanceServerLimits } from './rate-limits.js';
export type { ReplayOptions, ReplayResult } from './replay.js';
export { replayMarketData } from './replay.js';
