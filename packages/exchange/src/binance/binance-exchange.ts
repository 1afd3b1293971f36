import {
  barIntervalToMs,
  type Clock,
  createBarEvent,
  createBookDeltaEvent,
  createBookSnapshotEvent,
  createConsoleLogger,
  createQuoteTickEvent,
  createTradeTickEvent,
  type EventPublisher,
  type ExecutionEvents,
  type Fill,
  type Instrument,
  type InstrumentId,
  isQtpError,
  LiveClock,
  type Logger,
  type OrderAck,
  type OrderBook,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  type OrderType,
  parseWith,
  symbolOf,
  type TimeInForce,
  UnknownSymbolError,
  venueOf,
} from '@qtp/core';
import { RateLimiter, type ResilienceEvents } from '@qtp/core/resilience';
import { EventEmitter } from 'eventemitter3';
import * as z from 'zod';
import type {
  AccountEvents,
  Balance,
  Exchange,
  FetchTradesOptions,
  MarketDataEvents,
  MarketDataSubscription,
} from '../exchange.js';
import { DepthSync } from './depth-sync.js';
import { BinanceMarketStream } from './market-stream.js';
import { type BinanceOcoAck, type BinanceOcoRequest, parseOcoReply, toOcoParams } from './oco.js';
import { type BinanceOrderExtras, toOrderParams } from './order-params.js';
import {
  executionReportFill,
  executionReportToOrderReport,
  myTradeToFill,
  parseBookTicker,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseKlineEvent,
  parseKlineRow,
  parseRestTrade,
  parseTradeEvent,
  symbolToInstrument,
  toBalance,
  toOrderReport,
} from './parse.js';
import { BinanceRestClient } from './rest-client.js';
import { type BinanceCredentials, type BinanceParamValue, createBinanceSigner } from './signing.js';
import {
  accountPositionSchema,
  accountSchema,
  exchangeInfoSchema,
  executionReportSchema,
  myTradeSchema,
  orderObjectSchema,
} from './wire.js';
import { BinanceWsApiClient } from './ws-api-client.js';

/**
 * The venue's state as the adapter sees it: `RECONCILING` from a reconnect of the user data
 * connection until the REST resync (open orders, recent trades, balances) is done, then `READY`.
 */
