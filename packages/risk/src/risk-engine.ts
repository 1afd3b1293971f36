import {
  type BarEvent,
  type ClientOrderId,
  type Clock,
  createConsoleLogger,
  type Decimal,
  type EventBus,
  type EventPublisher,
  type Fill,
  type InstrumentId,
  isQtpError,
  LiveClock,
  type Logger,
  type OrderEvents,
  type OrderRequest,
  type OrderRequestInput,
  type OrderView,
  type PositionView,
  type PreTradeContext,
  type PreTradeDecision,
  type PreTradeGate,
  type PreTradeRefusal,
  type QuoteTickEvent,
  type TradeTickEvent,
  type TradingState,
  type TradingStateScope,
  ValidationError,
} from '@qtp/core';
import { ExposureBook, type ScopeExposure } from './exposure-book.js';
import { FillLedger } from './fill-ledger.js';
import {
  type CandidateOrder,
  checkLimits,
  formatNumber,
  needsExposure,
  type ScopeFigures,
} from './limit-checks.js';
import { type LimitUsage, limitUsage, type ScopeFigures as UsageFigures } from './limit-usage.js';
import type { MarginEvents, MarginMonitor, MarginPosition } from './margin/margin-monitor.js';
import { OrderRateWindow } from './order-rate-window.js';
import {
  type PostTradeBreach,
  PostTradeMonitor,
  type PostTradeRule,
} from './post-trade-monitor.js';
import { type LimitSet, parseRiskConfig, type RiskConfig } from './risk-config.js';
import {
  scopeKey,
  severityOf,
  TradingStateBook,
  type TradingStateEntry,
  type TradingStateEvents,
} from './trading-state-book.js';

const APPROVED: PreTradeDecision = Object.freeze({ approved: true });
// The figures of a scope none of whose limits needs positions.

type MutableCandidate = { -readonly [K in keyof CandidateOrder]: CandidateOrder[K] };
type MutableScopeFigures = { -readonly [K in keyof ScopeFigures]: ScopeFigures[K] };

function scopeFigures(name: string, equity: () => number): MutableScopeFigures {
  return {
    name,
    openOrders: 0,
    own: { position: 0, buys: 0, sells: 0, price: Number.NaN },
    gross: 0,
    netLong: 0,
    netShort: 0,
    equity,
  };
}
const STRATEGY_TAG = 'strategy:';
/** The tag of the closing orders `FLATTEN` sends. */
export const FLATTEN_TAG = 'risk:flatten';

/**
 * What the risk engine needs of an order manager to flatten: submit, cancel and list open
 * orders. `OrderManager` from `@qtp/oms` and the engine's `orderManager` fit it.
 */
export interface RiskOrderPort {
  /** Submits an order; the returned view says whether it was refused at once. */
  submit(input: OrderRequestInput): OrderView;
  /** Cancels an order. */
  cancel(clientOrderId: ClientOrderId): Promise<boolean>;
  /** Returns the orders not yet terminal. */
  openOrders(): OrderView[];
}

/** The bus topics {@link RiskEngine.attach} listens to. */
export type RiskInputEvents = Pick<
  OrderEvents,
  'order.fill' | 'order.rejected' | 'order.canceled' | 'order.expired' | 'order.filled'
> & {
  /** A bar closed. */
  'market.bar': BarEvent;
  /** A trade printed. */
  'market.trade': TradeTickEvent;
  /** The top of the book changed. */
  'market.quote': QuoteTickEvent;
};

/**
 * What {@link RiskEngine.attach} wires the risk engine to. The bus needs to carry order fills;
 * the other topics of {@link RiskInputEvents} are heard when it carries them.
 */
export interface RiskWiring<E extends Pick<OrderEvents, 'order.fill'>> {
  /** The bus fills, order events and market data arrive on; state changes are published on it. */
  readonly bus: EventBus<E>;
  /** The order manager `FLATTEN` cancels and closes through. */
  readonly orders?: RiskOrderPort;
  /** The positions of the account (default the risk engine's own, booked from fills). */
  readonly positions?: PositionView;
  /** The account's equity, used unless the `equity` option was given. */
  readonly equity?: () => number;
  /** The engine's clock, used unless the `clock` option was given. */
  readonly clock?: Clock;
}

/** Options of {@link RiskEngine}. */
export interface RiskEngineOptions {
  /** The limits: a {@link RiskConfig} or a plain value checked as one (default none). */
  config?: unknown;
  /** The clock state changes are stamped with (default the one given to `attach`, else a new `LiveClock`). */
  clock?: Clock;
  /** Where state changes go (default the bus given to {@link RiskEngine.attach}, else nowhere). */
  publisher?: EventPublisher<TradingStateEvents>;
  /** Where loosened limits and failed closing orders are logged (default console at `warn`). */
  logger?: Logger;
  /**
   * The account's equity in the reporting currency, for leverage and the post-trade limits
   * (default `initialEquity` plus the trading P&L of the fills the risk engine heard of).
   */
  equity?: () => number;
  /** The equity before any fill, for the default `equity` (default 0). */
  initialEquity?: number;
  /** The order manager `FLATTEN` goes through (default the one given to `attach`). */
  orders?: RiskOrderPort;
  /** The positions of the account (default the context's, else the risk engine's own). */
  positions?: PositionView;
  /**
   * Refuses an order that opens or grows a position past its initial margin or leverage cap
   * (`INITIAL_MARGIN`, `MAX_LEVERAGE`; a reducing order always passes), and evaluates margin
   * after each fill and mark, on the risk engine's own positions and equity;
   * its reducing and liquidating orders go through the order manager given to `attach` and pass
   * the gate whatever the trading state (default none).
   */
  margin?: MarginMonitor;
  /**
   * More gates asked after the trading states and the limits, in order, such as a
   * `StressLossLimit`; the first refusal is the answer. They run before the order-rate throttle,
   * so an order they refuse is not counted against the rate (default none).
   */
  gates?: readonly PreTradeGate[];
}

