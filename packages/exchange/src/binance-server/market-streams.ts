import type { Clock, TimerId } from '@qtp/core';
import type { WebSocket } from 'ws';
import { type BinanceServerFaults, ConnectionFaults } from './faults.js';
import type { ListenKeys } from './listen-keys.js';
import type { DepthChange, Kline, PublicTrade, SymbolMarket } from './market.js';
import { KLINE_INTERVALS } from './market-handlers.js';
import {
  aggTradePayload,
  bookTickerPayload,
  depthUpdatePayload,
  klinePayload,
  partialDepthPayload,
  tradePayload,
} from './stream-payloads.js';

/** How stream and WebSocket API connections are kept, as options of the server. */
export interface BinanceServerConnectionOptions {
  /** How often the server pings, in milliseconds (default 20 000). */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered before the server closes the socket (default 60 000). */
  pongTimeoutMs?: number;
  /** How long a connection lives before the server closes it (default 24 hours). */
  maxConnectionMs?: number;
  /** Incoming messages per second a stream connection may send before it is closed (default 5). */
  maxMessagesPerSecond?: number;
}

const STREAM_NAME =
  /^([^@]+)@(trade|aggTrade|bookTicker|depth|depth@100ms|depth(5|10|20)(@100ms)?|kline_[0-9]+[smhdwM])$/;

/** Keeps a socket alive with pings, closes it when pongs stop or its lifetime ends. */
export class Keepalive {
  private awaitingSinceMs: number | undefined;
  private readonly timers: TimerId[] = [];

  constructor(
    socket: WebSocket,
    private readonly clock: Clock,
    options: BinanceServerConnectionOptions,
  ) {
    const pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
    socket.on('pong', () => {
      this.awaitingSinceMs = undefined;
    });
    this.timers.push(
      clock.setInterval(() => {
        const now = clock.now();
        if (this.awaitingSinceMs !== undefined && now - this.awaitingSinceMs >= pongTimeoutMs) {
          socket.terminate();
          return;
        }
        this.awaitingSinceMs ??= now;
        socket.ping();
      }, options.pingIntervalMs ?? 20_000),
    );
    this.timers.push(
      clock.setTimeout(
        () => socket.close(1000, 'connection lifetime reached'),
        options.maxConnectionMs ?? 86_400_000,
      ),
    );
    socket.on('close', () => this.stop());
  }

  stop(): void {
    for (const timer of this.timers) this.clock.cancel(timer);
    this.timers.length = 0;
  }
}

/** One market stream connection: its subscriptions, envelope and faults. */
class StreamConnection {
  readonly subscriptions = new Set<string>();
  private windowStartMs = 0;
  private messages = 0;
  private heldDepth: { stream: string; payload: unknown } | undefined;

  constructor(
    readonly socket: WebSocket,
    public combined: boolean,
    readonly faults: ConnectionFaults,
    private readonly clock: Clock,
    private readonly maxMessagesPerSecond: number,
  ) {}

  /** Counts one incoming message; false when the connection went past its rate. */
  countIncoming(): boolean {
    const now = this.clock.now();
    if (now - this.windowStartMs >= 1000) {
      this.windowStartMs = now;
      this.messages = 0;
    }
    this.messages += 1;
    return this.messages <= this.maxMessagesPerSecond;
  }

  send(stream: string, payload: unknown): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.faults.happens('dropSocket')) {
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(this.combined ? { stream, data: payload } : payload));
  }

  sendDepth(stream: string, payload: unknown): void {
    if (this.faults.happens('skipDepthUpdate')) return;
    if (this.heldDepth === undefined && this.faults.happens('reorderDepthUpdate')) {
      this.heldDepth = { stream, payload };
      return;
    }
    this.send(stream, payload);
    const held = this.heldDepth;
    this.heldDepth = undefined;
    if (held !== undefined) this.send(held.stream, held.payload);
  }
}

/** The market stream endpoints `/ws`, `/ws/<stream>` and `/stream?streams=`. */
export class MarketStreams {
  private readonly connections = new Set<StreamConnection>();
  private connectionCount = 0;

  constructor(
    private readonly markets: ReadonlyMap<string, SymbolMarket>,
    private readonly clock: Clock,
    private readonly options: BinanceServerConnectionOptions,
    private readonly faults: BinanceServerFaults,
    private readonly now: () => number,
    private readonly listenKeys: ListenKeys | undefined,
  ) {
    for (const market of markets.values()) {
      const lower = market.symbol.toLowerCase();
      market.events.on('trade', (trade) => this.onTrade(market, lower, trade));
      market.events.on('depth', (change) => this.onDepth(market, lower, change));
      market.events.on('kline', (kline, interval, closed) =>
        this.onKline(market, lower, kline, interval, closed),
      );
    }
  }

  /** True when `name` is a stream the server serves. */
  isStream(name: string): boolean {
    const match = STREAM_NAME.exec(name);
    if (match === null) return false;
    const symbol = match[1]!.toUpperCase();
    if (![...this.markets.keys()].some((key) => key.toUpperCase() === symbol)) return false;
    const kind = match[2]!;
    return !kind.startsWith('kline_') || KLINE_INTERVALS.has(kind.slice('kline_'.length));
  }

