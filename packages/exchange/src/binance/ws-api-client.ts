import {
  type Clock,
  type Logger,
  NetworkError,
  OrderStateUnknownError,
  type QtpError,
  type TimerId,
} from '@qtp/core';
import type { RateLimiter } from '@qtp/core/resilience';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import { wsApiEventFrameSchema, wsApiResponseSchema } from '../binance-protocol/ws-api-wire.js';
import { binanceError } from './errors.js';
import { type BinanceParamValue, type BinanceSigner, signWsApiParams } from './signing.js';

/** The events of a {@link BinanceWsApiClient}, by name. */
export interface BinanceWsApiEvents {
  /** A user data event (`executionReport`, `outboundAccountPosition`, ...), unwrapped. */
  userData: [event: Readonly<Record<string, unknown>> & { readonly e: string }];
  /** The connection opened, logged on and subscribed to user data. */
  open: [];
  /** The connection closed; pending requests were failed. */
  close: [];
}

/** One call of the WebSocket API; see {@link BinanceWsApiClient.call}. */
export interface BinanceWsApiCall {
  /** The method, such as `order.place`. */
  readonly method: string;
  /** The parameters; `timestamp` is added to signed calls. */
  readonly params?: Readonly<Record<string, BinanceParamValue | undefined>>;
  /** Whether the call is signed. */
  readonly signed: boolean;
  /** The request weight, as the shared limiter counts it. */
  readonly weight: number;
  /** `place` for a placement: a lost reply is an unknown outcome. */
  readonly operation: 'place' | 'cancel' | 'read';
  /** The client order id of a placement. */
  readonly clientOrderId?: string;
  /** The symbol the call names, for errors. */
  readonly symbol?: string;
}

/** Options of {@link BinanceWsApiClient}. */
export interface BinanceWsApiClientOptions {
  /** The WebSocket API URL, such as `wss://ws-api.binance.com:443/ws-api/v3`. */
  readonly url: string;
  /** Signs calls and the user data subscription. */
  readonly signer: BinanceSigner;
  /** The clock of timeouts. */
  readonly clock: Clock;
  /** Returns the venue's time for `timestamp`. */
  readonly serverNow: () => number;
  /** The request-weight limiter shared with REST. */
  readonly limiter: RateLimiter;
  /** The time limit of one call, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Receives one debug line per call: method and status only. */
  readonly logger: Logger;
}

interface Pending {
  readonly call: BinanceWsApiCall;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: TimerId;
}

/**
 * One connection to the Binance WebSocket API: requests matched to replies by id, each weighed
 * on the limiter shared with REST (and corrected by the reply's `rateLimits`), user data
 * subscribed on the same socket (`session.logon` then `userDataStream.subscribe` for an Ed25519
 * key, `userDataStream.subscribe.signature` for HMAC). A call whose reply is lost (timeout, closed
 * socket) fails with `OrderStateUnknownError` for a placement and a retryable `NetworkError`
 * otherwise; it is never sent again from here. Reconnecting is the owner's job.
 *
 * @example
 * ```ts
 * import { BinanceWsApiClient } from '@qtp/exchange/binance';
 * const api = new BinanceWsApiClient({ url, signer, clock, serverNow, limiter, logger });
 * await api.open();
 * const time = await api.call({ method: 'time', signed: false, weight: 1, operation: 'read' });
 * ```
 */
export class BinanceWsApiClient {
  /** User data and connection events. */
  readonly events = new EventEmitter<BinanceWsApiEvents>();
  private socket: WebSocket | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private loggedOn = false;
  private readonly closed = new WeakSet<WebSocket>();
  private readonly options: BinanceWsApiClientOptions;

  /** Creates a client; {@link BinanceWsApiClient.open} connects. */
  constructor(options: BinanceWsApiClientOptions) {
    this.options = options;
  }