/** What {@link RiskEngine.updateConfig} did. */
export interface RiskConfigUpdate {
  /** The post-trade rules loosened or removed while their breach was active. */
  readonly loosenedWhileBreached: readonly PostTradeRule[];
}

interface FlattenRun {
  readonly scope: TradingStateScope;
  readonly setBy: string;
  readonly reason: string;
  readonly attempts: Map<InstrumentId, number>;
  readonly closing: Set<ClientOrderId>;
  readonly canceling: Set<ClientOrderId>;
}

interface Throttle {
  readonly name: string;
  readonly window: OrderRateWindow;
}

/** Returns the strategy id of a request's `strategy:<id>` tag, or `undefined`. */
export function strategyOf(tags: readonly string[] | undefined): string | undefined {
  if (tags === undefined) return undefined;
  for (const tag of tags) if (tag.startsWith(STRATEGY_TAG)) return tag.slice(STRATEGY_TAG.length);
  return undefined;
}

/**
 * The pre-trade gate, trading states and post-trade monitor of one account.
 *
 * As the order manager's `PreTradeGate` it checks every request, synchronously, against the
 * limits of the account, of the request's strategy (its `strategy:<id>` tag) and of its
 * instrument: order quantity and notional, position, gross and net exposure with open orders
 * counted in full, price band against the last price or mid, open orders, leverage and order
 * rate. Each refusal names the limit (`field`, such as `strategy:sma.maxOrderNotional`), its
 * `configured` value and the value the order would have `attempted`.
 *
 * Trading states apply per account, strategy or instrument; the most restricted one of a
 * request's scopes decides: `HALT_ENTRIES` lets through only orders that shrink a position
 * without flipping it; `REDUCE_ONLY` also counts the scope's working reducing orders, so the
 * position can never flip even if all fill; `FLATTEN` and `HALTED` refuse everything (cancels
 * never reach a gate, so they still go out). `FLATTEN` cancels the scope's open orders, closes
 * each position with market orders through the order manager, resends after a rejection or a
 * partial fill, and moves to `HALTED` once flat.
 *
 * After each fill and mark it checks drawdown, daily loss and strategy loss, and trips the
 * configured state with the reason.
 *
 * @example
 * ```ts
 * import { createOrderRequest, Instrument, instrumentId } from '@qtp/core';
 * import { RiskEngine } from '@qtp/risk';
 *
 * const btc = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT',
 *   priceIncrement: '0.01', sizeIncrement: '0.001',
 * });
 * const risk = new RiskEngine({ config: { account: { maxOrderNotional: 10_000 } } });
 * risk.onMark(btc.id, 50_000, 0);
 * const decision = risk.check(
 *   createOrderRequest({ instrumentId: btc.id, side: 'BUY', type: 'MARKET', quantity: '0.3' }),
 *   { instrument: btc, timeMs: 0, openOrders: [] },
 * );
 * // { approved: false, reason: { code: 'MAX_ORDER_NOTIONAL', configured: '10000', attempted: '15000', ... } }
 * ```
 */
export class RiskEngine implements PreTradeGate {
  readonly #gates: readonly PreTradeGate[];
  /** The trading states of the account, its strategies and instruments. */
  readonly states: TradingStateBook;
  /** The positions and P&L booked from the fills the risk engine heard of. */
  readonly ledger = new FillLedger();
  /** The account id states are filed under. */
  readonly accountId: string;

