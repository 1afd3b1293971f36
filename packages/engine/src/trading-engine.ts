import type {
  Bar,
  BarEvent,
  MarketDataEvent,
  OrderDenial,
  OrderDeniedEvent,
  PreTradeGate,
} from '@qtp/core';
import {
  BUS_ERROR_TOPIC,
  type ClientOrderId,
  type Clock,
  createBarEvent,
  createConsoleLogger,
  Decimal,
  EventBus,
  type EventPublisher,
  type Fill,
  type IdGenerator,
  type Instrument,
  type InstrumentId,
  isQtpError,
  LiveClock,
  type Logger,
  ORDER_STATUS_TOPICS,
  type OrderGateway,
  type OrderReport,
  type OrderRequest,
  SimulatedClock,
  type TimerCallback,
  type TimerId,
  toClientOrderId,
  UnknownSymbolError,
  ValidationError,
  venueOf,
} from '@qtp/core';
import {
  type Exchange,
  isMatchingVenue,
  type MarketDataSubscription,
  type MatchingVenue,
} from '@qtp/exchange';
import { type OmsEvents, type OrderJournal, OrderManager } from '@qtp/oms';
import { Portfolio } from '@qtp/portfolio';
import {
  type Strategy,
  type StrategyContext,
  type StrategyEvents,
  type StrategyInputEvent,
  StrategyManager,
} from '@qtp/strategy';
import type { ClockDriver } from './clock-driver.js';
import { EquityTracker, exactValue, type RateCell } from './equity-tracker.js';
import type { EngineErrorStage, EngineEvents } from './events.js';
import type { MarketDataSource } from './market-data-source.js';
import type { OrderManagerFactory, OrderManagerPort } from './order-manager-port.js';
import type { PortfolioView } from './portfolio-view.js';
import { type RecoveryOptions, type RecoveryReport, recoverOnStart } from './recovery.js';
import { attachSystemEvents, engineErrorToSystemEvent } from './system-events.js';
import { VenueRouter } from './venue-router.js';

/**
 * Options of {@link TradingEngine}.
 * @typeParam P - the portfolio's type (default `Portfolio` from `@qtp/portfolio`)
 */
export interface TradingEngineOptions<P extends PortfolioView = Portfolio> {
  /** The venues orders go to, one per venue; each instrument's venue must be among them. */
  exchanges: readonly Exchange[];
  /** The instruments the engine trades and takes market data for, with their rules. */
  instruments: readonly Instrument[];
  /**
   * The currency equity is reported in, such as `USDT` (default: the portfolio's when one is
   * given, else the quote asset of the first instrument).
   */
  reportingCurrency?: string;
  /** The source of time (default a new `LiveClock`). */
  clock?: Clock;
  /**
   * What moves the clock to each event's time (default: the clock itself when it is a
   * `SimulatedClock`, else none, as a live clock moves by itself).
   */
  clockDriver?: ClockDriver;
  /** The market data {@link TradingEngine.run} reads when called without a source (default none). */
  dataSource?: MarketDataSource;
  /** The bus every step is published on (default a new `EventBus` on the clock). */
  bus?: EventBus<EngineEvents>;
  /** The strategies to run, in delivery order (more with {@link TradingEngine.addStrategy}). */
  strategies?: readonly Strategy<object>[];
  /** The portfolio fills are booked into (default a new `Portfolio` over the instruments). */
  portfolio?: P;
  /** Builds the order manager from the engine's wiring (default a new `OrderManager`). */
  createOrderManager?: OrderManagerFactory;
  /** Approves or refuses each order request before it is sent (default: approve all). */
  preTradeGate?: PreTradeGate;
  /** Makes client order ids (default the order manager's: random); seed one in backtests. */
  idGenerator?: IdGenerator;
  /** The logger of the engine and the order manager (default `createConsoleLogger` at `warn`). */
  logger?: Logger;
  /** The order journal the order manager writes and recovers from (default none). */
  orderJournal?: OrderJournal;
  /**
   * Recovery on {@link TradingEngine.start} when an `orderJournal` is given (default `{}`: on,
   * keeping external orders; `false` turns it off). The engine is `RECONCILING` until the
   * journal and the venues agree, and strategies start only then; see {@link RecoveryOptions}.
   */
  recovery?: RecoveryOptions | false;
  /**
   * Market data streams to subscribe to on {@link TradingEngine.start}; the engine processes
   * what each exchange then emits on `marketData` (default none: data comes from
   * {@link TradingEngine.run} or {@link TradingEngine.process}).
   */
  subscriptions?: readonly MarketDataSubscription[];
  /**
   * Deposits each exchange's balances into the portfolio on {@link TradingEngine.start}, so both
   * start from the same cash (default true).
   */
  syncBalances?: boolean;
  /**
   * Refuses market data older than the simulated clock and gives strategies a clock they cannot
   * move (default true). See {@link TradingEngine} for what the guard covers.
   */
  lookAheadGuard?: boolean;
  /**
   * Marks the portfolio on every market data event, also for instruments in which no position
   * is open (default true). With false, the engine keeps the last price of such an instrument
   * and hands it to the portfolio before the next fill is booked, in
   * {@link TradingEngine.exactEquity}, at the end of {@link TradingEngine.run} and on
   * {@link TradingEngine.stop}; in between, the portfolio's mark of a flat instrument may lag.
   * The engine's equity and equity curve are the same either way. `runBacktest` turns it off,
   * as nothing reads the portfolio during a backtest and a mark costs an allocation per event.
   */
  markFlatInstruments?: boolean;
}