  /** Takes a new connection on `path` (with its query). */
  accept(socket: WebSocket, path: string, query: URLSearchParams): void {
    const segment = path.startsWith('/ws/') ? safeDecode(path.slice('/ws/'.length)) : undefined;
    if (segment !== undefined && this.listenKeys?.attach(segment, socket) === true) {
      new Keepalive(socket, this.clock, this.options);
      return;
    }
    const combined = path === '/stream';
    const connection = new StreamConnection(
      socket,
      combined,
      new ConnectionFaults(this.faults, ++this.connectionCount),
      this.clock,
      this.options.maxMessagesPerSecond ?? 5,
    );
    const initial = combined
      ? (query.get('streams') ?? '').split('/')
      : path.startsWith('/ws/')
        ? [path.slice('/ws/'.length)]
        : [];
    for (const raw of initial) {
      const name = safeDecode(raw);
      // Any other segment (ccxt opens /ws/0, /ws/1, ...) is a plain connection awaiting SUBSCRIBE.
      if (this.isStream(name)) connection.subscriptions.add(name);
    }
    this.connections.add(connection);
    new Keepalive(socket, this.clock, this.options);
    const tooFast = () => {
      if (!connection.countIncoming()) socket.close(1008, 'too many messages');
    };
    socket.on('ping', tooFast);
    socket.on('pong', tooFast);
    socket.on('message', (data, isBinary) => {
      tooFast();
      if (!isBinary) this.control(connection, String(data));
    });
    socket.on('close', () => this.connections.delete(connection));
  }

  private control(connection: StreamConnection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      connection.socket.send(
        JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }),
      );
      return;
    }
    const reply = (body: Record<string, unknown>) => connection.socket.send(JSON.stringify(body));
    if (typeof message !== 'object' || message === null) {
      reply({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' });
      return;
    }
    const { method, params, id } = message as { method?: unknown; params?: unknown; id?: unknown };
    const validId =
      id === null ||
      (typeof id === 'number' && Number.isInteger(id)) ||
      (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id));
    if (!validId) {
      reply({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' });
      return;
    }
    const names = Array.isArray(params)
      ? params.filter((item): item is string => typeof item === 'string')
      : [];
    switch (method) {
      case 'SUBSCRIBE':
        // Binance acknowledges unknown names too and never sends them data.
        for (const name of names) if (this.isStream(name)) connection.subscriptions.add(name);
        reply({ result: null, id });
        return;
      case 'UNSUBSCRIBE':
        for (const name of names) connection.subscriptions.delete(name);
        reply({ result: null, id });
        return;
      case 'LIST_SUBSCRIPTIONS':
        reply({ result: [...connection.subscriptions], id });
        return;
      case 'SET_PROPERTY':
        if (names[0] !== undefined || !Array.isArray(params) || params[0] !== 'combined') {
          if (!(Array.isArray(params) && params[0] === 'combined')) {
            reply({ code: 0, msg: 'Unknown property', id });
            return;
          }
        }
        if (typeof (params as unknown[])[1] !== 'boolean') {
          reply({ code: 1, msg: 'Invalid value type: expected Boolean', id });
          return;
        }
        connection.combined = (params as unknown[])[1] as boolean;
        reply({ result: null, id });
        return;
      case 'GET_PROPERTY':
        if (!(Array.isArray(params) && params[0] === 'combined')) {
          reply({ code: 0, msg: 'Unknown property', id });
          return;
        }
        reply({ result: connection.combined, id });
        return;
      default:
        reply({ code: 2, msg: `Invalid request: unknown method`, id });
    }
  }

  private each(stream: string, visit: (connection: StreamConnection) => void): void {
    for (const connection of this.connections)
      if (connection.subscriptions.has(stream)) visit(connection);
  }

  private onTrade(market: SymbolMarket, lower: string, trade: PublicTrade): void {
    const now = this.now();
    this.each(`${lower}@trade`, (c) =>
      c.send(`${lower}@trade`, tradePayload(market.symbol, trade, now)),
    );
    this.each(`${lower}@aggTrade`, (c) =>
      c.send(`${lower}@aggTrade`, aggTradePayload(market.symbol, trade, now)),
    );
  }

  private onDepth(market: SymbolMarket, lower: string, change: DepthChange): void {
    const diff = depthUpdatePayload(market.symbol, { ...change, timeMs: this.now() });
    for (const stream of [`${lower}@depth`, `${lower}@depth@100ms`])
      this.each(stream, (c) => c.sendDepth(stream, diff));
    this.each(`${lower}@bookTicker`, (c) =>
      c.send(`${lower}@bookTicker`, bookTickerPayload(market)),
    );
    for (const levels of [5, 10, 20]) {
      for (const stream of [`${lower}@depth${levels}`, `${lower}@depth${levels}@100ms`]) {
        this.each(stream, (c) => c.send(stream, partialDepthPayload(market, levels)));
      }
    }
  }

  private onKline(
    market: SymbolMarket,
    lower: string,
    kline: Kline,
    interval: string,
    closed: boolean,
  ): void {
    const stream = `${lower}@kline_${interval}`;
    const now = this.now();
    this.each(stream, (c) =>
      c.send(stream, klinePayload(market.symbol, interval, kline, closed, now)),
    );
  }

  /** Sends `serverShutdown` on every connection. */
  announceShutdown(): void {
    const event = { e: 'serverShutdown', E: this.now() };
    for (const connection of this.connections) {
      if (connection.socket.readyState !== connection.socket.OPEN) continue;
      connection.socket.send(
        JSON.stringify(connection.combined ? { stream: '!serverShutdown', data: event } : event),
      );
    }
  }

  /** Closes every connection. */
  closeAll(code = 1001): void {
    for (const connection of this.connections) connection.socket.close(code);
  }

  /** Closes connection sockets at once, without a close handshake (a dropped connection). */
  dropAll(): void {
    for (const connection of this.connections) connection.socket.terminate();
  }

  /** The number of open connections. */
  get size(): number {
    return this.connections.size;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
