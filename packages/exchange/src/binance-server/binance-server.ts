import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type Bar,
  type BookSnapshot,
  type Clock,
  Decimal,
  type DecimalInput,
  LiveClock,
  symbolOf,
  toPositiveDecimal,
} from '@qtp/core';
import { WebSocketServer } from 'ws';
import { ServerAccount } from './account.js';
import type { BinanceServerAccount } from './auth.js';
import { type BinanceServerFaults, ConnectionFaults } from './faults.js';
import { ListenKeys } from './listen-keys.js';
import { type BinanceServerSymbol, SymbolMarket } from './market.js';
import { type BinanceServerConnectionOptions, MarketStreams } from './market-streams.js';
import { OrderLog, type OrderLogEntry } from './order-log.js';
import { type BinanceServerLimits, OrderCounter, WeightLimiter } from './rate-limits.js';
import { handleRest, readBody, writeReply } from './rest-handler.js';
import type { ServerContext } from './server-context.js';
import { SkewedClock } from './skewed-clock.js';
import { WebSocketApi } from './ws-api.js';

/** Options of {@link BinanceServer}. */
export interface BinanceServerOptions {
  /** The symbols the server lists, each with its instrument and starting price. */
  symbols: readonly BinanceServerSymbol[];
  /** The accounts, each reached through its API key. */
  accounts: readonly BinanceServerAccount[];
  /** The clock of server time, timers and order times (default a `LiveClock`). */
  clock?: Clock;
  /** The interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** The port (default 0: a free port, read it from {@link BinanceServer.port} after start). */
  port?: number;
  /** Request weight and order limits. */
  limits?: BinanceServerLimits;
  /** Ping, pong and lifetime of WebSocket connections. */
  connections?: BinanceServerConnectionOptions;
  /** Faults to inject, seeded per connection (default none). */
  faults?: BinanceServerFaults;
  /**
   * Serves the legacy listenKey flow that Binance removed in February 2026 (default false):
   * `POST/PUT/DELETE /api/v3/userDataStream` and bare user data events on `/ws/<listenKey>`.
   */
  legacyUserDataStream?: boolean;
}

/**
 * A local Binance Spot server on loopback: the REST API, the market streams and the WebSocket
 * API of the Binance wire protocol, backed by QTP's matching engine (`SimulatedExchange`
 * with the book fill model) against a synthetic book around the market price. Signatures
 * (HMAC-SHA256 and Ed25519), timestamps, filters, weights and bans are checked as Binance does,
 * with its error codes and messages, so a Binance client runs against it unchanged.
 *
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * import { BinanceServer } from '@qtp/exchange/binance-server';
 *
 * const instrument = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT',
 *   priceIncrement: '0.01', sizeIncrement: '0.00001', minNotional: '5',
 * });
 * const server = new BinanceServer({
 *   symbols: [{ instrument, price: '37600' }],
 *   accounts: [{ apiKey: 'key', secret: 'secret', balances: { USDT: '10000' } }],
 * });
 * await server.start();
 * const response = await fetch(`${server.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`);
 * console.log(await response.json());
 * await server.stop();
 * ```
 */
export class BinanceServer {
  /** The server's clock: the clock of the options plus any skew. */
  readonly clock: Clock;
  private readonly skewed: SkewedClock;
  private readonly markets = new Map<string, SymbolMarket>();
  private readonly accounts = new Map<string, ServerAccount>();
  private readonly log = new OrderLog();
  private readonly context: ServerContext;
  private readonly streams: MarketStreams;
  private readonly api: WebSocketApi;
  private readonly faults: BinanceServerFaults;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly sockets = new Set<Socket>();
  private readonly socketFaults = new WeakMap<Socket, ConnectionFaults>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private listeningPort = 0;
  private nextOrderId = 1;
  private nextExecutionId = 1;
  private nextOrderListId = 1;
  private requests = 0;
  private socketCount = 0;