// What the engine keeps per instrument, resolved once so an event costs one Map lookup.
interface InstrumentSlot {
  readonly instrument: Instrument;
  // Whether a position in the instrument is open, so its mark goes to the portfolio at once.
  open: boolean;
  // The price and time of a mark the portfolio has not had yet; NaN when there is none.
  pendingPrice: number;
  pendingTimeMs: number;
  readonly venue: MatchingVenue | undefined;
  // The tracker's cell of the asset whose rate a mark sets, and whether the rate is the mark's
  // inverse.
  readonly rate: RateCell | undefined;
  readonly inverse: boolean;
}

type EngineState = 'created' | 'reconciling' | 'running' | 'stopped';

// The order events a strategy hears as an `orderUpdate`: each status change, a refusal by the
// venue and a refused cancel.
const STATUS_TOPICS = new Set<keyof OmsEvents>([
  ...ORDER_STATUS_TOPICS,
  'order.rejected',
  'order.cancelRejected',
]);

/**
 * Runs strategies against market data and one or more exchanges, the same way in a backtest, in
 * paper trading and live: only the clock, the data source and the exchanges behind the
 * `Exchange` interface differ.
 *
 * For each market data event, in time order:
 * 1. the clock moves to the event's time (its `ClockDriver`, by default a `SimulatedClock`
 *    itself, advances it, firing the timers due on the way);
 * 2. a `MatchingVenue` (such as `SimulatedExchange`) matches its working orders against it, so
 *    orders placed while bar t was handled fill from bar t+1 on;
 * 3. the portfolio's mark of the instrument is updated and the event is published on the bus
 *    (`market.bar`, `market.trade`, ...);
 * 4. order events produced so far reach the strategies, then the event itself;
 * 5. the equity is recorded.
 *
 * A strategy's order request goes through the pre-trade gate and the order manager, which
 * validates, journals and sends it; the exchange's reports advance the order, the portfolio
 * books each fill, and the strategy hears of its order's fate as `orderUpdate` and `fill` events.
 * An order refused before it is sent is an `order.denied` event the strategy hears in
 * `onOrderDenied`; it never throws out of the strategy's call.
 *
 * The parts are interfaces: a {@link PortfolioView}, an order manager from `createOrderManager`,
 * `Exchange`s, a {@link ClockDriver} and a {@link MarketDataSource}; the defaults are
 * `Portfolio`, `OrderManager`, and the clock itself when it is a `SimulatedClock`.
 * Every step is an event on the bus ({@link EngineEvents}).
 *
 * The look-ahead guard, on by default: the engine pulls one event from its source at a time and
 * delivers it only once the clock has reached its stamp; with a `SimulatedClock` it refuses an
 * event older than the clock (a source out of time order), and strategies get a view of the clock
 * that tells time and sets timers but cannot move it.
 *
 * Marks and equity are numbers; `Decimal` work happens only when an order is made or a fill is
 * booked.
 *
 * @example
 * ```ts
 * import {
 *   createBarEvent, Instrument, instrumentId, SeededIdGenerator, SimulatedClock,
 * } from '@qtp/core';
 * import { SimulatedExchange } from '@qtp/exchange';
 * import { TradingEngine } from '@qtp/engine';
 * import { SmaCrossover } from '@qtp/strategy';
 *
 * const id = instrumentId('XRPETH', 'BINANCE');
 * const xrp = new Instrument({
 *   id, baseAsset: 'XRP', quoteAsset: 'ETH', priceIncrement: '0.00000001', sizeIncrement: '1',
 *   takerFee: '0.001',
 * });
 * const clock = new SimulatedClock();
 * const exchange = new SimulatedExchange({ clock, instruments: [xrp], balances: { ETH: '10' } });
 * const engine = new TradingEngine({
 *   clock,
 *   exchanges: [exchange],
 *   instruments: [xrp],
 *   idGenerator: new SeededIdGenerator({ seed: 1 }),
 *   strategies: [
 *     new SmaCrossover({
 *       id: 'sma',
 *       params: { instrumentId: id, fastPeriod: 5, slowPeriod: 20, quantity: '100' },
 *     }),
 *   ],
 * });
 * await engine.run(bars.map((bar) => createBarEvent(bar)));
 * console.log(engine.equity(), engine.orderManager.orders().length);
 * ```
 */
export class TradingEngine<P extends PortfolioView = Portfolio> {
  /** The engine's clock. */
  readonly clock: Clock;
  /** The bus every step is published on. */
  readonly bus: EventBus<EngineEvents>;
  /** The portfolio fills are booked into; it is the strategies' view of positions. */
  readonly portfolio: P;
  /** The order manager every strategy order goes through. */
  readonly orderManager: OrderManagerPort;
  /** The strategies the engine runs. */
  readonly strategies: StrategyManager;
  /** The exchanges, one per venue. */
  readonly exchanges: readonly Exchange[];
  /** The gateway the order manager sends through: the one exchange, or a router over several. */
  readonly gateway: OrderGateway;
  /** The currency equity is reported in. */
  readonly reportingCurrency: string;
  /** The engine's logger. */
  readonly logger: Logger;

