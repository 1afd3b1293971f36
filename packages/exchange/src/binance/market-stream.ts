import { type Clock, type Logger, NetworkError, type TimerId } from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';

/** The events of a {@link BinanceMarketStream}, by name. */
export interface BinanceMarketStreamEvents {
  /** A payload of one stream, such as `btcusdt@trade`. */
  message: [stream: string, data: unknown];
  /** A new connection replaced a lost one and every stream is subscribed again. */
  reconnected: [];
  /**
   * The planned rotation replaced the connection: both delivered for a moment, so a consumer
   * drops repeats and rebuilds order books.
   */
  rotated: [];
  /** The connection was lost; a reconnect is scheduled. */
  disconnected: [];
}

/** Options of {@link BinanceMarketStream}. */
export interface BinanceMarketStreamOptions {
  /** The streams base, such as `wss://stream.binance.com:9443`. */
  readonly url: string;
  /** The clock of every timer. */
  readonly clock: Clock;
  /** Returns a number in [0, 1) for the backoff jitter (default `Math.random`). */
  readonly random?: () => number;
  /** The first reconnect delay, in milliseconds (default 250); doubled per failure. */
  readonly initialBackoffMs?: number;
  /** The longest reconnect delay, in milliseconds (default 30 000). */
  readonly maxBackoffMs?: number;
  /** Replaces the connection after this long, before Binance's 24-hour cut (default 23 h). */
  readonly rotateAfterMs?: number;
  /** Control messages per second at most (default 4; Binance allows 5 messages a second). */
  readonly maxMessagesPerSecond?: number;
  /** Receives connection lines. */
  readonly logger: Logger;
}

interface Connection {
  readonly socket: WebSocket;
  readonly ready: Promise<void>;
}

/**
 * One combined-stream connection (`/stream`) to Binance's market streams: streams added and
 * removed with `SUBSCRIBE`/`UNSUBSCRIBE`, paced under the 5-messages-a-second limit; after a lost
 * connection, a reconnect with exponential backoff and full jitter that subscribes every stream
 * again and then emits `reconnected`; and a planned rotation before the 24-hour cut that opens the
 * new connection and subscribes it before closing the old one, so no message is missed.
 *
 * @example
 * ```ts
 * import { LiveClock, createConsoleLogger } from '@qtp/core';
 * import { BinanceMarketStream } from '@qtp/exchange/binance';
 * const stream = new BinanceMarketStream({ url: 'wss://stream.binance.com:9443', clock: new LiveClock(), logger: createConsoleLogger() });
 * stream.events.on('message', (name, data) => console.log(name, data));
 * await stream.subscribe(['btcusdt@trade']);
 * ```
 */
export class BinanceMarketStream {
  /** Stream payloads and connection events. */
  readonly events = new EventEmitter<BinanceMarketStreamEvents>();
  private readonly options: BinanceMarketStreamOptions;
  private readonly streams = new Set<string>();
  private current: Connection | undefined;
  private nextId = 1;
  private failures = 0;
  private reconnectTimer: TimerId | undefined;
  private rotateTimer: TimerId | undefined;
  private stopped = true;
  private incoming: WebSocket | undefined;
  private sendChain: Promise<void> = Promise.resolve();
  private lastSendMs = Number.NEGATIVE_INFINITY;
  private readonly acks = new Map<
    number,
    { socket: WebSocket; resolve: () => void; reject: (error: unknown) => void }
  >();

  /** Creates a stream client; the first {@link BinanceMarketStream.subscribe} connects. */
  constructor(options: BinanceMarketStreamOptions) {
    this.options = options;
  }

  /** The streams subscribed. */
  get subscribed(): readonly string[] {
    return [...this.streams];
  }

  /** Subscribes to streams, connecting first when needed; resolves once the venue confirmed. */
  async subscribe(names: readonly string[]): Promise<void> {
    const fresh = names.filter((name) => !this.streams.has(name));
    for (const name of fresh) this.streams.add(name);
    this.stopped = false;
    if (this.current === undefined) {
      await this.connect();
      return;
    }
    await this.current.ready;
    if (fresh.length > 0) await this.control(this.current.socket, 'SUBSCRIBE', fresh);
  }

  /** Unsubscribes from streams; closes the connection when none is left. */
  async unsubscribe(names: readonly string[]): Promise<void> {
    const gone = names.filter((name) => this.streams.delete(name));
    const connection = this.current;
    if (connection === undefined || gone.length === 0) return;
    if (this.streams.size === 0) {
      this.close();
      return;
    }
    await connection.ready;
    await this.control(connection.socket, 'UNSUBSCRIBE', gone);
  }