export interface BinanceVenueStatusEvent {
  /** Always `venueStatus`. */
  readonly type: 'venueStatus';
  /** The venue's name. */
  readonly venue: string;
  /** `DISCONNECTED`, `RECONCILING` or `READY`. */
  readonly status: 'DISCONNECTED' | 'RECONCILING' | 'READY';
  /** When it changed, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events of {@link BinanceExchange.connection}, by name. */
export interface BinanceConnectionEvents {
  /** The venue's state changed. */
  venueStatus: [event: BinanceVenueStatusEvent];
}

/** Options of {@link BinanceExchange}. */
export interface BinanceExchangeOptions {
  /** The REST base (default `https://api.binance.com`). */
  readonly restUrl?: string;
  /** The market streams base (default `wss://stream.binance.com:9443`). */
  readonly streamUrl?: string;
  /** The WebSocket API URL (default `wss://ws-api.binance.com:443/ws-api/v3`). */
  readonly wsApiUrl?: string;
  /** The API key; without it only market data works. Kept in memory only. */
  readonly credentials?: BinanceCredentials;
  /** The venue part of instrument ids (default `BINANCE`). */
  readonly venue?: string;
  /** The clock of timestamps and timers (default a `LiveClock`). */
  readonly clock?: Clock;
  /** Receives request lines (method and path only) and connection lines. */
  readonly logger?: Logger;
  /** Receives the `circuit.state` events of the endpoint groups' breakers. */
  readonly events?: EventPublisher<ResilienceEvents>;
  /** The request-weight limiter, shared by REST and the WebSocket API (default 6000 a minute). */
  readonly limiter?: RateLimiter;
  /** Where orders go: the WebSocket API with REST as fallback (default), or REST only. */
  readonly orderTransport?: 'ws-api' | 'rest';
  /** Random numbers for ids and jitter (default `Math.random`). */
  readonly random?: () => number;
  /** The time limit of one request, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Consecutive failures that open an endpoint group's breaker (default 5). */
  readonly breakerFailures?: number;
  /** How long an open breaker waits before it lets one call through, in ms (default 10 000). */
  readonly halfOpenAfterMs?: number;
  /** Replaces stream connections after this long (default 23 hours). */
  readonly rotateAfterMs?: number;
  /** The first reconnect delay, in milliseconds (default 250). */
  readonly initialBackoffMs?: number;
}

const ORDER_TYPES: readonly OrderType[] = [
  'MARKET',
  'LIMIT',
  'LIMIT_MAKER',
  'STOP_MARKET',
  'STOP_LIMIT',
];
const TIMES_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const orderList = z.array(orderObjectSchema);
const tradeList = z.array(myTradeSchema);
const anyJson = z.unknown();

interface KnownOrder {
  readonly symbol: string;
  readonly clientOrderId: string;
  orderId?: number;
  terminal: boolean;
}

function streamKey(subscription: MarketDataSubscription, symbol: string): string {
  const lower = symbol.toLowerCase();
  switch (subscription.kind) {
    case 'bars':
      return `${lower}@kline_${subscription.interval}`;
    case 'trades':
      return `${lower}@trade`;
    case 'quotes':
      return `${lower}@bookTicker`;
    default:
      return `${lower}@depth@100ms`;
  }
}

const TERMINAL = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']);

/**
 * Binance Spot behind the {@link Exchange} interface. REST (signed with HMAC or Ed25519, clock
 * offset kept, weights on one shared limiter, retries of reads and cancels, a breaker per
 * endpoint group) for instruments, account and lookups; orders over the WebSocket API with REST
 * as fallback; user data on the same WebSocket API connection; market data from the combined
 * streams with reconnect, backoff with jitter and rotation before the 24-hour cut.
 *
 * Reliability rules: a placement whose reply is lost fails with `OrderStateUnknownError` and is
 * never sent again: look it up with {@link BinanceExchange.fetchOrder} by client order id. After
 * the user data connection comes back, the venue is `RECONCILING` (see
 * {@link BinanceExchange.connection}) until open orders, the trades since the last one seen and
 * the balances were read over REST; fills missed meanwhile are emitted then, each trade id once.
 * The L2 book follows Binance's snapshot-and-diff procedure and resyncs by itself on a gap or a
 * reconnect; bars and trades missed while a stream was down are fetched over REST and emitted in
 * order, so subscribers see no hole.
 *
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { BinanceExchange } from '@qtp/exchange/binance';
 * const binance = new BinanceExchange({ credentials: { kind: 'ed25519', apiKey, privateKey } });
 * await binance.connect();
 * binance.marketData.on('trade', (event) => console.log(event.trade.price));
 * await binance.subscribe({ kind: 'trades', instrumentId: instrumentId('BTCUSDT', 'BINANCE') });
 * ```
 */
export class BinanceExchange implements Exchange {
  /** The venue this exchange stands for, as in instrument ids. */
  readonly venue: string;
  /** The order types the venue accepts. */
  readonly orderTypes = ORDER_TYPES;
  /** The times in force the venue accepts. */
  readonly timesInForce = TIMES_IN_FORCE;
  /** Execution reports (order updates and fills) as they arrive. */
  readonly executions = new EventEmitter<ExecutionEvents>();
  /** The market data events of the subscribed streams. */
  readonly marketData = new EventEmitter<MarketDataEvents>();
  /** Balance updates of the account. */
  readonly account = new EventEmitter<AccountEvents>();
  /** The venue's connection state: `venueStatus` events. */
  readonly connection = new EventEmitter<BinanceConnectionEvents>();
  /** The REST client, for calls the interface does not cover. */
  readonly rest: BinanceRestClient;

  private readonly options: BinanceExchangeOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly limiter: RateLimiter;
  private readonly instruments = new Map<string, Instrument>();
  private readonly known = new Map<string, KnownOrder>();
  private readonly byOrderId = new Map<string, KnownOrder>();
  private readonly seenTrades = new Set<string>();
  private readonly lastReport = new Map<string, string>();
  private readonly lastTradeId = new Map<string, number>();
  private readonly books = new Map<string, DepthSync>();
  private readonly snapshotting = new Set<string>();
  private readonly lastBarOpen = new Map<string, number>();
  private readonly lastPublicTrade = new Map<string, number>();
  private readonly streams = new Map<string, MarketDataSubscription>();
  private stream: BinanceMarketStream | undefined;
  private wsApi: BinanceWsApiClient | undefined;
  private connected = false;
  private reconnecting = false;
  private failures = 0;
  private idCounter = 0;
  private status: BinanceVenueStatusEvent['status'] = 'DISCONNECTED';

