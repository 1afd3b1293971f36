import type {
  BarEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  InstrumentId,
  OrderDeniedEvent,
  OrderRequest,
  QuoteTickEvent,
  TradeTickEvent,
} from '@qtp/core';
import type { OmsEvents } from '@qtp/oms';
import type { PortfolioEvents } from '@qtp/portfolio';
import type { StrategyEvents } from '@qtp/strategy';
import type { RecoveryReport } from './recovery.js';
import type { SystemTopics } from './system-events.js';

/**
 * The market data topics of the engine's bus, with their payloads (core's `MarketDataEvent`s):
 * each event the engine takes in is published once the exchanges have matched against it and the marks are updated, just
 * before strategies see it.
 */
export interface MarketDataTopics {
  /** A bar closed. */
  'market.bar': BarEvent;
  /** A trade printed. */
  'market.trade': TradeTickEvent;
  /** The best bid or ask changed. */
  'market.quote': QuoteTickEvent;
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

/**
 * Published on `engine.recovered` once the engine, `RECONCILING` on start, has brought the
 * journal and the venues into agreement; strategies start after it.
 */
export interface EngineRecoveredEvent {
  /** Always `engine.recovered`. */
  readonly type: 'engine.recovered';
  /** What recovery found and did. */
  readonly report: RecoveryReport;
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
  /** Recovery on start finished; strategies start next. */
  'engine.recovered': EngineRecoveredEvent;
  /** A strategy asked for an order. */
  'engine.orderRequest': EngineOrderRequestEvent;
  /** A step without a caller failed. */
  'engine.error': EngineErrorEvent;
  /**
   * An order was refused before it was sent (core's `OrderDeniedEvent`); the strategy whose order
   * it was hears it as `onOrderDenied`.
   */
  'order.denied': OrderDeniedEvent;
}

/**
 * Every topic on the engine's bus, with its payload: market data, the engine's own events, its
 * system events (`system.health` of venues and circuit breakers, `system.error` with error
 * codes, for a monitor in another process), the order manager's order events, the portfolio's bookings and the strategies' lifecycle and
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
  SystemTopics &
  OmsEvents &
  PortfolioEvents &
  StrategyEvents;