  private readonly slots = new Map<InstrumentId, InstrumentSlot>();
  private lastSlot: InstrumentSlot | undefined;
  private readonly tracker: EquityTracker;
  private readonly context: StrategyContext;
  private readonly guard: boolean;
  private readonly markFlat: boolean;
  private marksPending = false;
  private readonly driver: ClockDriver | undefined;
  private readonly dataSource: MarketDataSource | undefined;
  private deniedCount = 0;
  private readonly syncBalances: boolean;
  private readonly subscriptions: readonly MarketDataSubscription[];
  private readonly feedListeners: (() => void)[] = [];
  private readonly listening = new Set<Exchange>();
  private readonly pending: StrategyInputEvent[] = [];
  private strategyCount = 0;
  private depth = 0;
  private state: EngineState = 'created';
  private readonly journal: OrderJournal | undefined;
  private readonly recovery: RecoveryOptions | false;
  private recoveredFills = 0;
  private lastTimeMs = Number.NEGATIVE_INFINITY;
  private readonly detachSystemEvents: () => void;

  /**
   * Wires the engine from plain parts; nothing runs until {@link TradingEngine.start}.
   * @throws `ValidationError` when no exchange is given, two share a venue, an
   * instrument's venue has no exchange, or two strategies share an id
   */
  constructor(options: TradingEngineOptions<P>) {
    if (options.exchanges.length === 0) {
      throw new ValidationError('exchanges', 'hold at least one exchange', options.exchanges);
    }
    this.clock = options.clock ?? new LiveClock();
    this.bus = options.bus ?? new EventBus<EngineEvents>({ clock: this.clock });
    this.logger = (options.logger ?? createConsoleLogger({ level: 'warn' })).child({
      component: 'engine',
    });
    this.exchanges = [...options.exchanges];
    const router = new VenueRouter(this.exchanges);
    if (this.exchanges.length === 1) {
      router.detach();
      this.gateway = this.exchanges[0]!;
    } else {
      this.gateway = router;
    }
    const firstQuote = options.instruments[0]?.quoteAsset;
    this.reportingCurrency =
      options.reportingCurrency ?? options.portfolio?.reportingCurrency ?? firstQuote ?? '';
    if (
      options.portfolio !== undefined &&
      options.portfolio.reportingCurrency !== this.reportingCurrency
    ) {
      throw new ValidationError(
        'reportingCurrency',
        `equal the portfolio's ${options.portfolio.reportingCurrency}`,
        this.reportingCurrency,
      );
    }
    // Without a portfolio given, P is its default, `Portfolio`.
    this.portfolio =
      options.portfolio ??
      (new Portfolio({
        reportingCurrency: this.reportingCurrency,
        instruments: options.instruments,
        publisher: this.bus as EventPublisher<EngineEvents>,
      }) as unknown as P);
    this.tracker = new EquityTracker(this.reportingCurrency);
    for (const instrument of options.instruments) this.addInstrument(instrument, router);
    this.guard = options.lookAheadGuard ?? true;
    this.markFlat = options.markFlatInstruments ?? true;
    this.driver =
      options.clockDriver ?? (this.clock instanceof SimulatedClock ? this.clock : undefined);
    this.dataSource = options.dataSource;
    this.syncBalances = options.syncBalances ?? true;
    this.subscriptions = options.subscriptions ?? [];
    this.journal = options.orderJournal;
    this.recovery = options.recovery ?? {};

    const omsPublisher: EventPublisher<OmsEvents> = {
      publish: (topic, payload) => this.onOrderEvent(topic, payload as OmsEvents[keyof OmsEvents]),
    };
    const createOrderManager = options.createOrderManager ?? ((wiring) => new OrderManager(wiring));
    this.orderManager = createOrderManager({
      gateway: this.gateway,
      instruments: { get: (id: InstrumentId) => this.slots.get(id)?.instrument },
      clock: this.clock,
      bus: omsPublisher,
      logger: this.logger,
      ...(options.idGenerator === undefined ? {} : { idGenerator: options.idGenerator }),
      ...(options.preTradeGate === undefined ? {} : { preTradeGate: options.preTradeGate }),
      ...(options.orderJournal === undefined ? {} : { journal: options.orderJournal }),
    });
    const strategyEvents: EventPublisher<StrategyEvents> = {
      publish: (topic, payload) =>
        (this.bus as EventPublisher<StrategyEvents>).publish(topic, payload),
    };
    this.context = {
      clock: this.guard ? strategyClock(this.clock) : this.clock,
      orders: {
        submit: (request) => this.submit(request),
        cancel: (request) => this.cancel(request.clientOrderId, request.instrumentId),
      },
      positions: this.portfolio,
      portfolio: {
        position: (id) => this.portfolio.netQuantity(id),
        cash: (asset) => {
          this.flushMarks();
          return this.portfolio.balancesByAsset().get(asset) ?? new Decimal(0);
        },
        equity: () => this.tracker.equity(),
      },
      instrument: (id) => this.instrument(id),
      orderTypes: (id) => router.exchangeOf(this.instrument(id).id).orderTypes,
      logger: this.logger,
      events: strategyEvents,
    };
    this.strategies = new StrategyManager({ context: this.context });
    // A handler that throws is reported on the bus; the engine's log hears of it either way.
    this.bus.subscribe(
      BUS_ERROR_TOPIC,
      (event) => {
        const fields = { topic: event.topic, handler: event.handler, err: event.error };
        this.logger.error('event handler failed', fields);
      },
      { name: 'engine-log' },
    );
    for (const strategy of options.strategies ?? []) this.addStrategy(strategy);
    this.detachSystemEvents = attachSystemEvents(this.bus, this.exchanges, this.clock);
  }

