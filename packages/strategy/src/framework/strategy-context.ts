import type {
  ClientOrderId,
  Clock,
  EventPublisher,
  Instrument,
  InstrumentId,
  Logger,
  OrderRequest,
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
 * Where a strategy's orders go: in an engine the risk gate and the OMS, in a test a recorder.
 * Both methods return at once; the order's fate comes back later as `orderUpdate` and `fill`
 * events.
 */
export interface OrderSink {
  /**
   * Takes an order request and returns its client order id: the request's own when it carries
   * one, else one the sink assigns.
   * @throws a QTP error when the request is refused before it leaves (validation, risk)
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
import { createConsoleLogger } from '@qtp/core';
 * import type { StrategyContext } from '@qtp/strategy';
 * const positions: PositionView = {
 *   netQuantity: () => new Decimal(0),
 *   netQuantities: () => new Map(),
 * };
 * const context: StrategyContext = {
 *   clock: new SimulatedClock(),
 *   orders: { submit: (request) => request.clientOrderId ?? 'order-1', cancel: () => {} },
 *   positions,
 *   instrument: (id) => instruments.get(id)!,
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
  /**
   * Returns an instrument's trading rules (tick, step, minimums).
   * @throws {@link @qtp/core!UnknownSymbolError} when the host does not know the instrument
   */
  instrument(instrumentId: InstrumentId): Instrument;
  /** The host's logger; each strategy writes through a child bound to its id. */
  readonly logger: Logger;
  /** Where strategies announce their lifecycle, failures and signals. */
  readonly events: EventPublisher<StrategyEvents>;
}