  /** True while the socket is open. */
  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Connects, logs on (Ed25519) and subscribes to user data.
   * @throws `NetworkError` when the connection fails
   */
  async open(): Promise<void> {
    if (this.isOpen) return;
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) =>
        reject(new NetworkError('the WebSocket API connection failed', { cause: error })),
      );
    });
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => this.onClose(socket));
    socket.on('error', () => undefined);
    this.loggedOn = false;
    if (this.options.signer.kind === 'ed25519') {
      await this.call({ method: 'session.logon', signed: true, weight: 2, operation: 'read' });
      this.loggedOn = true;
      await this.call({
        method: 'userDataStream.subscribe',
        signed: false,
        weight: 2,
        operation: 'read',
      });
    } else {
      await this.call({
        method: 'userDataStream.subscribe.signature',
        signed: true,
        weight: 2,
        operation: 'read',
      });
    }
    this.events.emit('open');
  }

  /** Closes the socket; pending calls fail. */
  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      socket.removeAllListeners('message');
      socket.terminate();
      this.onClose(socket);
    }
  }

  /**
   * Sends one call and returns its `result`.
   * @throws the SDK error of an error reply (see `binanceError`); `OrderStateUnknownError` when
   *   a placement's reply is lost; `NetworkError` when the socket is not open
   */
  async call(call: BinanceWsApiCall): Promise<unknown> {
    return this.options.limiter.execute(() => this.send(call), { weight: call.weight });
  }

  private send(call: BinanceWsApiCall): Promise<unknown> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new NetworkError(`${call.method}: the WebSocket API is not connected`));
    }
    const id = this.nextId++;
    let params: Record<string, BinanceParamValue> = {};
    for (const [name, value] of Object.entries(call.params ?? {})) {
      if (value !== undefined) params[name] = value;
    }
    if (call.signed) {
      params.timestamp = this.options.serverNow();
      if (!this.loggedOn) params = signWsApiParams(this.options.signer, params);
    }
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(this.lost(call, 'no reply in time'));
      }, this.options.timeoutMs ?? 10_000);
      this.pending.set(id, { call, resolve, reject, timer });
      socket.send(JSON.stringify({ id, method: call.method, params }));
    });
  }

  private lost(call: BinanceWsApiCall, why: string): QtpError {
    if (call.operation === 'place' && call.clientOrderId !== undefined) {
      return new OrderStateUnknownError(
        call.clientOrderId,
        `${call.method}: ${why}; the order's outcome is unknown: look it up, never resend it`,
      );
    }
    return new NetworkError(`${call.method}: ${why}`);
  }

  private onMessage(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame === 'object' && frame !== null && 'event' in frame) {
      const parsed = wsApiEventFrameSchema.safeParse(frame);
      if (parsed.success) this.events.emit('userData', parsed.data.event);
      return;
    }
    const reply = wsApiResponseSchema.safeParse(frame);
    if (!reply.success || typeof reply.data.id !== 'number') return;
    const pending = this.pending.get(reply.data.id);
    if (pending === undefined) return;
    this.pending.delete(reply.data.id);
    this.options.clock.cancel(pending.timer);
    const weight = reply.data.rateLimits?.find((limit) => limit.rateLimitType === 'REQUEST_WEIGHT');
    if (weight !== undefined && 'count' in weight && typeof weight.count === 'number') {
      this.options.limiter.reportUsage(weight.count);
    }
    this.options.logger.debug('binance ws-api', {
      method: pending.call.method,
      status: reply.data.status,
    });
    if (reply.data.status === 200) {
      pending.resolve(reply.data.result);
      return;
    }
    const error = reply.data.error;
    const data = error?.data as { serverTime?: number; retryAfter?: number } | undefined;
    const retryAfterMs =
      data?.retryAfter !== undefined && data.serverTime !== undefined
        ? Math.max(0, data.retryAfter - data.serverTime)
        : undefined;
    if (retryAfterMs !== undefined) this.options.limiter.pauseFor(retryAfterMs);
    pending.reject(
      binanceError(
        {
          httpStatus: reply.data.status,
          ...(error === undefined ? {} : { code: error.code }),
          msg: error?.msg ?? `status ${reply.data.status}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
        {
          operation: pending.call.operation,
          endpoint: pending.call.method,
          ...(pending.call.clientOrderId === undefined
            ? {}
            : { clientOrderId: pending.call.clientOrderId }),
          ...(pending.call.symbol === undefined ? {} : { symbol: pending.call.symbol }),
        },
      ),
    );
  }

  private onClose(socket: WebSocket): void {
    if (this.closed.has(socket)) return;
    this.closed.add(socket);
    if (this.socket === socket) this.socket = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) {
      this.options.clock.cancel(entry.timer);
      entry.reject(this.lost(entry.call, 'the connection closed before the reply'));
    }
    this.events.emit('close');
  }
}
