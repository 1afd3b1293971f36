import type { InstrumentId, OrderRequest } from '@qtp/core';
import type {
  BarEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  MarketDataEvent,
  QuoteEvent,
  TradeEvent,
} from '@qtp/exchange';
import type { OmsEvents } from '@qtp/oms';
import type { PortfolioEvents } from '@qtp/portfolio';
import type { StrategyEvents } from '@qtp/strategy';

/**
 * One piece of market data the engine takes in: a bar, a trade, a quote, an L2 book snapshot or
 * an L2 book change, in the shape an `Exchange` emits on its `marketData` emitter.
 *
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import type { MarketDataInput } from '@qtp/engine';
 * const event: MarketDataInput = {
 *   type: 'bar',
 *   bar: {
 *     instrumentId: instrumentId('BTCUSDT', 'BINANCE'), interval: '1m',
 *     openTimeMs: 0, closeTimeMs: 59_999, open: 100, high: 101, low: 99, close: 100.5, volume: 3,
 *   },
 * };
 * ```
 */
export type MarketDataInput = MarketDataEvent;

/**
 * The market data topics of the engine's bus, with their payloads: each event the engine takes
 * in is published once the exchanges have matched against it and the marks are updated, just
 * before strategies see it.
 */
export interface MarketDataTopics {
  /** A bar closed. */
  'market.bar': BarEvent;
  /** A trade printed. */
  'market.trade': TradeEvent;
  /** The best bid or ask changed. */
  'market.quote': QuoteEvent;
  /** A full L2 book arrived. */
  'market.bookSnapshot': BookSnapshotEvent;
  /** An L2 book change arrived. */
  'market.bookDelta': BookDeltaEvent;
}

/** Published on `engine.started` once the exchanges are connected and the strategies started. */
export interface EngineStartedEvent {
  /** Always `engine.started`. */
  readonly type: 'engine.started';
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** Published on `engine.stopped` once the strategies are stopped and the exchanges disconnected. */
export interface EngineStoppedEvent {
  /** Always `engine.stopped`. */
  readonly type: 'engine.stopped';
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** Published on `engine.orderRequest` when a strategy asks for an order, before the pre-trade gate. */
export interface EngineOrderRequestEvent {
  /** Always `engine.orderRequest`. */
  readonly type: 'engine.orderRequest';
  /** The request as the strategy made it, before rounding. */
  readonly request: OrderRequest;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** Where in the engine a {@link EngineErrorEvent} happened. */
export type EngineErrorStage = 'booking' | 'cancel' | 'feed';

/**
 * Published on `engine.error` when a step that has no caller to throw to fails: booking a fill
 * into the portfolio, a strategy's cancel request, or an event from a subscribed feed.
 */
export interface EngineErrorEvent {
  /** Always `engine.error`. */
  readonly type: 'engine.error';
  /** The step that failed. */
  readonly stage: EngineErrorStage;
  /** The instrument concerned, when there is one. */
  readonly instrumentId: InstrumentId | undefined;
  /** What was thrown. */
  readonly error: unknown;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** The engine's own topics, with their payloads. */
export interface EngineOwnEvents {
  /** The engine started. */
  'engine.started': EngineStartedEvent;
  /** The engine stopped. */
  'engine.stopped': EngineStoppedEvent;
  /** A strategy asked for an order. */
  'engine.orderRequest': EngineOrderRequestEvent;
  /** A step without a caller failed. */
  'engine.error': EngineErrorEvent;
}

/**
 * Every topic on the engine's bus, with its payload: market data, the engine's own events, the
 * order manager's order events, the portfolio's bookings and the strategies' lifecycle and
 * signals. Subscribe with patterns such as `order.*` or `market.bar`.
 *
 * @example
 * ```ts
 * import { EventBus, SimulatedClock } from '@qtp/core';
 * import type { EngineEvents } from '@qtp/engine';
 * const bus = new EventBus<EngineEvents>({ clock: new SimulatedClock() });
 * bus.subscribe('order.filled', (event) => console.log(event.clientOrderId));
 * ```
 */
export type EngineEvents = MarketDataTopics &
  EngineOwnEvents &
  OmsEvents &
  PortfolioEvents &
  StrategyEvents;

/**
 * Returns the time a market data event is stamped with, epoch milliseconds: a bar's
 * `closeTimeMs` (a bar is known only once it closes), else the event's own time.
 *
 * @example
 * ```ts
 * import { marketDataTimeMs } from '@qtp/engine';
 * marketDataTimeMs({ type: 'quote', quote }); // quote.timeMs
 * ```
 */
export function marketDataTimeMs(event: MarketDataInput): number {
  switch (event.type) {
    case 'bar':
      return event.bar.closeTimeMs;
    case 'trade':
      return event.trade.timeMs;
    case 'quote':
      return event.quote.timeMs;
    case 'bookSnapshot':
      return event.snapshot.timeMs;
    case 'bookDelta':
      return event.delta.timeMs;
  }
}

/** Returns the instrument a market data event is about. */
export function marketDataInstrument(event: MarketDataInput): InstrumentId {
  switch (event.type) {
    case 'bar':
      return event.bar.instrumentId;
    case 'trade':
      return event.trade.instrumentId;
    case 'quote':
      return event.quote.instrumentId;
    case 'bookSnapshot':
      return event.snapshot.instrumentId;
    case 'bookDelta':
      return event.delta.instrumentId;
  }
}
