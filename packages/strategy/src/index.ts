/**
 * QTP strategy: technical indicators in two forms from one implementation. Each indicator is a
 * class (`SMA`, `RSI`, `BollingerBands`, ...) that updates in O(1) without allocating, for live
 * and event-driven use, and a function (`sma`, `rsi`, `bollinger`, ...) that computes a whole
 * series into `Float64Array`s (NaN during warm-up) with the same numbers. Conventions follow R's
 * TTR package where it has the indicator, and each one's documentation says how.
 *
 * @example
 * ```ts
 * import { RSI, sma } from '@qtp/strategy';
 * const closes = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08];
 * console.log(sma(closes, 5)); // Float64Array [NaN, NaN, NaN, NaN, 44.104, ...]
 * const rsi = new RSI(5);
 * for (const close of closes) rsi.update(close);
 * console.log(rsi.value);
 * ```
 *
 * @module
 */

export type { Indicator } from './indicators/types.js';

export { ADX, adx } from './indicators/adx.js';
export type { AdxResult, AdxValue } from './indicators/adx.js';
export { ATR, atr } from './indicators/atr.js';
export { BollingerBands, bollinger } from './indicators/bollinger.js';
export type { BandsResult, BandsValue } from './indicators/bollinger.js';
export { CCI, cci } from './indicators/cci.js';
export { DEMA, dema, TEMA, tema } from './indicators/dema.js';
export { Donchian, donchian } from './indicators/donchian.js';
export { EMA, ema, WilderMA, wilderMa } from './indicators/ema.js';
export { Keltner, keltner } from './indicators/keltner.js';
export { MACD, macd } from './indicators/macd.js';
export type { MacdResult, MacdValue } from './indicators/macd.js';
export { CMF, cmf, MFI, mfi } from './indicators/money-flow.js';
export { OBV, obv } from './indicators/obv.js';
export { ROC, roc } from './indicators/roc.js';
export { RollingMax, RollingMin, rollingMax, rollingMin } from './indicators/rolling-extremes.js';
export { StdDev, stdDev, ZScore, zScore } from './indicators/rolling-stats.js';
export type { StdDevOptions } from './indicators/rolling-stats.js';
export { RSI, rsi } from './indicators/rsi.js';
export { SMA, sma } from './indicators/sma.js';
export { Stochastic, stochastic, WilliamsR, williamsR } from './indicators/stochastic.js';
export type { StochasticResult, StochasticValue } from './indicators/stochastic.js';
export { SessionVWAP, sessionVwap, VWAP, vwap } from './indicators/vwap.js';
export type { SessionVwapOptions } from './indicators/vwap.js';
export { WMA, wma } from './indicators/wma.js';

// strategy framework: the Strategy base class, its context, the manager and the registry
export type {
  StrategyEvent,
  StrategyEvents,
  StrategyFailedEvent,
  StrategyHook,
  StrategyInputEvent,
  StrategySignalEvent,
  StrategyStartedEvent,
  StrategyStoppedEvent,
  TimerEvent,
} from './framework/events.js';
export { eventTimeMs } from './framework/events.js';
export { LookAheadError } from './framework/look-ahead-error.js';
export { createStrategy } from './framework/registry.js';
export type {
  CatalogEntry,
  CatalogParams,
  CatalogStrategyOptions,
  StrategyCatalog,
  StrategyFactory,
  StrategyRegistry,
} from './framework/registry.js';
export { toOrderPrice, toOrderQuantity } from './framework/sizing.js';
export type {
  BracketOrderOptions,
  BracketState,
  StrategyBracket,
} from './framework/bracket.js';
export { Strategy } from './framework/strategy.js';
export type {
  BarField,
  IndicatorInputs,
  IndicatorSelection,
  IndicatorOptions,
  StopOrderOptions,
  StrategyDefinition,
  StrategyOptions,
  StrategyOrder,
  StrategyOrderOptions,
  StrategyState,
  TargetBelowLot,
} from './framework/strategy.js';
export type {
  CancelRequest,
  OrderSink,
  StrategyContext,
  StrategyPortfolio,
} from './framework/strategy-context.js';
export { StrategyManager } from './framework/strategy-manager.js';
export type { StrategyManagerOptions } from './framework/strategy-manager.js';

// example strategies
export {
  BollingerReversion,
  bollingerReversionSchema,
} from './strategies/bollinger-reversion.js';
export type { BollingerReversionParams } from './strategies/bollinger-reversion.js';
export { DonchianBreakout, donchianBreakoutSchema } from './strategies/donchian-breakout.js';
export type { DonchianBreakoutParams } from './strategies/donchian-breakout.js';
export { createStrategyRegistry, exampleStrategies } from './strategies/registry.js';
export type { ExampleStrategyName } from './strategies/registry.js';
export { RsiReversal, rsiReversalSchema } from './strategies/rsi-reversal.js';
export type { RsiReversalParams } from './strategies/rsi-reversal.js';
export { SmaCrossover, smaCrossoverSchema } from './strategies/sma-crossover.js';
export type { SmaCrossoverParams } from './strategies/sma-crossover.js';