  /**
   * Adds a strategy; it starts with {@link TradingEngine.start}, or at once when the engine is
   * running.
   * @throws `ValidationError` naming `id` when a strategy with its id is held
   */
  addStrategy(strategy: Strategy<object>): void {
    this.strategies.add(strategy);
    this.strategyCount++;
    if (this.state === 'running') this.within(() => this.strategies.start(strategy.id));
  }

  /**
   * Returns an instrument the engine trades.
   * @throws `UnknownSymbolError` when the engine does not know it
   */
  instrument(instrumentId: InstrumentId): Instrument {
    const slot = this.slots.get(instrumentId);
    if (slot === undefined) throw new UnknownSymbolError(String(instrumentId));
    return slot.instrument;
  }

  /** Whether the engine has started and not stopped. */
  get running(): boolean {
    return this.state === 'running';
  }

  /**
   * Connects the exchanges; with an `orderJournal` (and `recovery` not false) enters
   * `RECONCILING`: reloads the journal's open orders and reconciles each with its venue by client
   * order id (missed fills booked once by trade id, unknown placements resolved), reads every
   * venue's open orders and recent own trades, keeps, cancels or adopts the orders the journal
   * does not know (tagged `external`) by `recovery.orphans`, and publishes `engine.recovered` with a
   * {@link RecoveryReport} and logs it. Then deposits the venues' balances into the portfolio
   * (unless `syncBalances` is false), subscribes the configured market data streams, starts the
   * strategies and publishes `engine.started`: no strategy runs before the journal and the
   * venues agree.
   * @throws `ValidationError` naming `state` when the engine has already started
   */
  async start(): Promise<void> {
    if (this.state !== 'created') {
      throw new ValidationError('state', 'be created to start', this.state);
    }
    const recovering = this.journal !== undefined && this.recovery !== false;
    this.state = recovering ? 'reconciling' : 'running';
    for (const exchange of this.exchanges) await exchange.connect();
    if (recovering) await this.recover(this.journal!, this.recovery as RecoveryOptions);
    this.state = 'running';
    if (this.syncBalances) {
      for (const exchange of this.exchanges) {
        const nowMs = this.clock.now();
        for (const balance of await exchange.fetchBalances()) {
          const total = balance.free.plus(balance.locked);
          if (total.gt(0)) this.portfolio.deposit(exchange.venue, balance.asset, total, nowMs);
        }
      }
    }
    this.refreshHoldings();
    for (const subscription of this.subscriptions) await this.subscribe(subscription);
    this.within(() => this.strategies.startAll());
    this.bus.publish('engine.started', { type: 'engine.started', timeMs: this.clock.now() });
  }

  /** Whether the engine is `RECONCILING`: started, recovering from its journal, no strategy running yet. */
  get reconciling(): boolean {
    return this.state === 'reconciling';
  }

  // RECONCILING: the journal's open orders are reconciled with the venues before anyone trades.
  private async recover(journal: OrderJournal, options: RecoveryOptions): Promise<RecoveryReport> {
    const report = await recoverOnStart({
      journal,
      orderManager: this.orderManager,
      exchanges: this.exchanges,
      instruments: [...this.slots.keys()],
      clock: this.clock,
      logger: this.logger,
      options,
      fillsSince: () => this.recoveredFills,
    });
    this.logger.info('recovery finished', {
      journaled: report.journaled,
      recovered: report.recovered.length,
      unknown: report.unknown.length,
      fillsBooked: report.fillsBooked,
      external: report.external.length,
      externalTrades: report.externalTrades,
      unreadable: report.unreadable,
    });
    this.bus.publish('engine.recovered', {
      type: 'engine.recovered',
      report,
      timeMs: this.clock.now(),
    });
    return report;
  }