  /** Creates the adapter; {@link BinanceExchange.connect} opens it. */
  constructor(options: BinanceExchangeOptions = {}) {
    this.options = options;
    this.venue = options.venue ?? 'BINANCE';
    this.clock = options.clock ?? new LiveClock();
    this.logger = options.logger ?? createConsoleLogger({ level: 'silent' });
    this.random = options.random ?? Math.random;
    this.limiter =
      options.limiter ??
      new RateLimiter({ name: `${this.venue}/REQUEST_WEIGHT`, limit: 6000, intervalMs: 60_000 });
    this.rest = new BinanceRestClient({
      baseUrl: options.restUrl ?? 'https://api.binance.com',
      clock: this.clock,
      limiter: this.limiter,
      logger: this.logger,
      name: this.venue,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.events === undefined ? {} : { events: options.events }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.breakerFailures === undefined
        ? {}
        : { breakerFailures: options.breakerFailures }),
      ...(options.halfOpenAfterMs === undefined
        ? {}
        : { halfOpenAfterMs: options.halfOpenAfterMs }),
    });
  }

  /** The venue's state: `READY` once connected and reconciled. */
  get venueStatus(): BinanceVenueStatusEvent['status'] {
    return this.status;
  }

  /**
   * Returns the local L2 book of a `book` subscription while it is in sync with the venue, else
   * `undefined` (not subscribed, or rebuilding after a gap).
   */
  orderBook(instrumentId: InstrumentId): OrderBook | undefined {
    const sync = this.books.get(symbolOf(instrumentId));
    return sync?.synced === true ? sync.book : undefined;
  }

  /** Opens the connections and resolves once the venue is ready. */
  async connect(): Promise<void> {
    if (this.connected) return;
    this.connected = true;
    try {
      await this.rest.syncTime();
      await this.loadInstruments();
      if (this.options.credentials !== undefined) await this.openWsApi();
    } catch (error) {
      // A failed connect leaves nothing open, so calling it again starts afresh.
      this.connected = false;
      const api = this.wsApi;
      this.wsApi = undefined;
      api?.events.removeAllListeners();
      api?.close();
      throw error;
    }
    this.setStatus('READY');
  }

