import {
  type ClientOrderId,
  type Clock,
  canTransition,
  createLogger,
  createOrderRequest,
  type EventPublisher,
  type ExecutionFillEvent,
  type ExecutionOrderUpdateEvent,
  type Fill,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  isQtpError,
  type Logger,
  type OrderAck,
  type OrderGateway,
  OrderNotFoundError,
  type OrderReport,
  type OrderRequestInput,
  type OrderSide,
  type OrderStatus,
  Order,
  RandomIdGenerator,
  type Repository,
  TERMINAL_ORDER_STATUSES,
  type TimerId,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';
import { type OmsEvents, orderEventFields, statusTopic } from './events.js';
import { JournalWriter, type OrderRecord } from './order-journal.js';
import { roundOrderRequest } from './order-rules.js';
import type { OrderView } from './order-view.js';
import { approveAllGate, type PreTradeDecision, type PreTradeGate } from './pre-trade-gate.js';
import { classifyPlacementFailure, lookupDelayMs, messageOf, missingFill } from './reconcile.js';

/**
 * Where the order manager finds instruments: a list, or anything with a `get` by id, such as a
 * `Map` or a provider that loads instruments from the venue.
 */
export type InstrumentLookup =
  | readonly Instrument[]
  | { get(id: InstrumentId): Instrument | undefined };

/** Options of {@link OrderManager}. */
export interface OrderManagerOptions {
  /** The venue orders go to and whose execution reports advance them. */
  gateway: OrderGateway;
  /** The instruments orders may trade, with their rules. */
  instruments: InstrumentLookup;
  /** The clock of order times and of lookup timers; a `SimulatedClock` in backtests. */
  clock: Clock;
  /** Where order events go, usually the engine's `EventBus` (default: nowhere). */
  bus?: EventPublisher<OmsEvents>;
  /** Makes client order ids for requests without one (default a `RandomIdGenerator`). */
  idGenerator?: IdGenerator;
  /** Approves or refuses each request (default {@link approveAllGate}). */
  preTradeGate?: PreTradeGate;
  /**
   * The order journal (default none: nothing is journaled and {@link OrderManager.recover} has
   * nothing to read). With a journal, an order is sent once its first record is stored.
   */
  repository?: Repository<OrderRecord>;
  /** Where failures inside report handling are logged (default `createLogger` at `warn`). */
  logger?: Logger;
  /** The delay before the first lookup of an order whose state is unknown, in ms (default 1 000). */
  lookupDelayMs?: number;
  /** The longest delay between lookups, which double from `lookupDelayMs`, in ms (default 30 000). */
  maxLookupDelayMs?: number;
  /**
   * How long after sending an order the venue may still not know it, in ms (default 10 000):
   * a lookup that finds nothing after this window rejects the order. Keep it above the venue's
   * own receive window (Binance's `recvWindow`, 5 000 by default), after which the venue refuses
   * a late request.
   */
  acknowledgementWindowMs?: number;
  /**
   * How long to wait for fills the venue reported in a status but whose fill events have not
   * arrived, before looking the order up and booking what is missing, in ms (default 5 000).
   */
  fillWaitMs?: number;
}

/** Narrows the orders {@link OrderManager.orders} and {@link OrderManager.openOrders} return. */
export interface OrderFilter {
  /** Only orders of this instrument. */
  instrumentId?: InstrumentId;
  /** Only orders on this side. */
  side?: OrderSide;
  /** Only orders carrying this tag, such as a strategy's name. */
  tag?: string;
  /** Only orders whose state is unknown (`true`) or known (`false`). */
  stateUnknown?: boolean;
}

/** What {@link OrderManager.cancelAll} did. */
export interface CancelAllResult {
  /** The orders whose cancel was sent, or recorded to send on acknowledgement, or done locally. */
  readonly requested: readonly ClientOrderId[];
  /** The orders whose cancel failed, with the error. */
  readonly failed: readonly { readonly clientOrderId: ClientOrderId; readonly error: unknown }[];
}

/** What {@link OrderManager.recover} found in the journal. */
export interface RecoveryResult {
  /** The open orders reloaded, as they stand after reconciliation with the venue. */
  readonly recovered: readonly OrderView[];
  /** Those whose state is still unknown; they are looked up again on the clock. */
  readonly unknown: readonly ClientOrderId[];
  /** Journal records that could not be read back, with the error. */
  readonly unreadable: readonly { readonly id: string; readonly error: unknown }[];
}

// The manager's bookkeeping for one order, beside the order's own state machine.
interface Managed {
  readonly order: Order;
  readonly instrument: Instrument;
  // Set once placeOrder has been called (or may have been, for a recovered order): never again.
  placed: boolean;
  journaled: boolean;
  sentTimeMs: number | undefined;
  unknownSinceMs: number | undefined;
  lookups: number;
  timer: TimerId | undefined;
  // A terminal report whose fills have not all arrived: applied once they have.
  parked: OrderReport | undefined;
  // The filled quantity a report announced before its fill events came; a lookup is due if they do not.
  awaitingFills: OrderReport['filledQuantity'] | undefined;
  cancelOnAck: boolean;
}

const CANCELABLE: readonly OrderStatus[] = ['ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED'];

function positiveMs(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a finite number of milliseconds > 0', value);
  }
  return value;
}

