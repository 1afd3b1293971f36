import type {
  ClientOrderId,
  Clock,
  Decimal,
  EventPublisher,
  Instrument,
  InstrumentId,
  Logger,
  OrderRequest,
  OrderType,
  PositionView,
} from '@qtp/core';
import type { StrategyEvents } from './events.js';

/** Names one of a strategy's orders for {@link OrderSink.cancel}. */
export interface CancelRequest {
  /** The instrument the order trades. */
  readonly instrumentId: InstrumentId;
  /** The client order id the sink returned for it. */
  readonly clientOrderId: ClientOrderId;
}

/**
 * What a strategy reads of its host's portfolio: positions, cash and equity.
 * @example
 * ```ts
 * import { Decimal } from '@qtp/core';
 * import type { StrategyPortfolio } from '@qtp/strategy';
 * const flat: StrategyPortfolio = {
 *   position: () => new Decimal(0),
 *   cash: (asset) => new Decimal(asset === 'USDT' ? 1_000 : 0),
 *   equity: () => 1_000,
 * };
 * ```
 */
export interface StrategyPortfolio {
  /** Returns the net position in an instrument, in its base asset: positive long, negative short. */
  position(instrumentId: InstrumentId): Decimal;
  /** Returns the amount of an asset held (free and locked, across venues); zero when none. */
  cash(asset: string): Decimal;
  /** Returns the equity at the last marks, in the host's reporting currency. */
  equity(): number;
}

/**
 * Where a strategy's orders go: in an engine the risk gate and the OMS, in a test a recorder.
 * Both methods return at once; the order's fate comes back later as `orderUpdate` and `fill`
 * events, or as an `order.denied` event when it is refused before it leaves.
 */
export interface OrderSink {
  /**
   * Takes an order request and returns its client order id: the request's own when it carries
   * one, else one the sink assigns. A host that refuses the request delivers an `order.denied`
   * event for that id rather than throwing.
   * @throws a QTP error from a host that refuses by throwing; the strategy turns it into an
   *   `order.denied` event (source `engine`) and does not stop
   */
  submit(request: OrderRequest): ClientOrderId;
  /** Asks for an order to be canceled; the outcome arrives as an `orderUpdate`. */
  cancel(request: CancelRequest): void;
}

/**
 * What a host gives the strategies it runs: the clock, an order sink, a read-only view of
 * positions, the instruments' trading rules, a logger and an event publisher. The engine in
 * `@qtp/engine` provides one; `createTestContext` from `@qtp/strategy/testing` builds one for
 * tests.
 *
 * @example
 * ```ts
 * import { SimulatedClock, type PositionView, Decimal } from '@qtp/core';
 * import { createConsoleLogger } from '@qtp/core';
 * import type { StrategyContext } from '@qtp/strategy';
 * const positions: PositionView = {
 *   netQuantity: () => new Decimal(0),
 *   netQuantities: () => new Map(),
 * };
 * const context: StrategyContext = {
 *   clock: new SimulatedClock(),
 *   orders: { submit: (request) => request.clientOrderId ?? 'order-1', cancel: () => {} },
 *   positions,
 *   portfolio: { position: positions.netQuantity, cash: () => new Decimal(0), equity: () => 0 },
 *   instrument: (id) => instruments.get(id)!,
 *   orderTypes: () => ['MARKET', 'LIMIT'],
 *   logger: createConsoleLogger({ level: 'silent' }),
 *   events: { publish: () => {} },
 * };
 * ```
 */
export interface StrategyContext {
  /** The source of time and timers. */
  readonly clock: Clock;
  /** Where orders go. */
  readonly orders: OrderSink;
  /** The positions held, signed: positive long, negative short. */
  readonly positions: PositionView;
  /** The portfolio's positions, cash and equity. */
  readonly portfolio: StrategyPortfolio;
  /**
   * Returns an instrument's trading rules (tick, step, minimums).
   * @throws {@link @qtp/core!UnknownSymbolError} when the host does not know the instrument
   */
  instrument(instrumentId: InstrumentId): Instrument;
  /**
   * Returns the order types the venue of an instrument accepts (its `Exchange.orderTypes`); a
   * strategy emulates stop orders locally where the venue lacks them.
   * @throws {@link @qtp/core!UnknownSymbolError} when the host does not know the instrument
   */
  orderTypes(instrumentId: InstrumentId): readonly OrderType[];
  /** The host's logger; each strategy writes through a child bound to its id. */
  readonly logger: Logger;
  /** Where strategies announce their lifecycle, failures and signals. */
  readonly events: EventPublisher<StrategyEvents>;
}
