import type {
  BalanceView,
  OrderDenial,
  OrderRequest,
  OrderView,
  PositionView,
  PreTradeGate,
} from '@qtp/core';
import {
  type ClientOrderId,
  type Clock,
  createConsoleLogger,
  createOrderRequest,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  isQtpError,
  type Logger,
  Order,
  type OrderAnomalyKind,
  type OrderGateway,
  OrderNotFoundError,
  type OrderReport,
  type OrderRequestInput,
  type OrderStatus,
  RandomIdGenerator,
  TERMINAL_ORDER_STATUSES,
  type TimerId,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';
import { type AdoptOptions, orderFromReport } from './adopted-order.js';
import { ExecutionTracker } from './execution-tracker.js';
import { JournalWriter, type OrderJournal, type OrderRecord } from './order-journal.js';
import { type ManagedOrder, manage, type OrderFilter, OrderLedger } from './order-ledger.js';
import type {
  CancelAllResult,
  CancelFailure,
  InstrumentLookup,
  InstrumentSource,
  OrderManagerOptions,
  OrderManagerStats,
  ReconcileResult,
  RecoveryResult,
  UnreadableRecord,
} from './order-manager-options.js';
import { roundRequest } from './order-rules.js';
import { approveAllGate } from './pre-trade-gate.js';
import { messageOf } from './reconcile.js';

/** Returns the denial of a request that breaks the instrument's rules. */
function rulesDenial(error: ValidationError): OrderDenial {
  const issue = error.issues[0];
  const attempted = issue?.value;
  return {
    source: 'rules',
    code: 'INVALID_ORDER',
    message: error.message,
    field: error.field,
    ...(attempted === undefined ? {} : { attempted: String(attempted) }),
  };
}

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
  private readonly ids: IdGenerator;
  private readonly gate: PreTradeGate;
  private readonly positions: PositionView | undefined;
  private readonly balances: BalanceView | undefined;
  private readonly journal: OrderJournal | undefined;
  private readonly writer: JournalWriter | undefined;
  private readonly logger: Logger;
  private readonly ledger: OrderLedger;
  private readonly tracker: ExecutionTracker;
  private reconcileTimer: TimerId | undefined;
  private readonly journaledIds = new Set<string>();
  private closed = false;

  /**
   * Creates an order manager and starts listening to the gateway's execution reports.
   * @throws `ValidationError` when a duration option is not a positive number
   */
  constructor(options: OrderManagerOptions) {
    this.gateway = options.gateway;
    this.instruments = options.instruments;
    this.clock = options.clock;
    this.ids = options.idGenerator ?? new RandomIdGenerator();
    this.gate = options.preTradeGate ?? approveAllGate;
    this.positions = options.positions;
    this.balances = options.balances;
    this.journal = options.journal;
    this.writer = options.journal && new JournalWriter(options.journal);
    this.logger = (options.logger ?? createConsoleLogger({ level: 'warn' })).child({
      component: 'oms',
    });
    const timing = {
      lookupDelayMs: positiveMs('lookupDelayMs', options.lookupDelayMs, 1_000),
      maxLookupDelayMs: positiveMs('maxLookupDelayMs', options.maxLookupDelayMs, 30_000),
      acknowledgementWindowMs: positiveMs(
        'acknowledgementWindowMs',
        options.acknowledgementWindowMs,
        10_000,
      ),
      fillWaitMs: positiveMs('fillWaitMs', options.fillWaitMs, 5_000),
      submitTimeoutMs: positiveMs('submitTimeoutMs', options.submitTimeoutMs, 10_000),
      cancelTimeoutMs: positiveMs('cancelTimeoutMs', options.cancelTimeoutMs, 10_000),
    };
    const intervalMs =
      options.reconcileIntervalMs === undefined
        ? undefined
        : positiveMs('reconcileIntervalMs', options.reconcileIntervalMs, 60_000);
    this.ledger = new OrderLedger({
      clock: this.clock,
      bus: options.bus,
      writer: this.writer,
      logger: this.logger,
      onWorking: (entry) => this.cancelAfterAck(entry),
    });
    this.tracker = new ExecutionTracker(this.ledger, this.gateway, this.clock, this.logger, timing);
    this.tracker.attach();
    if (intervalMs !== undefined) {
      this.reconcileTimer = this.clock.setInterval(() => {
        this.ledger.track(
          this.reconcile().then(
            () => undefined,
            (error: unknown) => this.logger.error('reconciliation failed', { err: error }),
          ),
        );
      }, intervalMs);
    }
  }

  /**
   * Takes an order request: rounds it to the instrument's rules, checks it, gives it a client
   * order id (the request's own when it has one), asks the pre-trade gate, journals it and
   * sends it. Returns the order at once: SUBMITTED (or further, when the venue answered at once)
   * once it went to the gateway, INITIALIZED while it waits for its journal record.
   *
   * A request the instrument's rules or the pre-trade gate refuse does not throw: it is published
   * as `order.denied` with a typed {@link OrderDenial} (source `rules` or `gate`) and returned as
   * a REJECTED order whose `rejectReason` is the denial's message. A denied order is kept in
   * memory ({@link OrderManager.getOrder}), never journaled and never sent.
   *
   * @throws `ValidationError` when the input is not an order request at all (a missing field,
   * a negative quantity), or naming `clientOrderId` when the id was used before, or when the
   * manager is closed; nothing is recorded
   * @throws `UnknownSymbolError` when the manager has no such instrument
   * @example
   * ```ts
   * const order = oms.submit({
   *   instrumentId: btc.id, side: 'SELL', type: 'LIMIT', price: '27000.001', quantity: '0.0105',
   * });
   * order.price?.toString(); // '27000.01': a sell price is rounded up
   * order.quantity.toString(); // '0.01': quantities are rounded down
   * const tiny = oms.submit({ instrumentId: btc.id, side: 'BUY', type: 'MARKET', quantity: '0' });
   * tiny.status; // 'REJECTED', and `order.denied` says which rule
   * ```
   */
  submit(input: OrderRequestInput): OrderView {
    this.assertOpen();
    // Checked once, here where it comes in; everything after works on the checked request.
    const checked = createOrderRequest(input);
    const instrument = this.instrumentOf(checked);
    const clientOrderId = this.assignId(checked.clientOrderId);
    const now = this.clock.now();
    let request: OrderRequest;
    try {
      request = roundRequest(checked, instrument);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return this.deny(checked, clientOrderId, instrument, rulesDenial(error), now);
    }
    const order = Order.fromRequest(request, clientOrderId, now);
    const denial = this.ask(order, instrument, now);
    if (denial !== undefined) return this.deny(request, clientOrderId, instrument, denial, now);
    const entry = manage(order, instrument, { journaled: this.writer !== undefined });
    this.ledger.add(entry);
    if (this.writer === undefined) {
      this.send(entry);
      return order;
    }
    this.ledger.track(
      this.ledger.write(entry).then(
        () => this.ledger.guard(entry, () => this.send(entry)),
        (error: unknown) => this.ledger.guard(entry, () => this.journalFailed(entry, error)),
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
   * @throws `OrderNotFoundError` when the manager has no order with this id
   * @throws what the gateway's `cancelOrder` throws otherwise; the order returns to its status
   */
  async cancel(clientOrderId: ClientOrderId): Promise<boolean> {
    const entry = this.ledger.entries.get(clientOrderId);
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
      this.ledger.changed(entry);
      return true;
    }
    if (order.status === 'SUBMITTED') {
      entry.cancelOnAck = true;
      return true;
    }
    order.requestCancel(now);
    entry.cancelSinceMs = now;
    this.ledger.changed(entry);
    this.tracker.armCancelDeadline(entry);
    const ref =
      order.venueOrderId === undefined
        ? { instrumentId: order.instrumentId, clientOrderId }
        : { instrumentId: order.instrumentId, clientOrderId, venueOrderId: order.venueOrderId };
    try {
      await this.gateway.cancelOrder(ref);
      return true;
    } catch (error) {
      // Reports may have moved the order while the cancel was under way.
      if ((order.status as OrderStatus) === 'PENDING_CANCEL') {
        this.ledger.cancelRefused(entry, messageOf(error));
      }
      if (isQtpError(error, 'ORDER_NOT_FOUND')) {
        // Filled or canceled meanwhile: its reports will say which, or a lookup once they are late.
        this.tracker.awaitReports(entry);
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
    const targets = [...this.ledger.open]
      .map((entry) => entry.order)
      .filter((order) => instrumentId === undefined || order.instrumentId === instrumentId);
    const outcomes = await Promise.allSettled(
      targets.map((order) => this.cancel(order.clientOrderId)),
    );
    const requested: ClientOrderId[] = [];
    const failed: CancelFailure[] = [];
    outcomes.forEach((outcome, index) => {
      const { clientOrderId } = targets[index]!;
      if (outcome.status === 'rejected') failed.push({ clientOrderId, error: outcome.reason });
      else if (outcome.value) requested.push(clientOrderId);
    });
    return { requested, failed };
  }

  /** Returns the order with this client order id, or `undefined` when the manager has none. */
  getOrder(clientOrderId: ClientOrderId): OrderView | undefined {
    return this.ledger.entries.get(clientOrderId)?.order;
  }

  /**
   * Returns every order the manager knows (since it was created or recovered), in submission
   * order, narrowed by `filter`: `orders({ tag: 'sma-cross' })` lists one strategy's orders.
   */
  orders(filter: OrderFilter = {}): OrderView[] {
    return this.ledger.select(this.ledger.entries.values(), filter);
  }

  /**
   * Returns the orders that have not reached a terminal status, narrowed by `filter`. Unlike
   * `Order.isOpen`, this includes an order waiting for its journal record: it will be sent.
   */
  openOrders(filter: OrderFilter = {}): OrderView[] {
    return this.ledger.select(this.ledger.open, filter);
  }

  /**
   * Returns the manager's counters: venue reports refused or unmatched, by anomaly kind, and
   * requests denied before they were sent. Every count has an event of its own on the bus.
   * @example
   * ```ts
   * const { anomalies } = oms.stats();
   * if (anomalies.TRADE_ID_CONFLICT > 0) console.warn('the venue repeated a trade id');
   * ```
   */
  stats(): OrderManagerStats {
    const anomalies = Object.fromEntries(this.ledger.anomalies) as Record<OrderAnomalyKind, number>;
    return { anomalies, denied: this.ledger.denied };
  }

  /** Returns true when the order's placement outcome is unknown and it is being looked up. */
  isStateUnknown(clientOrderId: ClientOrderId): boolean {
    return this.ledger.entries.get(clientOrderId)?.unknownSinceMs !== undefined;
  }

  /**
   * Looks up every order whose state is unknown now, without waiting for its timer.
   * @returns the orders whose state is still unknown afterwards
   */
  async resolveUnknown(): Promise<ClientOrderId[]> {
    const unknown = [...this.ledger.open].filter((entry) => entry.unknownSinceMs !== undefined);
    for (const entry of unknown) {
      this.ledger.clearTimer(entry);
      await this.tracker.lookup(entry);
    }
    return this.orders({ stateUnknown: true }).map((order) => order.clientOrderId);
  }

  /**
   * Reconciles every open and in-flight order with the venue now: each is looked up by client
   * order id, statuses the venue reached are applied, fills missing locally are fetched and
   * booked by trade id, a placement the venue does not know is resolved as after a timeout, and
   * a cancel pending past `cancelTimeoutMs` whose order is still working at the venue is
   * reverted. Orders waiting for their journal record are left to it.
   * @returns how many orders were looked up and which are still unknown
   * @example
   * ```ts
   * const { unknown } = await oms.reconcile();
   * if (unknown.length > 0) console.warn('still unknown', unknown);
   * ```
   */
  async reconcile(): Promise<ReconcileResult> {
    const targets = [...this.ledger.open];
    let checked = 0;
    for (const entry of targets) {
      if (entry.order.isTerminal || (entry.order.status === 'INITIALIZED' && !entry.placed))
        continue;
      checked += 1;
      await this.tracker.reconcile(entry);
    }
    return {
      checked,
      unknown: this.orders({ stateUnknown: true }).map((order) => order.clientOrderId),
    };
  }

  /**
   * Reloads the open orders from the journal after a restart and reconciles each with the
   * venue by `fetchOrder`: statuses the venue reached meanwhile are applied, fills missing
   * locally are fetched and booked by trade id, an order the venue does not know and never acknowledged is rejected
   * once the acknowledgement window has passed (it is never sent again), and an order whose
   * lookup fails stays unknown and is looked up again on the clock. Every client order id in
   * the journal, terminal orders included, stays taken, so a seeded id generator restarted with
   * its seed never repeats one. Call it once, before submitting.
   *
   * @throws `ValidationError` when the manager has no journal
   * @throws what the journal throws when it cannot be read
   * @example
   * ```ts
   * import { InMemoryOrderJournal, OrderManager } from '@qtp/oms';
   * const journal = new InMemoryOrderJournal();
   * const oms = new OrderManager({ gateway, instruments, clock, journal });
   * const { recovered, unknown } = await oms.recover();
   * ```
   */
  async recover(): Promise<RecoveryResult> {
    this.assertOpen();
    if (this.journal === undefined || this.writer === undefined) {
      throw new ValidationError('journal', 'be given to recover from it', undefined);
    }
    const records = await this.journal.loadAll();
    const unreadable: UnreadableRecord[] = [];
    const recovered: ManagedOrder[] = [];
    for (const record of records) {
      // Every journaled id stays taken: a seeded generator restarted with its seed repeats them.
      this.journaledIds.add(record.id);
      if (TERMINAL_ORDER_STATUSES.includes(record.status)) continue;
      if (this.ledger.entries.has(record.id)) continue;
      try {
        recovered.push(this.reload(record));
      } catch (error) {
        unreadable.push({ id: record.id, error });
      }
    }
    recovered.sort((a, b) => a.order.createdTimeMs - b.order.createdTimeMs);
    for (const entry of recovered) this.ledger.add(entry);
    for (const entry of recovered) await this.tracker.reconcile(entry, true);
    return {
      recovered: recovered.map((entry) => entry.order),
      unknown: recovered
        .filter((entry) => entry.unknownSinceMs !== undefined)
        .map((entry) => entry.order.clientOrderId),
      unreadable,
    };
  }

  /**
   * Takes charge of an order working at the venue that this manager did not place (placed by
   * hand or by another process), from what a venue lookup returns for it (`fetchOrder`, an
   * exchange's `fetchOpenOrders`). The order is journaled as ACCEPTED with its venue order id,
   * tagged `external` (then `options.tags`), and announced as `order.accepted`; it is never
   * sent. It is then reconciled with the venue like any order: fills the venue already booked
   * are fetched and booked by trade id, and later reports and fills are applied as they come,
   * each fill once. Resolves once its journal record is stored and the lookup applied.
   *
   * @throws `ValidationError` naming `clientOrderId` when the manager or its journal already
   * knows the id, naming `status` when the order is not working at the venue, naming `side`,
   * `type` or `quantity` when the report leaves out the order's terms, or when the manager is
   * closed; nothing is recorded
   * @throws `UnknownSymbolError` when the manager has no such instrument
   * @throws what the journal throws when the record cannot be stored; nothing is kept
   * @example
   * ```ts
   * const [report] = await exchange.fetchOpenOrders(btc.id);
   * const order = await oms.adopt(report, { tags: ['manual'] });
   * order.tags; // ['external', 'manual']
   * ```
   */
  async adopt(report: OrderReport, options: AdoptOptions = {}): Promise<OrderView> {
    this.assertOpen();
    const id = report.clientOrderId;
    if (this.ledger.entries.has(id) || this.journaledIds.has(id)) {
      throw new ValidationError('clientOrderId', 'not name an order the manager knows', id);
    }
    const instrument = this.instrumentOf(report);
    const now = this.clock.now();
    const order = orderFromReport(report, now, options);
    const entry = manage(order, instrument, {
      placed: true,
      sentTimeMs: now,
      journaled: this.writer !== undefined,
    });
    this.ledger.add(entry);
    try {
      await this.ledger.write(entry);
    } catch (error) {
      this.ledger.entries.delete(id);
      this.ledger.open.delete(entry);
      throw error;
    }
    this.journaledIds.add(id);
    this.ledger.announce(entry);
    await this.tracker.reconcile(entry);
    return order;
  }

  /**
   * Resolves when every journal write started so far has finished, every order waiting for its
   * journal record has been handed to the gateway and every lookup under way has been applied.
   * It does not wait for placements and cancels, which on a `SimulatedClock` with latency settle
   * only as the clock advances.
   */
  flush(): Promise<void> {
    return this.ledger.flush();
  }

  /**
   * Stops listening to the gateway and cancels the lookup timers. Orders waiting for their
   * journal record are not sent; {@link OrderManager.recover} on a new manager resolves them.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.tracker.detach();
    if (this.reconcileTimer !== undefined) this.clock.cancel(this.reconcileTimer);
    for (const entry of this.ledger.entries.values()) {
      this.ledger.clearTimer(entry);
      this.ledger.clearDeadline(entry);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ValidationError('orderManager', 'be open', 'closed');
  }

  private instrumentOf(request: { readonly instrumentId: InstrumentId }): Instrument {
    const id = request.instrumentId;
    const instrument = Array.isArray(this.instruments)
      ? (this.instruments as readonly Instrument[]).find((candidate) => candidate.id === id)
      : (this.instruments as InstrumentSource).get(id);
    if (instrument === undefined) throw new UnknownSymbolError(String(id));
    return instrument;
  }

  private assignId(requested: ClientOrderId | undefined): ClientOrderId {
    const taken = this.ledger.entries;
    const journaled = this.journaledIds;
    if (requested !== undefined) {
      if (taken.has(requested) || journaled.has(requested)) {
        throw new ValidationError(
          'clientOrderId',
          'not repeat the id of an earlier order',
          requested,
        );
      }
      return requested;
    }
    // A seeded generator restarted with its seed repeats itself: skip what is taken, the ids
    // of this run and of every run the journal recorded, so the sequence resumes past them.
    const attempts = journaled.size + 100;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const id = this.ids.next();
      if (!taken.has(id) && !journaled.has(id)) return id;
    }
    throw new ValidationError('idGenerator', 'produce an unused client order id', undefined);
  }

  /** Returns the gate's refusal as an {@link OrderDenial}, or `undefined` when it approves. */
  private ask(order: Order, instrument: Instrument, timeMs: number): OrderDenial | undefined {
    // The default gate approves everything: no context to build for it.
    if (this.gate === approveAllGate) return undefined;
    const openOrders: Order[] = [];
    for (const entry of this.ledger.open) openOrders.push(entry.order);
    const context = {
      instrument,
      timeMs,
      openOrders,
      ...(this.positions === undefined ? {} : { positions: this.positions }),
      ...(this.balances === undefined ? {} : { balances: this.balances }),
    };
    try {
      const decision = this.gate.check(order.toRequest(), context);
      if (decision?.approved === true) return undefined;
      if (decision?.approved === false) {
        const { reason } = decision;
        if (typeof reason === 'string') {
          return { source: 'gate', code: 'GATE_REFUSED', message: reason };
        }
        if (typeof reason?.code === 'string' && typeof reason.message === 'string') {
          return { ...reason, source: 'gate' };
        }
      }
      return {
        source: 'gate',
        code: 'GATE_INVALID_DECISION',
        message: 'the pre-trade gate returned no decision',
      };
    } catch (error) {
      this.logger.error('pre-trade gate threw; the request is refused', {
        err: error,
        clientOrderId: order.clientOrderId,
      });
      return {
        source: 'gate',
        code: 'GATE_FAILED',
        message: `the pre-trade gate failed: ${messageOf(error)}`,
      };
    }
  }

  /** Publishes `order.denied` and returns the refused request as a REJECTED order. */
  private deny(
    request: OrderRequest,
    clientOrderId: ClientOrderId,
    instrument: Instrument,
    denial: OrderDenial,
    timeMs: number,
  ): OrderView {
    const order = Order.fromRequest(request, clientOrderId, timeMs);
    order.reject(denial.message, timeMs);
    this.ledger.add(manage(order, instrument, { journaled: false }));
    this.ledger.denied += 1;
    this.ledger.publish('order.denied', {
      type: 'order.denied',
      clientOrderId,
      instrumentId: request.instrumentId,
      tags: order.tags,
      request,
      denial: Object.freeze(denial),
      timeMs,
    });
    return order;
  }

  private journalFailed(entry: ManagedOrder, error: unknown): void {
    const conflict = isQtpError(error, 'CONCURRENCY_CONFLICT');
    // Another order's record holds this id: never overwrite it.
    if (conflict) entry.journaled = false;
    this.logger.error('order not sent: it could not be journaled', {
      err: error,
      clientOrderId: entry.order.clientOrderId,
    });
    const reason = conflict
      ? 'the client order id is already in the journal'
      : `the journal write failed: ${messageOf(error)}`;
    if (entry.order.status === 'INITIALIZED') this.ledger.reject(entry, reason);
  }

  private send(entry: ManagedOrder): void {
    const { order } = entry;
    // `placed` is the one guard between an order and a second placeOrder.
    if (entry.placed || order.status !== 'INITIALIZED' || this.closed) return;
    entry.placed = true;
    const now = this.clock.now();
    order.submit(now);
    entry.sentTimeMs = now;
    this.ledger.changed(entry);
    this.tracker.place(entry);
    // A venue that answers at once (a simulated one without latency) leaves nothing to time out;
    // the deadline only concerns an order still waiting for its acknowledgement.
    if ((order.status as OrderStatus) === 'SUBMITTED') this.tracker.armSubmitDeadline(entry);
  }

  private cancelAfterAck(entry: ManagedOrder): void {
    const clientOrderId = entry.order.clientOrderId;
    this.cancel(clientOrderId).catch((error: unknown) =>
      this.logger.error('cancel after acknowledgement failed', { err: error, clientOrderId }),
    );
  }

  private reload(record: OrderRecord): ManagedOrder {
    const order = Order.fromSnapshot(record.order);
    // Journaled means possibly sent: a recovered order is looked up, never placed again.
    const entry = manage(order, this.instrumentOf(order), {
      placed: true,
      sentTimeMs: record.sentTimeMs ?? undefined,
      unknownSinceMs: record.unknownSinceMs ?? undefined,
    });
    this.writer!.adopt(record.id);
    return entry;
  }
}