/**
 * The order manager: takes order requests from strategies, rounds and checks them against the
 * instrument's rules, passes them through the pre-trade gate, gives each a unique client order
 * id, journals it, sends it through the gateway once and only once, and advances its state
 * machine from the venue's execution reports (duplicates and reorders included), publishing
 * every change on the bus.
 *
 * A placement whose outcome is unknown (timeout, dropped connection) is never sent again: the
 * order stays SUBMITTED with `stateUnknown` set and is looked up by client order id on the
 * clock, with backoff, until the venue knows it or the acknowledgement window has passed.
 *
 * `submit` is synchronous: without a journal the request reaches the gateway before `submit`
 * returns, so a strategy's bar handler on a `SimulatedClock` needs no awaiting; with a journal
 * the order is sent as soon as its first record is stored (await {@link OrderManager.flush}).
 *
 * @example
 * ```ts
 * import { EventBus, Instrument, instrumentId, SimulatedClock } from '@qtp/core';
 * import { SimulatedExchange } from '@qtp/exchange';
 * import { type OmsEvents, OrderManager } from '@qtp/oms';
 *
 * const btc = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT',
 *   priceIncrement: '0.01', sizeIncrement: '0.0001',
 * });
 * const clock = new SimulatedClock();
 * const bus = new EventBus<OmsEvents>({ clock });
 * const gateway = new SimulatedExchange({ clock, instruments: [btc], balances: { USDT: '10000' } });
 * const oms = new OrderManager({ gateway, instruments: [btc], clock, bus });
 * bus.subscribe('order.accepted', (event) => console.log('accepted', event.clientOrderId));
 * const order = oms.submit({
 *   instrumentId: btc.id, side: 'BUY', type: 'LIMIT', price: '27000.019', quantity: '0.01',
 *   tags: ['sma-cross'],
 * });
 * order.price?.toString(); // '27000.01': a buy price is rounded down to the tick
 * ```
 */
export class OrderManager {
  private readonly gateway: OrderGateway;
  private readonly instruments: InstrumentLookup;
  private readonly clock: Clock;
  private readonly bus: EventPublisher<OmsEvents> | undefined;
  private readonly ids: IdGenerator;
  private readonly gate: PreTradeGate;
  private readonly repository: Repository<OrderRecord> | undefined;
  private readonly writer: JournalWriter | undefined;
  private readonly logger: Logger;
  private readonly lookupMs: number;
  private readonly maxLookupMs: number;
  private readonly ackWindowMs: number;
  private readonly fillWaitMs: number;
  private readonly entries = new Map<ClientOrderId, Managed>();
  private readonly open = new Set<Managed>();
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  /**
   * Creates an order manager and starts listening to the gateway's execution reports.
   * @throws {@link ValidationError} when a duration option is not a positive number
   */
  constructor(options: OrderManagerOptions) {
    this.gateway = options.gateway;
    this.instruments = options.instruments;
    this.clock = options.clock;
    this.bus = options.bus;
    this.ids = options.idGenerator ?? new RandomIdGenerator();
    this.gate = options.preTradeGate ?? approveAllGate;
    this.repository = options.repository;
    this.writer = options.repository && new JournalWriter(options.repository);
    this.logger = (
      options.logger ?? createLogger({ level: 'warn', clock: options.clock })
    ).child({ component: 'oms' });
    this.lookupMs = positiveMs('lookupDelayMs', options.lookupDelayMs, 1_000);
    this.maxLookupMs = positiveMs('maxLookupDelayMs', options.maxLookupDelayMs, 30_000);
    this.ackWindowMs = positiveMs('acknowledgementWindowMs', options.acknowledgementWindowMs, 10_000);
    this.fillWaitMs = positiveMs('fillWaitMs', options.fillWaitMs, 5_000);
    this.gateway.executions.on('orderUpdate', this.onOrderUpdate);
    this.gateway.executions.on('fill', this.onFill);
  }