  /**
   * Stops the strategies, stops listening to subscribed feeds and to the exchanges' reports,
   * disconnects the exchanges and publishes `engine.stopped`. Open orders stay open. Does
   * nothing unless the engine is running.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.within(() => this.strategies.stopAll());
    for (const stopListening of this.feedListeners.splice(0)) stopListening();
    await this.orderManager.flush();
    this.orderManager.close();
    if (this.gateway instanceof VenueRouter) this.gateway.detach();
    for (const exchange of this.exchanges) await exchange.disconnect();
    this.detachSystemEvents();
    this.flushMarks();
    this.state = 'stopped';
    this.bus.publish('engine.stopped', { type: 'engine.stopped', timeMs: this.clock.now() });
  }

  /**
   * Starts the engine when it has not started, processes every event of `source` (default the
   * `dataSource` option) in order, one at a time, and waits for the order manager to settle. It
   * does not stop the engine.
   * @throws `ValidationError` naming `source` when neither a source nor a `dataSource` is given
   * @throws what {@link TradingEngine.process} throws; events before the failing one stand
   */
  async run(source: MarketDataSource | undefined = this.dataSource): Promise<void> {
    if (source === undefined) {
      throw new ValidationError('source', 'be given to run or as the dataSource option', source);
    }
    if (this.state === 'created') await this.start();
    if (Symbol.asyncIterator in source) {
      for await (const event of source) this.process(event);
    } else {
      for (const event of source) this.process(event);
    }
    await this.orderManager.flush();
    this.flushMarks();
  }

  /**
   * Processes one market data event: moves the clock to its time, lets matching exchanges fill
   * against it, marks the portfolio, publishes it, delivers pending order events and then the
   * event to the strategies, and records the equity.
   *
   * @throws `ValidationError` naming `state` when the engine is not running, or
   * naming the event's time when the look-ahead guard is on, the clock is simulated and the event
   * is older than the clock
   * @throws `UnknownSymbolError` when the engine does not trade the instrument
   */
  process(event: MarketDataEvent): void {
    this.processFrom(event, undefined);
  }

  /**
   * Processes one bar as `process(createBarEvent(bar))` does, building the event only for the
   * parts that need one: `market.bar` subscribers on the bus, and a strategy that queues the bar
   * or watches it with emulated stops or execution algorithms. A matching venue with a bar entry
   * (`onBar`) takes the bar itself. For a backtest over bars this is the whole per-bar path:
   * no allocation, one clock check of the bar's close time for all strategies.
   *
   * @throws what {@link TradingEngine.process} throws for the bar's event
   * @example
   * ```ts
   * await engine.start();
   * for (const bar of bars) engine.processBar(bar);
   * await engine.stop();
   * ```
   */
  processBar(bar: Bar): void {
    if (this.state !== 'running') {
      throw new ValidationError('state', 'be running to process market data', this.state);
    }
    const timeMs = bar.closeTimeMs;
    const slot = this.slotOf(bar.instrumentId);
    // One event at most, made when the first part that needs it asks.
    let event: BarEvent | undefined;
    this.depth++;
    try {
      this.advanceTo(timeMs);
      const venue = slot.venue;
      if (venue !== undefined) {
        if (venue.onBar !== undefined) {
          venue.onBar(bar);
        } else {
          event = createBarEvent(bar);
          venue.process(event);
        }
      }
      this.markPrice(slot, bar.close, timeMs);
      if (this.bus.hasSubscribers('market.bar')) {
        event ??= createBarEvent(bar);
        this.bus.publish('market.bar', event);
      }
      if (this.pending.length > 0) this.deliverPending();
      if (this.strategyCount > 0) {
        this.strategies.handleBar(bar);
        if (this.pending.length > 0) this.deliverPending();
      }
      this.tracker.record(this.clock.now());
    } finally {
      this.depth--;
    }
    this.lastTimeMs = timeMs;
  }

  /** Returns the equity in the reporting currency at the last marks, as a number. */
  equity(): number {
    return this.tracker.equity();
  }

  /**
   * Returns the equity exactly: every balance held in the portfolio valued at the last mark of
   * an instrument that prices it in the reporting currency (its inverse for an instrument based
   * on it), as `new Decimal(String(mark))`.
   * @throws `ValidationError` naming `rates.<asset>` when an asset held has no mark
   */
  exactEquity(): Decimal {
    this.flushMarks();
    let total: Decimal | undefined;
    for (const [asset, amount] of this.portfolio.balancesByAsset()) {
      const value = exactValue(amount, asset, this.reportingCurrency, (base, quote) =>
        this.markOf(base, quote),
      );
      total = total === undefined ? value : total.plus(value);
    }
    return total ?? new Decimal(0);
  }

  /**
   * Returns the equity recorded after each event, one point per distinct time: times in epoch
   * milliseconds and values in the reporting currency. With `fromIndex`, only the points from
   * that one on, so a reader that keeps up with a long curve copies each point once; the last
   * point may still change while events of its time arrive, so such a reader reads it again.
   *
   * @throws `ValidationError` naming `fromIndex` when it is not an integer of at least 0
   * @example
   * ```ts
   * const all = engine.equityCurve();
   * await engine.run(moreBars);
   * const since = engine.equityCurve(all.values.length - 1); // the last point again, then the new
   * ```
   */
  equityCurve(fromIndex = 0): {
    /** Times in epoch milliseconds, increasing. */
    times: number[];
    /** Equity at each time, in the reporting currency. */
    values: number[];
  } {
    if (!Number.isSafeInteger(fromIndex) || fromIndex < 0) {
      throw new ValidationError('fromIndex', 'be an integer of at least 0', fromIndex);
    }
    return this.tracker.curve(fromIndex);
  }

  // ---- the per-event path -------------------------------------------------------------------

