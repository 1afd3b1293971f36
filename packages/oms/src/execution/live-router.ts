import {
  type ClientOrderId,
  Decimal,
  type EventBus,
  type Instrument,
  type InstrumentId,
  isTerminalOrderStatus,
  type OrderEvent,
  type OrderEvents,
  type OrderRequestInput,
  type OrderSide,
  type OrderStatus,
  parentTag,
  toClientOrderId,
  ValidationError,
} from '@qtp/core';
import { type RouteLevel, type RouteVenue, routeOrder } from './smart-route.js';

const ZERO = new Decimal(0);

/** One venue the router may send to, as it reads it at each routing. */
export interface RouterVenue {
  /** The venue's instrument: its id names the venue, its lot size rounds the slices. */
  readonly instrument: Instrument;
  /** Returns the visible levels an order of `side` would take (asks for a buy), best first. */
  levels(side: OrderSide): readonly RouteLevel[];
  /** Returns whether the circuit breaker on its order endpoints is open now. */
  breakerOpen(): boolean;
  /** Returns whether it is healthy (fresh feed, answering); default healthy. */
  healthy?(): boolean;
}

/** Where the router sends children: the order manager. */
export interface RouterOrders {
  /** Submits a child; a refused one comes back REJECTED. */
  submit(input: OrderRequestInput): {
    readonly clientOrderId: ClientOrderId;
    readonly status: OrderStatus;
  };
  /** Cancels a child. */
  cancel(clientOrderId: ClientOrderId): Promise<boolean>;
}

/** Options of {@link LiveRouter}. */
export interface LiveRouterOptions {
  /** The order manager the children go through, each checked like any order. */
  readonly orders: RouterOrders;
  /** The bus the order manager publishes its order events on. */
  readonly bus: Pick<EventBus<OrderEvents>, 'subscribe'>;
  /** The venues of the instrument routed. */
  readonly venues: readonly RouterVenue[];
  /** How many times a routed order may be planned, the first included (default 10). */
  readonly maxRounds?: number;
}

/** A child the router sent. */
export interface RoutedChild {
  /** Its client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's instrument it went to. */
  readonly instrumentId: InstrumentId;
  /** Its quantity. */
  readonly quantity: Decimal;
  /** Its limit: the worst level the plan took on that venue. */
  readonly limitPrice: Decimal;
  /** Its last status. */
  readonly status: OrderStatus;
  /** What it filled. */
  readonly filledQuantity: Decimal;
}

/** Where a routed order stands: `WORKING`, `FILLED`, or `DONE` with a rest no venue would take. */
export type RoutedOrderStatus = 'WORKING' | 'FILLED' | 'DONE';

/** A routed order as {@link LiveRouter.route} returns it; it changes as its children report. */
export interface RoutedOrder {
  /** Its id; every child carries the tag `parent:<id>`. */
  readonly parentClientOrderId: string;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** The quantity to trade. */
  readonly quantity: Decimal;
  /** Where it stands. */
  readonly status: RoutedOrderStatus;
  /** What its children filled. */
  readonly filledQuantity: Decimal;
  /** The quantity-weighted average price of the fills; undefined before the first. */
  readonly averageFillPrice: Decimal | undefined;
  /** Its children, in the order sent. */
  readonly children: readonly RoutedChild[];
  /** How many times it was planned. */
  readonly rounds: number;
  /** Why it is `DONE` with a rest; undefined otherwise. */
  readonly reason: string | undefined;
  /** Resolves when it is no longer `WORKING`. */
  readonly settled: Promise<RoutedOrder>;
}

interface ChildState {
  clientOrderId: ClientOrderId;
  instrumentId: InstrumentId;
  quantity: Decimal;
  limitPrice: Decimal;
  status: OrderStatus;
  filledQuantity: Decimal;
  averagePrice: Decimal | undefined;
}

class RoutedOrderState implements RoutedOrder {
  status: RoutedOrderStatus = 'WORKING';
  filledQuantity = ZERO;
  notional = ZERO;
  rounds = 0;
  reason: string | undefined;
  planning = false;
  replan = false;
  readonly states: ChildState[] = [];
  readonly excluded = new Set<InstrumentId>();
  readonly settled: Promise<RoutedOrder>;
  resolve!: (order: RoutedOrder) => void;

