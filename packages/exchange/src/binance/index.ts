/**
 * The Binance Spot adapter: {@link BinanceExchange} behind the `Exchange` interface, and its
 * parts for direct use (REST client, WebSocket API client, market stream, L2 book sync, signing,
 * the error code table and the payload parsers). Needs the optional peer `ws`.
 *
 * @module
 */

export type {
  BinanceConnectionEvents,
  BinanceExchangeOptions,
  BinanceVenueStatusEvent,
} from './binance-exchange.js';
export { BinanceExchange } from './binance-exchange.js';
export type { DepthDiffResult, DepthSnapshotResult, DepthSyncOptions } from './depth-sync.js';
export { DepthSync } from './depth-sync.js';
export type {
  BinanceErrorKind,
  BinanceErrorRule,
  BinanceFailure,
  BinanceFailureContext,
} from './errors.js';
export { BINANCE_ERROR_CODES, binanceError, classifyBinanceFailure } from './errors.js';
export type { BinanceMarketStreamEvents, BinanceMarketStreamOptions } from './market-stream.js';
export { BinanceMarketStream } from './market-stream.js';
export type { BinanceOcoAck, BinanceOcoLeg, BinanceOcoLegType, BinanceOcoRequest } from './oco.js';
export { parseOcoReply, toOcoParams } from './oco.js';
export type { BinanceOrderExtras } from './order-params.js';
export { toOrderParams } from './order-params.js';
export type { KlineUpdate } from './parse.js';
export {
  executionReportFill,
  executionReportToOrderReport,
  myTradeToFill,
  parseBookTicker,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseKlineEvent,
  parseKlineRow,
  parseRestTrade,
  parseTradeEvent,
  symbolToInstrument,
  toBalance,
  toOrderReport,
  toOrderStatus,
} from './parse.js';
export type {
  BinanceEndpointGroup,
  BinanceRestClientOptions,
  BinanceRestRequest,
  BinanceRestUsage,
} from './rest-client.js';
export { BinanceRestClient } from './rest-client.js';
export type { BinanceCredentials, BinanceParamValue, BinanceSigner } from './signing.js';
export {
  createBinanceSigner,
  encodeRestParams,
  signRestPayload,
  signWsApiParams,
  wsApiSignaturePayload,
} from './signing.js';
export type {
  BinanceWsApiCall,
  BinanceWsApiClientOptions,
  BinanceWsApiEvents,
} from './ws-api-client.js';
export { BinanceWsApiClient } from './ws-api-client.js';
