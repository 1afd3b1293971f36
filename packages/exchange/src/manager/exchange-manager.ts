import {
  type Clock,
  Decimal,
  type ExecutionEvents,
  type Fill,
  type Instrument,
  type InstrumentId,
  LiveClock,
  type MarketDataEvent,
  instrumentId as makeInstrumentId,
  type OrderAck,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  type OrderType,
  symbolOf,
  type TimeInForce,
  type TimerId,
  UnknownSymbolError,
  ValidationError,
  venueOf,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import type {
  AccountEvents,
  Balance,
  Exchange,
  FetchTradesOptions,
  MarketDataEvents,
  MarketDataSubscription,
} from '../exchange.js';
import { VenueHealth, type VenueHealthOptions, type VenueHealthReport } from './venue-health.js';

/** Emitted when a venue's health verdict changes. */
export interface VenueHealthEvent {
  /** Always `venueHealth`. */
  readonly type: 'venueHealth';
  /** The new verdict. */
  readonly report: VenueHealthReport;
}

/** Emitted when a market data subscription moves to another venue, or back. */
export interface MarketDataFailoverEvent {
  /** Always `failover`. */
  readonly type: 'failover';
  /** The subscription as the caller made it. */
  readonly subscription: MarketDataSubscription;
  /** The venue that delivered it until now. */
  readonly from: string;
  /** The venue that delivers it from now on. */
  readonly to: string;
  /** When it moved, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events of {@link ExchangeManager.health}, by name. */
export interface ExchangeManagerEvents {
  /** A venue's health changed. */
  venueHealth: [event: VenueHealthEvent];
  /** A subscription moved to another venue. */
  failover: [event: MarketDataFailoverEvent];
}

/** Options of {@link ExchangeManager}. */
export interface ExchangeManagerOptions {
  /** The venues, each with its own `venue` name. */
  readonly exchanges: readonly Exchange[];
  /** The manager's own name (default `MANAGER`). */
  readonly venue?: string;
  /** The clock of health checks (default a `LiveClock`). */
  readonly clock?: Clock;
  /** Health thresholds, the same for every venue. */
  readonly health?: VenueHealthOptions;
  /** How often health is checked, in milliseconds (default 1000). */
  readonly checkIntervalMs?: number;
}

interface Route {
  readonly subscription: MarketDataSubscription;
  /** The venue whose events are relayed now. */
  active: string;
}

function keyOf(subscription: MarketDataSubscription): string {
  return subscription.kind === 'bars'
    ? `${subscription.instrumentId}|bars|${subscription.interval}`
    : `${subscription.instrumentId}|${subscription.kind}`;
}

function onVenue(subscription: MarketDataSubscription, venue: string): MarketDataSubscription {
  return {
    ...subscription,
    instrumentId: makeInstrumentId(symbolOf(subscription.instrumentId), venue),
  };
}

function relabel(event: MarketDataEvent, id: InstrumentId): MarketDataEvent {
  switch (event.type) {
    case 'bar':
      return { ...event, instrumentId: id, bar: { ...event.bar, instrumentId: id } };
    case 'trade':
      return { ...event, instrumentId: id, trade: { ...event.trade, instrumentId: id } };
    case 'quote':
      return { ...event, instrumentId: id, quote: { ...event.quote, instrumentId: id } };
    case 'bookSnapshot':
      return { ...event, instrumentId: id, snapshot: { ...event.snapshot, instrumentId: id } };
    default:
      return { ...event, instrumentId: id, delta: { ...event.delta, instrumentId: id } };
  }
}

function matches(event: MarketDataEvent, route: Route, venue: string): boolean {
  const wanted = onVenue(route.subscription, venue);
  if (event.instrumentId !== wanted.instrumentId) return false;
  switch (wanted.kind) {
    case 'bars':
      return event.type === 'bar' && event.bar.interval === wanted.interval;
    case 'trades':
      return event.type === 'trade';
    case 'quotes':
      return event.type === 'quote';
    default:
      return event.type === 'bookSnapshot' || event.type === 'bookDelta';
  }
}

/**
 * Several venues behind one {@link Exchange}. Orders, cancels and lookups go to the venue named
 * by the instrument id and stay there, so each order is reconciled where it lives. Market data
 * comes from the venue asked for while it is healthy; when its health turns `DOWN` (silent past
 * the threshold while subscribed, or retryable failures in a row) each of its subscriptions
 * moves to a healthy venue listing the same symbol, and moves back once the venue recovers. Events
 * of a moved subscription keep the instrument id the caller asked for; `failover` events on
 * {@link ExchangeManager.health} say where they come from.
 *
 * Balances are summed per asset over the venues; instruments, open orders and canceled orders
 * are the venues' lists together.
 *
 * @example
 * ```ts
 * import { ExchangeManager } from '@qtp/exchange';
 * const manager = new ExchangeManager({ exchanges: [binance, backup] });
 * await manager.connect();
 * manager.health.on('failover', (event) => console.log(event.from, '->', event.to));
 * ```
 */
export class ExchangeManager implements Exchange {
  /** The venue this exchange stands for, as in instrument ids. */
  readonly venue: string;
  /** The order types every venue accepts. */
  readonly orderTypes: readonly OrderType[];
  /** The times in force every venue accepts. */
  readonly timesInForce: readonly TimeInForce[];
  /** Execution reports (order updates and fills) as they arrive. */
  readonly executions = new EventEmitter<ExecutionEvents>();
  /** The market data events of the subscribed streams. */
  readonly marketData = new EventEmitter<MarketDataEvents>();
  /** Balance updates of the account. */
  readonly account = new EventEmitter<AccountEvents>();
  /** Venue health changes and failovers. */
  readonly health = new EventEmitter<ExchangeManagerEvents>();

  private readonly venues = new Map<string, Exchange>();
  private readonly healths = new Map<string, VenueHealth>();
  private readonly verdicts = new Map<string, VenueHealthReport['status']>();
  private readonly routes = new Map<string, Route>();
  private readonly listed = new Map<string, Set<string>>();
  private readonly clock: Clock;
  private readonly checkIntervalMs: number;
  private timer: TimerId | undefined;
  private readonly detach: (() => void)[] = [];

  /**
   * Creates a manager over `options.exchanges`.
   * @throws {@link @qtp/core!ValidationError} when no venue is given or two share a name
   */
  constructor(options: ExchangeManagerOptions) {
    if (options.exchanges.length === 0)
      throw new ValidationError('exchanges', 'list at least one venue', []);
    this.venue = options.venue ?? 'MANAGER';
    this.clock = options.clock ?? new LiveClock();
    this.checkIntervalMs = options.checkIntervalMs ?? 1000;
    for (const exchange of options.exchanges) {
      if (this.venues.has(exchange.venue)) {
        throw new ValidationError('exchanges', 'name each venue once', exchange.venue);
      }
      this.venues.set(exchange.venue, exchange);
      this.healths.set(exchange.venue, new VenueHealth(exchange.venue, options.health));
      this.verdicts.set(exchange.venue, 'HEALTHY');
      this.attach(exchange);
    }
    const all = options.exchanges;
    this.orderTypes = all[0]!.orderTypes.filter((type) =>
      all.every((e) => e.orderTypes.includes(type)),
    );
    this.timesInForce = all[0]!.timesInForce.filter((tif) =>
      all.every((e) => e.timesInForce.includes(tif)),
    );
  }

  private attach(exchange: Exchange): void {
    const venue = exchange.venue;
    const beat = () => this.healths.get(venue)?.heartbeat(this.clock.now());
    const relay = (event: MarketDataEvent) => {
      beat();
      for (const route of this.routes.values()) {
        if (route.active !== venue || !matches(event, route, venue)) continue;
        const out = relabel(event, route.subscription.instrumentId);
        (this.marketData.emit as (name: string, payload: MarketDataEvent) => boolean)(
          out.type,
          out,
        );
      }
    };
    const names = ['bar', 'trade', 'quote', 'bookSnapshot', 'bookDelta'] as const;
    for (const name of names) exchange.marketData.on(name, relay);
    const onUpdate = (event: ExecutionEvents['orderUpdate'][0]) => {
      beat();
      this.executions.emit('orderUpdate', event);
    };
    const onFill = (event: ExecutionEvents['fill'][0]) => {
      beat();
      this.executions.emit('fill', event);
    };
    const onBalance = (event: AccountEvents['balance'][0]) => this.account.emit('balance', event);
    exchange.executions.on('orderUpdate', onUpdate);
    exchange.executions.on('fill', onFill);
    exchange.account.on('balance', onBalance);
    this.detach.push(() => {
      for (const name of names) exchange.marketData.off(name, relay);
      exchange.executions.off('orderUpdate', onUpdate);
      exchange.executions.off('fill', onFill);
      exchange.account.off('balance', onBalance);
    });
  }

  /** Returns the health of every venue now. */
  healthReports(): readonly VenueHealthReport[] {
    const now = this.clock.now();
    return [...this.venues.keys()].map((venue) =>
      this.healths.get(venue)!.report(now, this.expectsData(venue)),
    );
  }

  /** Returns the venue that delivers a subscription now, or `undefined` when not subscribed. */
  sourceOf(subscription: MarketDataSubscription): string | undefined {
    return this.routes.get(keyOf(subscription))?.active;
  }

  private expectsData(venue: string): boolean {
    for (const route of this.routes.values()) {
      if (route.active === venue || venueOf(route.subscription.instrumentId) === venue) return true;
    }
    return false;
  }

  private exchangeOf(id: InstrumentId): Exchange {
    const exchange = this.venues.get(venueOf(id));
    if (exchange === undefined)
      throw new UnknownSymbolError(id, { details: { venue: this.venue } });
    return exchange;
  }

  private async timed<T>(exchange: Exchange, run: () => Promise<T>): Promise<T> {
    const health = this.healths.get(exchange.venue)!;
    const started = this.clock.now();
    try {
      const result = await run();
      health.success(this.clock.now() - started, this.clock.now());
      return result;
    } catch (error) {
      health.failure(error);
      this.check();
      throw error;
    }
  }

  /** Re-evaluates every venue's health, publishing changes and moving subscriptions off `DOWN` venues. */
  check(): void {
    for (const report of this.healthReports()) {
      if (this.verdicts.get(report.venue) === report.status) continue;
      this.verdicts.set(report.venue, report.status);
      this.health.emit('venueHealth', { type: 'venueHealth', report });
    }
    for (const route of this.routes.values()) void this.reroute(route);
  }

  private usable(venue: string): boolean {
    return this.verdicts.get(venue) !== 'DOWN';
  }

  private async reroute(route: Route): Promise<void> {
    const home = venueOf(route.subscription.instrumentId);
    const symbol = symbolOf(route.subscription.instrumentId);
    let target = route.active;
    if (this.usable(home)) target = home;
    else if (!this.usable(route.active)) {
      const backup = [...this.venues.keys()].find(
        (venue) => this.usable(venue) && this.listed.get(venue)?.has(symbol),
      );
      if (backup !== undefined) target = backup;
    }
    if (target === route.active) return;
    const from = route.active;
    route.active = target;
    await this.venues
      .get(target)!
      .subscribe(onVenue(route.subscription, target))
      .catch(() => undefined);
    // The home venue stays subscribed while a backup delivers: its events are its heartbeats,
    // and they bring the subscription back once it recovers.
    if (from !== home) {
      await this.venues
        .get(from)!
        .unsubscribe(onVenue(route.subscription, from))
        .catch(() => undefined);
    }
    this.health.emit('failover', {
      type: 'failover',
      subscription: route.subscription,
      from,
      to: target,
      timeMs: this.clock.now(),
    });
  }

  /** Opens the connections and resolves once the venue is ready. */
  async connect(): Promise<void> {
    await Promise.all([...this.venues.values()].map((exchange) => exchange.connect()));
    await this.loadInstruments();
    if (this.timer === undefined)
      this.timer = this.clock.setInterval(() => this.check(), this.checkIntervalMs);
  }

  /** Closes every connection. */
  async disconnect(): Promise<void> {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.routes.clear();
    await Promise.all([...this.venues.values()].map((exchange) => exchange.disconnect()));
  }

  /** Stops relaying the venues' events; the venues stay as they are. */
  dispose(): void {
    for (const undo of this.detach.splice(0)) undo();
  }

  /** Loads the instruments the venue trades, with their rules. */
  async loadInstruments(): Promise<readonly Instrument[]> {
    const all: Instrument[] = [];
    for (const exchange of this.venues.values()) {
      const instruments = await this.timed(exchange, () => exchange.loadInstruments());
      this.listed.set(exchange.venue, new Set(instruments.map((instrument) => instrument.symbol)));
      all.push(...instruments);
    }
    return all;
  }

  /** Subscribes to a market data stream. */
  async subscribe(subscription: MarketDataSubscription): Promise<void> {
    const key = keyOf(subscription);
    if (this.routes.has(key)) return;
    const home = this.exchangeOf(subscription.instrumentId);
    const route: Route = { subscription, active: home.venue };
    await home.subscribe(subscription);
    this.routes.set(key, route);
    void this.reroute(route);
  }

  /** Ends a market data subscription. */
  async unsubscribe(subscription: MarketDataSubscription): Promise<void> {
    const route = this.routes.get(keyOf(subscription));
    if (route === undefined) return;
    this.routes.delete(keyOf(subscription));
    const home = venueOf(subscription.instrumentId);
    await this.venues.get(home)?.unsubscribe(subscription);
    if (route.active !== home) {
      await this.venues.get(route.active)?.unsubscribe(onVenue(subscription, route.active));
    }
  }

  /** Places an order and resolves with the acknowledgement; after an unknown outcome it never resends: look the order up by its client order id. */
  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    const exchange = this.exchangeOf(request.instrumentId);
    return this.timed(exchange, () => exchange.placeOrder(request));
  }

  /** Asks the venue to cancel an order. */
  async cancelOrder(ref: OrderRef): Promise<void> {
    const exchange = this.exchangeOf(ref.instrumentId);
    return this.timed(exchange, () => exchange.cancelOrder(ref));
  }

  /** Looks an order up by its client order id. */
  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    const exchange = this.exchangeOf(ref.instrumentId);
    return this.timed(exchange, () => exchange.fetchOrder(ref));
  }

  /** Returns the fills of an order, each with its trade id. */
  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    const exchange = this.exchangeOf(ref.instrumentId);
    return this.timed(exchange, () => exchange.fetchOrderFills(ref));
  }

  /** Returns the open orders, of one instrument or of all. */
  async fetchOpenOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    if (instrumentId !== undefined) {
      const exchange = this.exchangeOf(instrumentId);
      return this.timed(exchange, () => exchange.fetchOpenOrders(instrumentId));
    }
    const lists = await Promise.all(
      [...this.venues.values()].map((exchange) =>
        this.timed(exchange, () => exchange.fetchOpenOrders()),
      ),
    );
    return lists.flat();
  }

  /** Cancels every open order, of one instrument or of all. */
  async cancelAllOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    if (instrumentId !== undefined) {
      const exchange = this.exchangeOf(instrumentId);
      return this.timed(exchange, () => exchange.cancelAllOrders(instrumentId));
    }
    const lists = await Promise.all(
      [...this.venues.values()].map((exchange) =>
        this.timed(exchange, () => exchange.cancelAllOrders()),
      ),
    );
    return lists.flat();
  }

  /** Returns the account's recent trades. */
  fetchMyTrades(
    instrumentId: InstrumentId,
    options?: FetchTradesOptions,
  ): Promise<readonly Fill[]> {
    const exchange = this.exchangeOf(instrumentId);
    return this.timed(exchange, () => exchange.fetchMyTrades(instrumentId, options));
  }

  /** Returns every asset's balance summed over the venues, sorted by asset. */
  async fetchBalances(): Promise<readonly Balance[]> {
    const totals = new Map<string, { free: Decimal; locked: Decimal }>();
    for (const exchange of this.venues.values()) {
      for (const balance of await this.timed(exchange, () => exchange.fetchBalances())) {
        const total = totals.get(balance.asset) ?? { free: new Decimal(0), locked: new Decimal(0) };
        totals.set(balance.asset, {
          free: total.free.plus(balance.free),
          locked: total.locked.plus(balance.locked),
        });
      }
    }
    return [...totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([asset, total]) => ({ asset, ...total }));
  }
}
