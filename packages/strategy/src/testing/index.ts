/**
 * Test helpers for strategies built on `@qtp/strategy`: a `StrategyContext` on a simulated
 * clock that records orders and events, a runner that plays bars through a strategy with simple
 * fills, and a builder of bar series. They need no test framework.
 *
 * @example
 * ```ts
 * import { SmaCrossover } from '@qtp/strategy';
 * import { createBarSeries, runStrategy } from '@qtp/strategy/testing';
 * const bars = createBarSeries(xrpeth.id, '5m', rows);
 * const strategy = new SmaCrossover({ id: 'sma', params: { instrumentId: xrpeth.id, quantity: '100' } });
 * const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
 * console.log(run.orders.map((order) => [order.timeMs, order.request.side]));
 * ```
 *
 * @module
 */

export { createBarSeries, runStrategy } from '../framework/run-strategy.js';
export type { BarRow, RunStrategyOptions, StrategyRunResult } from '../framework/run-strategy.js';
export { createTestContext } from '../framework/test-context.js';
export type {
  RecordedCancel,
  RecordedOrder,
  TestContext,
  TestContextOptions,
  TestPositions,
} from '../framework/test-context.js';
