import {
  Decimal,
  type Fill,
  type InstrumentId,
  type Money,
  ORDER_STATUS_TOPICS,
  type OrderDeniedEvent,
  TRADING_STATE_TOPIC,
  type TradingStateChangedEvent,
} from '@qtp/core';
import type { PortfolioView, TradingEngine } from '@qtp/engine';
import { BoundedList } from './bounded-list.js';
import type { TradingStateControl, VenueStatus } from './control-ports.js';
import { EquityHistory } from './equity-history.js';
import { EventLog } from './event-log.js';
import { summarize } from './summarize.js';
import {
  DASHBOARD_VIEWS,
  type DashboardSnapshot,
  type DashboardViewName,
  type EquityView,
  type FillRow,
  type LogRow,
  type OrderRow,
  type PositionRow,
  type RefusalRow,
  type TradingStateRow,
} from './views.js';

/** What a portfolio may offer beyond {@link PortfolioView} for the P&L columns; `Portfolio` does. */
interface PositionDetails {
  position(instrumentId: InstrumentId):
    | {
        readonly averageEntryPrice: Decimal | null;
        readonly realizedPnl: Money;
        readonly quoteAsset: string;
        unrealizedPnl(mark: number): Money;
      }
    | undefined;
}

const ORDER_VIEWS: readonly DashboardViewName[] = ['orders', 'log'];
const PORTFOLIO_VIEWS: readonly DashboardViewName[] = ['positions', 'strategies', 'log'];
const STRATEGY_VIEWS: readonly DashboardViewName[] = ['strategies', 'log'];
const ENGINE_VIEWS: readonly DashboardViewName[] = ['venues', 'log'];

// The bus topics the feed hears, and the views each makes stale. Exact topics, never patterns:
// a pattern subscription makes the bus match every unheard topic (each market data event) against
// it, which would cost the engine an allocation per bar.
const TOPICS: readonly (readonly [string, readonly DashboardViewName[]])[] = [
  ...ORDER_STATUS_TOPICS.map((topic) => [topic, ORDER_VIEWS] as const),
  ...[
    'order.fill',
    'order.rejected',
    'order.cancelRejected',
    'order.stateUnknown',
    'order.anomaly',
  ].map((topic) => [topic, ORDER_VIEWS] as const),
  ['order.denied', ['orders', 'risk', 'log']],
  ['portfolio.fillBooked', PORTFOLIO_VIEWS],
  ['portfolio.transfer', PORTFOLIO_VIEWS],
  ['strategy.started', STRATEGY_VIEWS],
  ['strategy.stopped', STRATEGY_VIEWS],
  ['strategy.failed', STRATEGY_VIEWS],
  ['engine.started', ENGINE_VIEWS],
  ['engine.stopped', ENGINE_VIEWS],
  ['engine.error', ENGINE_VIEWS],
  [TRADING_STATE_TOPIC, ['risk', 'log']],
  ['dashboard.control', ['log']],
];

/** Options of {@link DashboardFeed}. */
export interface DashboardFeedOptions {
  readonly control?: TradingStateControl | undefined;
  readonly venueStatus?: (() => readonly VenueStatus[]) | undefined;
  readonly strategiesControllable: boolean;
  readonly maxEquityPoints: number;
  readonly recentItems: number;
}

const STRATEGY_TAG = 'strategy:';

// One bit per view, in the order of DASHBOARD_VIEWS, so marking views stale is an integer OR.
function maskOf(views: readonly DashboardViewName[]): number {
  let mask = 0;
  for (const view of views) mask |= 1 << DASHBOARD_VIEWS.indexOf(view);
  return mask;
}

const FILLS_MASK = maskOf(['fills']);
const RISK_MASK = maskOf(['risk']);

