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
export { limitUsage } from './limit-usage.js';
export type { LimitUsage, ScopeFigures } from './limit-usage.js';
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

// VaR and expected shortfall
export { cornishFisherVaR } from './measures/cornish-fisher-var.js';
export {
  historicalExpectedShortfall,
  parametricExpectedShortfall,
} from './measures/expected-shortfall.js';
export { historicalVaR } from './measures/historical-var.js';
export { DEFAULT_MONTE_CARLO_PATHS, monteCarloVaR } from './measures/monte-carlo-var.js';
export type { MonteCarloMethod, MonteCarloVaROptions } from './measures/monte-carlo-var.js';
export { parametricVaR } from './measures/parametric-var.js';
export type { VaROptions } from './measures/var-options.js';
export { alignReturns } from './measures/aligned-returns.js';
export type { AlignedReturns, PriceHistory } from './measures/aligned-returns.js';
export { componentVaR } from './measures/component-var.js';
export type { ComponentVaRResult, VaRContribution } from './measures/component-var.js';
export type { PortfolioVaROptions } from './measures/portfolio-exposures.js';
export {
  portfolioHistoricalVaR,
  portfolioMonteCarloVaR,
  portfolioParametricVaR,
  portfolioReturns,
} from './measures/portfolio-var.js';
export type { PortfolioMonteCarloVaROptions } from './measures/portfolio-var.js';

// Stress tests
export { worstHistoricalWindow } from './stress/historical-window.js';
export type { HistoricalWindow } from './stress/historical-window.js';
export {
  STRESS_LOSS_CODE,
  STRESS_UNPRICED_CODE,
  StressLossLimit,
} from './stress/stress-loss-limit.js';
export type { StressLossLimitOptions } from './stress/stress-loss-limit.js';
export type { StressPosition } from './stress/stress-position.js';
export { parseStressScenario, stressScenarioSchema } from './stress/stress-scenario.js';
export type {
  HistoricalScenario,
  ShockFigures,
  ShockScenario,
  StressScenario,
  StressShock,
} from './stress/stress-scenario.js';
export { runStressTest } from './stress/stress-test.js';
export type {
  StressPositionResult,
  StressReport,
  StressTestOptions,
} from './stress/stress-test.js';