  constructor(
    readonly parentClientOrderId: string,
    readonly side: OrderSide,
    readonly quantity: Decimal,
  ) {
    this.settled = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  get averageFillPrice(): Decimal | undefined {
    return this.filledQuantity.isZero() ? undefined : this.notional.div(this.filledQuantity);
  }

  get children(): readonly RoutedChild[] {
    return this.states.map((state) =>
      Object.freeze({
        clientOrderId: state.clientOrderId,
        instrumentId: state.instrumentId,
        quantity: state.quantity,
        limitPrice: state.limitPrice,
        status: state.status,
        filledQuantity: state.filledQuantity,
      }),
    );
  }

  /** Sums the children's fills into the order's. */
  tally(): void {
    let filled = ZERO;
    let notional = ZERO;
    for (const state of this.states) {
      if (state.averagePrice === undefined) continue;
      filled = filled.plus(state.filledQuantity);
      notional = notional.plus(state.filledQuantity.times(state.averagePrice));
    }
    this.filledQuantity = filled;
    this.notional = notional;
  }

  /** The quantity neither filled nor working. */
  rest(): Decimal {
    let working = ZERO;
    for (const state of this.states) {
      if (!isTerminalOrderStatus(state.status))
        working = working.plus(state.quantity.minus(state.filledQuantity));
    }
    const left = this.quantity.minus(this.filledQuantity).minus(working);
    return left.gt(0) ? left : ZERO;
  }
}

/**
 * Routes orders across venues live: it plans each order with {@link routeOrder} over the venues'
 * visible books (best price after fees, never a venue whose breaker is open), sends one IOC limit
 * child per venue of the plan through the order manager, and plans the unfilled rest again when
 * a child ends short: refused (that venue is left out of the order from then on), expired or
 * canceled. {@link LiveRouter.breakerOpened} cancels the children working on a venue whose
 * breaker just opened, so their rest goes elsewhere. An order is `FILLED`, or `DONE` when its
 * rest found no venue or its rounds ran out.
 *
 * @throws `ValidationError` naming `venues` when none is given, or `maxRounds` when not a
 * positive integer
 * @example
 * ```ts
 * import { LiveRouter } from '@qtp/oms';
 * const router = new LiveRouter({ orders: oms, bus, venues: [binance, backup] });
 * const order = router.route('BUY', new Decimal('2'));
 * const done = await order.settled; // done.filledQuantity, done.children
 * ```
 */
export class LiveRouter {
  readonly #orders: RouterOrders;
  readonly #venues: readonly RouterVenue[];
  readonly #maxRounds: number;
  readonly #byChild = new Map<ClientOrderId, RoutedOrderState>();
  readonly #unsubscribe: () => void;
  #count = 0;

  constructor(options: LiveRouterOptions) {
    if (options.venues.length === 0) throw new ValidationError('venues', 'hold a venue', 0);
    const rounds = options.maxRounds ?? 10;
    if (!Number.isInteger(rounds) || rounds < 1) {
      throw new ValidationError('maxRounds', 'be a positive integer', rounds);
    }
    this.#orders = options.orders;
    this.#venues = options.venues;
    this.#maxRounds = rounds;
    this.#unsubscribe = options.bus.subscribe('order.*', (event: OrderEvent) =>
      this.#onEvent(event),
    );
  }

  /**
   * Routes `quantity` to buy or sell and returns the routed order, whose first children are
   * already submitted.
   * @throws `ValidationError` naming `quantity` when it is not above 0
   */
  route(side: OrderSide, quantity: Decimal, parentClientOrderId?: string): RoutedOrder {
    if (!quantity.gt(0)) {
      throw new ValidationError('quantity', 'be greater than 0', quantity.toString());
    }
    const id = parentClientOrderId ?? `route-${++this.#count}`;
    const order = new RoutedOrderState(id, side, quantity);
    this.#plan(order);
    return order;
  }

  /**
   * Tells the router that a venue's breaker opened: it cancels the children working there; the
   * rest they leave is routed to the other venues.
   */
  breakerOpened(instrumentId: InstrumentId): void {
    for (const [clientOrderId, order] of this.#byChild) {
      const child = order.states.find((state) => state.clientOrderId === clientOrderId);
      if (child === undefined || child.instrumentId !== instrumentId) continue;
      if (!isTerminalOrderStatus(child.status))
        void this.#orders.cancel(clientOrderId).catch(() => false);
    }
  }

  /** Stops listening to the bus. */
  dispose(): void {
    this.#unsubscribe();
  }