  /**
   * Creates a server listing `options.symbols` for `options.accounts`; call {@link start}.
   * @throws `ValidationError` when a symbol's price is not a decimal above 0
   * @throws `RangeError` when an account has neither a secret nor an Ed25519 public key
   */
  constructor(options: BinanceServerOptions) {
    this.skewed = new SkewedClock(options.clock ?? new LiveClock());
    this.clock = this.skewed;
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.faults = options.faults ?? {};
    this.skewed.skewMs = this.faults.clockSkewMs ?? 0;
    for (const symbol of options.symbols)
      this.markets.set(symbol.instrument.symbol, new SymbolMarket(symbol, this.clock));
    const ids = {
      nextOrderId: () => this.nextOrderId++,
      nextExecutionId: () => this.nextExecutionId++,
      nextOrderListId: () => this.nextOrderListId++,
      firstFill: (apiKey: string) => this.context.orders.release(apiKey),
    };
    for (const account of options.accounts) {
      this.accounts.set(account.apiKey, new ServerAccount(account, this.markets, this.clock, ids));
    }
    const limits = options.limits ?? {};
    this.context = {
      markets: this.markets,
      accounts: this.accounts,
      clock: this.clock,
      orderLog: this.log,
      weights: new WeightLimiter(this.clock, limits),
      orders: new OrderCounter(this.clock, limits),
      now: () => this.clock.now(),
      listenKeys: undefined,
    };
    if (options.legacyUserDataStream === true) {
      this.context = { ...this.context, listenKeys: new ListenKeys(this.clock, this.context.now) };
    }
    const connections = options.connections ?? {};
    this.streams = new MarketStreams(
      this.markets,
      this.clock,
      connections,
      this.faults,
      this.context.now,
      this.context.listenKeys,
    );
    this.api = new WebSocketApi(this.context, this.clock, connections, this.faults);
    for (const market of this.markets.values()) {
      market.events.on('depth', (change) => {
        const snapshot = market.bookSnapshot(change.timeMs);
        for (const account of this.accounts.values()) account.exchange.onBookSnapshot(snapshot);
      });
    }
  }

