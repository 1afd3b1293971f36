import type { MarketDataEvent } from '@qtp/core';

/**
 * Where the engine's market data comes from in {@link TradingEngine.run}: any iterable or async
 * iterable of core's `MarketDataEvent`s in time order, such as an array, a generator, a file
 * reader or a feed adapter.
 *
 * @example
 * ```ts
 * import { createBarEvent, type Bar } from '@qtp/core';
 * import type { MarketDataSource } from '@qtp/engine';
 * async function* fromBars(bars: AsyncIterable<Bar>): MarketDataSource {
 *   for await (const bar of bars) yield createBarEvent(bar);
 * }
 * ```
 */
export type MarketDataSource = Iterable<MarketDataEvent> | AsyncIterable<MarketDataEvent>;