  /** Closes the connection and forgets every stream; no reconnect follows. */
  close(): void {
    this.stopped = true;
    this.streams.clear();
    if (this.reconnectTimer !== undefined) this.options.clock.cancel(this.reconnectTimer);
    if (this.rotateTimer !== undefined) this.options.clock.cancel(this.rotateTimer);
    this.reconnectTimer = undefined;
    this.rotateTimer = undefined;
    const socket = this.current?.socket;
    this.current = undefined;
    socket?.terminate();
  }

  /** Replaces the connection now, as the planned rotation does: the new one first. */
  async rotate(): Promise<void> {
    const old = this.current;
    if (old === undefined || this.stopped) return;
    const next = this.open();
    this.incoming = next.socket;
    try {
      await next.ready;
    } finally {
      this.incoming = undefined;
    }
    this.current = next;
    this.armRotation();
    old.socket.removeAllListeners('close');
    old.socket.close();
    this.events.emit('rotated');
  }

  private rotateQuietly(): void {
    // A failed rotation leaves the old connection in place; its loss, if any, reconnects.
    this.rotate().catch((error: unknown) => {
      this.options.logger.warn('binance market stream rotation failed', { error: String(error) });
    });
  }

  private async connect(): Promise<void> {
    const connection = this.open();
    this.current = connection;
    await connection.ready;
    this.failures = 0;
    this.armRotation();
  }

  private open(): Connection {
    const socket = new WebSocket(`${this.options.url}/stream`);
    const ready = new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        const names = [...this.streams];
        const subscribed =
          names.length === 0 ? Promise.resolve() : this.control(socket, 'SUBSCRIBE', names);
        subscribed.then(resolve, reject);
      });
      socket.once('error', (error) =>
        reject(new NetworkError('market stream connection failed', { cause: error })),
      );
    });
    ready.catch(() => undefined);
    socket.on('message', (data) => this.onMessage(socket, String(data)));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose(socket));
    return { socket, ready };
  }

  private onMessage(socket: WebSocket, text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const record = frame as { id?: unknown; stream?: unknown; data?: unknown };
    if (typeof record.id === 'number' && 'result' in record) {
      this.acks.get(record.id)?.resolve();
      this.acks.delete(record.id);
      return;
    }
    // During a rotation both connections deliver: the consumer drops what it already has (trade
    // ids, bar open times, update ids), so nothing sent to either is lost at the switch.
    if (socket !== this.current?.socket && socket !== this.incoming) return;
    if (typeof record.stream !== 'string') return;
    if (record.stream === '!serverShutdown') {
      this.rotateQuietly();
      return;
    }
    this.events.emit('message', record.stream, record.data);
  }

  private onClose(socket: WebSocket): void {
    for (const [id, ack] of this.acks) {
      if (ack.socket !== socket) continue;
      this.acks.delete(id);
      ack.reject(new NetworkError('the market stream closed before the venue confirmed'));
    }
    if (socket !== this.current?.socket) return;
    this.current = undefined;
    if (this.rotateTimer !== undefined) this.options.clock.cancel(this.rotateTimer);
    if (this.stopped) return;
    this.events.emit('disconnected');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const initial = this.options.initialBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(max, initial * 2 ** this.failures);
    // Full jitter: a uniform delay up to the ceiling, so many clients do not reconnect in step.
    const delay = Math.round(ceiling * (this.options.random ?? Math.random)());
    this.failures += 1;
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      this.connect().then(
        () => this.events.emit('reconnected'),
        () => {
          this.current = undefined;
          if (!this.stopped) this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private armRotation(): void {
    if (this.rotateTimer !== undefined) this.options.clock.cancel(this.rotateTimer);
    this.rotateTimer = this.options.clock.setTimeout(
      () => {
        this.rotateTimer = undefined;
        this.rotateQuietly();
      },
      this.options.rotateAfterMs ?? 23 * 3_600_000,
    );
  }

  private control(
    socket: WebSocket,
    method: 'SUBSCRIBE' | 'UNSUBSCRIBE',
    params: string[],
  ): Promise<void> {
    const gapMs = 1000 / (this.options.maxMessagesPerSecond ?? 4);
    const sent = this.sendChain.then(
      () =>
        new Promise<void>((resolve, reject) => {
          const wait = Math.max(0, this.lastSendMs + gapMs - this.options.clock.now());
          this.options.clock.setTimeout(() => {
            this.lastSendMs = this.options.clock.now();
            if (socket.readyState !== WebSocket.OPEN) {
              reject(new NetworkError(`${method}: the market stream is not connected`));
              return;
            }
            const id = this.nextId++;
            this.acks.set(id, { socket, resolve, reject });
            socket.send(JSON.stringify({ method, params, id }));
          }, wait);
        }),
    );
    this.sendChain = sent.catch(() => undefined);
    return sent;
  }
}
