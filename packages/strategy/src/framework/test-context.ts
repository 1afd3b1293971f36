import {
  type ClientOrderId,
  createConsoleLogger,
  Decimal,
  type EventPublisher,
  type Fill,
  type Instrument,
  type InstrumentId,
  type Logger,
  type OrderRequest,
  type PositionView,
  SimulatedClock,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';
import type { StrategyEvent, StrategyEvents } from './events.js';
import type { CancelRequest, StrategyContext } from './strategy-context.js';

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  /** The instruments the context knows. */
  instruments: readonly Instrument[];
  /** The clock (default a new `SimulatedClock` at `startMs`). */
  clock?: SimulatedClock;
  /** Where the clock starts, epoch milliseconds, when no clock is given (default 0). */
  startMs?: number;
  /** The logger (default one that writes nothing). */
  logger?: Logger;
  /** Where events go besides the context's `events` list, such as an `EventBus`. */
  publisher?: EventPublisher<StrategyEvents>;
  /** The prefix of the client order ids the sink assigns (default `order`: `order-1`, ...). */
  orderIdPrefix?: string;
}

/** An order request the test context's sink took. */
export interface RecordedOrder {
  /** The client order id the sink returned. */
  readonly clientOrderId: ClientOrderId;
  /** The request. */
  readonly request: OrderRequest;
  /** The clock time of the submission, epoch milliseconds. */
  readonly timeMs: number;
}

/** A cancel request the test context's sink took. */
export interface RecordedCancel extends CancelRequest {
  /** The clock time of the request, epoch milliseconds. */
  readonly timeMs: number;
}

/** The positions of a test context: a {@link @qtp/core!PositionView} that fills move. */
export interface TestPositions extends PositionView {
  /** Books a fill: a buy adds its quantity to the net position, a sell subtracts it. */
  applyFill(fill: Fill): void;
}

/** A {@link StrategyContext} for tests, with what went through it recorded. */
export interface TestContext {
  /** The context to start strategies in. */
  readonly context: StrategyContext;
  /** The simulated clock behind it. */
  readonly clock: SimulatedClock;
  /** Every order submitted, in order. */
  readonly orders: RecordedOrder[];
  /** Every cancel requested, in order. */
  readonly cancels: RecordedCancel[];
  /** Every event published (started, stopped, failed, signals), in order. */
  readonly events: StrategyEvent[];
  /** The positions, moved only by {@link TestPositions.applyFill}. */
  readonly positions: TestPositions;
}

class PositionBook implements TestPositions {
  readonly #net = new Map<InstrumentId, Decimal>();

  netQuantity(instrumentId: InstrumentId): Decimal {
    return this.#net.get(instrumentId) ?? new Decimal(0);
  }

  netQuantities(): ReadonlyMap<InstrumentId, Decimal> {
    return new Map([...this.#net].filter(([, quantity]) => !quantity.isZero()));
  }

  applyFill(fill: Fill): void {
    const signed = fill.side === 'BUY' ? fill.quantity : fill.quantity.negated();
    this.#net.set(fill.instrumentId, this.netQuantity(fill.instrumentId).plus(signed));
  }
}

/**
 * Builds a {@link StrategyContext} on a simulated clock whose order sink records every request
 * and assigns ids `order-1`, `order-2`, ...; its positions move only when a test books a fill.
 * Use it to drive a strategy event by event; {@link runStrategy} builds one for a whole run.
 *
 * @example
 * ```ts
 * import { createTestContext } from '@qtp/strategy/testing';
 * const test = createTestContext({ instruments: [xrpeth], startMs: bar.closeTimeMs });
 * strategy.start(test.context);
 * strategy.handle({ type: 'bar', bar });
 * console.log(test.orders.map((order) => order.request.side));
 * ```
 */
export function createTestContext(options: TestContextOptions): TestContext {
  const clock = options.clock ?? new SimulatedClock({ startMs: options.startMs ?? 0 });
  const instruments = new Map(options.instruments.map((instrument) => [instrument.id, instrument]));
  const prefix = options.orderIdPrefix ?? 'order';
  const orders: RecordedOrder[] = [];
  const cancels: RecordedCancel[] = [];
  const events: StrategyEvent[] = [];
  const ids = new Set<ClientOrderId>();
  const publisher = options.publisher;
  const context: StrategyContext = {
    clock,
    positions: new PositionBook(),
    logger: options.logger ?? createConsoleLogger({ level: 'silent' }),
    instrument(instrumentId) {
      const instrument = instruments.get(instrumentId);
      if (instrument === undefined) throw new UnknownSymbolError(instrumentId);
      return instrument;
    },
    orders: {
      submit(request) {
        const clientOrderId = request.clientOrderId ?? `${prefix}-${orders.length + 1}`;
        if (ids.has(clientOrderId)) {
          throw new ValidationError('clientOrderId', 'be unique', clientOrderId);
        }
        ids.add(clientOrderId);
        orders.push({ clientOrderId, request, timeMs: clock.now() });
        return clientOrderId;
      },
      cancel(request) {
        cancels.push({ ...request, timeMs: clock.now() });
      },
    },
    events: {
      publish(topic, payload) {
        events.push(payload);
        publisher?.publish(topic, payload);
      },
    },
  };
  return {
    context,
    clock,
    orders,
    cancels,
    events,
    positions: context.positions as TestPositions,
  };
}