  /**
   * Takes an order request: rounds it to the instrument's rules, checks it, gives it a client
   * order id (the request's own when it has one), asks the pre-trade gate, journals it and
   * sends it. Returns the order at once: SUBMITTED when it went to the gateway, INITIALIZED while
   * it waits for its journal record, REJECTED (with the gate's reason, published as
   * `order.rejected`) when the gate refused it.
   *
   * @throws {@link ValidationError} listing every structural or instrument rule the rounded
   * request breaks, or naming `clientOrderId` when the id was used before; nothing is recorded
   * @throws {@link UnknownSymbolError} when the manager has no such instrument
   * @example
   * ```ts
   * const order = oms.submit({
   *   instrumentId: btc.id, side: 'SELL', type: 'LIMIT', price: '27000.001', quantity: '0.0105',
   * });
   * order.price?.toString(); // '27000.01': a sell price is rounded up
   * order.quantity.toString(); // '0.01': quantities are rounded down
   * ```
   */
  submit(input: OrderRequestInput): OrderView {
    this.assertOpen();
    const request = roundOrderRequest(input, this.instrumentOf(createOrderRequest(input)));
    const instrument = this.instrumentOf(request);
    const clientOrderId = this.assignId(request.clientOrderId);
    const now = this.clock.now();
    const order = new Order({ ...request, clientOrderId, timeMs: now });
    const entry: Managed = {
      order,
      instrument,
      placed: false,
      journaled: this.writer !== undefined,
      sentTimeMs: undefined,
      unknownSinceMs: undefined,
      lookups: 0,
      timer: undefined,
      parked: undefined,
      awaitingFills: undefined,
      cancelOnAck: false,
    };
    this.entries.set(clientOrderId, entry);
    this.open.add(entry);

    const decision = this.ask(order, instrument, now);
    if (!decision.approved) {
      order.reject(decision.reason, now);
      this.changed(entry);
      return order;
    }
    if (this.writer === undefined) {
      this.send(entry);
      return order;
    }
    this.track(
      this.writer
        .write(clientOrderId, () => this.record(entry))
        .then(
          () => this.guard(entry, () => this.send(entry)),
          (error: unknown) => this.guard(entry, () => this.journalFailed(entry, error)),
        ),
    );
    return order;
  }

  /**
   * Cancels an order. An order not yet sent is canceled at once; one sent but not yet
   * acknowledged is canceled as soon as the venue acknowledges it (the venue may not know it
   * yet); a working order moves to PENDING_CANCEL and the cancel goes to the gateway, whose
   * reports finish the job.
   *
   * @returns true when a cancel was done, sent or recorded; false when the order is already
   * terminal, already pending cancel, or no longer open at the venue (a lookup follows)
   * @throws {@link OrderNotFoundError} when the manager has no order with this id
   * @throws what the gateway's `cancelOrder` throws otherwise; the order returns to its status
   */
  async cancel(clientOrderId: ClientOrderId): Promise<boolean> {
    const entry = this.entries.get(clientOrderId);
    if (entry === undefined) {
      throw new OrderNotFoundError(`unknown order ${clientOrderId}`, {
        details: { clientOrderId },
      });
    }
    const { order } = entry;
    if (order.isTerminal || order.status === 'PENDING_CANCEL') return false;
    const now = this.clock.now();
    if (order.status === 'INITIALIZED') {
      order.cancel(now);
      this.changed(entry);
      return true;
    }
    if (order.status === 'SUBMITTED') {
      entry.cancelOnAck = true;
      return true;
    }
    order.requestCancel(now);
    this.changed(entry);
    const ref =
      order.venueOrderId === undefined
        ? { instrumentId: order.instrumentId, clientOrderId }
        : { instrumentId: order.instrumentId, clientOrderId, venueOrderId: order.venueOrderId };
    try {
      await this.gateway.cancelOrder(ref);
      return true;
    } catch (error) {
      // Reports may have moved the order while the cancel was under way.
      if ((order.status as OrderStatus) === 'PENDING_CANCEL') this.cancelRefused(entry, messageOf(error));
      if (isQtpError(error, 'ORDER_NOT_FOUND')) {
        // Filled or canceled meanwhile: its reports, or a lookup, will say which.
        this.scheduleLookup(entry, this.lookupMs);
        return false;
      }
      throw error;
    }
  }