// Listens on the engine's bus for what no read API offers (order events, fills, refusals, risk
// state changes, control actions, errors) and keeps what the views need beyond the engine's own
// state: recent fills, refusals, trading states, per-strategy P&L and the event log. Nothing is
// heard per market data event: equity, positions, open orders and limits are read from the
// engine when a view is built. Handlers only append and mark views stale (only while a page is
// connected), so the engine pays a few array writes per order event and no allocation.
export class DashboardFeed {
  private stale = 0;
  // Raw events, formatted only when a view is built: the engine pays an array write per event.
  private readonly fills: BoundedList<Fill>;
  private fillCount = 0;
  private readonly refusals: BoundedList<OrderDeniedEvent>;
  private readonly refusalCounts = new Map<string, number>();
  private readonly states = new Map<string, TradingStateRow>();
  private readonly log: EventLog;
  // Whether a page is connected: only then are views marked stale for the live channel, which
  // sends every view to a page when it connects.
  private watched = false;
  private readonly strategyPnl = new Map<string, StrategyBook>();
  private readonly unsubscribes: (() => void)[] = [];
  private readonly equity: EquityHistory;

  constructor(
    private readonly engine: TradingEngine<PortfolioView>,
    private readonly options: DashboardFeedOptions,
  ) {
    this.fills = new BoundedList(options.recentItems);
    this.refusals = new BoundedList(options.recentItems);
    this.log = new EventLog(options.recentItems * 5);
    this.equity = new EquityHistory((from) => engine.equityCurve(from), options.maxEquityPoints);
    const bus = engine.bus as unknown as {
      subscribe(
        pattern: string,
        handler: (event: unknown, topic: string) => void,
        options: { name: string },
      ): () => void;
    };
    for (const [pattern, views] of TOPICS) {
      const handler = this.handlerOf(pattern, maskOf(views));
      this.unsubscribes.push(bus.subscribe(pattern, handler, { name: `dashboard:${pattern}` }));
    }
  }

  /** Stops listening. */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** Says whether a page is connected; while none is, no view is marked stale. */
  watch(watched: boolean): void {
    this.watched = watched;
    if (!watched) this.stale = 0;
  }

  /** Returns the views made stale since the last call, and forgets them. */
  takeStale(): DashboardViewName[] {
    const stale = this.stale;
    this.stale = 0;
    return DASHBOARD_VIEWS.filter((_, i) => (stale & (1 << i)) !== 0);
  }

  /** Builds every view. */
  snapshot(): DashboardSnapshot {
    return {
      equity: this.view('equity'),
      positions: this.view('positions'),
      orders: this.view('orders'),
      fills: this.view('fills'),
      strategies: this.view('strategies'),
      risk: this.view('risk'),
      venues: this.view('venues'),
      log: this.view('log'),
    };
  }

  /** Builds one view. */
  view<K extends DashboardViewName>(name: K): DashboardSnapshot[K] {
    return this.build(name) as DashboardSnapshot[K];
  }

  /** The equity view from point `from` on, when the points before it are as last read at `step`. */
  equitySince(step: number, from: number): EquityView | undefined {
    this.equity.update();
    const history = this.equity;
    if (history.step !== step || history.held < from) return undefined;
    return history.viewFrom(this.engine.reportingCurrency, from);
  }

  /** Where the equity view stands: its version, step and points held before the last. */
  equityPosition(): { readonly version: number; readonly step: number; readonly held: number } {
    this.equity.update();
    const { version, step, held } = this.equity;
    return { version, step, held };
  }

  /** The log's newest entry number and capacity. */
  logPosition(): { readonly lastSeq: number; readonly capacity: number } {
    return { lastSeq: this.log.lastSeq, capacity: this.log.capacity };
  }

  /** The log entries numbered after `afterSeq`, newest first. */
  logSince(afterSeq: number): LogRow[] {
    return this.log.rows(summarize, afterSeq);
  }

  /** Counts for the metrics: fills and refusals by code, since mounting. */
  counts(): { fills: number; refusals: ReadonlyMap<string, number> } {
    return { fills: this.fillCount, refusals: this.refusalCounts };
  }

  /** The current trading states by scope. */
  tradingStates(): readonly TradingStateRow[] {
    const rows = new Map<string, TradingStateRow>();
    for (const entry of this.options.control?.states?.() ?? []) {
      rows.set(scopeKey(entry.scope), { ...entry, setBy: null, reason: null, timeMs: null });
    }
    for (const [key, row] of this.states) rows.set(key, row);
    return [...rows.values()];
  }

