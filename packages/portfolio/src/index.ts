/**
 * QTP portfolio. Accounting: fills booked exactly into per-venue cash accounts and FIFO
 * positions, realized and unrealized P&L, fees, aggregation across venues, snapshots and an
 * equity curve. Performance analytics on plain numbers: returns, CAGR, volatility, Sharpe,
 * Sortino and Calmar ratios, drawdowns, period tables and trade statistics, from an equity curve
 * or a return series and the closed trades behind it.
 *
 * @module
 */

// accounting
export type {
  AccountOptions,
  AccountType,
  Balance,
  InstrumentAssets,
} from './accounting/account.js';
export { Account, fillBalanceChanges } from './accounting/account.js';
export type {
  FillBookedEvent,
  FillBooking,
  PortfolioEvents,
  TransferEvent,
} from './accounting/events.js';
export type { PortfolioOptions } from './accounting/portfolio.js';
export { Portfolio } from './accounting/portfolio.js';
export type { ClosedLot, OpenLot, PositionChange, PositionSide } from './accounting/position.js';
export { Position } from './accounting/position.js';
export type { RateTable } from './accounting/rates.js';
export { convertAmount, convertMoney, rateOf } from './accounting/rates.js';
export type {
  AccountBalance,
  PortfolioSnapshot,
  PositionSnapshot,
  RecordedEquityCurve,
} from './accounting/snapshot.js';

// analytics
export { calmarRatio } from './analytics/calmar-ratio.js';
export type { DrawdownPeriod } from './analytics/drawdown.js';
export {
  drawdownPeriods,
  drawdownSeries,
  maxDrawdown,
  maxDrawdownPeriod,
} from './analytics/drawdown.js';
export type {
  CompoundReturnsOptions,
  EquityCurve,
  ReturnSeries,
} from './analytics/equity-curve.js';
export { compoundReturns, simpleReturns } from './analytics/equity-curve.js';
export type { TimeSpan } from './analytics/exposure-time.js';
export { exposureTime } from './analytics/exposure-time.js';
export type { CagrOptions, YearBasis } from './analytics/growth.js';
export { cagr, DEFAULT_YEAR_LENGTH_DAYS, totalReturn } from './analytics/growth.js';
export type { PerformanceOptions, PerformanceReport } from './analytics/performance.js';
export { computePerformance } from './analytics/performance.js';
export type { PeriodReturn, ReturnPeriod } from './analytics/period-returns.js';
export { bestPeriod, periodReturns, worstPeriod } from './analytics/period-returns.js';
export type {
  MarketCalendar,
  PeriodsPerYearOptions,
  PerPeriodRateOptions,
} from './analytics/periods-per-year.js';
export {
  inferBarIntervalMs,
  inferPeriodsPerYear,
  periodsPerYearForInterval,
  perPeriodRate,
} from './analytics/periods-per-year.js';
export type { RatioOptions } from './analytics/sharpe-ratio.js';
export { sharpeRatio } from './analytics/sharpe-ratio.js';
export type { DownsideDeviationOptions, SortinoRatioOptions } from './analytics/sortino-ratio.js';
export { downsideDeviation, sortinoRatio } from './analytics/sortino-ratio.js';
export type { ClosedTrade, TradeStatistics } from './analytics/trade-statistics.js';
export { tradeStatistics } from './analytics/trade-statistics.js';
export type { VolatilityOptions } from './analytics/volatility.js';
export { annualizedVolatility, returnStandardDeviation } from './analytics/volatility.js';

// portfolio construction: covariance estimators and weight optimisers
export {
  ewmaCovariance,
  ledoitWolfCovariance,
  sampleCovariance,
} from './construction/covariance.js';
export type {
  AssetReturns,
  EwmaCovarianceOptions,
  ShrunkCovariance,
} from './construction/covariance.js';
export type { Matrix } from './construction/checks.js';
export { maximumSharpe, minimumVariance, targetReturn } from './construction/mean-variance.js';
export type { MaximumSharpeOptions, PortfolioWeights } from './construction/mean-variance.js';
export { riskParity } from './construction/risk-parity.js';
export type { RiskParityOptions, RiskParityWeights } from './construction/risk-parity.js';
export { equalWeight, inverseVolatility } from './construction/simple-weights.js';
export type { WeightBoundsOptions } from './construction/weight-bounds.js';
export { planRebalance } from './construction/rebalance.js';
export type {
  RebalanceAsset,
  RebalanceOptions,
  RebalancePlan,
  RebalanceSkipReason,
} from './construction/rebalance.js';