  private processFrom(event: MarketDataEvent, source: Exchange | undefined): void {
    if (this.state !== 'running') {
      throw new ValidationError('state', 'be running to process market data', this.state);
    }
    const timeMs = event.eventTimeMs;
    const slot = this.slotOf(event.instrumentId);
    this.depth++;
    try {
      this.advanceTo(timeMs);
      // Matching before anyone sees the event: an order placed on bar t never fills inside bar t.
      if (slot.venue !== undefined && slot.venue !== source) slot.venue.process(event);
      this.mark(slot, event, timeMs);
      this.publishMarketData(event);
      if (this.pending.length > 0) this.deliverPending();
      if (this.strategyCount > 0) {
        this.strategies.handle(event);
        if (this.pending.length > 0) this.deliverPending();
      }
      this.tracker.record(this.clock.now());
    } finally {
      this.depth--;
    }
    this.lastTimeMs = timeMs;
  }

  private slotOf(instrumentId: InstrumentId): InstrumentSlot {
    // Market data of one instrument comes in runs: the last slot answers without a lookup.
    let slot = this.lastSlot;
    if (slot === undefined || slot.instrument.id !== instrumentId) {
      slot = this.slots.get(instrumentId);
      if (slot === undefined) throw new UnknownSymbolError(String(instrumentId));
      this.lastSlot = slot;
    }
    return slot;
  }

  private advanceTo(timeMs: number): void {
    const driver = this.driver;
    if (driver === undefined) return;
    const nowMs = this.clock.now();
    if (timeMs > nowMs) driver.advanceTo(timeMs);
    else if (timeMs < nowMs && this.guard) {
      throw new ValidationError(
        'timeMs',
        `not be before the clock time ${nowMs} (market data must come in time order; the previous event was stamped ${this.lastTimeMs})`,
        timeMs,
      );
    }
  }

  private mark(slot: InstrumentSlot, event: MarketDataEvent, timeMs: number): void {
    let price: number;
    switch (event.type) {
      case 'bar':
        price = event.bar.close;
        break;
      case 'trade':
        price = event.trade.price;
        break;
      case 'quote':
        price = (event.quote.bidPrice + event.quote.askPrice) / 2;
        break;
      case 'bookSnapshot': {
        const bid = event.snapshot.bids[0];
        const ask = event.snapshot.asks[0];
        if (bid === undefined || ask === undefined) return;
        price = (bid.price + ask.price) / 2;
        break;
      }
      case 'bookDelta':
        return;
    }
    this.markPrice(slot, price, timeMs);
  }

  private markPrice(slot: InstrumentSlot, price: number, timeMs: number): void {
    // A price or time the portfolio would refuse still goes to it, to throw its error now.
    if (this.markFlat || slot.open || !isMarkable(price, timeMs)) {
      this.portfolio.mark(slot.instrument.id, price, timeMs);
      slot.pendingPrice = Number.NaN;
    } else {
      slot.pendingPrice = price;
      slot.pendingTimeMs = timeMs;
      this.marksPending = true;
    }
    if (slot.rate !== undefined) slot.rate.rate = slot.inverse ? 1 / price : price;
  }

  private publishMarketData(event: MarketDataEvent): void {
    switch (event.type) {
      case 'bar':
        this.bus.publish('market.bar', event);
        return;
      case 'trade':
        this.bus.publish('market.trade', event);
        return;
      case 'quote':
        this.bus.publish('market.quote', event);
        return;
      case 'bookSnapshot':
        this.bus.publish('market.bookSnapshot', event);
        return;
      case 'bookDelta':
        this.bus.publish('market.bookDelta', event);
        return;
    }
  }

  // ---- orders -------------------------------------------------------------------------------

  private submit(request: OrderRequest): ClientOrderId {
    this.bus.publish('engine.orderRequest', {
      type: 'engine.orderRequest',
      request,
      timeMs: this.clock.now(),
    });
    if (this.state !== 'running') {
      return this.deny(request, {
        source: 'engine',
        code: 'ENGINE_NOT_RUNNING',
        message: `state: must be running to take orders, was ${this.state}`,
        field: 'state',
      });
    }
    if (!this.slots.has(request.instrumentId)) {
      return this.deny(request, {
        source: 'engine',
        code: 'UNKNOWN_SYMBOL',
        message: `instrumentId: must be an instrument the engine trades, was ${request.instrumentId}`,
        field: 'instrumentId',
      });
    }
    return this.within(() => {
      try {
        return this.orderManager.submit(request).clientOrderId;
      } catch (error) {
        return this.deny(request, denialOf(error));
      }
    });
  }

  // Publishes `order.denied` and queues it for the strategies; returns the order's id.
  private deny(request: OrderRequest, denial: OrderDenial): ClientOrderId {
    const clientOrderId = request.clientOrderId ?? toClientOrderId(`denied-${++this.deniedCount}`);
    const event: OrderDeniedEvent = {
      type: 'order.denied',
      clientOrderId,
      instrumentId: request.instrumentId,
      tags: request.tags ?? [],
      request,
      denial,
      timeMs: this.clock.now(),
    };
    this.logger.info('order denied', { clientOrderId, code: denial.code, reason: denial.message });
    this.bus.publish('order.denied', event);
    if (this.strategyCount > 0) this.enqueue(event);
    return clientOrderId;
  }