  /**
   * Cancels every order that has not reached a terminal status, of one instrument or of all.
   * @returns which cancels were requested and which failed, with the error
   */
  async cancelAll(instrumentId?: InstrumentId): Promise<CancelAllResult> {
    const targets = [...this.open]
      .map((entry) => entry.order)
      .filter((order) => instrumentId === undefined || order.instrumentId === instrumentId);
    const outcomes = await Promise.allSettled(
      targets.map((order) => this.cancel(order.clientOrderId)),
    );
    const requested: ClientOrderId[] = [];
    const failed: { clientOrderId: ClientOrderId; error: unknown }[] = [];
    outcomes.forEach((outcome, index) => {
      const { clientOrderId } = targets[index]!;
      if (outcome.status === 'rejected') failed.push({ clientOrderId, error: outcome.reason });
      else if (outcome.value) requested.push(clientOrderId);
    });
    return { requested, failed };
  }

  /** Returns the order with this client order id, or `undefined` when the manager has none. */
  getOrder(clientOrderId: ClientOrderId): OrderView | undefined {
    return this.entries.get(clientOrderId)?.order;
  }

  /**
   * Returns every order the manager knows (since it was created or recovered), in submission
   * order, narrowed by `filter`: `orders({ tag: 'sma-cross' })` lists one strategy's orders.
   */
  orders(filter: OrderFilter = {}): OrderView[] {
    return this.select(this.entries.values(), filter);
  }

  /**
   * Returns the orders that have not reached a terminal status, narrowed by `filter`. Unlike
   * `Order.isOpen`, this includes an order waiting for its journal record: it will be sent.
   */
  openOrders(filter: OrderFilter = {}): OrderView[] {
    return this.select(this.open, filter);
  }

  /** Returns true when the order's placement outcome is unknown and it is being looked up. */
  isStateUnknown(clientOrderId: ClientOrderId): boolean {
    return this.entries.get(clientOrderId)?.unknownSinceMs !== undefined;
  }

  /**
   * Looks up every order whose state is unknown now, without waiting for its timer.
   * @returns the orders whose state is still unknown afterwards
   */
  async resolveUnknown(): Promise<ClientOrderId[]> {
    const unknown = [...this.open].filter((entry) => entry.unknownSinceMs !== undefined);
    for (const entry of unknown) {
      this.clearTimer(entry);
      await this.lookup(entry);
    }
    return this.orders({ stateUnknown: true }).map((order) => order.clientOrderId);
  }

  /**
   * Reloads the open orders from the journal after a restart and reconciles each with the
   * venue by `fetchOrder`: statuses the venue reached meanwhile are applied, fills missing
   * locally are booked, an order the venue does not know and never acknowledged is rejected
   * once the acknowledgement window has passed (it is never sent again), and an order whose
   * lookup fails stays unknown and is looked up again on the clock. Call it once, before
   * submitting.
   *
   * @throws {@link ValidationError} when the manager has no journal
   * @throws what the repository throws when the journal cannot be read
   * @example
   * ```ts
   * import { InMemoryDataStore } from '@qtp/core';
   * import { OrderManager, orderRecords } from '@qtp/oms';
   * const repository = store.repository(orderRecords);
   * const oms = new OrderManager({ gateway, instruments, clock, repository });
   * const { recovered, unknown } = await oms.recover();
   * ```
   */
  async recover(): Promise<RecoveryResult> {
    this.assertOpen();
    if (this.repository === undefined || this.writer === undefined) {
      throw new ValidationError('repository', 'be given to recover from the journal', undefined);
    }
    const records = await this.repository.find({
      where: { status: { notIn: TERMINAL_ORDER_STATUSES } },
      orderBy: [{ field: 'id' }],
    });
    const unreadable: { id: string; error: unknown }[] = [];
    const recovered: Managed[] = [];
    for (const record of records) {
      if (this.entries.has(record.id)) continue;
      try {
        recovered.push(this.reload(record));
      } catch (error) {
        unreadable.push({ id: record.id, error });
      }
    }
    recovered.sort((a, b) => a.order.createdTimeMs - b.order.createdTimeMs);
    for (const entry of recovered) this.entries.set(entry.order.clientOrderId, entry);
    for (const entry of recovered) await this.reconcile(entry);
    return {
      recovered: recovered.map((entry) => entry.order),
      unknown: recovered
        .filter((entry) => entry.unknownSinceMs !== undefined)
        .map((entry) => entry.order.clientOrderId),
      unreadable,
    };
  }

