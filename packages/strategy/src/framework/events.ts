import type {
  Bar,
  BookSnapshot,
  ExecutionFillEvent,
  ExecutionOrderUpdateEvent,
  QuoteTick,
  TradeTick,
} from '@qtp/core';

/** Carries a completed (or revised) bar to a strategy; its time is the bar's `closeTimeMs`. */
export interface BarEvent {
  /** Always `bar`. */
  readonly type: 'bar';
  /** The bar. */
  readonly bar: Bar;
}

/** Carries one trade printed by a venue to a strategy. */
export interface TradeTickEvent {
  /** Always `tradeTick`. */
  readonly type: 'tradeTick';
  /** The trade. */
  readonly trade: TradeTick;
}

/** Carries a best bid and ask to a strategy. */
export interface QuoteTickEvent {
  /** Always `quote`. */
  readonly type: 'quote';
  /** The quote. */
  readonly quote: QuoteTick;
}

/** Carries a full L2 book to a strategy. */
export interface BookSnapshotEvent {
  /** Always `book`. */
  readonly type: 'book';
  /** The book. */
  readonly book: BookSnapshot;
}

/** The market data a host delivers to strategies. */
export type MarketDataEvent = BarEvent | TradeTickEvent | QuoteTickEvent | BookSnapshotEvent;

/**
 * Everything a host delivers to a strategy: market data, and the order updates and fills the
 * venue reports (core's execution events, unchanged).
 */
export type StrategyInputEvent = MarketDataEvent | ExecutionOrderUpdateEvent | ExecutionFillEvent;

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
  | 'onOrderUpdate'
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
}

/** Any event strategies publish. */
export type StrategyEvent = StrategyEvents[keyof StrategyEvents];

/**
 * Returns the time an input event is stamped with, epoch milliseconds: a bar's `closeTimeMs`
 * (a bar is known only once it closes), else the event's own time.
 */
export function eventTimeMs(event: StrategyInputEvent): number {
  switch (event.type) {
    case 'bar':
      return event.bar.closeTimeMs;
    case 'tradeTick':
      return event.trade.timeMs;
    case 'quote':
      return event.quote.timeMs;
    case 'book':
      return event.book.timeMs;
    case 'orderUpdate':
      return event.report.timeMs;
    case 'fill':
      return event.fill.timeMs;
  }
}
