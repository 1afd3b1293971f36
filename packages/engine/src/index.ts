/**
 * The QTP engine: {@link TradingEngine} wires the clock, the event bus, market data, strategies,
 * the order manager, the portfolio and one or more exchanges, and drives them in time order. A
 * backtest, paper trading and live trading differ only in the clock, the data source and the
 * exchanges behind the `Exchange` interface. {@link registerQtpServices} does the optional
 * tsyringe wiring.
 *
 * @module
 */

export type {
  EngineErrorEvent,
  EngineErrorStage,
  EngineEvents,
  EngineOrderRequestEvent,
  EngineOwnEvents,
  EngineRecoveredEvent,
  EngineStartedEvent,
  EngineStoppedEvent,
  MarketDataTopics,
} from './events.js';
export type { ClockDriver } from './clock-driver.js';
export type { MarketDataSource } from './market-data-source.js';
export type { OrderManagerFactory, OrderManagerPort } from './order-manager-port.js';
export type { PortfolioInstrument, PortfolioView } from './portfolio-view.js';
export {
  AccountViewToken,
  MarketDataFeedToken,
  registerQtpServices,
  registerService,
  resolveService,
  TradingEngineToken,
} from './register-services.js';
export type {
  FactoryProvider,
  ServiceContainer,
  ServiceProvider,
  ServiceResolver,
  ValueProvider,
} from './register-services.js';
export type { ExternalOrder, OrphanPolicy, RecoveryOptions, RecoveryReport } from './recovery.js';
export {
  circuitStateToSystemEvent,
  engineErrorToSystemEvent,
  venueHealthToSystemEvent,
} from './system-events.js';
export type { SystemTopics } from './system-events.js';
export { TradingEngine } from './trading-engine.js';
export type { TradingEngineOptions } from './trading-engine.js';
