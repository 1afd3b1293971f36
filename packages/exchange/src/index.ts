/**
 * The QTP exchange layer: the {@link Exchange} interface every venue implements (market data,
 * trading, account) and {@link SimulatedExchange}, a conservative matching engine that fills
 * orders from bars, trade ticks or an L2 book with fees, slippage and latency, and says what it
 * assumed. Market data is core's `MarketDataEvent` union.
 *
 * @module
 */

// the Exchange interface and its events
export type {
  AccountEvents,
  AccountView,
  Balance,
  BalanceEvent,
  Exchange,
  FetchTradesOptions,
  MarketDataEvents,
  MarketDataFeed,
  MarketDataSubscription,
} from './exchange.js';
export { isMatchingVenue } from './matching-venue.js';
export type { MatchingVenue } from './matching-venue.js';
export { balanceJsonSchema, balanceToJSON, parseBalance } from './balance-codec.js';
export type { BalanceJson } from './balance-codec.js';

// the simulated venue and its models
export { SimulatedExchange } from './simulated/simulated-exchange.js';
export type {
  ModelAssumption,
  SimulatedExchangeOptions,
  SimulationAssumptions,
} from './simulated/simulated-exchange.js';
export {
  barFillModel,
  bookFillModel,
  describeFillModel,
  intrabarPath,
  tradeFillModel,
} from './simulated/fill-model.js';
export type {
  BarFillModel,
  BarFillModelOptions,
  BookFillModel,
  FillModel,
  IntrabarPath,
  LimitFillRule,
  TakerVolume,
  TradeFillModel,
  TradeFillModelOptions,
} from './simulated/fill-model.js';
export { fixedRateFees, instrumentFees, noFees } from './simulated/fee-model.js';
export type {
  FeeAsset,
  FeeContext,
  FeeModel,
  FixedRateFeesOptions,
  InstrumentFeesOptions,
} from './simulated/fee-model.js';
export { fixedLatency, noLatency, uniformLatency } from './simulated/latency-model.js';
export type {
  FixedLatencyOptions,
  LatencyModel,
  UniformLatencyOptions,
} from './simulated/latency-model.js';
export {
  fixedBpsSlippage,
  noSlippage,
  spreadFractionSlippage,
} from './simulated/slippage-model.js';
export type { SlippageContext, SlippageModel } from './simulated/slippage-model.js';
export {
  almgrenChrissCoefficients,
  almgrenChrissCost,
  calibrateImpact,
  squareRootImpact,
  squareRootSlippage,
} from './simulated/impact-model.js';
export type {
  AlmgrenChrissCoefficients,
  AlmgrenChrissCost,
  ImpactParameters,
} from './simulated/impact-model.js';

// several venues behind one Exchange
export { ExchangeManager } from './manager/exchange-manager.js';
export type {
  ExchangeManagerEvents,
  ExchangeManagerOptions,
  MarketDataFailoverEvent,
  VenueHealthEvent,
} from './manager/exchange-manager.js';
export { VenueHealth } from './manager/venue-health.js';
export type {
  VenueHealthOptions,
  VenueHealthReport,
  VenueHealthStatus,
} from './manager/venue-health.js';
export { MarketDataAggregator } from './manager/market-data-aggregator.js';
export type {
  ConsolidatedQuote,
  MarketDataAggregatorEvents,
  MarketDataAggregatorOptions,
} from './manager/market-data-aggregator.js';
