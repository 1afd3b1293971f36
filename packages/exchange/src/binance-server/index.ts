/**
 * A local Binance Spot server for tests and paper trading: REST, market streams and the
 * WebSocket API of the real wire protocol, backed by QTP's matching engine. Needs the optional
 * peer `ws`. Also re-exports the wire protocol (schemas, error codes, signing).
 *
 * @module
 */

// The wire protocol, as its own folder exports it.
export * from '../binance-protocol/index.js';
export type { BinanceServerAccount } from './auth.js';
export type { BinanceServerOptions } from './binance-server.js';
export { BinanceServer } from './binance-server.js';
export type { BinanceServerFaults } from './faults.js';
export type { BinanceServerSymbol } from './market.js';
export type { BinanceServerConnectionOptions } from './market-streams.js';
export type { OrderLogEntry } from './order-log.js';
export type { PriceRangeRule } from './price-range.js';
export type { BinanceServerLimits } from './rate-limits.js';
export type { ReplayOptions, ReplayResult } from './replay.js';
export { replayMarketData } from './replay.js';