  private cancel(clientOrderId: ClientOrderId, instrumentId: InstrumentId): void {
    this.within(() => {
      this.orderManager.cancel(clientOrderId).catch((error: unknown) => {
        this.reportError('cancel', instrumentId, error);
      });
    });
  }

  // Every order event of the order manager passes here: fills are booked first, then the bus
  // hears of it, then the strategies (queued, so the order manager never re-enters itself).
  private onOrderEvent(topic: keyof OmsEvents, event: OmsEvents[keyof OmsEvents]): void {
    if (this.state === 'reconciling') {
      this.onRecoveryEvent(topic, event);
      return;
    }
    if (event.type === 'order.fill') {
      try {
        this.flushMarks();
        this.portfolio.bookFill(event.fill);
        this.refreshHoldingsOf(event.fill);
      } catch (error) {
        this.reportError('booking', event.fill.instrumentId, error);
      }
    }
    (this.bus as EventPublisher<OmsEvents>).publish(topic, event);
    if (this.strategyCount === 0) return;
    if (event.type === 'order.fill') {
      this.enqueue({ type: 'fill', fill: event.fill });
    } else if (STATUS_TOPICS.has(event.type) && 'status' in event) {
      this.enqueue({ type: 'orderUpdate', report: this.reportOf(event.clientOrderId, event) });
    } else if (event.type === 'order.denied') {
      // The order manager keeps the denied order, REJECTED with the denial's message: the
      // strategy's order book hears it ended, then `onOrderDenied` hears why.
      const report = this.reportOf(event.clientOrderId, {
        status: 'REJECTED',
        timeMs: event.timeMs,
      });
      this.enqueue({ type: 'orderUpdate', report });
      this.enqueue(event);
    }
  }

  // While reconciling no strategy runs. A fill found now is already in the venue's balances, which
  // the portfolio takes after recovery when `syncBalances` is on; otherwise it is booked here.
  private onRecoveryEvent(topic: keyof OmsEvents, event: OmsEvents[keyof OmsEvents]): void {
    if (event.type === 'order.fill') {
      this.recoveredFills += 1;
      if (!this.syncBalances) {
        try {
          this.portfolio.bookFill(event.fill);
          this.refreshHoldings();
        } catch (error) {
          this.reportError('booking', event.fill.instrumentId, error);
        }
      }
    }
    (this.bus as EventPublisher<OmsEvents>).publish(topic, event);
  }

  private reportOf(
    clientOrderId: ClientOrderId,
    event: { readonly status: OrderReport['status']; readonly timeMs: number },
  ): OrderReport {
    const order = this.orderManager.getOrder(clientOrderId)!;
    const report: { -readonly [K in keyof OrderReport]: OrderReport[K] } = {
      instrumentId: order.instrumentId,
      clientOrderId,
      // An order refused before it left has no venue id; the report type demands a string.
      venueOrderId: order.venueOrderId ?? '',
      status: event.status,
      filledQuantity: order.filledQuantity,
      timeMs: event.timeMs,
    };
    if (order.averageFillPrice !== undefined) report.averageFillPrice = order.averageFillPrice;
    if (order.rejectReason !== undefined) report.rejectReason = order.rejectReason;
    return Object.freeze(report);
  }

  private enqueue(event: StrategyInputEvent): void {
    this.pending.push(event);
    if (this.depth === 0) this.within(() => undefined);
  }

  // Runs `action` as one engine step; order events it causes reach the strategies after it.
  private within<T>(action: () => T): T {
    this.depth++;
    try {
      return action();
    } finally {
      this.depth--;
      if (this.depth === 0 && this.pending.length > 0) {
        this.depth++;
        try {
          this.deliverPending();
        } finally {
          this.depth--;
        }
      }
    }
  }

  private deliverPending(): void {
    const pending = this.pending;
    // Index-based: strategies handling these may queue more, which this loop then delivers.
    for (let i = 0; i < pending.length; i++) this.strategies.handle(pending[i]!);
    pending.length = 0;
  }

  private reportError(
    stage: EngineErrorStage,
    instrumentId: InstrumentId | undefined,
    error: unknown,
  ): void {
    // Someone listening on `engine.error` owns the failure; without a listener it must not vanish.
    const fields = { err: error, instrumentId, stage };
    if (this.bus.subscriberCount('engine.error') === 0) {
      this.logger.error(`engine ${stage} failed`, fields);
    } else {
      this.logger.debug(`engine ${stage} failed`, fields);
    }
    this.bus.publish('engine.error', {
      type: 'engine.error',
      stage,
      instrumentId,
      error,
      timeMs: this.clock.now(),
    });
    this.bus.publish('system.error', engineErrorToSystemEvent(stage, error, this.clock.now()));
  }

  // ---- wiring -------------------------------------------------------------------------------

  private addInstrument(instrument: Instrument, router: VenueRouter): void {
    if (this.slots.has(instrument.id)) {
      throw new ValidationError('instruments', 'list each instrument once', instrument.id);
    }
    const exchange = router.exchangeOf(instrument.id);
    const currency = this.reportingCurrency;
    const rateAsset =
      instrument.quoteAsset === currency
        ? instrument.baseAsset
        : instrument.baseAsset === currency
          ? instrument.quoteAsset
          : undefined;
    this.portfolio.addInstrument(instrument);
    this.slots.set(instrument.id, {
      instrument,
      open: false,
      pendingPrice: Number.NaN,
      pendingTimeMs: Number.NaN,
      venue: isMatchingVenue(exchange) ? exchange : undefined,
      rate: rateAsset === undefined ? undefined : this.tracker.cell(rateAsset),
      inverse: instrument.baseAsset === currency,
    });
  }

