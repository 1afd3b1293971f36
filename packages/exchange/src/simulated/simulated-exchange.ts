import {
  type Bar,
  type BarEvent,
  type BookDelta,
  type BookDeltaEvent,
  type BookSnapshot,
  type BookSnapshotEvent,
  type Clock,
  createBarEvent,
  createBookDeltaEvent,
  createBookSnapshotEvent,
  createFill,
  createQuoteTickEvent,
  createTradeTickEvent,
  Decimal,
  type DecimalInput,
  type ExecutionEvents,
  type Fill,
  formatDecimal,
  type Instrument,
  type InstrumentId,
  type InstrumentRuleIssue,
  InvalidOrderError,
  isQtpError,
  type LiquiditySide,
  type MarketDataEvent,
  ORDER_TYPES,
  Order,
  type OrderAck,
  OrderNotFoundError,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  type OrderType,
  type QuoteTick,
  type QuoteTickEvent,
  SeededIdGenerator,
  SeededRandom,
  TIMES_IN_FORCE,
  type TimeInForce,
  type TradeTick,
  type TradeTickEvent,
  toNonNegativeDecimal,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import type {
  AccountEvents,
  Balance,
  FetchTradesOptions,
  MarketDataEvents,
  MarketDataSubscription,
} from '../exchange.js';
import type { MatchingVenue } from '../matching-venue.js';
import { CashAccount } from './cash-account.js';
import { isPositive, ZERO } from './decimal-ops.js';
import { type FeeModel, instrumentFees } from './fee-model.js';
import { barFillModel, describeFillModel, type FillModel } from './fill-model.js';
import { Funding } from './funding.js';
import { type LatencyModel, noLatency } from './latency-model.js';
import { MatchingEngine, type WorkingOrder } from './matching-engine.js';
import { noSlippage, type SlippageModel } from './slippage-model.js';

/** Options of {@link SimulatedExchange}. */
export interface SimulatedExchangeOptions {
  /** The clock that times orders, latency and GTD expiry; a `SimulatedClock` in backtests. */
  clock: Clock;
  /** The instruments the venue lists, all of one venue. */
  instruments: readonly Instrument[];
  /** The starting free balance of each asset, such as `{ USDT: '10000' }` (default none). */
  balances?: Readonly<Record<string, DecimalInput>>;
  /** The venue's name (default: the venue of the instruments, else `SIMULATED`). */
  venue?: string;
  /** How orders fill (default {@link barFillModel}`()`). */
  fillModel?: FillModel;
  /** How fills are charged (default {@link instrumentFees}`()`: each instrument's rates, in the quote asset). */
  feeModel?: FeeModel;
  /** How long placements and cancels take (default {@link noLatency}`()`). */
  latency?: LatencyModel;
  /** How far taker fills move against the taker (default {@link noSlippage}`()`). */
  slippage?: SlippageModel;
  /** The seed of every random draw (latency, generated client order ids); default 0. */
  seed?: number;
}

/** A model's plain data, as {@link SimulationAssumptions} lists it. */
export interface ModelAssumption {
  /** The model's name. */
  readonly kind: string;
  /** Its parameters. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** One line saying what it does. */
  readonly description: string;
}

/** What a {@link SimulatedExchange} assumed, as plain data and as sentences. */
export interface SimulationAssumptions {
  /** The venue's name. */
  readonly venue: string;
  /** The fill model and its options. */
  readonly fillModel: FillModel;
  /** The share of a bar's volume fills may take, with the bar model; `undefined` otherwise. */
  readonly volumeCap: number | undefined;
  /** The fee model. */
  readonly fees: ModelAssumption;
  /** The latency model. */
  readonly latency: ModelAssumption;
  /** The slippage model. */
  readonly slippage: ModelAssumption;
  /** The seed of every random draw. */
  readonly seed: number;
  /** Every assumption as a sentence, for a report. */
  readonly lines: readonly string[];
}

const keyOf = (id: InstrumentId, clientOrderId: string) => `${id}|${clientOrderId}`;

// What one instrument is subscribed to: the stream kind, or for bars the interval itself, so the
// per-bar check looks up the bar's own fields and builds no key.
function subscriptionTopic(subscription: MarketDataSubscription): string {
  return subscription.kind === 'bars' ? subscription.interval : subscription.kind;
}

// True when createFill would return the fill's terms unchanged: the fee and price come from
// models, which may be a host's own, so they are the parts that need a look.
function isPlainFill(terms: Fill): boolean {
  const { fee } = terms;
  return (
    terms.price instanceof Decimal &&
    isPositive(terms.price) &&
    terms.price.isFinite() &&
    terms.quantity instanceof Decimal &&
    isPositive(terms.quantity) &&
    terms.quantity.isFinite() &&
    Object.isFrozen(fee) &&
    fee.amount instanceof Decimal &&
    fee.amount.isFinite() &&
    !(fee.amount.isZero() && fee.amount.isNegative()) &&
    Number.isSafeInteger(terms.timeMs) &&
    terms.timeMs >= 0 &&
    !Object.is(terms.timeMs, -0)
  );
}

function describeModel(model: FeeModel | LatencyModel | SlippageModel): ModelAssumption {
  return Object.freeze({
    kind: model.kind,
    parameters: model.parameters,
    description: model.description,
  });
}

/**
 * A simulated venue: an {@link Exchange} whose matching engine fills orders from the market
 * data its host pushes in (bars, trade ticks or an L2 book), with exact decimal balances,
 * fees, slippage and latency on the host's clock. Conservative by default: orders match from
 * the next bar, limits fill only when traded through, fills are capped by bar volume, and
 * {@link SimulatedExchange.assumptions} lists every assumption it ran under.
 *
 * Deterministic: the same seed, options and input give the same fills, ids and events.
 * With a latency model, `placeOrder` and `cancelOrder` settle only when the clock reaches the
 * arrival time, so the host must keep advancing a `SimulatedClock`.
 *
 * @example
 * ```ts
 * import { createOrderRequest, Instrument, instrumentId, SimulatedClock } from '@qtp/core';
 * import { SimulatedExchange } from '@qtp/exchange';
 *
 * const id = instrumentId('BTCUSDT', 'BINANCE');
 * const btc = new Instrument({
 *   id, baseAsset: 'BTC', quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.0001',
 *   takerFee: '0.001',
 * });
 * const clock = new SimulatedClock({ startMs: 0 });
 * const exchange = new SimulatedExchange({ clock, instruments: [btc], balances: { USDT: '10000' } });
 * exchange.executions.on('fill', ({ fill }) => console.log(fill.price.toString()));
 * await exchange.placeOrder(
 *   createOrderRequest({ instrumentId: id, side: 'BUY', type: 'MARKET', quantity: '0.01' }),
 * );
 * clock.advanceTo(60_000);
 * exchange.onBar({
 *   instrumentId: id, interval: '1m', openTimeMs: 0, closeTimeMs: 59_999,
 *   open: 37000, high: 37100, low: 36900, close: 37050, volume: 12,
 * }); // fills the market order at the open, 37000
 * console.log(exchange.assumptions().lines.join('\n'));
 * ```
 */
export class SimulatedExchange implements MatchingVenue {
  /** Always true: the venue matches its orders against the market data its host pushes in. */
  readonly matchesPushedData = true as const;
  /** The venue's name. */
  readonly venue: string;
  /** Every order type: MARKET, LIMIT, STOP_MARKET, STOP_LIMIT and LIMIT_MAKER. */
  readonly orderTypes: readonly OrderType[] = ORDER_TYPES;
  /** Every time in force: GTC, IOC, FOK and GTD. */
  readonly timesInForce: readonly TimeInForce[] = TIMES_IN_FORCE;
  /** Emits an `orderUpdate` for every status change and a `fill` for every fill. */
  readonly executions = new EventEmitter<ExecutionEvents>();
  /** Emits the market data pushed in, for the streams subscribed. */
  readonly marketData = new EventEmitter<MarketDataEvents>();
  /** Emits a `balance` event for every balance change. */
  readonly account = new EventEmitter<AccountEvents>();

  private readonly clock: Clock;
  private readonly instruments = new Map<InstrumentId, Instrument>();
  private readonly engines = new Map<InstrumentId, MatchingEngine>();
  private lastEngineId: InstrumentId | undefined;
  private lastEngine: MatchingEngine | undefined;
  private readonly cash: CashAccount;
  private readonly funding: Funding;
  private readonly fillModel: FillModel;
  private readonly feeModel: FeeModel;
  private readonly latency: LatencyModel;
  private readonly slippage: SlippageModel;
  private readonly seed: number;
  private readonly random: SeededRandom;
  private readonly ids: SeededIdGenerator;
  private readonly records = new Map<string, WorkingOrder>();
  private readonly byVenueOrderId = new Map<string, WorkingOrder>();
  private readonly inFlight = new Set<string>();
  private readonly trades = new Map<InstrumentId, Fill[]>();
  private readonly subscriptions = new Map<InstrumentId, Set<string>>();
  private nextVenueOrderId = 1;
  private nextTradeId = 1;
  private nextSeq = 1;

  /**
   * Creates a venue listing `options.instruments` with the given balances and models.
   * @throws `ValidationError` when the instruments belong to several venues or a balance
   *   is not a decimal of 0 or more
   */
  constructor(options: SimulatedExchangeOptions) {
    this.clock = options.clock;
    const venues = new Set(options.instruments.map((instrument) => instrument.venue));
    this.venue = options.venue ?? [...venues][0] ?? 'SIMULATED';
    this.fillModel = options.fillModel ?? barFillModel();
    this.feeModel = options.feeModel ?? instrumentFees();
    this.latency = options.latency ?? noLatency();
    this.slippage = options.slippage ?? noSlippage();
    this.seed = options.seed ?? 0;
    this.random = new SeededRandom(this.seed);
    this.ids = new SeededIdGenerator({ seed: this.seed, prefix: 'sim' });
    for (const instrument of options.instruments) {
      if (instrument.venue !== this.venue) {
        const rule = `belong to the venue ${this.venue}`;
        throw new ValidationError('instruments', rule, instrument.id);
      }
      this.instruments.set(instrument.id, instrument);
      this.engines.set(instrument.id, new MatchingEngine(instrument, this.fillModel, this.host));
      this.trades.set(instrument.id, []);
    }
    const initial = Object.entries(options.balances ?? {}).map(
      ([asset, amount]) => [asset, toNonNegativeDecimal(amount, `balances.${asset}`)] as const,
    );
    this.cash = new CashAccount(initial, (asset) => {
      // A fill moves two or three balances: build the events only for someone listening.
      if (this.account.listenerCount('balance') === 0) return;
      this.account.emit('balance', {
        type: 'balance',
        balance: this.cash.balance(asset),
        timeMs: this.clock.now(),
      });
    });
    this.funding = new Funding(this.cash, this.feeModel, this.slippage);
  }

  /** Returns the assumptions this venue runs under, as plain data and as sentences. */
  assumptions(): SimulationAssumptions {
    const lines = [
      ...describeFillModel(this.fillModel),
      this.feeModel.description,
      this.slippage.description,
      this.latency.description,
      'funds: a buy locks price x quantity plus the larger fee (a market buy: the reference price), a sell locks its quantity; locks are released when the order ends',
      `determinism: seed ${this.seed}; times come from the clock, prices from new Decimal(String(price))`,
    ];
    return Object.freeze({
      venue: this.venue,
      fillModel: this.fillModel,
      volumeCap: this.fillModel.kind === 'bars' ? this.fillModel.volumeCap : undefined,
      fees: describeModel(this.feeModel),
      latency: describeModel(this.latency),
      slippage: describeModel(this.slippage),
      seed: this.seed,
      lines: Object.freeze(lines),
    });
  }

  /** Does nothing: the simulated venue is always reachable. */
  async connect(): Promise<void> {}

  /** Stops every market data subscription. */
  async disconnect(): Promise<void> {
    this.subscriptions.clear();
  }

  /** Returns the listed instruments. */
  async loadInstruments(): Promise<readonly Instrument[]> {
    return [...this.instruments.values()];
  }

  /** {@inheritDoc MarketDataFeed.subscribe} */
  async subscribe(subscription: MarketDataSubscription): Promise<void> {
    this.instrumentOf(subscription.instrumentId);
    let topics = this.subscriptions.get(subscription.instrumentId);
    if (topics === undefined) {
      topics = new Set();
      this.subscriptions.set(subscription.instrumentId, topics);
    }
    topics.add(subscriptionTopic(subscription));
  }

  /** {@inheritDoc MarketDataFeed.unsubscribe} */
  async unsubscribe(subscription: MarketDataSubscription): Promise<void> {
    this.subscriptions.get(subscription.instrumentId)?.delete(subscriptionTopic(subscription));
  }

  /**
   * Matches the working orders against a closed bar, then emits it to subscribers, so orders
   * placed on hearing of the bar match from the next one.
   * @throws `UnknownSymbolError` when the venue does not list the bar's instrument
   */
  onBar(bar: Bar): void {
    this.matchBar(bar, undefined);
  }

  /**
   * Matches the working orders against a trade, then emits it to subscribers.
   * @throws `UnknownSymbolError` when the venue does not list the trade's instrument
   */
  onTradeTick(trade: TradeTick): void {
    this.matchTrade(trade, undefined);
  }

  /**
   * Records a quote (the spread that spread-fraction slippage uses), then emits it.
   * @throws `UnknownSymbolError` when the venue does not list the quote's instrument
   */
  onQuoteTick(quote: QuoteTick): void {
    this.matchQuote(quote, undefined);
  }

  /**
   * Replaces the instrument's book, fills resting orders it crosses, then emits it.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `ValidationError` when the snapshot is malformed
   */
  onBookSnapshot(snapshot: BookSnapshot): void {
    this.matchSnapshot(snapshot, undefined);
  }

  /**
   * Applies a book change, fills resting orders it crosses, then emits it. A delta that does
   * not continue the book's sequence is ignored for matching.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `ValidationError` when the delta is malformed
   */
  onBookDelta(delta: BookDelta): void {
    this.matchDelta(delta, undefined);
  }

  /**
   * Pushes one market data event in, by its `type`, and emits that same event to subscribers.
   * @throws `UnknownSymbolError` when the venue does not list the event's instrument
   */
  process(event: MarketDataEvent): void {
    switch (event.type) {
      case 'bar':
        this.matchBar(event.bar, event);
        return;
      case 'trade':
        this.matchTrade(event.trade, event);
        return;
      case 'quote':
        this.matchQuote(event.quote, event);
        return;
      case 'bookSnapshot':
        this.matchSnapshot(event.snapshot, event);
        return;
      case 'bookDelta':
        this.matchDelta(event.delta, event);
        return;
    }
  }

  // Each matches first, then emits the host's event (or one made from the payload) when subscribed.
  private matchBar(bar: Bar, event: BarEvent | undefined): void {
    this.engineOf(bar.instrumentId).onBar(bar);
    if (
      this.subscriptions.size > 0 &&
      this.subscriptions.get(bar.instrumentId)?.has(bar.interval) === true
    ) {
      this.marketData.emit('bar', event ?? createBarEvent(bar));
    }
  }

  private matchTrade(trade: TradeTick, event: TradeTickEvent | undefined): void {
    this.engineOf(trade.instrumentId).onTrade(trade);
    if (this.subscribed('trades', trade.instrumentId)) {
      this.marketData.emit('trade', event ?? createTradeTickEvent(trade));
    }
  }

  private matchQuote(quote: QuoteTick, event: QuoteTickEvent | undefined): void {
    this.engineOf(quote.instrumentId).onQuote(quote);
    if (this.subscribed('quotes', quote.instrumentId)) {
      this.marketData.emit('quote', event ?? createQuoteTickEvent(quote));
    }
  }

  private matchSnapshot(snapshot: BookSnapshot, event: BookSnapshotEvent | undefined): void {
    this.engineOf(snapshot.instrumentId).onBookSnapshot(snapshot);
    if (this.subscribed('book', snapshot.instrumentId)) {
      this.marketData.emit('bookSnapshot', event ?? createBookSnapshotEvent(snapshot));
    }
  }

  private matchDelta(delta: BookDelta, event: BookDeltaEvent | undefined): void {
    this.engineOf(delta.instrumentId).onBookDelta(delta);
    if (this.subscribed('book', delta.instrumentId)) {
      this.marketData.emit('bookDelta', event ?? createBookDeltaEvent(delta));
    }
  }

  /**
   * Places an order. It reaches the matching engine after the latency model's delay; there it
   * is checked against the instrument's rules and the free balance, accepted and worked.
   * Without a `clientOrderId` the venue makes one from its seed.
   *
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `ValidationError` when the request is malformed (see `createOrderRequest`)
   * @throws `InvalidOrderError` when the order breaks the instrument's rules (the cause is a
   *   ValidationError listing them), repeats a client order id, is a GTD order already expired,
   *   or is a LIMIT_MAKER order that would take liquidity
   * @throws `InsufficientFundsError` when the free balance cannot cover the order
   */
  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    const instrument = this.instrumentOf(request.instrumentId);
    const clientOrderId = request.clientOrderId ?? this.ids.next();
    const key = keyOf(instrument.id, clientOrderId);
    if (this.records.has(key) || this.inFlight.has(key)) {
      throw new InvalidOrderError(`duplicate client order id ${clientOrderId}`, {
        details: { instrumentId: instrument.id, clientOrderId },
      });
    }
    const now = this.clock.now();
    const order = Order.fromRequest(request, clientOrderId, now);
    order.submit(now);
    const delayMs = this.latency.submitDelayMs(this.random);
    if (delayMs <= 0) return this.arrive(instrument, order, key);
    this.inFlight.add(key);
    return new Promise<OrderAck>((resolve, reject) => {
      this.clock.setTimeout(() => {
        this.inFlight.delete(key);
        try {
          resolve(this.arrive(instrument, order, key));
        } catch (error) {
          reject(error);
        }
      }, delayMs);
    });
  }

  /**
   * Cancels an open order once the cancel reaches the engine (after the latency model's delay);
   * fills that happen meanwhile stand. Releases the order's locked funds.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `OrderNotFoundError` when the order is unknown or no longer open on arrival
   */
  async cancelOrder(ref: OrderRef): Promise<void> {
    const work = this.find(ref);
    this.checkOpen(work);
    const delayMs = this.latency.cancelDelayMs(this.random);
    if (delayMs <= 0) return this.cancelNow(work);
    return new Promise<void>((resolve, reject) => {
      this.clock.setTimeout(() => {
        try {
          this.checkOpen(work);
          this.cancelNow(work);
          resolve();
        } catch (error) {
          reject(error);
        }
      }, delayMs);
    });
  }

  /** {@inheritDoc Exchange.cancelAllOrders} */
  async cancelAllOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    const open = this.openOrders(instrumentId);
    const delayMs = this.latency.cancelDelayMs(this.random);
    if (delayMs > 0)
      await new Promise<void>((resolve) => this.clock.setTimeout(() => resolve(), delayMs));
    const canceled: OrderReport[] = [];
    for (const work of open) {
      if (!work.order.isOpen) continue;
      this.cancelNow(work);
      canceled.push(this.report(work));
    }
    return canceled;
  }

  /**
   * Returns what the venue knows of an order, terminal orders included.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `OrderNotFoundError` when the venue does not know the order
   */
  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    return this.report(this.find(ref));
  }

  /**
   * Returns the fills of an order, oldest first, terminal orders included.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   * @throws `OrderNotFoundError` when the venue does not know the order
   */
  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    return [...this.find(ref).order.fills];
  }

  /** {@inheritDoc AccountView.fetchOpenOrders} */
  async fetchOpenOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    return this.openOrders(instrumentId).map((work) => this.report(work));
  }

  /**
   * Credits `amount` of `asset` to the free balance, as a deposit does, and emits a `balance`
   * event.
   * @throws `ValidationError` when the amount is not a decimal above 0
   */
  credit(asset: string, amount: DecimalInput): void {
    const value = toNonNegativeDecimal(amount, 'amount');
    if (!isPositive(value)) throw new ValidationError('amount', 'be above 0', String(amount));
    this.cash.credit(asset, value);
  }

  /**
   * Moves `amount` of `asset` from free to locked outside any order, as a venue does for an
   * order it keeps back until a trigger, and emits a `balance` event. {@link release} undoes it.
   * @throws `ValidationError` when the amount is not a decimal of 0 or more
   * @throws `InsufficientFundsError` when the free balance is smaller than the amount
   * @example
   * ```ts
   * exchange.hold('USDT', '150'); // 150 USDT move from free to locked
   * ```
   */
  hold(asset: string, amount: DecimalInput): void {
    this.cash.lock(asset, toNonNegativeDecimal(amount, 'amount'));
  }

  /**
   * Moves `amount` of `asset` held by {@link hold} back from locked to free and emits a
   * `balance` event.
   * @throws `ValidationError` when the amount is not a decimal of 0 or more
   * @example
   * ```ts
   * exchange.release('USDT', '150');
   * ```
   */
  release(asset: string, amount: DecimalInput): void {
    this.cash.unlock(asset, toNonNegativeDecimal(amount, 'amount'));
  }

  /** {@inheritDoc AccountView.fetchBalances} */
  async fetchBalances(): Promise<readonly Balance[]> {
    return this.cash.balances();
  }

  /** {@inheritDoc AccountView.fetchMyTrades} */
  async fetchMyTrades(
    instrumentId: InstrumentId,
    options: FetchTradesOptions = {},
  ): Promise<readonly Fill[]> {
    this.instrumentOf(instrumentId);
    const since = options.sinceMs ?? Number.NEGATIVE_INFINITY;
    const trades = this.trades.get(instrumentId)!.filter((fill) => fill.timeMs >= since);
    return options.limit === undefined
      ? trades
      : trades.slice(Math.max(0, trades.length - options.limit));
  }

  // The engine's view of this exchange: fills are funded and booked here.
  private readonly host = {
    fill: (
      work: WorkingOrder,
      price: Decimal,
      quantity: Decimal,
      liquidity: LiquiditySide,
      timeMs?: number,
    ) => this.fill(work, price, quantity, liquidity, timeMs),
    trigger: (work: WorkingOrder) => {
      work.order.trigger(this.clock.now());
      this.emitUpdate(work);
    },
    expire: (work: WorkingOrder) => {
      work.order.expire(this.clock.now());
      this.finish(work);
      this.emitUpdate(work);
    },
  };

  private instrumentOf(id: InstrumentId): Instrument {
    const instrument = this.instruments.get(id);
    if (instrument === undefined)
      throw new UnknownSymbolError(String(id), { details: { venue: this.venue } });
    return instrument;
  }

  private engineOf(id: InstrumentId): MatchingEngine {
    // Market data of one instrument usually comes in runs: the last engine answers without a
    // lookup. Every listed instrument has an engine.
    if (id === this.lastEngineId) return this.lastEngine!;
    const engine = this.engines.get(id) ?? this.engines.get(this.instrumentOf(id).id)!;
    this.lastEngineId = id;
    this.lastEngine = engine;
    return engine;
  }

  private subscribed(kind: 'trades' | 'quotes' | 'book', instrumentId: InstrumentId): boolean {
    return this.subscriptions.get(instrumentId)?.has(kind) === true;
  }

  private openOrders(instrumentId?: InstrumentId): WorkingOrder[] {
    if (instrumentId !== undefined) this.instrumentOf(instrumentId);
    return [...this.records.values()]
      .filter((work) => work.order.isOpen)
      .filter((work) => instrumentId === undefined || work.order.instrumentId === instrumentId)
      .sort((a, b) => a.seq - b.seq);
  }

  private find(ref: OrderRef): WorkingOrder {
    this.instrumentOf(ref.instrumentId);
    const byClient =
      ref.clientOrderId === undefined
        ? undefined
        : this.records.get(keyOf(ref.instrumentId, ref.clientOrderId));
    const byVenue =
      ref.venueOrderId === undefined ? undefined : this.byVenueOrderId.get(ref.venueOrderId);
    const work = byClient ?? byVenue;
    const agrees =
      work !== undefined &&
      work.order.instrumentId === ref.instrumentId &&
      (byClient === undefined || byVenue === undefined || byClient === byVenue) &&
      (ref.venueOrderId === undefined || work.venueOrderId === ref.venueOrderId);
    if (!agrees) {
      const id = ref.clientOrderId ?? ref.venueOrderId;
      throw new OrderNotFoundError(`unknown order ${id} in ${ref.instrumentId}`, {
        details: { ...ref },
      });
    }
    return work;
  }

  private checkOpen(work: WorkingOrder): void {
    if (!work.order.isOpen) {
      throw new OrderNotFoundError(
        `order ${work.order.clientOrderId} is ${work.order.status}, no longer open`,
        { details: { clientOrderId: work.order.clientOrderId, status: work.order.status } },
      );
    }
  }

  private report(work: WorkingOrder): OrderReport {
    const order = work.order;
    const report: { -readonly [K in keyof OrderReport]: OrderReport[K] } = {
      instrumentId: order.instrumentId,
      clientOrderId: order.clientOrderId,
      venueOrderId: work.venueOrderId,
      status: order.status,
      filledQuantity: order.filledQuantity,
      timeMs: order.updatedTimeMs,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      timeInForce: order.timeInForce,
    };
    if (order.price !== undefined) report.price = order.price;
    if (order.triggerPrice !== undefined) report.triggerPrice = order.triggerPrice;
    if (order.expireTimeMs !== undefined) report.expireTimeMs = order.expireTimeMs;
    const average = order.averageFillPrice;
    if (average !== undefined) report.averageFillPrice = average;
    if (order.rejectReason !== undefined) report.rejectReason = order.rejectReason;
    return Object.freeze(report);
  }

  private emitUpdate(work: WorkingOrder): void {
    // Reports are built only for a listener: a bare backtest venue makes several per fill.
    if (this.executions.listenerCount('orderUpdate') === 0) return;
    this.executions.emit('orderUpdate', { type: 'orderUpdate', report: this.report(work) });
  }

  // The order reached the engine: check it, lock its funds, accept it and start working it.
  private arrive(instrument: Instrument, order: Order, key: string): OrderAck {
    const now = this.clock.now();
    const engine = this.engines.get(instrument.id)!;
    const work: WorkingOrder = {
      order,
      venueOrderId: String(this.nextVenueOrderId++),
      seq: this.nextSeq++,
      epoch: 0,
      triggered: false,
      fresh: true,
      takerOnArrival: false,
      queueAhead: ZERO,
      locked: ZERO,
      lockedAsset: order.side === 'BUY' ? instrument.quoteAsset : instrument.baseAsset,
      expiryTimer: undefined,
    };
    this.records.set(key, work);
    this.byVenueOrderId.set(work.venueOrderId, work);
    try {
      this.check(instrument, engine, order, now);
      const amount = this.funding.lockAmount(instrument, engine, order);
      this.cash.lock(work.lockedAsset, amount);
      work.locked = amount;
    } catch (error) {
      if (!isQtpError(error)) throw error;
      order.reject(error.message, now);
      this.emitUpdate(work);
      throw error;
    }
    order.accept(work.venueOrderId, now);
    this.emitUpdate(work);
    if (order.timeInForce === 'GTD') {
      work.expiryTimer = this.clock.setAlarm(() => {
        if (work.order.isOpen) this.host.expire(work);
      }, order.expireTimeMs!);
    }
    engine.add(work);
    return Object.freeze({
      instrumentId: order.instrumentId,
      clientOrderId: order.clientOrderId,
      venueOrderId: work.venueOrderId,
      status: order.status,
      timeMs: now,
    });
  }

  private check(instrument: Instrument, engine: MatchingEngine, order: Order, now: number): void {
    const { side, quantity, price, triggerPrice } = order;
    const details = { instrumentId: instrument.id, clientOrderId: order.clientOrderId };
    const issues: InstrumentRuleIssue[] =
      price === undefined
        ? instrument.validateOrder({ side, quantity })
        : instrument.validateOrder({ side, quantity, price });
    if (triggerPrice !== undefined) {
      const onTrigger = instrument.validateOrder({ side, quantity, price: triggerPrice });
      for (const issue of onTrigger) {
        if (issue.field === 'price') issues.push({ ...issue, field: 'triggerPrice' });
        if (issue.field === 'notional' && price === undefined) issues.push(issue);
      }
    }
    // Every notional is at least 0: without a minimum there is nothing to multiply out, and no
    // reference price to look up (the last price's Decimal is made on first use).
    const reference =
      order.type === 'MARKET' && !instrument.minNotional.isZero()
        ? engine.referencePrice(side)
        : undefined;
    if (reference !== undefined) {
      const notional = reference.times(quantity);
      if (notional.lt(instrument.minNotional)) {
        const rule = `be at least the minimum notional ${formatDecimal(instrument.minNotional)} ${instrument.quoteAsset} at the last price`;
        issues.push({
          field: 'notional',
          rule,
          value: formatDecimal(notional),
          check: 'minNotional',
        });
      }
    }
    if (issues.length > 0) {
      const cause = new ValidationError(issues);
      throw new InvalidOrderError(`order breaks ${instrument.id} rules: ${cause.message}`, {
        cause,
        details: { ...details, issues },
      });
    }
    if (order.expireTimeMs !== undefined && order.expireTimeMs <= now) {
      throw new InvalidOrderError(
        `GTD order expired on arrival (expireTimeMs ${order.expireTimeMs} <= ${now})`,
        {
          details,
        },
      );
    }
    if (order.type === 'LIMIT_MAKER' && engine.wouldTake(side, price!)) {
      throw new InvalidOrderError('LIMIT_MAKER order would immediately match and take liquidity', {
        details,
      });
    }
  }

  private cancelNow(work: WorkingOrder): void {
    work.order.cancel(this.clock.now());
    this.finish(work);
    this.emitUpdate(work);
  }

  // An order that ended leaves the engine and gives back what it still holds.
  private finish(work: WorkingOrder): void {
    if (!work.order.isTerminal) return;
    this.engines.get(work.order.instrumentId)!.remove(work);
    if (work.expiryTimer !== undefined) this.clock.cancel(work.expiryTimer);
    work.expiryTimer = undefined;
    const locked = work.locked;
    work.locked = ZERO;
    this.cash.unlock(work.lockedAsset, locked);
  }

  // Funds, books and reports one fill; returns the quantity filled, less than asked when a buy
  // without a full lock (a market buy) runs out of free quote.
  private fill(
    work: WorkingOrder,
    basePrice: Decimal,
    asked: Decimal,
    liquiditySide: LiquiditySide,
    timeMs: number = this.clock.now(),
  ): Decimal {
    const { order } = work;
    const engine = this.engines.get(order.instrumentId)!;
    const funded = this.funding.settle(work, engine, basePrice, asked, liquiditySide);
    if (funded === undefined) return ZERO;
    const { price, quantity, fee } = funded;
    const terms: Fill = {
      tradeId: String(this.nextTradeId++),
      clientOrderId: order.clientOrderId,
      venueOrderId: work.venueOrderId,
      instrumentId: order.instrumentId,
      side: order.side,
      price,
      quantity,
      fee,
      liquiditySide,
      timeMs,
    };
    // Every field comes from checked state except what the models returned; when those are plain
    // (positive QTP Decimals, a frozen fee in a QTP Decimal) createFill would only copy them.
    const fill = isPlainFill(terms) ? Object.freeze(terms) : createFill(terms);
    order.applyFill(fill);
    this.trades.get(order.instrumentId)!.push(fill);
    this.finish(work);
    this.executions.emit('fill', { type: 'fill', fill });
    this.emitUpdate(work);
    return quantity;
  }
}