  // A venue may report a child's whole life inside the call that submits it, so a re-plan asked
  // for while planning runs after the current round's children are all booked.
  #plan(order: RoutedOrderState): void {
    if (order.planning) {
      order.replan = true;
      return;
    }
    order.planning = true;
    try {
      do {
        order.replan = false;
        this.#planOnce(order);
      } while (order.replan && order.status === 'WORKING');
    } finally {
      order.planning = false;
    }
  }

  #planOnce(order: RoutedOrderState): void {
    const rest = order.rest();
    if (rest.isZero()) return;
    if (order.rounds >= this.#maxRounds) {
      this.#finish(order, `${order.rounds} routing rounds used; ${rest} left`);
      return;
    }
    order.rounds++;
    const venues: RouteVenue[] = this.#venues
      .filter((venue) => !order.excluded.has(venue.instrument.id))
      .map((venue) => ({
        instrumentId: venue.instrument.id,
        levels: venue.breakerOpen() ? [] : venue.levels(order.side),
        takerFee: venue.instrument.takerFee,
        healthy: venue.healthy?.() ?? true,
        breakerOpen: venue.breakerOpen(),
        sizeIncrement: venue.instrument.sizeIncrement,
      }));
    const plan = routeOrder(order.side, rest, venues);
    if (plan.slices.length === 0) {
      if (!this.#working(order)) {
        const why = plan.skipped.map((skip) => `${skip.instrumentId} ${skip.reason}`).join(', ');
        this.#finish(order, `no venue takes the rest ${rest}${why === '' ? '' : `: ${why}`}`);
      }
      return;
    }
    for (const slice of plan.slices) {
      const clientOrderId = toClientOrderId(
        `${order.parentClientOrderId}-${order.states.length + 1}`,
      );
      const state: ChildState = {
        clientOrderId,
        instrumentId: slice.instrumentId,
        quantity: slice.quantity,
        limitPrice: slice.limitPrice,
        status: 'INITIALIZED',
        filledQuantity: ZERO,
        averagePrice: undefined,
      };
      // Booked before it is submitted: its reports may come inside the submit call.
      order.states.push(state);
      this.#byChild.set(clientOrderId, order);
      const view = this.#orders.submit({
        clientOrderId,
        instrumentId: slice.instrumentId,
        side: order.side,
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: slice.quantity,
        price: slice.limitPrice,
        tags: [parentTag(order.parentClientOrderId)],
      });
      if (view.status === 'REJECTED' && state.status !== 'REJECTED') {
        // Refused before it left (the rules or the gate): that venue is out for this order.
        state.status = 'REJECTED';
        this.#byChild.delete(clientOrderId);
        order.excluded.add(slice.instrumentId);
        order.replan = true;
      } else if (state.status === 'INITIALIZED') {
        state.status = view.status;
      }
    }
  }

  #working(order: RoutedOrderState): boolean {
    return order.states.some((state) => !isTerminalOrderStatus(state.status));
  }

  #onEvent(event: OrderEvent): void {
    if (event.type === 'order.denied' || event.type === 'order.anomaly') return;
    const order = this.#byChild.get(event.clientOrderId);
    if (order === undefined) return;
    const child = order.states.find((state) => state.clientOrderId === event.clientOrderId)!;
    // Every order event carries the order's filled quantity and average: the child's figures
    // follow them whichever comes first, a fill or the status it leads to.
    if (event.filledQuantity.gt(child.filledQuantity)) {
      child.filledQuantity = event.filledQuantity;
      child.averagePrice = event.averageFillPrice;
      order.tally();
    }
    if (event.type === 'order.fill' || isTerminalOrderStatus(child.status)) {
      if (order.filledQuantity.gte(order.quantity)) this.#finish(order, undefined);
      return;
    }
    child.status = event.status;
    if (!isTerminalOrderStatus(event.status)) return;
    this.#byChild.delete(event.clientOrderId);
    if (event.type === 'order.rejected') order.excluded.add(child.instrumentId);
    if (order.status !== 'WORKING') return;
    if (order.filledQuantity.gte(order.quantity)) {
      this.#finish(order, undefined);
      return;
    }
    this.#plan(order);
  }

  #finish(order: RoutedOrderState, reason: string | undefined): void {
    if (order.status !== 'WORKING') return;
    order.status = order.filledQuantity.gte(order.quantity) ? 'FILLED' : 'DONE';
    order.reason = order.status === 'DONE' ? reason : undefined;
    order.resolve(order);
  }
}