  /**
   * Resolves when every journal write started so far has finished, every order waiting for its
   * journal record has been handed to the gateway and every lookup under way has been applied.
   * It does not wait for placements and cancels, which on a `SimulatedClock` with latency settle
   * only as the clock advances.
   */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * Stops listening to the gateway and cancels the lookup timers. Orders waiting for their
   * journal record are not sent; {@link OrderManager.recover} on a new manager resolves them.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.gateway.executions.off('orderUpdate', this.onOrderUpdate);
    this.gateway.executions.off('fill', this.onFill);
    for (const entry of this.entries.values()) this.clearTimer(entry);
  }

  // -- submission ----------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new ValidationError('orderManager', 'be open', 'closed');
  }

  private instrumentOf(request: { readonly instrumentId: InstrumentId }): Instrument {
    const id = request.instrumentId;
    const instrument = Array.isArray(this.instruments)
      ? (this.instruments as readonly Instrument[]).find((candidate) => candidate.id === id)
      : (this.instruments as { get(id: InstrumentId): Instrument | undefined }).get(id);
    if (instrument === undefined) throw new UnknownSymbolError(String(id));
    return instrument;
  }

  private assignId(requested: ClientOrderId | undefined): ClientOrderId {
    if (requested !== undefined) {
      if (this.entries.has(requested)) {
        throw new ValidationError('clientOrderId', 'not repeat the id of an earlier order', requested);
      }
      return requested;
    }
    // A seeded generator restarted with its seed repeats itself; skip what is taken.
    for (let attempt = 0; attempt < 100; attempt++) {
      const id = this.ids.next();
      if (!this.entries.has(id)) return id;
    }
    throw new ValidationError('idGenerator', 'produce an unused client order id', undefined);
  }

  private ask(order: Order, instrument: Instrument, timeMs: number): PreTradeDecision {
    const openOrders = [...this.open].filter((entry) => entry.order !== order).map((e) => e.order);
    try {
      const decision = this.gate.check(order.toRequest(), { instrument, timeMs, openOrders });
      if (decision?.approved === true) return decision;
      if (decision?.approved === false && typeof decision.reason === 'string') return decision;
      return { approved: false, reason: 'the pre-trade gate returned no decision' };
    } catch (error) {
      this.logger.error('pre-trade gate threw; the request is refused', {
        err: error,
        clientOrderId: order.clientOrderId,
      });
      return { approved: false, reason: `the pre-trade gate failed: ${messageOf(error)}` };
    }
  }

  private journalFailed(entry: Managed, error: unknown): void {
    const { order } = entry;
    const reason = isQtpError(error, 'CONCURRENCY_CONFLICT')
      ? 'the client order id is already in the journal'
      : `the journal write failed: ${messageOf(error)}`;
    // Someone else's record holds this id: never overwrite it.
    if (isQtpError(error, 'CONCURRENCY_CONFLICT')) entry.journaled = false;
    this.logger.error('order not sent: it could not be journaled', {
      err: error,
      clientOrderId: order.clientOrderId,
    });
    if (order.status === 'INITIALIZED') this.reject(entry, reason);
  }

  private send(entry: Managed): void {
    const { order } = entry;
    // `placed` is the one guard between an order and a second placeOrder.
    if (entry.placed || order.status !== 'INITIALIZED' || this.closed) return;
    entry.placed = true;
    const now = this.clock.now();
    order.submit(now);
    entry.sentTimeMs = now;
    this.changed(entry);
    let placing: Promise<OrderAck>;
    try {
      placing = this.gateway.placeOrder(order.toRequest());
    } catch (error) {
      placing = Promise.reject(error);
    }
    placing.then(
      (ack) => this.guard(entry, () => this.onAck(entry, ack)),
      (error: unknown) => this.guard(entry, () => this.onPlaceFailed(entry, error)),
    );
  }

  private onAck(entry: Managed, ack: OrderAck): void {
    const { order } = entry;
    if (ack.clientOrderId !== order.clientOrderId) {
      this.logger.warn('acknowledgement for another order ignored', {
        clientOrderId: order.clientOrderId,
        ackClientOrderId: ack.clientOrderId,
      });
      return;
    }
    this.markKnown(entry);
    if (ack.status === 'REJECTED') {
      this.reject(entry, 'rejected by the venue on acknowledgement');
      return;
    }
    this.acceptIfSubmitted(entry, ack.venueOrderId, ack.timeMs);
    // The acknowledgement says where the order went but not what filled: ask when it went further.
    if (ack.status !== 'ACCEPTED' && ack.status !== 'SUBMITTED' && !order.isTerminal) {
      this.scheduleLookup(entry, this.fillWaitMs);
    }
    this.settle(entry);
  }

  private onPlaceFailed(entry: Managed, error: unknown): void {
    const { order } = entry;
    // The venue's reports may have settled the order before the placement call returned.
    if (order.status !== 'SUBMITTED') return;
    if (classifyPlacementFailure(error) === 'rejected') {
      this.reject(entry, messageOf(error));
      return;
    }
    this.markUnknown(entry, messageOf(error));
  }

  // -- execution reports ---------------------------------------------------------------------

  private readonly onOrderUpdate = (event: ExecutionOrderUpdateEvent): void => {
    const entry = this.entries.get(event.report.clientOrderId);
    if (entry === undefined || entry.order.instrumentId !== event.report.instrumentId) return;
    this.guard(entry, () => this.applyReport(entry, event.report, false));
  };

  private readonly onFill = (event: ExecutionFillEvent): void => {
    const entry = this.entries.get(event.fill.clientOrderId);
    if (entry === undefined || entry.order.instrumentId !== event.fill.instrumentId) return;
    this.guard(entry, () => {
      this.markKnown(entry);
      this.book(entry, event.fill);
    });
  };

  private book(entry: Managed, fill: Fill): void {
    const { order } = entry;
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    if (order.isTerminal) {
      if (!order.fills.some((seen) => seen.tradeId === fill.tradeId)) {
        this.logger.warn('fill for a terminal order ignored', {
          clientOrderId: order.clientOrderId,
          tradeId: fill.tradeId,
          status: order.status,
        });
      }
      return;
    }
    if (!order.applyFill(fill)) return;
    this.journal(entry);
    this.publish('order.fill', { type: 'order.fill', ...this.fields(entry), fill });
    this.announce(entry);
    const parked = entry.parked;
    if (parked !== undefined && order.filledQuantity.gte(parked.filledQuantity)) {
      entry.parked = undefined;
      this.applyReport(entry, parked, false);
    }
    const awaited = entry.awaitingFills;
    if (awaited !== undefined && order.filledQuantity.gte(awaited)) {
      entry.awaitingFills = undefined;
      if (entry.unknownSinceMs === undefined) this.clearTimer(entry);
    }
    this.settle(entry);
  }

  /**
   * Applies what the venue says of an order. From the stream (`lookedUp` false), fills are left
   * to their own events and a terminal status waits for them; from a lookup, fills missing
   * locally are booked first, since their events were lost.
   */
  private applyReport(entry: Managed, report: OrderReport, lookedUp: boolean): void {
    const { order } = entry;
    this.markKnown(entry);
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    if (order.isTerminal) {
      if (report.status !== order.status) {
        this.logger.warn('report for a terminal order ignored', {
          clientOrderId: order.clientOrderId,
          status: order.status,
          reported: report.status,
        });
      }
      return;
    }
    const { status, venueOrderId, timeMs } = report;
    if (status === 'REJECTED') {
      if (canTransition(order.status, 'REJECTED')) {
        order.reject(report.rejectReason ?? 'rejected by the venue', timeMs);
        this.changed(entry);
      }
      return;
    }
    if (status === 'SUBMITTED' || status === 'INITIALIZED') return;
    this.acceptIfSubmitted(entry, venueOrderId, timeMs);
    if (lookedUp) {
      const fill = missingFill(order, report, entry.instrument);
      if (fill !== undefined) this.book(entry, fill);
    }
    const missing = report.filledQuantity.gt(order.filledQuantity);
    if (status === 'TRIGGERED' && order.status === 'ACCEPTED' && order.triggerPrice !== undefined) {
      order.trigger(timeMs);
      this.changed(entry);
    } else if ((status === 'CANCELED' || status === 'EXPIRED') && !order.isTerminal) {
      if (missing) {
        entry.parked = report;
      } else if (canTransition(order.status, status)) {
        if (status === 'CANCELED') order.cancel(timeMs);
        else order.expire(timeMs);
        this.changed(entry);
      }
    }
    if (missing && !order.isTerminal) {
      if (lookedUp) {
        this.logger.error('the venue reports fills that cannot be booked: no average price', {
          clientOrderId: order.clientOrderId,
          filledQuantity: report.filledQuantity.toString(),
        });
      }
      entry.awaitingFills = report.filledQuantity;
      this.scheduleLookup(entry, this.fillWaitMs);
    }
    this.settle(entry);
  }

  private acceptIfSubmitted(entry: Managed, venueOrderId: string, timeMs: number): void {
    if (entry.order.status !== 'SUBMITTED') return;
    entry.order.accept(venueOrderId, timeMs);
    this.changed(entry);
  }

  // A recovered order journaled before it was marked sent, now proven sent by the venue.
  private submitRecovered(entry: Managed): void {
    const now = this.clock.now();
    entry.order.submit(now);
    entry.placed = true;
    entry.sentTimeMs ??= now;
    this.changed(entry);
  }

  // -- unknown outcomes, lookups and recovery ------------------------------------------------

  private markUnknown(entry: Managed, reason: string): void {
    if (entry.unknownSinceMs === undefined) {
      entry.unknownSinceMs = this.clock.now();
      this.journal(entry);
      this.publish('order.stateUnknown', {
        type: 'order.stateUnknown',
        ...this.fields(entry),
        reason,
      });
    }
    this.scheduleLookup(entry, lookupDelayMs(entry.lookups, this.lookupMs, this.maxLookupMs));
  }

  private markKnown(entry: Managed): void {
    if (entry.unknownSinceMs === undefined) return;
    entry.unknownSinceMs = undefined;
    entry.lookups = 0;
    this.clearTimer(entry);
    this.journal(entry);
  }

  private scheduleLookup(entry: Managed, delayMs: number): void {
    if (entry.timer !== undefined || entry.order.isTerminal || this.closed) return;
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.track(this.lookup(entry));
    }, delayMs);
  }

  private clearTimer(entry: Managed): void {
    if (entry.timer === undefined) return;
    this.clock.cancel(entry.timer);
    entry.timer = undefined;
  }

  private async lookup(entry: Managed): Promise<void> {
    const { order } = entry;
    if (order.isTerminal || this.closed) return;
    entry.lookups += 1;
    let report: OrderReport;
    try {
      report = await this.gateway.fetchOrder({
        instrumentId: order.instrumentId,
        clientOrderId: order.clientOrderId,
      });
    } catch (error) {
      this.guard(entry, () => this.lookupFailed(entry, error));
      return;
    }
    this.guard(entry, () => this.applyReport(entry, report, true));
  }

  private lookupFailed(entry: Managed, error: unknown): void {
    const { order } = entry;
    if (order.isTerminal) return;
    const notFound = isQtpError(error, 'ORDER_NOT_FOUND');
    const sentMs = entry.sentTimeMs ?? order.createdTimeMs;
    const windowPassed = this.clock.now() - sentMs >= this.ackWindowMs;
    if (notFound && windowPassed && canTransition(order.status, 'REJECTED')) {
      this.reject(entry, `the venue does not know the order ${this.ackWindowMs} ms after it was sent`);
      return;
    }
    // Not found yet, or no answer: the order may be at the venue, so it counts as sent.
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    if (notFound || order.status === 'SUBMITTED') {
      if (order.status !== 'SUBMITTED') {
        this.logger.error('the venue does not know an order it acknowledged', {
          clientOrderId: order.clientOrderId,
          status: order.status,
        });
      }
      this.markUnknown(entry, messageOf(error));
      return;
    }
    this.logger.warn('order lookup failed; trying again', {
      err: error,
      clientOrderId: order.clientOrderId,
    });
    this.scheduleLookup(entry, lookupDelayMs(entry.lookups, this.lookupMs, this.maxLookupMs));
  }

  private reload(record: OrderRecord): Managed {
    const order = Order.fromSnapshot(record.order);
    const entry: Managed = {
      order,
      instrument: this.instrumentOf(order),
      // Journaled means possibly sent: a recovered order is looked up, never placed again.
      placed: true,
      journaled: true,
      sentTimeMs: record.sentTimeMs ?? undefined,
      unknownSinceMs: record.unknownSinceMs ?? undefined,
      lookups: 0,
      timer: undefined,
      parked: undefined,
      awaitingFills: undefined,
      cancelOnAck: false,
    };
    this.writer!.adopt(record.id, record.version);
    this.open.add(entry);
    return entry;
  }

  private async reconcile(entry: Managed): Promise<void> {
    const { order } = entry;
    let report: OrderReport;
    try {
      report = await this.gateway.fetchOrder({
        instrumentId: order.instrumentId,
        clientOrderId: order.clientOrderId,
      });
    } catch (error) {
      this.guard(entry, () => this.lookupFailed(entry, error));
      return;
    }
    this.guard(entry, () => {
      this.applyReport(entry, report, true);
      // A cancel in flight at the crash either reached the venue, which then reports the order
      // canceled, or died with the process.
      if (order.status === 'PENDING_CANCEL' && CANCELABLE.includes(report.status)) {
        this.cancelRefused(entry, 'the cancel did not reach the venue before the restart');
      }
    });
  }

  // -- state changes: journal, bus, bookkeeping ---------------------------------------------

  private reject(entry: Managed, reason: string): void {
    const { order } = entry;
    if (!canTransition(order.status, 'REJECTED')) return;
    order.reject(reason, this.clock.now());
    this.changed(entry);
  }

  private cancelRefused(entry: Managed, reason: string): void {
    entry.order.rejectCancel(this.clock.now());
    this.journal(entry);
    this.publish('order.cancelRejected', {
      type: 'order.cancelRejected',
      ...this.fields(entry),
      reason,
    });
    this.settle(entry);
  }

  private changed(entry: Managed): void {
    this.journal(entry);
    this.announce(entry);
    this.settle(entry);
  }

  private announce(entry: Managed): void {
    const { order } = entry;
    if (order.status === 'REJECTED') {
      this.publish('order.rejected', {
        type: 'order.rejected',
        ...this.fields(entry),
        reason: order.rejectReason ?? '',
      });
      return;
    }
    const topic = statusTopic(order.status);
    if (topic !== undefined) this.publish(topic, { type: topic, ...this.fields(entry) });
  }

  private settle(entry: Managed): void {
    const { order } = entry;
    if (order.isTerminal) {
      this.open.delete(entry);
      this.clearTimer(entry);
      entry.parked = undefined;
      entry.cancelOnAck = false;
      if (entry.unknownSinceMs !== undefined) {
        entry.unknownSinceMs = undefined;
        this.journal(entry);
      }
      return;
    }
    if (entry.cancelOnAck && CANCELABLE.includes(order.status)) {
      entry.cancelOnAck = false;
      this.cancel(order.clientOrderId).catch((error: unknown) =>
        this.logger.error('cancel after acknowledgement failed', {
          err: error,
          clientOrderId: order.clientOrderId,
        }),
      );
    }
  }

  private fields(entry: Managed) {
    return orderEventFields(entry.order, entry.unknownSinceMs !== undefined, this.clock.now());
  }

  private publish<K extends keyof OmsEvents>(topic: K, payload: OmsEvents[K]): void {
    Object.freeze(payload);
    this.bus?.publish(topic, payload);
  }

  private record(entry: Managed): Omit<OrderRecord, 'version'> {
    const { order } = entry;
    return {
      id: order.clientOrderId,
      instrumentId: order.instrumentId,
      status: order.status,
      sentTimeMs: entry.sentTimeMs ?? null,
      unknownSinceMs: entry.unknownSinceMs ?? null,
      order: order.toSnapshot(),
    };
  }

  private journal(entry: Managed): void {
    if (this.writer === undefined || !entry.journaled) return;
    const id = entry.order.clientOrderId;
    this.track(
      this.writer
        .write(id, () => this.record(entry))
        .catch((error: unknown) =>
          this.logger.error('journal write failed', { err: error, clientOrderId: id }),
        ),
    );
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    const done = () => {
      this.pending.delete(work);
    };
    work.then(done, done);
  }

  // Report handlers run inside the gateway's emitter: a failure here must not reach the venue.
  private guard(entry: Managed, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error('execution report could not be applied', {
        err: error,
        clientOrderId: entry.order.clientOrderId,
        status: entry.order.status,
      });
    }
  }

  private select(entries: Iterable<Managed>, filter: OrderFilter): OrderView[] {
    const result: OrderView[] = [];
    for (const entry of entries) {
      const { order } = entry;
      if (filter.instrumentId !== undefined && order.instrumentId !== filter.instrumentId) continue;
      if (filter.side !== undefined && order.side !== filter.side) continue;
      if (filter.tag !== undefined && !order.tags.includes(filter.tag)) continue;
      if (
        filter.stateUnknown !== undefined &&
        (entry.unknownSinceMs !== undefined) !== filter.stateUnknown
      ) {
        continue;
      }
      result.push(order);
    }
    return result;
  }
}