  private build(name: DashboardViewName): DashboardSnapshot[DashboardViewName] {
    const engine = this.engine;
    switch (name) {
      case 'equity':
        // Reads only the points recorded since the last view: the history is kept here, thinned.
        this.equity.update();
        return this.equity.view(engine.reportingCurrency);
      case 'positions':
        return { rows: this.positionRows() };
      case 'orders':
        return { rows: engine.orderManager.openOrders().map(orderRow).reverse() };
      case 'fills':
        return { rows: this.fills.newestFirst().map(fillRow), total: this.fillCount };
      case 'strategies':
        return {
          rows: engine.strategies.ids.map((id) => {
            const booked = this.strategyPnl.get(id);
            if (booked !== undefined) fold(booked);
            const realizedPnl: Record<string, string> = {};
            for (const [currency, amount] of booked?.pnl ?? []) {
              realizedPnl[currency] = amount.toFixed();
            }
            const state = engine.strategies.get(id).state;
            return { id, state, realizedPnl, fills: booked?.fills ?? 0 };
          }),
          controllable: this.options.strategiesControllable,
        };
      case 'risk':
        return {
          states: this.tradingStates(),
          limits: this.options.control?.limits?.() ?? [],
          refusalsByReason: [...this.refusalCounts]
            .map(([code, count]) => ({ code, count }))
            .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
          recentRefusals: this.refusals.newestFirst().map(refusalRow),
          controllable: this.options.control !== undefined,
        };
      case 'venues': {
        const reported = new Map(
          (this.options.venueStatus?.() ?? []).map((status) => [status.venue, status]),
        );
        return {
          rows: engine.exchanges.map(
            (exchange) =>
              reported.get(exchange.venue) ?? { venue: exchange.venue, connected: null },
          ),
          engineRunning: engine.running,
        };
      }
      case 'log':
        return { rows: this.log.rows(summarize) };
    }
  }

  private positionRows(): PositionRow[] {
    const portfolio = this.engine.portfolio;
    const details = hasPositionDetails(portfolio) ? portfolio : undefined;
    const rows: PositionRow[] = [];
    const ids = new Set<InstrumentId>(portfolio.netQuantities().keys());
    for (const id of this.strategyInstruments) ids.add(id);
    for (const id of ids) {
      const quantity = portfolio.netQuantity(id);
      const mark = portfolio.markOf(id);
      const position = details?.position(id);
      rows.push({
        instrumentId: String(id),
        quantity: quantity.toFixed(),
        mark: mark ?? null,
        averageEntryPrice: position?.averageEntryPrice?.toFixed() ?? null,
        unrealizedPnl:
          position === undefined || mark === undefined
            ? null
            : position.unrealizedPnl(mark).amount.toFixed(),
        realizedPnl: position?.realizedPnl.amount.toFixed() ?? null,
        pnlCurrency: position?.quoteAsset ?? null,
      });
    }
    return rows.sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : 1));
  }

  // Instruments with a fill since mounting, so a position closed again still shows its P&L.
  private readonly strategyInstruments = new Set<InstrumentId>();

  // One handler per topic, its work chosen once here rather than by topic on every event.
  private handlerOf(topic: string, mask: number): (event: unknown, topic: string) => void {
    const log = this.log;
    const clock = this.engine.clock;
    const then =
      topic === 'order.fill'
        ? (event: unknown) => this.onFill(event as FillEventShape)
        : topic === 'order.denied'
          ? (event: unknown) => this.onDenied(event as OrderDeniedEvent)
          : topic === 'portfolio.fillBooked'
            ? (event: unknown) => this.onBooked(event as BookedShape)
            : topic === TRADING_STATE_TOPIC
              ? (event: unknown) => this.onState(event as TradingStateChangedEvent)
              : undefined;
    if (then === undefined) {
      return (event, heard) => {
        if (this.watched) this.stale |= mask;
        log.push(timeOf(event) ?? clock.now(), heard, event);
      };
    }
    return (event, heard) => {
      if (this.watched) this.stale |= mask;
      log.push(timeOf(event) ?? clock.now(), heard, event);
      then(event);
    };
  }

  private onFill(event: FillEventShape): void {
    this.fillCount++;
    if (this.watched) this.stale |= FILLS_MASK;
    this.strategyInstruments.add(event.fill.instrumentId);
    this.fills.push(event.fill);
  }

  private onDenied(event: OrderDeniedEvent): void {
    if (this.watched) this.stale |= RISK_MASK;
    const code = event.denial.code;
    this.refusalCounts.set(code, (this.refusalCounts.get(code) ?? 0) + 1);
    this.refusals.push(event);
  }

  private onBooked(event: BookedShape): void {
    const id = strategyOf(this.engine.orderManager.getOrder(event.fill.clientOrderId)?.tags);
    if (id === null) return;
    let entry = this.strategyPnl.get(id);
    if (entry === undefined) {
      entry = { pnl: new Map(), pending: [], fills: 0 };
      this.strategyPnl.set(id, entry);
    }
    entry.fills++;
    // Summed when the view is built (or every so often), so a fill costs no Decimal addition.
    entry.pending.push(event.realizedPnl);
    if (entry.pending.length >= FOLD_EVERY) fold(entry);
  }

  private onState(event: TradingStateChangedEvent): void {
    this.states.set(scopeKey(event.scope), {
      scope: event.scope,
      state: event.to,
      setBy: event.setBy,
      reason: event.reason,
      timeMs: event.timeMs,
    });
  }
}

