import type { Bar, MarketDataEvent } from '@qtp/core';
import type { Exchange } from './exchange.js';

/**
 * A venue that matches its working orders against market data its host pushes in, such as
 * `SimulatedExchange` in a backtest or paper trading. The host (the engine) calls
 * {@link MatchingVenue.process} with each event before anyone hears of it, so an order placed on
 * hearing an event never fills against that same event.
 *
 * A venue declares itself one with `matchesPushedData: true`; {@link isMatchingVenue} reads that
 * flag, not the presence of a method.
 *
 * @example
 * ```ts
 * import { createBarEvent, type Bar } from '@qtp/core';
 * import { isMatchingVenue, type Exchange } from '@qtp/exchange';
 * function push(exchange: Exchange, bar: Bar) {
 *   if (isMatchingVenue(exchange)) exchange.process(createBarEvent(bar));
 * }
 * ```
 */
export interface MatchingVenue extends Exchange {
  /** Always true: the venue fills from data pushed in, not from a market of its own. */
  readonly matchesPushedData: true;
  /**
   * Matches the working orders against one event, then emits it on `marketData` when subscribed.
   * @throws `UnknownSymbolError` when the venue does not list the event's instrument
   */
  process(event: MarketDataEvent): void;
  /**
   * Matches the working orders against one bar as `process(createBarEvent(bar))` does, and
   * emits the bar's event when subscribed. Optional: a host holding a bare bar calls it when
   * present, and builds no event for it.
   * @throws `UnknownSymbolError` when the venue does not list the bar's instrument
   */
  onBar?(bar: Bar): void;
}

/**
 * Returns true when `exchange` declares itself a {@link MatchingVenue} (`matchesPushedData` is
 * `true`).
 * @example
 * ```ts
 * import { isMatchingVenue, SimulatedExchange } from '@qtp/exchange';
 * import { SimulatedClock } from '@qtp/core';
 * isMatchingVenue(new SimulatedExchange({ clock: new SimulatedClock(), instruments: [] })); // true
 * ```
 */
export function isMatchingVenue(exchange: Exchange): exchange is MatchingVenue {
  return (exchange as Partial<MatchingVenue>).matchesPushedData === true;
}
