/**
 * The QTP dashboard: {@link mountDashboard} serves a live web dashboard of a running
 * `TradingEngine` (backtest replay, paper or live) on a loopback port: equity and drawdown,
 * positions, open orders, fills, strategies, risk states and refusals, venue health and the event
 * log, with controls behind a bearer token, Prometheus `/metrics` and `/health`.
 *
 * @module
 */

export type { AppAsset } from './app-assets.js';
export { loadAppAssets } from './app-assets.js';
export { BearerToken, MIN_TOKEN_LENGTH } from './bearer-token.js';
export { BoundedList } from './bounded-list.js';
export type {
  DashboardControlAction,
  DashboardControlEvent,
  DashboardEvents,
  StrategyControl,
} from './control-actions.js';
export type {
  RiskLimitUsage,
  TradingStateChange,
  TradingStateControl,
  TradingStateEntry,
  VenueStatus,
} from './control-ports.js';
export type { DashboardOptions, MountedDashboard } from './mount-dashboard.js';
export { mountDashboard } from './mount-dashboard.js';
export type { RiskEngineLike } from './risk-engine-control.js';
export { riskEngineControl } from './risk-engine-control.js';
export { summarize } from './summarize.js';
export type {
  DashboardSnapshot,
  DashboardViewName,
  EquityView,
  FillRow,
  FillsView,
  LogRow,
  LogView,
  OrderRow,
  OrdersView,
  PositionRow,
  PositionsView,
  RefusalRow,
  RiskView,
  StrategiesView,
  StrategyRow,
  TradingStateRow,
  VenuesView,
} from './views.js';
export { DASHBOARD_VIEWS, equityView } from './views.js';