  private refreshHoldings(): void {
    this.tracker.setHoldings(this.portfolio.balancesByAsset());
    if (this.markFlat) return;
    for (const slot of this.slots.values()) {
      slot.open = !this.portfolio.netQuantity(slot.instrument.id).isZero();
    }
  }

  // A fill moves its instrument's two assets and its fee's: only those holdings are read again.
  private refreshHoldingsOf(fill: Fill): void {
    const slot = this.slots.get(fill.instrumentId);
    if (slot === undefined) {
      this.refreshHoldings();
      return;
    }
    const { baseAsset, quoteAsset } = slot.instrument;
    const portfolio = this.portfolio;
    this.tracker.setHolding(baseAsset, portfolio.assetTotal(baseAsset));
    this.tracker.setHolding(quoteAsset, portfolio.assetTotal(quoteAsset));
    const feeAsset = fill.fee.currency;
    if (feeAsset !== baseAsset && feeAsset !== quoteAsset) {
      this.tracker.setHolding(feeAsset, portfolio.assetTotal(feeAsset));
    }
    if (!this.markFlat) slot.open = !portfolio.netQuantity(fill.instrumentId).isZero();
  }

  // Hands the portfolio the marks it has not had yet (see `markFlatInstruments`).
  private flushMarks(): void {
    if (!this.marksPending) return;
    this.marksPending = false;
    for (const slot of this.slots.values()) {
      if (Number.isNaN(slot.pendingPrice)) continue;
      this.portfolio.mark(slot.instrument.id, slot.pendingPrice, slot.pendingTimeMs);
      slot.pendingPrice = Number.NaN;
    }
  }

  private markOf(base: string, quote: string): number | undefined {
    for (const slot of this.slots.values()) {
      const { instrument } = slot;
      if (instrument.baseAsset !== base || instrument.quoteAsset !== quote) continue;
      const mark = this.portfolio.markOf(instrument.id);
      if (mark !== undefined) return mark;
    }
    return undefined;
  }

  private async subscribe(subscription: MarketDataSubscription): Promise<void> {
    const exchange = this.exchanges.find(
      (candidate) => candidate.venue === venueOf(subscription.instrumentId),
    );
    if (exchange === undefined) throw new UnknownSymbolError(String(subscription.instrumentId));
    await exchange.subscribe(subscription);
    if (this.listening.has(exchange)) return;
    this.listening.add(exchange);
    const onEvent = (event: MarketDataEvent): void => {
      try {
        this.processFrom(event, exchange);
      } catch (error) {
        this.reportError('feed', event.instrumentId, error);
      }
    };
    const feed = exchange.marketData;
    feed.on('bar', onEvent);
    feed.on('trade', onEvent);
    feed.on('quote', onEvent);
    feed.on('bookSnapshot', onEvent);
    feed.on('bookDelta', onEvent);
    this.feedListeners.push(() => {
      feed.off('bar', onEvent);
      feed.off('trade', onEvent);
      feed.off('quote', onEvent);
      feed.off('bookSnapshot', onEvent);
      feed.off('bookDelta', onEvent);
      this.listening.delete(exchange);
    });
  }
}

// A refusal the order manager threw, as a denial: a broken instrument rule or a malformed request
// is the rules' refusal; anything else is the engine's.
function denialOf(error: unknown): OrderDenial {
  const code = isQtpError(error) ? error.code : 'UNKNOWN';
  const denial: { -readonly [K in keyof OrderDenial]: OrderDenial[K] } = {
    source: code === 'VALIDATION' || code === 'INVALID_ORDER' ? 'rules' : 'engine',
    code,
    message: error instanceof Error ? error.message : String(error),
  };
  if (isQtpError(error, 'VALIDATION')) {
    const field = (error as ValidationError).issues[0]?.field;
    if (field !== undefined) denial.field = field;
  }
  return denial;
}

// What the portfolio accepts as a mark: a finite price above 0 at whole epoch milliseconds.
function isMarkable(price: number, timeMs: number): boolean {
  return (
    price > 0 && price < Number.POSITIVE_INFINITY && Number.isSafeInteger(timeMs) && timeMs >= 0
  );
}

// A clock that tells time and sets timers but has no way to move time, whatever its class.
function strategyClock(clock: Clock): Clock {
  return Object.freeze({
    now: () => clock.now(),
    setTimeout: (callback: TimerCallback, delayMs: number): TimerId =>
      clock.setTimeout(callback, delayMs),
    setAlarm: (callback: TimerCallback, atMs: number): TimerId => clock.setAlarm(callback, atMs),
    setInterval: (callback: TimerCallback, intervalMs: number): TimerId =>
      clock.setInterval(callback, intervalMs),
    cancel: (id: TimerId): boolean => clock.cancel(id),
  });
}