type FillEventShape = { readonly fill: Fill };
type BookedShape = { readonly fill: Fill; readonly realizedPnl: Money };

// A strategy's realised P&L: totals per currency, plus amounts booked since they were summed.
interface StrategyBook {
  readonly pnl: Map<string, Decimal>;
  readonly pending: Money[];
  fills: number;
}

const FOLD_EVERY = 1024;

function fold(book: StrategyBook): void {
  for (const { amount, currency } of book.pending) {
    book.pnl.set(currency, (book.pnl.get(currency) ?? new Decimal(0)).plus(amount));
  }
  book.pending.length = 0;
}

function fillRow(fill: Fill): FillRow {
  return {
    tradeId: fill.tradeId,
    clientOrderId: String(fill.clientOrderId),
    instrumentId: String(fill.instrumentId),
    side: fill.side,
    price: fill.price.toFixed(),
    quantity: fill.quantity.toFixed(),
    fee: fill.fee.amount.toFixed(),
    feeCurrency: fill.fee.currency,
    liquiditySide: fill.liquiditySide,
    timeMs: fill.timeMs,
  };
}

function refusalRow(event: OrderDeniedEvent): RefusalRow {
  return {
    clientOrderId: String(event.clientOrderId),
    instrumentId: String(event.instrumentId),
    source: event.denial.source,
    code: event.denial.code,
    message: event.denial.message,
    timeMs: event.timeMs,
  };
}

function strategyOf(tags: readonly string[] | undefined): string | null {
  if (tags === undefined) return null;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    if (tag.startsWith(STRATEGY_TAG)) return tag.slice(STRATEGY_TAG.length);
  }
  return null;
}

function scopeKey(scope: { readonly kind: string; readonly id: string }): string {
  return `${scope.kind}:${scope.id}`;
}

function timeOf(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const timeMs = (event as { timeMs?: unknown }).timeMs;
  return typeof timeMs === 'number' ? timeMs : undefined;
}

function hasPositionDetails(
  portfolio: PortfolioView,
): portfolio is PortfolioView & PositionDetails {
  return typeof (portfolio as Partial<PositionDetails>).position === 'function';
}

function orderRow(
  order: ReturnType<TradingEngine['orderManager']['openOrders']>[number],
): OrderRow {
  return {
    clientOrderId: String(order.clientOrderId),
    instrumentId: String(order.instrumentId),
    side: order.side,
    type: order.type,
    quantity: order.quantity.toFixed(),
    price: order.price?.toFixed() ?? null,
    filledQuantity: order.filledQuantity.toFixed(),
    status: order.status,
    strategyId: strategyOf(order.tags),
    createdTimeMs: order.createdTimeMs,
  };
}