  /** Closes every connection. */
  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    const api = this.wsApi;
    this.wsApi = undefined;
    api?.events.removeAllListeners();
    api?.close();
    this.stream?.close();
    this.stream = undefined;
    this.streams.clear();
    this.books.clear();
    this.setStatus('DISCONNECTED');
    await this.limiter.stop().catch(() => undefined);
  }

  /** Loads the instruments the venue trades, with their rules. */
  async loadInstruments(): Promise<readonly Instrument[]> {
    const info = await this.rest.request({
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      signed: false,
      weight: 20,
      operation: 'read',
      schema: exchangeInfoSchema,
    });
    for (const symbol of info.symbols) {
      if (symbol.status !== 'TRADING') continue;
      this.instruments.set(symbol.symbol, symbolToInstrument(symbol, this.venue));
    }
    return [...this.instruments.values()];
  }

  private symbolOf(id: InstrumentId): string {
    const symbol = id.includes('.') ? symbolOf(id) : '';
    if (venueOf(id) !== this.venue || !this.instruments.has(symbol)) {
      throw new UnknownSymbolError(id, { details: { venue: this.venue } });
    }
    return symbol;
  }

  private idOf(symbol: string): InstrumentId {
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined)
      throw new UnknownSymbolError(symbol, { details: { venue: this.venue } });
    return instrument.id;
  }

  // ---- trading -------------------------------------------------------------------------

  private newClientOrderId(): string {
    this.idCounter += 1;
    const salt = Math.floor(this.random() * 36 ** 6).toString(36);
    return `qtp-${this.clock.now().toString(36)}-${salt}-${this.idCounter}`;
  }

  private remember(symbol: string, clientOrderId: string, orderId?: number): KnownOrder {
    let entry = this.known.get(clientOrderId);
    if (entry === undefined || entry.symbol !== symbol) {
      entry = { symbol, clientOrderId, terminal: false };
      this.known.set(clientOrderId, entry);
    }
    if (orderId !== undefined) {
      entry.orderId = orderId;
      this.byOrderId.set(`${symbol}:${orderId}`, entry);
    }
    return entry;
  }

  private useWsApi(): boolean {
    return this.options.orderTransport !== 'rest' && this.wsApi?.isOpen === true;
  }

  private async call(
    method: string,
    rest: { method: 'GET' | 'POST' | 'DELETE'; path: string; weight: number },
    params: Record<string, BinanceParamValue | undefined>,
    operation: 'place' | 'cancel' | 'read',
    extra: { clientOrderId?: string; symbol?: string },
  ): Promise<unknown> {
    const api = this.wsApi;
    if (api !== undefined && this.useWsApi()) {
      return api.call({ method, params, signed: true, weight: rest.weight, operation, ...extra });
    }
    return this.rest.request({
      ...rest,
      params,
      signed: true,
      operation,
      schema: anyJson,
      ...extra,
    });
  }

  /**
   * Places an order and resolves with the acknowledgement; after an unknown outcome it never resends: look the order up by its client order id.
   * `extras` sends what core's request cannot say: a take-profit, a trailing delta, an iceberg.
   */
  async placeOrder(request: OrderRequest, extras?: BinanceOrderExtras): Promise<OrderAck> {
    const symbol = this.symbolOf(request.instrumentId);
    const clientOrderId = request.clientOrderId ?? this.newClientOrderId();
    const params = toOrderParams(request, symbol, clientOrderId, extras);
    this.remember(symbol, clientOrderId);
    const reply = await this.call(
      'order.place',
      { method: 'POST', path: '/api/v3/order', weight: 1 },
      params,
      'place',
      { clientOrderId, symbol },
    );
    const order = parseWith(orderObjectSchema, reply);
    this.remember(symbol, clientOrderId, order.orderId);
    const report = toOrderReport(order, request.instrumentId, this.rest.serverNow());
    this.emitReport(report);
    const quote = this.instruments.get(symbol)?.quoteAsset ?? 'USDT';
    for (const fill of order.fills ?? []) {
      this.emitFill(
        myTradeToFill(
          {
            symbol,
            id: fill.tradeId,
            orderId: order.orderId,
            price: fill.price,
            qty: fill.qty,
            commission: fill.commission,
            commissionAsset: fill.commissionAsset || quote,
            time: report.timeMs,
            isBuyer: request.side === 'BUY',
            isMaker: false,
          },
          request.instrumentId,
          clientOrderId,
        ),
      );
    }
    return {
      instrumentId: request.instrumentId,
      clientOrderId,
      venueOrderId: report.venueOrderId,
      status: report.status,
      timeMs: report.timeMs,
    };
  }

  /**
   * Places an OCO list (`orderList.place.oco`, REST as the fallback) and reports each leg; the
   * legs' later fates arrive as order reports like any order's. Never resent after an unknown
   * outcome: look the legs up by their client order ids.
   * @throws {@link @qtp/core!ValidationError} or {@link @qtp/core!InvalidOrderError} for a
   *   malformed request (see `toOcoParams`), and the typed error of Binance's answer
   * @example
   * ```ts
   * const ack = await exchange.placeOco({ instrumentId: btcusdt, side: 'SELL', quantity: '0.1',
   *   above: { type: 'LIMIT_MAKER', price: '38000' },
   *   below: { type: 'STOP_LOSS_LIMIT', stopPrice: '37000', price: '36900' } });
   * ```
   */
  async placeOco(request: BinanceOcoRequest): Promise<BinanceOcoAck> {
    const symbol = this.symbolOf(request.instrumentId);
    const list = request.listClientOrderId ?? this.newClientOrderId();
    const above = request.above.clientOrderId ?? this.newClientOrderId();
    const below = request.below.clientOrderId ?? this.newClientOrderId();
    const params = toOcoParams(request, symbol, { list, above, below });
    this.remember(symbol, above);
    this.remember(symbol, below);
    const reply = await this.call(
      'orderList.place.oco',
      { method: 'POST', path: '/api/v3/orderList/oco', weight: 1 },
      params,
      'place',
      { clientOrderId: list, symbol },
    );
    const ack = parseOcoReply(reply, request.instrumentId, this.rest.serverNow());
    for (const leg of ack.legs) {
      this.remember(symbol, leg.clientOrderId, Number(leg.venueOrderId));
      this.emitReport(leg);
    }
    return ack;
  }

  private refParams(ref: OrderRef, symbol: string): Record<string, BinanceParamValue | undefined> {
    return ref.venueOrderId !== undefined
      ? { symbol, orderId: Number(ref.venueOrderId) }
      : { symbol, origClientOrderId: ref.clientOrderId };
  }

  /** Asks the venue to cancel an order. */
  async cancelOrder(ref: OrderRef): Promise<void> {
    const symbol = this.symbolOf(ref.instrumentId);
    const reply = await this.call(
      'order.cancel',
      { method: 'DELETE', path: '/api/v3/order', weight: 1 },
      this.refParams(ref, symbol),
      'cancel',
      { symbol },
    );
    const order = parseWith(orderObjectSchema, reply);
    this.emitReport(toOrderReport(order, ref.instrumentId, this.rest.serverNow()));
  }

  /** Looks an order up by its client order id. */
  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    const symbol = this.symbolOf(ref.instrumentId);
    const order = await this.rest.request({
      method: 'GET',
      path: '/api/v3/order',
      params: this.refParams(ref, symbol),
      signed: true,
      weight: 4,
      operation: 'read',
      symbol,
      schema: orderObjectSchema,
    });
    this.remember(symbol, order.clientOrderId, order.orderId);
    return toOrderReport(order, ref.instrumentId, this.rest.serverNow());
  }

  /** Returns the fills of an order, each with its trade id. */
  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    const report = await this.fetchOrder(ref);
    const symbol = this.symbolOf(ref.instrumentId);
    const rows = await this.rest.request({
      method: 'GET',
      path: '/api/v3/myTrades',
      params: { symbol, orderId: Number(report.venueOrderId) },
      signed: true,
      weight: 5,
      operation: 'read',
      symbol,
      schema: tradeList,
    });
    return rows.map((row) => myTradeToFill(row, ref.instrumentId, report.clientOrderId));
  }

  /** Returns the open orders, of one instrument or of all. */
  async fetchOpenOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    const symbol = instrumentId === undefined ? undefined : this.symbolOf(instrumentId);
    const orders = await this.rest.request({
      method: 'GET',
      path: '/api/v3/openOrders',
      params: { symbol },
      signed: true,
      weight: symbol === undefined ? 80 : 6,
      operation: 'read',
      ...(symbol === undefined ? {} : { symbol }),
      schema: orderList,
    });
    const now = this.rest.serverNow();
    return [...orders]
      .sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.orderId - b.orderId)
      .filter((order) => this.instruments.has(order.symbol))
      .map((order) => {
        this.remember(order.symbol, order.clientOrderId, order.orderId);
        return toOrderReport(order, this.idOf(order.symbol), now);
      });
  }

  /** Cancels every open order, of one instrument or of all. */
  async cancelAllOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    const symbols =
      instrumentId === undefined
        ? [
            ...new Set(
              (await this.fetchOpenOrders()).map((report) => symbolOf(report.instrumentId)),
            ),
          ]
        : [this.symbolOf(instrumentId)];
    const canceled: OrderReport[] = [];
    for (const symbol of symbols) {
      let orders: z.output<typeof orderList>;
      try {
        orders = await this.rest.request({
          method: 'DELETE',
          path: '/api/v3/openOrders',
          params: { symbol },
          signed: true,
          weight: 1,
          operation: 'cancel',
          symbol,
          schema: z.array(z.unknown()).transform((rows) =>
            rows.flatMap((row) => {
              const parsed = orderObjectSchema.safeParse(row);
              return parsed.success ? [parsed.data] : [];
            }),
          ),
        });
      } catch (error) {
        // Binance answers -2011 when nothing is open: nothing to cancel.
        if (isQtpError(error, 'ORDER_NOT_FOUND')) continue;
        throw error;
      }
      const now = this.rest.serverNow();
      for (const order of orders) {
        const report = toOrderReport(order, this.idOf(symbol), now);
        this.emitReport(report);
        canceled.push(report);
      }
    }
    return canceled;
  }

  // ---- account -------------------------------------------------------------------------

  /** Returns the account's balances. */
  async fetchBalances(): Promise<readonly Balance[]> {
    const account = await this.rest.request({
      method: 'GET',
      path: '/api/v3/account',
      signed: true,
      weight: 20,
      operation: 'read',
      schema: accountSchema,
    });
    return account.balances
      .map(toBalance)
      .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
  }

  /** Returns the account's recent trades. */
  async fetchMyTrades(
    instrumentId: InstrumentId,
    options: FetchTradesOptions = {},
  ): Promise<readonly Fill[]> {
    const symbol = this.symbolOf(instrumentId);
    const rows = await this.rest.request({
      method: 'GET',
      path: '/api/v3/myTrades',
      params: { symbol, startTime: options.sinceMs, limit: 1000 },
      signed: true,
      weight: 20,
      operation: 'read',
      symbol,
      schema: tradeList,
    });
    const fills: Fill[] = [];
    for (const row of rows)
      fills.push(myTradeToFill(row, instrumentId, await this.clientOrderIdOf(symbol, row.orderId)));
    return options.limit === undefined ? fills : fills.slice(-options.limit);
  }

  private async clientOrderIdOf(symbol: string, orderId: number): Promise<string> {
    const known = this.byOrderId.get(`${symbol}:${orderId}`);
    if (known !== undefined) return known.clientOrderId;
    const report = await this.fetchOrder({
      instrumentId: this.idOf(symbol),
      venueOrderId: String(orderId),
    });
    return report.clientOrderId;
  }

  // ---- user data -----------------------------------------------------------------------

  private async openWsApi(): Promise<void> {
    const credentials = this.options.credentials;
    if (credentials === undefined) return;
    const api = new BinanceWsApiClient({
      url: this.options.wsApiUrl ?? 'wss://ws-api.binance.com:443/ws-api/v3',
      signer: createBinanceSigner(credentials),
      clock: this.clock,
      serverNow: () => this.rest.serverNow(),
      limiter: this.limiter,
      logger: this.logger,
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
    api.events.on('userData', (event) => this.onUserData(event));
    api.events.on('close', () => this.onWsApiClosed(api));
    await api.open();
    this.wsApi = api;
    this.failures = 0;
  }

  private onWsApiClosed(api: BinanceWsApiClient): void {
    if (this.wsApi !== api || !this.connected) return;
    this.wsApi = undefined;
    this.setStatus('DISCONNECTED');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnecting || !this.connected) return;
    this.reconnecting = true;
    const ceiling = Math.min(30_000, (this.options.initialBackoffMs ?? 250) * 2 ** this.failures);
    this.failures += 1;
    this.clock.setTimeout(
      () => {
        this.reconnecting = false;
        if (!this.connected) return;
        this.setStatus('RECONCILING');
        this.openWsApi()
          .then(() => this.resync())
          .then(
            () => {
              if (this.wsApi?.isOpen === true) this.setStatus('READY');
            },
            (error: unknown) => {
              this.logger.warn('binance user data reconnect failed', { error: String(error) });
              this.wsApi?.close();
              this.wsApi = undefined;
              this.scheduleReconnect();
            },
          );
      },
      Math.round(ceiling * this.random()),
    );
  }

  /**
   * Reads open orders, the trades since the last one seen and balances over REST, emitting every
   * order change and fill missed while user data was down (each trade id once). Runs after every
   * reconnect of the user data connection; call it after a restart as well.
   */
  async resync(): Promise<void> {
    const open = await this.fetchOpenOrders();
    const openIds = new Set(open.map((report) => report.clientOrderId));
    for (const report of open) this.emitReport(report);
    const symbols = new Set([...this.known.values()].map((order) => order.symbol));
    for (const symbol of symbols) {
      const id = this.idOf(symbol);
      const from = this.lastTradeId.get(symbol);
      const rows = await this.rest.request({
        method: 'GET',
        path: '/api/v3/myTrades',
        params: { symbol, ...(from === undefined ? {} : { fromId: from + 1 }), limit: 1000 },
        signed: true,
        weight: 20,
        operation: 'read',
        symbol,
        schema: tradeList,
      });
      for (const row of rows)
        this.emitFill(myTradeToFill(row, id, await this.clientOrderIdOf(symbol, row.orderId)));
      for (const order of this.known.values()) {
        if (order.symbol !== symbol || order.terminal || openIds.has(order.clientOrderId)) continue;
        try {
          this.emitReport(
            await this.fetchOrder({ instrumentId: id, clientOrderId: order.clientOrderId }),
          );
        } catch (error) {
          if (!isQtpError(error, 'ORDER_NOT_FOUND')) throw error;
        }
      }
    }
    for (const balance of await this.fetchBalances()) {
      this.account.emit('balance', { type: 'balance', balance, timeMs: this.rest.serverNow() });
    }
  }

  private onUserData(event: Readonly<Record<string, unknown>> & { readonly e: string }): void {
    if (event.e === 'executionReport') {
      const parsed = executionReportSchema.safeParse(event);
      if (!parsed.success || !this.instruments.has(parsed.data.s)) return;
      const report = parsed.data;
      const id = this.idOf(report.s);
      const own =
        report.C === undefined || report.C === null || report.C === '' ? report.c : report.C;
      this.remember(report.s, own, report.i);
      const fill = executionReportFill(
        report,
        id,
        this.instruments.get(report.s)?.quoteAsset ?? 'USDT',
      );
      if (fill !== undefined) this.emitFill(fill);
      this.emitReport(executionReportToOrderReport(report, id));
      return;
    }
    if (event.e === 'outboundAccountPosition') {
      const parsed = accountPositionSchema.safeParse(event);
      if (!parsed.success) return;
      for (const row of parsed.data.B) {
        this.account.emit('balance', {
          type: 'balance',
          balance: toBalance({ asset: row.a, free: row.f, locked: row.l }),
          timeMs: parsed.data.E,
        });
      }
      return;
    }
    if (event.e === 'eventStreamTerminated' && this.connected) {
      // The subscription ended without our asking: a fresh connection subscribes again.
      this.wsApi?.close();
    }
  }

  private emitReport(report: OrderReport): void {
    const key = `${report.instrumentId}:${report.venueOrderId}`;
    const state = `${report.status}:${report.filledQuantity.toString()}`;
    const previous = this.lastReport.get(key);
    if (previous === state) return;
    // Reports of one order never go back: a late duplicate with less filled is dropped.
    if (previous !== undefined) {
      const filledBefore = previous.slice(previous.indexOf(':') + 1);
      if (report.filledQuantity.lt(filledBefore)) return;
      if (TERMINAL.has(previous.slice(0, previous.indexOf(':')))) return;
    }
    this.lastReport.set(key, state);
    const known = this.known.get(report.clientOrderId);
    if (known !== undefined && TERMINAL.has(report.status)) known.terminal = true;
    this.executions.emit('orderUpdate', { type: 'orderUpdate', report });
  }

  private emitFill(fill: Fill): void {
    const symbol = symbolOf(fill.instrumentId);
    const key = `${symbol}:${fill.tradeId}`;
    if (this.seenTrades.has(key)) return;
    this.seenTrades.add(key);
    const tradeId = Number(fill.tradeId);
    if (tradeId > (this.lastTradeId.get(symbol) ?? -1)) this.lastTradeId.set(symbol, tradeId);
    this.executions.emit('fill', { type: 'fill', fill });
  }

  private setStatus(status: BinanceVenueStatusEvent['status']): void {
    if (this.status === status) return;
    this.status = status;
    this.connection.emit('venueStatus', {
      type: 'venueStatus',
      venue: this.venue,
      status,
      timeMs: this.clock.now(),
    });
  }

  // ---- market data ---------------------------------------------------------------------

  /** Subscribes to a market data stream. */
  async subscribe(subscription: MarketDataSubscription): Promise<void> {
    const symbol = this.symbolOf(subscription.instrumentId);
    const key = streamKey(subscription, symbol);
    if (this.streams.has(key)) return;
    this.streams.set(key, subscription);
    if (subscription.kind === 'book')
      this.books.set(symbol, new DepthSync({ instrumentId: subscription.instrumentId }));
    const stream = this.marketStream();
    await stream.subscribe([key]);
    if (subscription.kind === 'book') void this.snapshot(symbol);
  }

  /** Ends a market data subscription. */
  async unsubscribe(subscription: MarketDataSubscription): Promise<void> {
    const symbol = symbolOf(subscription.instrumentId);
    const key = streamKey(subscription, symbol);
    if (!this.streams.delete(key)) return;
    if (subscription.kind === 'book') this.books.delete(symbol);
    await this.stream?.unsubscribe([key]);
  }

  private marketStream(): BinanceMarketStream {
    if (this.stream !== undefined) return this.stream;
    const stream = new BinanceMarketStream({
      url: this.options.streamUrl ?? 'wss://stream.binance.com:9443',
      clock: this.clock,
      random: this.random,
      logger: this.logger,
      ...(this.options.rotateAfterMs === undefined
        ? {}
        : { rotateAfterMs: this.options.rotateAfterMs }),
      ...(this.options.initialBackoffMs === undefined
        ? {}
        : { initialBackoffMs: this.options.initialBackoffMs }),
    });
    stream.events.on('message', (name, data) => this.onStream(name, data));
    stream.events.on('reconnected', () => void this.afterStreamGap());
    stream.events.on('rotated', () => {
      for (const [symbol, sync] of this.books) {
        sync.reset();
        void this.snapshot(symbol);
      }
    });
    this.stream = stream;
    return stream;
  }

  private onStream(name: string, data: unknown): void {
    const subscription = this.streams.get(name);
    if (subscription === undefined) return;
    const id = subscription.instrumentId;
    const now = this.clock.now();
    try {
      switch (subscription.kind) {
        case 'trades': {
          const trade = parseTradeEvent(data, id);
          this.emitTrade(trade, now);
          return;
        }
        case 'bars': {
          const update = parseKlineEvent(data, id);
          if (update.closed) this.emitBar(update.bar, now);
          return;
        }
        case 'quotes':
          this.marketData.emit('quote', createQuoteTickEvent(parseBookTicker(data, id, now), now));
          return;
        default:
          this.onDepth(symbolOf(id), parseDepthUpdate(data, id), now);
      }
    } catch (error) {
      this.logger.warn('binance stream payload refused', { stream: name, error: String(error) });
    }
  }

  private emitTrade(trade: Parameters<typeof createTradeTickEvent>[0], receivedMs: number): void {
    const symbol = symbolOf(trade.instrumentId);
    const tradeId = Number(trade.tradeId);
    if (tradeId <= (this.lastPublicTrade.get(symbol) ?? -1)) return;
    this.lastPublicTrade.set(symbol, tradeId);
    this.marketData.emit('trade', createTradeTickEvent(trade, Math.max(receivedMs, trade.timeMs)));
  }

  private emitBar(bar: Parameters<typeof createBarEvent>[0], receivedMs: number): void {
    const key = `${bar.instrumentId}:${bar.interval}`;
    if (bar.openTimeMs <= (this.lastBarOpen.get(key) ?? -1)) return;
    this.lastBarOpen.set(key, bar.openTimeMs);
    this.marketData.emit('bar', createBarEvent(bar, Math.max(receivedMs, bar.closeTimeMs)));
  }

  private onDepth(symbol: string, delta: Parameters<DepthSync['applyDiff']>[0], now: number): void {
    const sync = this.books.get(symbol);
    if (sync === undefined) return;
    const result = sync.applyDiff(delta);
    if (result === 'applied')
      this.marketData.emit('bookDelta', createBookDeltaEvent(delta, Math.max(now, delta.timeMs)));
    else if (result === 'gap') void this.snapshot(symbol);
  }

  private async snapshot(symbol: string, attempt = 0): Promise<void> {
    if (this.snapshotting.has(symbol)) return;
    const sync = this.books.get(symbol);
    if (sync === undefined || sync.synced) return;
    this.snapshotting.add(symbol);
    try {
      const body = await this.rest.request({
        method: 'GET',
        path: '/api/v3/depth',
        params: { symbol, limit: 1000 },
        signed: false,
        weight: 50,
        operation: 'read',
        symbol,
        schema: anyJson,
      });
      const now = this.clock.now();
      const result = sync.applySnapshot(parseDepthSnapshot(body, sync.instrumentId, now));
      if (result === 'synced') {
        const book = sync.book;
        this.marketData.emit(
          'bookSnapshot',
          createBookSnapshotEvent(
            {
              instrumentId: sync.instrumentId,
              sequence: book.sequence ?? 0,
              bids: book.bids(),
              asks: book.asks(),
              timeMs: book.timeMs ?? now,
            },
            now,
          ),
        );
        return;
      }
    } catch (error) {
      this.logger.warn('binance depth snapshot failed', { symbol, error: String(error) });
    } finally {
      this.snapshotting.delete(symbol);
    }
    if (this.books.get(symbol) === sync && attempt < 20) {
      this.clock.setTimeout(() => void this.snapshot(symbol, attempt + 1), 100 * (attempt + 1));
    }
  }

  /** After a stream reconnect: rebuild books, fetch the trades and bars missed. */
  private async afterStreamGap(): Promise<void> {
    for (const [symbol, sync] of this.books) {
      sync.reset();
      void this.snapshot(symbol);
    }
    for (const subscription of this.streams.values()) {
      try {
        if (subscription.kind === 'trades') await this.backfillTrades(subscription.instrumentId);
        if (subscription.kind === 'bars')
          await this.backfillBars(subscription.instrumentId, subscription.interval);
      } catch (error) {
        this.logger.warn('binance backfill failed', { error: String(error) });
      }
    }
  }

  private async backfillTrades(id: InstrumentId): Promise<void> {
    const symbol = this.symbolOf(id);
    if (!this.lastPublicTrade.has(symbol)) return;
    const rows = await this.rest.request({
      method: 'GET',
      path: '/api/v3/trades',
      params: { symbol, limit: 1000 },
      signed: false,
      weight: 25,
      operation: 'read',
      symbol,
      schema: z.array(z.unknown()),
    });
    const now = this.clock.now();
    for (const row of rows) this.emitTrade(parseRestTrade(row, id), now);
  }

  private async backfillBars(
    id: InstrumentId,
    interval: Parameters<typeof barIntervalToMs>[0],
  ): Promise<void> {
    const symbol = this.symbolOf(id);
    const last = this.lastBarOpen.get(`${id}:${interval}`);
    if (last === undefined) return;
    const rows = await this.rest.request({
      method: 'GET',
      path: '/api/v3/klines',
      params: { symbol, interval, startTime: last + barIntervalToMs(interval), limit: 1000 },
      signed: false,
      weight: 2,
      operation: 'read',
      symbol,
      schema: z.array(z.unknown()),
    });
    const now = this.rest.serverNow();
    for (const row of rows) {
      const bar = parseKlineRow(row, id, interval);
      // The last row is usually the bar still open: only closed bars are emitted.
      if (bar.closeTimeMs <= now) this.emitBar(bar, this.clock.now());
    }
  }
}
