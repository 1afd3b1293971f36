import type {
  Clock,
  EventBus,
  OrderDeniedEvent,
  OrderView,
  PositionView,
  PreTradeGate,
  TradingStateChangedEvent,
} from '@qtp/core';
import { TRADING_STATE_TOPIC } from '@qtp/core';
import type { EngineEvents, OrderManagerPort } from '@qtp/engine';

/** The tag `@qtp/risk`'s stop-loss manager puts on the closing orders it sends. */
export const STOP_ORDER_TAG = 'risk:stop';

/**
 * What the risk side did during a backtest: every trading state change, the refused orders
 * counted by their denial code, the stop orders that filled and the margin calls.
 */
export interface BacktestRiskEvents {
  /** Every `risk.state` event, in order. */
  readonly stateChanges: readonly TradingStateChangedEvent[];
  /** Orders refused before they were sent, by denial code, such as `{ MAX_POSITION: 3 }`. */
  readonly refusals: Readonly<Record<string, number>>;
  /** Orders tagged `risk:stop` that filled, at least in part. */
  readonly stopsHit: number;
  /** Each change of stage of a margin call (`risk.margin`), in order: warning, reduce, liquidate. */
  readonly marginCalls: readonly BacktestMarginCall[];
}

/** A change of stage of a margin call, as `@qtp/risk`'s margin monitor publishes it. */
export interface BacktestMarginCall {
  /** The stage now: `none`, `warning`, `reduce` or `liquidate`. */
  readonly stage: string;
  /** The stage before. */
  readonly from: string;
  /** Equity over the maintenance margin. */
  readonly marginLevel: number;
  /** When, epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * What a pre-trade gate that also watches the run (such as `RiskEngine` from `@qtp/risk`) is
 * wired to before the first event: the engine's bus, its order manager, its portfolio, its
 * equity and the simulated clock.
 */
export interface BacktestGateWiring {
  /** The engine's bus: market data, order events and fills. */
  readonly bus: EventBus<EngineEvents>;
  /** The engine's order manager. */
  readonly orders: OrderManagerPort;
  /** The engine's portfolio, as positions. */
  readonly positions: PositionView;
  /** The engine's equity in the reporting currency. */
  readonly equity: () => number;
  /** The run's simulated clock. */
  readonly clock: Clock;
}

/** A pre-trade gate, optionally with an `attach` that {@link runBacktest} calls before the run. */
export type BacktestGate = PreTradeGate & {
  /** Wires the gate to the run; what it returns is ignored. */
  attach?(wiring: BacktestGateWiring): unknown;
};

/** Collects {@link BacktestRiskEvents} from an engine's bus. */
export class RiskEventCollector {
  readonly #states: TradingStateChangedEvent[] = [];
  readonly #refusals: Record<string, number> = {};
  readonly #margin: BacktestMarginCall[] = [];

  /** Starts listening on `bus`. */
  constructor(bus: EventBus<EngineEvents>) {
    const states = bus as unknown as EventBus<{ 'risk.state': TradingStateChangedEvent }>;
    states.subscribe(TRADING_STATE_TOPIC, (event) => {
      this.#states.push(event);
    });
    const margin = bus as unknown as EventBus<{ 'risk.margin': BacktestMarginCall }>;
    margin.subscribe('risk.margin', (event) => {
      const { stage, from, marginLevel, timeMs } = event;
      this.#margin.push({ stage, from, marginLevel, timeMs });
    });
    bus.subscribe('order.denied', (event: OrderDeniedEvent) => {
      const code = event.denial.code;
      this.#refusals[code] = (this.#refusals[code] ?? 0) + 1;
    });
  }

  /** Returns the summary, counting stop orders among `orders`. */
  summary(orders: readonly OrderView[]): BacktestRiskEvents {
    let stopsHit = 0;
    for (const order of orders) {
      if (order.tags.includes(STOP_ORDER_TAG) && order.filledQuantity.gt(0)) stopsHit++;
    }
    return {
      stateChanges: [...this.#states],
      refusals: { ...this.#refusals },
      stopsHit,
      marginCalls: [...this.#margin],
    };
  }
}
