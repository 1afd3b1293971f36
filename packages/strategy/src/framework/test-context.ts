import {
  type ClientOrderId,
  createConsoleLogger,
  Decimal,
  type DecimalInput,
  type EventPublisher,
  type Fill,
  type Instrument,
  type InstrumentId,
  type Logger,
  ORDER_TYPES,
  type OrderRequest,
  type OrderType,
  type PositionView,
  SimulatedClock,
  toDecimal,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';
import type { StrategyEvent, StrategyEvents } from './events.js';
import type { CancelRequest, StrategyContext, StrategyPortfolio } from './strategy-context.js';

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
  /** The cash held at the start, by asset (default none). */
  cash?: Readonly<Record<string, DecimalInput>>;
  /** The currency `portfolio.equity()` is counted in (default the first instrument's quote asset). */
  reportingCurrency?: string;
  /** The order types the venue accepts (default every type). */
  orderTypes?: readonly OrderType[];
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

/**
 * The positions and cash of a test context: a {@link @qtp/core!PositionView} and a
 * {@link StrategyPortfolio} that fills move.
 */
export interface TestPositions extends PositionView, StrategyPortfolio {
  /**
   * Books a fill: a buy adds its quantity to the net position and pays `price * quantity` of the
   * quote asset, a sell the reverse; the fee is paid in its currency.
   */
  applyFill(fill: Fill): void;
  /** Sets the price `equity()` values a position in the instrument at. */
  mark(instrumentId: InstrumentId, price: number): void;
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
  readonly #cash = new Map<string, Decimal>();
  readonly #marks = new Map<InstrumentId, number>();
  readonly #instruments: ReadonlyMap<InstrumentId, Instrument>;
  readonly #currency: string;

  constructor(
    instruments: ReadonlyMap<InstrumentId, Instrument>,
    cash: Readonly<Record<string, DecimalInput>>,
    currency: string,
  ) {
    this.#instruments = instruments;
    this.#currency = currency;
    for (const [asset, amount] of Object.entries(cash)) {
      this.#cash.set(asset, toDecimal(amount, `cash.${asset}`));
    }
  }

  position(instrumentId: InstrumentId): Decimal {
    return this.netQuantity(instrumentId);
  }

  cash(asset: string): Decimal {
    return this.#cash.get(asset) ?? new Decimal(0);
  }

  equity(): number {
    let total = this.cash(this.#currency).toNumber();
    for (const [id, quantity] of this.#net) {
      const mark = this.#marks.get(id);
      if (mark === undefined || this.#instruments.get(id)?.quoteAsset !== this.#currency) continue;
      total += quantity.toNumber() * mark;
    }
    return total;
  }

  mark(instrumentId: InstrumentId, price: number): void {
    this.#marks.set(instrumentId, price);
  }

  netQuantity(instrumentId: InstrumentId): Decimal {
    return this.#net.get(instrumentId) ?? new Decimal(0);
  }

  netQuantities(): ReadonlyMap<InstrumentId, Decimal> {
    return new Map([...this.#net].filter(([, quantity]) => !quantity.isZero()));
  }

  applyFill(fill: Fill): void {
    const signed = fill.side === 'BUY' ? fill.quantity : fill.quantity.negated();
    this.#net.set(fill.instrumentId, this.netQuantity(fill.instrumentId).plus(signed));
    const quote = this.#instruments.get(fill.instrumentId)?.quoteAsset;
    if (quote !== undefined) {
      this.#cash.set(quote, this.cash(quote).minus(signed.times(fill.price)));
    }
    const fee = fill.fee;
    this.#cash.set(fee.currency, this.cash(fee.currency).minus(fee.amount));
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
 * strategy.handle(createBarEvent(bar));
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
  const currency = options.reportingCurrency ?? options.instruments[0]?.quoteAsset ?? '';
  const orderTypes = options.orderTypes ?? ORDER_TYPES;
  const book = new PositionBook(instruments, options.cash ?? {}, currency);
  const context: StrategyContext = {
    clock,
    positions: book,
    portfolio: book,
    logger: options.logger ?? createConsoleLogger({ level: 'silent' }),
    instrument(instrumentId) {
      const instrument = instruments.get(instrumentId);
      if (instrument === undefined) throw new UnknownSymbolError(instrumentId);
      return instrument;
    },
    orderTypes(instrumentId) {
      if (!instruments.has(instrumentId)) throw new UnknownSymbolError(instrumentId);
      return orderTypes;
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
    positions: book,
  };
}