  /** Starts listening; resolves once the port is bound. */
  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((request, response) => void this.onRequest(request, response));
    const wss = new WebSocketServer({ noServer: true });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      this.socketFaults.set(socket, new ConnectionFaults(this.faults, ++this.socketCount));
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const isStream = path === '/ws' || path.startsWith('/ws/') || path === '/stream';
      const isApi = path === '/ws-api/v3';
      if (!isStream && !isApi) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      if (isApi && url.searchParams.get('responseFormat') === 'sbe') {
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"code":-1155,"msg":"SBE is not enabled."}',
        );
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        if (isApi) this.api.accept(ws, url.searchParams, request.socket.remoteAddress ?? 'local');
        else this.streams.accept(ws, path, url.searchParams);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.requestedPort, this.host, () => resolve());
    });
    this.server = server;
    this.wss = wss;
    this.listeningPort = (server.address() as AddressInfo).port;
  }

  /** Closes every connection and stops listening. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.streams.dropAll();
    this.api.dropAll();
    this.wss?.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The port the server listens on (0 before {@link start}). */
  get port(): number {
    return this.listeningPort;
  }

  /** The REST base URL, such as `http://127.0.0.1:40123`. */
  get restUrl(): string {
    return `http://${this.host}:${this.listeningPort}`;
  }

  /** The market streams base URL, such as `ws://127.0.0.1:40123` (append `/ws/...` or `/stream?...`). */
  get streamUrl(): string {
    return `ws://${this.host}:${this.listeningPort}`;
  }

  /** The WebSocket API URL, `ws://127.0.0.1:40123/ws-api/v3`. */
  get wsApiUrl(): string {
    return `ws://${this.host}:${this.listeningPort}/ws-api/v3`;
  }

  /** The server's time in epoch milliseconds: its clock plus any skew. */
  now(): number {
    return this.context.now();
  }

  /** Every order request received (placements, cancels), oldest first. */
  orderLog(): readonly OrderLogEntry[] {
    return this.log.list();
  }

  /**
   * Moves a symbol's synthetic book around `price`: resting orders it crosses fill, and the
   * depth streams publish the change.
   * @throws `RangeError` when the symbol is not listed
   * @throws `ValidationError` when the price is not a decimal above 0
   */
  setPrice(symbol: string, price: DecimalInput): void {
    this.marketOf(symbol).setPrice(toPositiveDecimal(price, 'price'), this.clock.now());
  }

  /**
   * Prints a trade on a symbol's tape (trade, aggTrade and kline streams) and matches resting
   * orders against it, as a replayed trade does. `buyerIsMaker` true means the taker sold.
   * @throws `RangeError` when the symbol is not listed
   */
  trade(
    symbol: string,
    price: DecimalInput,
    quantity: DecimalInput,
    buyerIsMaker = false,
    timeMs = this.clock.now(),
  ): void {
    const market = this.marketOf(symbol);
    const priceDecimal = toPositiveDecimal(price, 'price');
    const size = toPositiveDecimal(quantity, 'quantity');
    const trade = market.recordTrade(priceDecimal, size, buyerIsMaker, timeMs);
    const tick = {
      instrumentId: market.instrument.id,
      price: priceDecimal.toNumber(),
      size: size.toNumber(),
      aggressorSide: buyerIsMaker ? ('SELL' as const) : ('BUY' as const),
      tradeId: String(trade.id),
      timeMs: this.clock.now(),
    };
    for (const account of this.accounts.values()) account.exchange.onTradeTick(tick);
  }

  /**
   * Credits a deposit to an account and sends `balanceUpdate` and `outboundAccountPosition` on its
   * user data stream.
   * @throws `RangeError` when no account has the key
   */
  deposit(apiKey: string, asset: string, amount: DecimalInput): void {
    const account = this.accounts.get(apiKey);
    if (account === undefined) throw new RangeError(`apiKey: no account has the key ${apiKey}`);
    account.deposit(asset, toPositiveDecimal(amount, 'amount'));
  }

  /**
   * Returns a symbol's whole book as core's snapshot, `sequence` being the last update id: read
   * directly, with no request, weight or fault, so a test can compare a client's book with the
   * truth while the wire misbehaves.
   * @throws `RangeError` when the symbol is not listed
   * @example
   * ```ts
   * const truth = server.book('BTCUSDT');
   * expect(exchange.orderBook(id)?.sequence).toBe(truth.sequence);
   * ```
   */
  book(symbol: string): BookSnapshot {
    return this.marketOf(symbol).bookSnapshot(this.clock.now());
  }

  /** Skips `count` depth update ids of a symbol, so every depth stream sees a gap. */
  skipDepthUpdates(symbol: string, count = 1): void {
    this.marketOf(symbol).skipUpdateIds(count);
  }

  /** Sets how far the server's time runs ahead of its clock (negative: behind). */
  setClockSkew(skewMs: number): void {
    this.skewed.skewMs = skewMs;
  }

  /**
   * Sets a symbol's reference price (`null`: set but empty), which the PRICE_RANGE rule and the
   * PERCENT_PRICE and NOTIONAL filters use.
   * @throws `RangeError` when the symbol is not listed
   * @throws `ValidationError` when the price is not a decimal above 0
   */
  setReferencePrice(symbol: string, price: DecimalInput | null): void {
    const market = this.marketOf(symbol);
    market.referencePrice = price === null ? null : toPositiveDecimal(price, 'referencePrice');
    market.referencePriceTimeMs = this.clock.now();
  }

  /** Sets a symbol's status; only `TRADING` takes new orders. */
  setSymbolStatus(symbol: string, status: 'TRADING' | 'HALT' | 'BREAK' | 'CANCEL_ONLY'): void {
    this.marketOf(symbol).status = status;
  }

  /** Spends the request weight of an IP for the current minute, so its next requests get 429. */
  exhaustWeight(ip = '127.0.0.1'): void {
    this.context.weights.exhaust(ip);
  }

  /** Sends `serverShutdown` on every stream and WebSocket API connection. */
  announceShutdown(): void {
    this.streams.announceShutdown();
    this.api.announceShutdown();
  }

  /** Drops every WebSocket connection at once, without a close handshake. */
  dropConnections(): void {
    this.streams.dropAll();
    this.api.dropAll();
  }

  /**
   * Publishes a closed bar as a kline of its interval (REST klines and the kline stream) and
   * sets the last price to its close. The book does not move: move it with {@link setPrice}.
   * @throws `RangeError` when the bar's symbol is not listed
   */
  closeBar(bar: Bar): void {
    const market = this.marketOf(symbolOf(bar.instrumentId));
    const decimal = (value: number) => new Decimal(String(value));
    const close = decimal(bar.close);
    const volume = decimal(bar.volume);
    market.recordBar(bar.interval, {
      openTimeMs: bar.openTimeMs,
      closeTimeMs: bar.closeTimeMs,
      open: decimal(bar.open),
      high: decimal(bar.high),
      low: decimal(bar.low),
      close,
      volume,
      // Bars carry no quote volume: the close times the volume stands in for it.
      quoteVolume: volume.times(close),
      trades: 0,
      takerBuyVolume: new Decimal(0),
      takerBuyQuoteVolume: new Decimal(0),
      firstTradeId: -1,
      lastTradeId: -1,
    });
  }

  private marketOf(symbol: string): SymbolMarket {
    const market = this.markets.get(symbol);
    if (market === undefined) throw new RangeError(`symbol: the server does not list ${symbol}`);
    return market;
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const number = ++this.requests;
    const socket = request.socket;
    const faults = this.socketFaults.get(socket) ?? new ConnectionFaults(this.faults, 0);
    const ip = socket.remoteAddress ?? 'local';
    const body = await readBody(request);
    if (faults.happens('dropSocket')) {
      socket.destroy();
      return;
    }
    if (faults.happens('serverBusy')) {
      response.writeHead(503, { 'Content-Type': 'application/json;charset=UTF-8' });
      response.end(
        JSON.stringify({
          code: -1008,
          msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
        }),
      );
      return;
    }
    if (faults.happens('forbidden')) {
      response.writeHead(403, { 'Content-Type': 'text/html' });
      response.end(
        '<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>',
      );
      return;
    }
    if (faults.happens('rateLimit')) {
      const seconds = this.faults.rateLimitRetryAfterSeconds;
      if (seconds === undefined) {
        this.context.weights.exhaust(ip);
      } else {
        const refusal = this.context.weights.refuseFor(ip, Math.max(1, Math.ceil(seconds)));
        const used = String(this.context.weights.used(ip));
        response.writeHead(429, {
          'Content-Type': 'application/json;charset=UTF-8',
          'X-MBX-USED-WEIGHT': used,
          'X-MBX-USED-WEIGHT-1M': used,
          ...refusal.headers,
        });
        response.end(JSON.stringify({ code: refusal.code, msg: refusal.message }));
        return;
      }
    }
    const reply = await handleRest(this.context, request, body, ip);
    if (reply.acceptedLogEntry !== undefined) {
      if (faults.happens('swallowAcceptedResponse')) {
        this.log.markFault(reply.acceptedLogEntry, 'swallowed');
        socket.destroy();
        return;
      }
      if (faults.happens('unknownOutcome5xx')) {
        this.log.markFault(reply.acceptedLogEntry, '5xx');
        reply.status = 500;
        reply.body = JSON.stringify({
          code: -1007,
          msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
        });
      }
    }
    const delayMs = this.faults.responseDelayMs ?? 0;
    if (delayMs > 0)
      await new Promise<void>((resolve) => this.clock.setTimeout(() => resolve(), delayMs));
    writeReply(response, reply, number);
  }
}
