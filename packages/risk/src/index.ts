/**
 * QTP risk: {@link RiskEngine}, the pre-trade gate of the order manager with limits per account,
 * strategy and instrument, trading states (`ACTIVE`, `HALT_ENTRIES`, `REDUCE_ONLY`, `FLATTEN`,
 * `HALTED`) published as events, and post-trade limits on drawdown, daily loss and strategy loss.
 *
 * @module
 */

export { FillLedger } from './fill-ledger.js';
export type { LedgerHolding } from './fill-ledger.js';
export { OrderRateWindow } from './order-rate-window.js';
export { calendarDay, PostTradeMonitor } from './post-trade-monitor.js';
export type { PostTradeBreach, PostTradeRule } from './post-trade-monitor.js';
export { LIMIT_NAMES, parseRiskConfig } from './risk-config.js';
export type {
  BreachRule,
  LimitName,
  LimitSet,
  PostTradeLimits,
  RiskConfig,
} from './risk-config.js';
export { FLATTEN_TAG, RiskEngine, strategyOf } from './risk-engine.js';
export type {
  RiskConfigUpdate,
  RiskEngineOptions,
  RiskInputEvents,
  RiskOrderPort,
  RiskWiring,
} from './risk-engine.js';
export { scopeKey, severityOf, TradingStateBook } from './trading-state-book.js';
export type { TradingStateEntry, TradingStateEvents } from './trading-state-book.js';
export { STOP_TAG, StopLossManager } from './stops/stop-loss-manager.js';
export type {
  ProtectedPosition,
  ProtectInput,
  StopEvents,
  StopHitEvent,
  StopLossManagerOptions,
  StopOrderPort,
} from './stops/stop-loss-manager.js';
export type { RangeIndicator, StopAnchor, StopRule, StopRuleKind } from './stops/stop-rules.js';
export { MARGIN_TAG, MarginMonitor } from './margin/margin-monitor.js';
export type {
  MarginCallEvent,
  MarginCallLevels,
  MarginCallStage,
  MarginEvents,
  MarginMonitorOptions,
  MarginPosition,
  MarginRequirement,
  MarginStatus,
} from './margin/margin-monitor.js';
