import type {
  ExecutionEndedEvent,
  ExecutionFillEvent,
  ExecutionOrderUpdateEvent,
  MarketDataEvent,
  OrderDeniedEvent,
} from '@qtp/core';

/**
 * Everything a host delivers to a strategy: core's market data events, the order updates and
 * fills the venue reports (core's execution events), and core's `order.denied` events for orders
 * refused before they left. All are core's types, unchanged.
 */
export type StrategyInputEvent =
  | MarketDataEvent
  | ExecutionOrderUpdateEvent
  | ExecutionFillEvent
  | OrderDeniedEvent;

/** Tells a strategy that one of its timers fired; see `Strategy.setTimer`. */
export interface TimerEvent {
  /** Always `timer`. */
  readonly type: 'timer';
  /** The name the strategy gave the timer. */
  readonly name: string;
  /** The clock time at which the timer fired, epoch milliseconds. */
  readonly timeMs: number;
}

/** The lifecycle hooks of a strategy, as named in a {@link StrategyFailedEvent}. */
export type StrategyHook =
  | 'onStart'
  | 'onBar'
  | 'onTradeTick'
  | 'onQuote'
  | 'onBook'
  | 'onBookDelta'
  | 'onOrderUpdate'
  | 'onOrderDenied'
  | 'onFill'
  | 'onTimer'
  | 'onStop';

/** Published on `strategy.started` when a strategy starts, before its `onStart` runs. */
export interface StrategyStartedEvent {
  /** Always `strategy.started`. */
  readonly type: 'strategy.started';
  /** The strategy's id. */
  readonly strategyId: string;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** Published on `strategy.stopped` when a strategy stops, after its `onStop` ran. */
export interface StrategyStoppedEvent {
  /** Always `strategy.stopped`. */
  readonly type: 'strategy.stopped';
  /** The strategy's id. */
  readonly strategyId: string;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * Published on `strategy.failed` when a hook of a strategy throws. The strategy is stopped: its
 * timers are canceled and it receives no more events; the other strategies go on.
 */
export interface StrategyFailedEvent {
  /** Always `strategy.failed`. */
  readonly type: 'strategy.failed';
  /** The strategy's id. */
  readonly strategyId: string;
  /** The hook that threw. */
  readonly hook: StrategyHook;
  /** What the hook threw. */
  readonly error: unknown;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** Published on `strategy.signal` by `Strategy.publishSignal`: a named observation for dashboards and logs. */
export interface StrategySignalEvent {
  /** Always `strategy.signal`. */
  readonly type: 'strategy.signal';
  /** The strategy's id. */
  readonly strategyId: string;
  /** The signal's name, such as `crossUp`. */
  readonly name: string;
  /** Observed values that go with it (plain JSON-friendly data). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The clock time, epoch milliseconds. */
  readonly timeMs: number;
}

/** The topics strategies publish on, with their payloads: an event map for `EventBus`. */
export interface StrategyEvents {
  /** A strategy started. */
  'strategy.started': StrategyStartedEvent;
  /** A strategy stopped. */
  'strategy.stopped': StrategyStoppedEvent;
  /** A strategy's hook threw and the strategy was stopped. */
  'strategy.failed': StrategyFailedEvent;
  /** A strategy published a signal. */
  'strategy.signal': StrategySignalEvent;
  /** One of its execution algorithms' parent orders ended, with its cost analysis. */
  'execution.ended': ExecutionEndedEvent;
}

/** Any event strategies publish. */
export type StrategyEvent = StrategyEvents[keyof StrategyEvents];

/**
 * Returns the time an input event is stamped with, epoch milliseconds: a market data event's
 * `eventTimeMs` (a bar's `closeTimeMs`: a bar is known only once it closes), else the event's
 * own time.
 * @example
 * ```ts
 * import { createBarEvent } from '@qtp/core';
 * import { eventTimeMs } from '@qtp/strategy';
 * eventTimeMs(createBarEvent(bar)); // bar.closeTimeMs
 * ```
 */
export function eventTimeMs(event: StrategyInputEvent): number {
  switch (event.type) {
    case 'orderUpdate':
      return event.report.timeMs;
    case 'fill':
      return event.fill.timeMs;
    case 'order.denied':
      return event.timeMs;
    default:
      return event.eventTimeMs;
  }
}