  #clock: Clock;
  readonly #clockGiven: boolean;
  readonly #logger: Logger;
  readonly #marks = new Map<InstrumentId, number>();
  readonly #monitor = new PostTradeMonitor();
  readonly #throttles = new Map<string, Throttle>();
  readonly #flattening = new Map<string, FlattenRun>();
  readonly #strategyOfOrder = new Map<ClientOrderId, string>();
  readonly #numbers = new WeakMap<Decimal, number>();
  readonly #equityOf = () => this.equity();
  // The working orders as running totals, and scratch objects every check reuses, so a check
  // allocates nothing.
  readonly #book = new ExposureBook();
  readonly #candidate: MutableCandidate = {
    instrumentId: '' as InstrumentId,
    sign: 1,
    quantity: 0,
    price: Number.NaN,
    limitPrice: Number.NaN,
    mark: Number.NaN,
    timeMs: 0,
  };
  readonly #accountFigures = scopeFigures('account', this.#equityOf);
  readonly #strategyFigures = scopeFigures('strategy', this.#equityOf);
  readonly #instrumentFigures = scopeFigures('instrument', this.#equityOf);
  readonly #strategyIds = new Map<string, string>();
  #attached = false;
  #covered: PositionView | undefined;
  readonly #strategyNames = new Map<string, string>();
  readonly #instrumentNames = new Map<string, string>();
  readonly #equityOption: (() => number) | undefined;
  #wiredEquity: (() => number) | undefined;
  readonly #initialEquity: number;
  #publisher: EventPublisher<TradingStateEvents> | undefined;
  readonly #margin: MarginMonitor | undefined;
  // The config's records as maps, so an id such as `constructor` finds no inherited property.
  #strategyLimits = new Map<string, LimitSet>();
  #instrumentLimits = new Map<string, LimitSet>();
  #orders: RiskOrderPort | undefined;
  #positions: PositionView | undefined;
  #config: RiskConfig;
  #closing = false;
  #account: TradingStateScope;

  /**
   * Creates a risk engine; every scope starts `ACTIVE`.
   * @throws `ValidationError` naming the path of every problem of `config`
   */
  constructor(options: RiskEngineOptions = {}) {
    this.#config = parseRiskConfig(options.config ?? {});
    this.#gates = [...(options.gates ?? [])];
    this.accountId = this.#config.accountId ?? 'main';
    this.#account = Object.freeze({ kind: 'account', id: this.accountId });
    this.#clock = options.clock ?? new LiveClock();
    this.#clockGiven = options.clock !== undefined;
    this.#logger = (options.logger ?? createConsoleLogger({ level: 'warn' })).child({
      component: 'risk',
    });
    this.#publisher = options.publisher;
    this.#orders = options.orders;
    this.#positions = options.positions;
    this.#equityOption = options.equity;
    this.#initialEquity = options.initialEquity ?? 0;
    this.states = new TradingStateBook({
      publisher: { publish: (topic, event) => this.#publisher?.publish(topic, event) },
      now: () => this.#clock.now(),
    });
    this.#margin = options.margin;
    this.#buildThrottles();
  }

  /** The configuration in force. */
  get config(): RiskConfig {
    return this.#config;
  }

  // ---- wiring --------------------------------------------------------------------------------

  /**
   * Listens on `bus` to fills, order endings and market data, publishes state changes on it
   * (unless a `publisher` was given), and takes the order manager `FLATTEN` goes through.
   * Returns the function that stops listening.
   *
   * @example
   * ```ts
   * const risk = new RiskEngine({ config, equity: () => engine.equity() });
   * const engine = new TradingEngine({ exchanges, instruments, preTradeGate: risk });
   * risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });
   * ```
   */
  attach<E extends Pick<OrderEvents, 'order.fill'>>(wiring: RiskWiring<E>): () => void {
    const bus = wiring.bus as unknown as EventBus<RiskInputEvents>;
    if (this.#publisher === undefined) {
      this.#publisher = wiring.bus as unknown as EventPublisher<TradingStateEvents>;
    }
    if (wiring.orders !== undefined) this.#orders = wiring.orders;
    if (wiring.positions !== undefined) this.#positions = wiring.positions;
    if (wiring.equity !== undefined) this.#wiredEquity = wiring.equity;
    if (wiring.clock !== undefined && !this.#clockGiven) this.#clock = wiring.clock;
    this.#margin?.bind({
      publisher: this.#publisher as unknown as EventPublisher<MarginEvents>,
      ...(this.#orders === undefined ? {} : { orders: this.#ownOrders(this.#orders) }),
    });
    const options = { name: 'risk-engine' };
    const progress = (event: { readonly clientOrderId: ClientOrderId }) => {
      // The order is over: its fills are booked, so its strategy need not be remembered.
      this.#strategyOfOrder.delete(event.clientOrderId);
      this.#progressFlattens();
    };
    const stops = [
      bus.subscribe('order.fill', (event) => this.onFill(event.fill, event.tags), options),
      bus.subscribe('order.rejected', progress, options),
      bus.subscribe('order.canceled', progress, options),
      bus.subscribe('order.expired', progress, options),
      bus.subscribe('order.filled', progress, options),
      bus.subscribe(
        'market.bar',
        (event) => this.onMark(event.instrumentId, event.bar.close, event.eventTimeMs),
        options,
      ),
      bus.subscribe(
        'market.trade',
        (event) => this.onMark(event.instrumentId, event.trade.price, event.eventTimeMs),
        options,
      ),
      bus.subscribe(
        'market.quote',
        (event) =>
          this.onMark(
            event.instrumentId,
            (event.quote.bidPrice + event.quote.askPrice) / 2,
            event.eventTimeMs,
          ),
        options,
      ),
    ];
    this.#attached = true;
    return () => {
      this.#attached = false;
      for (const stop of stops) stop();
    };
  }

  // ---- inputs --------------------------------------------------------------------------------

  /**
   * Takes the last price or mid of an instrument: the reference of price bands and the value of
   * positions. Then checks the post-trade limits and moves any `FLATTEN` along.
   */
  onMark(instrumentId: InstrumentId, price: number, timeMs: number): void {
    if (!(price > 0) || !Number.isFinite(price)) return;
    this.#marks.set(instrumentId, price);
    this.#afterChange(timeMs);
  }

  /**
   * Books a fill into the risk engine's positions, for the strategy of the order's tags (or of
   * the request it approved), then checks the post-trade limits and moves any `FLATTEN` along.
   */
  onFill(fill: Fill, tags?: readonly string[]): void {
    const strategyId = strategyOf(tags) ?? this.#strategyOfOrder.get(fill.clientOrderId);
    const price = fill.price.toNumber();
    this.ledger.book(fill.instrumentId, strategyId, fill.side, fill.quantity, price);
    // Every instrument held has an entry in its scopes' totals, so exposure counts it.
    this.#book.account.entry(fill.instrumentId);
    if (strategyId !== undefined) this.#book.strategyScope(strategyId).entry(fill.instrumentId);
    if (!this.#marks.has(fill.instrumentId)) this.#marks.set(fill.instrumentId, price);
    this.#afterChange(fill.timeMs);
  }

  /** Returns the last price or mid seen of an instrument, or `undefined`. */
  markOf(instrumentId: InstrumentId): number | undefined {
    return this.#marks.get(instrumentId);
  }

  /** Returns the account's equity as the risk engine sees it. */
  equity(): number {
    const source = this.#equityOption ?? this.#wiredEquity;
    return source === undefined ? this.#initialEquity + this.ledger.pnl(this.#marks) : source();
  }

  /**
   * Returns the usage of the limits that hold between orders, for the account, each strategy and
   * each instrument configured: positions as the gate sees them (the account's from the
   * positions given, else from the fills heard of; a strategy's from its fills), valued at the
   * last marks; open orders from the order manager given; order rate over the last second of
   * clock time. The limits of one order at a time (quantity, notional, price band) have none.
   * Then the post-trade limits as the last fill or mark left them: `account.maxDrawdown` (a
   * fraction of the peak), `account.maxDailyLoss` and `strategy:<id>.maxStrategyLoss` for each
   * strategy that traded (losses, a gain counting 0).
   *
   * @example
   * ```ts
   * const risk = new RiskEngine({ config: { account: { maxPosition: 1_000 } } });
   * risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });
   * risk.limitUsage(); // [{ name: 'account.maxPosition', limit: 1000, used: 150 }]
   * ```
   */
  limitUsage(): LimitUsage[] {
    const config = this.#config;
    const open = this.#orders?.openOrders();
    const nowMs = this.#clock.now();
    const rows: LimitUsage[] = [];
    const figures = (
      name: string,
      positions: ReadonlyMap<InstrumentId, number>,
      inScope: ((order: OrderView) => boolean) | undefined,
    ): UsageFigures => ({
      name,
      positions,
      marks: this.#marks,
      openOrders:
        open === undefined
          ? undefined
          : inScope === undefined
            ? open.length
            : open.filter(inScope).length,
      ordersLastSecond: this.#throttles.get(name)?.window.countAt(nowMs),
      equity: this.#equityOf,
    });
    const accountPositions = new Map<InstrumentId, number>();
    if (this.#positions === undefined) {
      for (const [id, holding] of this.ledger.holdings())
        accountPositions.set(id, holding.quantity);
    } else {
      for (const [id, quantity] of this.#positions.netQuantities()) {
        accountPositions.set(id, this.#number(quantity));
      }
    }
    if (config.account !== undefined) {
      rows.push(...limitUsage(config.account, figures('account', accountPositions, undefined)));
    }
    for (const [id, limits] of this.#strategyLimits) {
      const positions = new Map<InstrumentId, number>();
      for (const [instrument, holding] of this.ledger.holdings(id)) {
        positions.set(instrument, holding.quantity);
      }
      const tag = STRATEGY_TAG + id;
      rows.push(
        ...limitUsage(
          limits,
          figures(`strategy:${id}`, positions, (order) => order.tags.includes(tag)),
        ),
      );
    }
    for (const [id, limits] of this.#instrumentLimits) {
      const instrument = id as InstrumentId;
      const positions = new Map<InstrumentId, number>([
        [instrument, accountPositions.get(instrument) ?? 0],
      ]);
      rows.push(
        ...limitUsage(
          limits,
          figures(`instrument:${id}`, positions, (order) => order.instrumentId === instrument),
        ),
      );
    }
    this.#postTradeUsage(rows);
    return rows;
  }

  // The post-trade limits, as the last fill or mark left them: drawdown from the peak (a
  // fraction), loss since the start of the day and each strategy's loss (a gain counts 0).
  #postTradeUsage(rows: LimitUsage[]): void {
    const limits = this.#config.postTrade;
    if (limits === undefined) return;
    const monitor = this.#monitor;
    if (limits.maxDrawdown !== undefined) {
      rows.push({
        name: 'account.maxDrawdown',
        limit: limits.maxDrawdown.limit,
        used: monitor.drawdown,
        unit: 'fraction',
      });
    }
    if (limits.maxDailyLoss !== undefined) {
      const loss = monitor.dailyLoss;
      rows.push({
        name: 'account.maxDailyLoss',
        limit: limits.maxDailyLoss.limit,
        // NaN before the first evaluation: nothing lost yet.
        used: Math.max(0, loss || 0),
      });
    }
    const strategyRule = limits.maxStrategyLoss;
    if (strategyRule !== undefined) {
      for (const id of this.ledger.strategies()) {
        const loss = -this.ledger.pnl(this.#marks, id);
        rows.push({
          name: `strategy:${id}.maxStrategyLoss`,
          limit: strategyRule.limit,
          used: Math.max(0, loss),
        });
      }
    }
  }

  // ---- the gate ------------------------------------------------------------------------------

  /** Returns whether `request` may be sent, and the limit or state that refuses it when not. */
  check(request: OrderRequest, context: PreTradeContext): PreTradeDecision {
    // The closing orders of FLATTEN are the risk engine's own.
    if (this.#closing) return APPROVED;
    const strategyId = this.#strategyOf(request.tags);
    if (!this.states.allActive) {
      const refused = this.#checkStates(request, strategyId, context);
      if (refused !== undefined) return { approved: false, reason: refused };
    }
    const config = this.#config;
    const accountLimits = config.account;
    const strategyLimits =
      strategyId === undefined ? undefined : this.#strategyLimits.get(strategyId);
    const instrumentLimits = this.#instrumentLimits.get(request.instrumentId);
    if (
      accountLimits !== undefined ||
      strategyLimits !== undefined ||
      instrumentLimits !== undefined
    ) {
      const refused = this.#checkScopes(
        request,
        context,
        strategyId,
        accountLimits,
        strategyLimits,
        instrumentLimits,
      );
      if (refused !== undefined) return { approved: false, reason: refused };
    }
    if (this.#margin !== undefined) {
      const refused = this.#checkMargin(this.#margin, request);
      if (refused !== undefined) return { approved: false, reason: refused };
    }
    for (const gate of this.#gates) {
      const decision = gate.check(request, context);
      if (!decision.approved) return decision;
    }
    if (this.#throttles.size > 0) {
      const refused = this.#throttle(request, strategyId, context.timeMs);
      if (refused !== undefined) return { approved: false, reason: refused };
    }
    if (strategyId !== undefined && request.clientOrderId !== undefined) {
      this.#strategyOfOrder.set(request.clientOrderId, strategyId);
    }
    return APPROVED;
  }

  // `strategyOf`, with each tag's id cut once rather than on every check.
  #strategyOf(tags: readonly string[] | undefined): string | undefined {
    if (tags === undefined) return undefined;
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i]!;
      if (!tag.startsWith(STRATEGY_TAG)) continue;
      let id = this.#strategyIds.get(tag);
      if (id === undefined) {
        id = tag.slice(STRATEGY_TAG.length);
        this.#strategyIds.set(tag, id);
      }
      return id;
    }
    return undefined;
  }

  #throttle(
    request: OrderRequest,
    strategyId: string | undefined,
    timeMs: number,
  ): PreTradeRefusal | undefined {
    const account = this.#throttles.get('account');
    const strategy =
      strategyId === undefined
        ? undefined
        : this.#throttles.get(this.#scopeName('strategy', strategyId));
    const instrument = this.#throttles.get(this.#scopeName('instrument', request.instrumentId));
    const refused =
      this.#throttled(account, timeMs) ??
      this.#throttled(strategy, timeMs) ??
      this.#throttled(instrument, timeMs);
    if (refused !== undefined) return refused;
    account?.window.record(timeMs);
    strategy?.window.record(timeMs);
    instrument?.window.record(timeMs);
    return undefined;
  }

  #throttled(throttle: Throttle | undefined, timeMs: number): PreTradeRefusal | undefined {
    if (throttle === undefined || !throttle.window.wouldExceed(timeMs)) return undefined;
    const field = `${throttle.name}.maxOrdersPerSecond`;
    const count = throttle.window.countAt(timeMs) + 1;
    return Object.freeze({
      code: 'ORDER_RATE',
      message: `${field}: ${count} orders within one second is above the limit ${throttle.window.limit}`,
      field,
      configured: String(throttle.window.limit),
      attempted: String(count),
    });
  }

  // Returns `kind:id`, made once per id: building the string on every check would cost more
  // than the check.
  #scopeName(kind: 'strategy' | 'instrument', id: string): string {
    const names = kind === 'strategy' ? this.#strategyNames : this.#instrumentNames;
    let name = names.get(id);
    if (name === undefined) {
      name = `${kind}:${id}`;
      names.set(id, name);
    }
    return name;
  }

  #number(value: Decimal | undefined): number {
    if (value === undefined) return Number.NaN;
    // A Decimal never changes, and an open order keeps its remaining quantity object until it
    // fills, so each is converted once.
    let number = this.#numbers.get(value);
    if (number === undefined) {
      number = value.toNumber();
      this.#numbers.set(value, number);
    }
    return number;
  }

  #accountPosition(instrumentId: InstrumentId, context: PreTradeContext | undefined): number {
    const view = context?.positions ?? this.#positions;
    return view === undefined
      ? this.ledger.position(instrumentId)
      : this.#number(view.netQuantity(instrumentId));
  }

  // The signed position of the account in an instrument, from the positions given, else from
  // the fills heard of.
  #accountPositionIn(instrumentId: InstrumentId, view: PositionView | undefined): number {
    return view === undefined
      ? this.ledger.position(instrumentId)
      : this.#number(view.netQuantity(instrumentId));
  }

  // Makes sure every instrument the positions given hold has an entry in the account's totals,
  // so exposure counts it. Positions that arise later come from fills, which make their entry
  // when the risk engine hears them; until it is attached, each check looks again.
  #cover(view: PositionView): void {
    if (this.#attached && this.#covered === view) return;
    const account = this.#book.account;
    for (const id of view.netQuantities().keys()) account.entry(id);
    this.#covered = view;
  }

  // Fills the figures of one scope from its running totals, the checked order counted.
  #expose(
    figures: MutableScopeFigures,
    scope: ScopeExposure | undefined,
    order: CandidateOrder,
    strategyId: string | undefined,
    view: PositionView | undefined,
  ): void {
    const instrumentId = order.instrumentId;
    const entry = scope?.find(instrumentId);
    const own = figures.own;
    own.position =
      strategyId === undefined
        ? this.#accountPositionIn(instrumentId, view)
        : this.ledger.position(instrumentId, strategyId);
    own.buys = (entry?.buys ?? 0) + (order.sign === 1 ? order.quantity : 0);
    own.sells = (entry?.sells ?? 0) + (order.sign === -1 ? order.quantity : 0);
    let price = order.mark;
    if (Number.isNaN(price)) price = entry?.orderPrice ?? Number.NaN;
    if (Number.isNaN(price)) price = order.price;
    own.price = price;
    let gross = 0;
    let netLong = 0;
    let netShort = 0;
    if (!Number.isNaN(price)) {
      const long = (own.position + own.buys) * price;
      const short = (own.position - own.sells) * price;
      gross = Math.max(Math.abs(long), Math.abs(short));
      netLong = long;
      netShort = short;
    }
    if (scope !== undefined) {
      const entries = scope.entries;
      for (let i = 0; i < entries.length; i++) {
        const other = entries[i]!;
        const id = other.instrumentId;
        if (id === instrumentId) continue;
        const value = this.#marks.get(id) ?? other.orderPrice;
        if (Number.isNaN(value)) continue;
        const position =
          strategyId === undefined
            ? this.#accountPositionIn(id, view)
            : this.ledger.position(id, strategyId);
        const long = (position + other.buys) * value;
        const short = (position - other.sells) * value;
        gross += Math.max(Math.abs(long), Math.abs(short));
        netLong += long;
        netShort += short;
      }
    }
    figures.gross = gross;
    figures.netLong = netLong;
    figures.netShort = netShort;
  }

  // Checks each scope's limits against its running totals, brought up to date with the open
  // orders given.
  #checkScopes(
    request: OrderRequest,
    context: PreTradeContext,
    strategyId: string | undefined,
    accountLimits: LimitSet | undefined,
    strategyLimits: LimitSet | undefined,
    instrumentLimits: LimitSet | undefined,
  ): PreTradeRefusal | undefined {
    const book = this.#book;
    book.sync(context.openOrders);
    const instrumentId = request.instrumentId;
    const mark = this.#marks.get(instrumentId) ?? Number.NaN;
    const limitPrice = this.#number(request.price);
    let price = limitPrice;
    if (Number.isNaN(price)) price = Number.isNaN(mark) ? this.#number(request.triggerPrice) : mark;
    const order = this.#candidate;
    order.instrumentId = instrumentId;
    order.sign = request.side === 'BUY' ? 1 : -1;
    order.quantity = this.#number(request.quantity);
    order.price = price;
    order.limitPrice = limitPrice;
    order.mark = mark;
    order.timeMs = context.timeMs;
    // The account's figures also serve the instrument scope, which counts the same orders of
    // one instrument.
    const accountWide =
      (accountLimits !== undefined && needsExposure(accountLimits)) ||
      (instrumentLimits !== undefined && needsExposure(instrumentLimits));
    const account = this.#accountFigures;
    if (accountWide) {
      const view = context.positions ?? this.#positions;
      if (view !== undefined) this.#cover(view);
      this.#expose(account, book.account, order, undefined, view);
    }
    if (accountLimits !== undefined) {
      account.openOrders = book.account.openOrders + 1;
      const refused = checkLimits(accountLimits, account, order);
      if (refused !== undefined) return refused;
    }
    if (strategyLimits !== undefined) {
      const figures = this.#strategyFigures;
      const scope = book.strategy(strategyId!);
      figures.name = this.#scopeName('strategy', strategyId!);
      figures.openOrders = (scope?.openOrders ?? 0) + 1;
      if (needsExposure(strategyLimits)) {
        this.#expose(figures, scope, order, strategyId, undefined);
      }
      const refused = checkLimits(strategyLimits, figures, order);
      if (refused !== undefined) return refused;
    }
    if (instrumentLimits !== undefined) {
      const figures = this.#instrumentFigures;
      figures.name = this.#scopeName('instrument', instrumentId);
      figures.openOrders = (book.account.find(instrumentId)?.openOrders ?? 0) + 1;
      if (accountWide) {
        const own = account.own;
        const into = figures.own;
        into.position = own.position;
        into.buys = own.buys;
        into.sells = own.sells;
        into.price = own.price;
        if (Number.isNaN(own.price)) {
          figures.gross = 0;
          figures.netLong = 0;
          figures.netShort = 0;
        } else {
          const long = (own.position + own.buys) * own.price;
          const short = (own.position - own.sells) * own.price;
          figures.gross = Math.max(Math.abs(long), Math.abs(short));
          figures.netLong = long;
          figures.netShort = short;
        }
      }
      const refused = checkLimits(instrumentLimits, figures, order);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }

  // ---- trading states ------------------------------------------------------------------------

  #checkStates(
    request: OrderRequest,
    strategyId: string | undefined,
    context: PreTradeContext,
  ): PreTradeRefusal | undefined {
    const scopes: [TradingStateScope, TradingState][] = [];
    const accountState = this.states.stateAt(scopeKey(this.#account));
    if (accountState !== 'ACTIVE') scopes.push([this.#account, accountState]);
    if (strategyId !== undefined) {
      const scope: TradingStateScope = { kind: 'strategy', id: strategyId };
      const state = this.states.stateOf(scope);
      if (state !== 'ACTIVE') scopes.push([scope, state]);
    }
    const instrumentScope: TradingStateScope = { kind: 'instrument', id: request.instrumentId };
    const instrumentState = this.states.stateOf(instrumentScope);
    if (instrumentState !== 'ACTIVE') scopes.push([instrumentScope, instrumentState]);
    scopes.sort((a, b) => severityOf(b[1]) - severityOf(a[1]));
    for (const [scope, state] of scopes) {
      const refused = this.#admit(state, scope, request, context);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }

  #admit(
    state: TradingState,
    scope: TradingStateScope,
    request: OrderRequest,
    context: PreTradeContext,
  ): PreTradeRefusal | undefined {
    const field = `state.${scopeKey(scope)}`;
    if (state === 'HALTED' || state === 'FLATTEN') {
      return Object.freeze({
        code: state,
        message: `${field}: ${scopeKey(scope)} is ${state}; only cancels go out`,
        field,
        configured: state,
        attempted: request.side,
      });
    }
    const position =
      scope.kind === 'strategy'
        ? this.ledger.position(request.instrumentId, scope.id)
        : this.#accountPosition(request.instrumentId, context);
    const sign = request.side === 'BUY' ? 1 : -1;
    let reducing = request.quantity.toNumber();
    if (state === 'REDUCE_ONLY') {
      const tag = STRATEGY_TAG + scope.id;
      for (const open of context.openOrders) {
        if (open.instrumentId !== request.instrumentId || open.side !== request.side) continue;
        if (scope.kind === 'strategy' && !open.tags.includes(tag)) continue;
        reducing += open.remainingQuantity.toNumber();
      }
    }
    // Reducing: on the side opposite the position, and no more than the position.
    if (position !== 0 && Math.sign(position) === -sign && reducing <= Math.abs(position)) {
      return undefined;
    }
    const what = state === 'REDUCE_ONLY' ? 'reducing orders' : 'order';
    return Object.freeze({
      code: state,
      message: `${field}: ${scopeKey(scope)} is ${state}; the ${what} of ${formatNumber(reducing)} ${request.side} would open, grow or flip the position ${formatNumber(position)}`,
      field,
      configured: formatNumber(Math.abs(position)),
      attempted: formatNumber(reducing),
    });
  }

  /**
   * Sets the state of a scope (default the account) by hand and publishes the change; `FLATTEN`
   * starts cancelling and closing at once.
   * @returns whether the state changed
   * @throws `ValidationError` naming `setBy` or `state` when either is not valid, or naming
   * `orders` when `FLATTEN` is asked without an order manager
   */
  setState(
    state: TradingState,
    setBy: string,
    reason: string,
    scope: TradingStateScope = this.#account,
  ): boolean {
    if (state === 'FLATTEN') return this.flatten(setBy, reason, scope);
    this.#flattening.delete(scopeKey(scope));
    return this.states.set(scope, state, setBy, reason);
  }

  /**
   * Moves a scope (default the account) back to `ACTIVE`, starting its drawdown over from the
   * equity now.
   * @returns whether the state changed
   * @throws `ValidationError` naming `reason` when it is empty
   */
  reset(setBy: string, reason: string, scope: TradingStateScope = this.#account): boolean {
    this.#flattening.delete(scopeKey(scope));
    const changed = this.states.reset(scope, setBy, reason);
    if (changed && scope.kind === 'account') this.#monitor.rebase();
    return changed;
  }

  /**
   * Puts a scope (default the account) in `FLATTEN`: cancels its open orders, closes each of its
   * positions with market orders tagged `risk:flatten`, resends after a rejection or a partial
   * fill (up to `maxFlattenAttempts` per position), and moves to `HALTED` once flat.
   * @returns whether the state changed
   * @throws `ValidationError` naming `orders` when no order manager was given
   */
  flatten(setBy: string, reason: string, scope: TradingStateScope = this.#account): boolean {
    if (this.#orders === undefined) {
      throw new ValidationError(
        'orders',
        'be given (option or attach) for FLATTEN to cancel and close',
        undefined,
      );
    }
    const changed = this.states.set(scope, 'FLATTEN', setBy, reason);
    if (!changed) return false;
    this.#flattening.set(scopeKey(scope), {
      scope,
      setBy,
      reason,
      attempts: new Map(),
      closing: new Set(),
      canceling: new Set(),
    });
    this.#progressFlattens();
    return true;
  }

  #progressFlattens(): void {
    if (this.#flattening.size === 0 || this.#orders === undefined) return;
    for (const [key, run] of [...this.#flattening]) {
      if (this.states.stateAt(key) !== 'FLATTEN') {
        this.#flattening.delete(key);
        continue;
      }
      if (this.#progress(run, this.#orders)) {
        this.#flattening.delete(key);
        this.states.set(run.scope, 'HALTED', run.setBy, `flattened after: ${run.reason}`);
      }
    }
  }

  #inScope(scope: TradingStateScope, order: OrderView): boolean {
    if (scope.kind === 'account') return true;
    if (scope.kind === 'instrument') return order.instrumentId === scope.id;
    return order.tags.includes(STRATEGY_TAG + scope.id);
  }

  #positionsOf(scope: TradingStateScope): Map<InstrumentId, Decimal> {
    const positions = new Map<InstrumentId, Decimal>();
    if (scope.kind === 'strategy') {
      for (const [id, holding] of this.ledger.holdings(scope.id)) {
        if (!holding.exact.isZero()) positions.set(id, holding.exact);
      }
      return positions;
    }
    const view = this.#positions;
    const all = new Map<InstrumentId, Decimal>();
    if (view === undefined) {
      for (const [id, holding] of this.ledger.holdings()) all.set(id, holding.exact);
    } else {
      for (const [id, quantity] of view.netQuantities()) all.set(id, quantity);
    }
    for (const [id, quantity] of all) {
      if (quantity.isZero()) continue;
      if (scope.kind === 'instrument' && id !== scope.id) continue;
      positions.set(id, quantity);
    }
    return positions;
  }

  // Returns true once the scope is flat with nothing open.
  #progress(run: FlattenRun, orders: RiskOrderPort): boolean {
    const open = orders.openOrders().filter((order) => this.#inScope(run.scope, order));
    const closingOpen = new Set<InstrumentId>();
    for (const order of open) {
      if (run.closing.has(order.clientOrderId)) {
        closingOpen.add(order.instrumentId);
        continue;
      }
      if (run.canceling.has(order.clientOrderId) || order.status === 'PENDING_CANCEL') continue;
      run.canceling.add(order.clientOrderId);
      orders.cancel(order.clientOrderId).then(
        () => this.#progressFlattens(),
        (error: unknown) => {
          run.canceling.delete(order.clientOrderId);
          this.#logger.error('flatten: a cancel failed; it is retried', {
            err: error,
            clientOrderId: order.clientOrderId,
          });
        },
      );
    }
    const positions = this.#positionsOf(run.scope);
    if (positions.size === 0 && open.length === 0) return true;
    // Close only once the scope's other orders are gone, so none fills against the close.
    if (open.length > closingOpen.size) return false;
    const maxAttempts = this.#config.maxFlattenAttempts ?? 5;
    for (const [instrumentId, quantity] of positions) {
      if (closingOpen.has(instrumentId)) continue;
      const attempts = run.attempts.get(instrumentId) ?? 0;
      if (attempts >= maxAttempts) {
        if (attempts === maxAttempts) {
          run.attempts.set(instrumentId, attempts + 1);
          this.#logger.error('flatten: gave up closing a position', {
            instrumentId,
            quantity: quantity.toString(),
            attempts,
          });
        }
        continue;
      }
      run.attempts.set(instrumentId, attempts + 1);
      const tags =
        run.scope.kind === 'strategy' ? [STRATEGY_TAG + run.scope.id, FLATTEN_TAG] : [FLATTEN_TAG];
      this.#closing = true;
      let order: OrderView;
      try {
        order = orders.submit({
          instrumentId,
          side: quantity.isPositive() ? 'SELL' : 'BUY',
          type: 'MARKET',
          quantity: quantity.abs(),
          tags,
        });
      } catch (error) {
        this.#logger.error('flatten: a closing order failed', { err: error, instrumentId });
        continue;
      } finally {
        this.#closing = false;
      }
      if (!order.isTerminal) run.closing.add(order.clientOrderId);
      if (run.scope.kind === 'strategy')
        this.#strategyOfOrder.set(order.clientOrderId, run.scope.id);
    }
    return false;
  }

  // ---- post-trade ----------------------------------------------------------------------------

  #afterChange(timeMs: number): void {
    const limits = this.#config.postTrade;
    if (limits !== undefined) this.#evaluate(timeMs, limits);
    if (this.#margin !== undefined) this.#evaluateMargin(this.#margin, timeMs);
    this.#progressFlattens();
  }

  #evaluateMargin(margin: MarginMonitor, timeMs: number): void {
    margin.evaluate(this.equity(), this.#marginPositions(), timeMs);
  }

  #marginPositions(): MarginPosition[] {
    const positions: MarginPosition[] = [];
    for (const [instrumentId, holding] of this.ledger.holdings()) {
      const mark = this.#marks.get(instrumentId);
      if (holding.exact.isZero() || mark === undefined) continue;
      positions.push({
        instrumentId,
        quantity: holding.exact,
        entryPrice: holding.entryPrice,
        mark,
      });
    }
    return positions;
  }

  // The initial margin and leverage an order that opens or grows a position needs; an order that
  // only reduces one always passes, so a margin call can be answered.
  #checkMargin(margin: MarginMonitor, request: OrderRequest): PreTradeRefusal | undefined {
    const held = this.ledger.holdings().get(request.instrumentId)?.exact.toNumber() ?? 0;
    const signed =
      request.side === 'BUY' ? request.quantity.toNumber() : -request.quantity.toNumber();
    const after = held + signed;
    if (Math.abs(after) <= Math.abs(held) && Math.sign(after) !== -Math.sign(held))
      return undefined;
    const price = request.price?.toNumber() ?? this.#marks.get(request.instrumentId);
    if (price === undefined) {
      return {
        code: 'MARGIN_UNPRICED',
        message: `no price of ${request.instrumentId} is known to reckon the order's margin`,
        field: `margin.${request.instrumentId}`,
      };
    }
    try {
      return margin.checkOrder(
        request.instrumentId,
        Math.abs(signed) * price,
        Math.abs(after) * price,
        this.equity(),
        this.#marginPositions(),
      );
    } catch (error) {
      if (!isQtpError(error, 'VALIDATION')) throw error;
      return {
        code: 'MARGIN_REQUIREMENT',
        message: (error as Error).message,
        field: `margin.${request.instrumentId}`,
      };
    }
  }

  // The order manager as the risk engine's own closing orders use it: past the gate.
  #ownOrders(orders: RiskOrderPort): { submit(input: OrderRequestInput): OrderView } {
    return {
      submit: (input) => {
        this.#closing = true;
        try {
          return orders.submit(input);
        } finally {
          this.#closing = false;
        }
      },
    };
  }

  #evaluate(timeMs: number, limits: NonNullable<RiskConfig['postTrade']>): void {
    const strategyPnl = new Map<string, number>();
    if (limits.maxStrategyLoss !== undefined) {
      for (const id of this.ledger.strategies())
        strategyPnl.set(id, this.ledger.pnl(this.#marks, id));
    }
    this.#autoReset(this.#clock.now());
    const breaches = this.#monitor.evaluate(timeMs, this.equity(), strategyPnl, limits);
    for (const breach of breaches) this.#trip(breach, limits);
  }

  #trip(breach: PostTradeBreach, limits: NonNullable<RiskConfig['postTrade']>): void {
    const rule = limits[breach.rule]!;
    const scope: TradingStateScope =
      breach.strategyId === undefined ? this.#account : { kind: 'strategy', id: breach.strategyId };
    const current = this.states.stateOf(scope);
    if (severityOf(rule.action) <= severityOf(current)) return;
    const setBy = `rule:${breach.rule}`;
    if (rule.action === 'FLATTEN' && this.#orders !== undefined) {
      this.flatten(setBy, breach.reason, scope);
    } else {
      // Without an order manager there is nothing to flatten with: halt instead.
      const state = rule.action === 'FLATTEN' ? 'HALTED' : rule.action;
      this.states.trip(scope, state, setBy, breach.reason);
    }
  }

  #autoReset(timeMs: number): void {
    const coolDownMs = this.#config.autoReset?.coolDownMs;
    if (coolDownMs === undefined || this.states.allActive) return;
    for (const entry of this.states.restricted()) {
      if (!entry.setBy.startsWith('rule:') || entry.state === 'FLATTEN') continue;
      if (timeMs - entry.sinceMs < coolDownMs) continue;
      this.reset(
        'rule:autoReset',
        `cool-down of ${coolDownMs} ms since ${entry.setBy} passed`,
        entry.scope,
      );
    }
  }

  // ---- configuration -------------------------------------------------------------------------

  /**
   * Replaces the limits without a restart, keeping states, positions and order-rate history.
   * A post-trade rule loosened or removed while its breach is active is logged as such.
   * @throws `ValidationError` naming the path of every problem; the limits in force stay
   */
  updateConfig(next: unknown): RiskConfigUpdate {
    const parsed = parseRiskConfig(next);
    const loosened: PostTradeRule[] = [];
    const before = this.#config.postTrade ?? {};
    const after = parsed.postTrade ?? {};
    for (const rule of ['maxDrawdown', 'maxDailyLoss', 'maxStrategyLoss'] as const) {
      const old = before[rule];
      if (old === undefined || !this.#breachActive(rule)) continue;
      const updated = after[rule];
      if (
        updated === undefined ||
        updated.limit > old.limit ||
        severityOf(updated.action) < severityOf(old.action)
      ) {
        loosened.push(rule);
        this.#logger.warn('risk limit loosened while its breach is active', {
          rule,
          from: old.limit,
          to: updated?.limit ?? null,
        });
      }
    }
    this.#config = { ...parsed, accountId: this.accountId };
    this.#buildThrottles();
    return { loosenedWhileBreached: loosened };
  }

  #breachActive(rule: PostTradeRule): boolean {
    return this.states
      .restricted()
      .some((entry: TradingStateEntry) => entry.setBy === `rule:${rule}`);
  }

  #buildThrottles(): void {
    this.#strategyLimits = new Map(Object.entries(this.#config.strategies ?? {}));
    this.#instrumentLimits = new Map(Object.entries(this.#config.instruments ?? {}));
    const wanted = new Map<string, number>();
    const config = this.#config;
    const add = (name: string, limits: LimitSet | undefined) => {
      if (limits?.maxOrdersPerSecond !== undefined) wanted.set(name, limits.maxOrdersPerSecond);
    };
    add('account', config.account);
    for (const [id, limits] of Object.entries(config.strategies ?? {}))
      add(`strategy:${id}`, limits);
    for (const [id, limits] of Object.entries(config.instruments ?? {})) {
      add(`instrument:${id}`, limits);
    }
    for (const name of [...this.#throttles.keys()])
      if (!wanted.has(name)) this.#throttles.delete(name);
    for (const [name, limit] of wanted) {
      if (this.#throttles.get(name)?.window.limit === limit) continue;
      this.#throttles.set(name, { name, window: new OrderRateWindow(limit, 1_000) });
    }
  }
}
