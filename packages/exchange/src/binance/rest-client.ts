import {
  type Clock,
  createConsoleLogger,
  type EventPublisher,
  isQtpError,
  LiveClock,
  type Logger,
  NetworkError,
  parseWith,
  type QtpError,
  ValidationError,
} from '@qtp/core';
import {
  type CircuitBreakerResiliencePolicy,
  type CircuitState,
  composePolicies,
  createCircuitBreakerPolicy,
  createRetryPolicy,
  createTimeoutPolicy,
  RateLimiter,
  type ResilienceEvents,
  type ResiliencePolicy,
} from '@qtp/core/resilience';
import type * as z from 'zod';
import { type BinanceFailure, binanceError, classifyBinanceFailure } from './errors.js';
import {
  type BinanceCredentials,
  type BinanceParamValue,
  type BinanceSigner,
  createBinanceSigner,
  encodeRestParams,
  signRestPayload,
} from './signing.js';
import { errorBodySchema, serverTimeSchema } from './wire.js';

/**
 * The endpoint groups, each behind its own circuit breaker: public market data, signed account
 * reads, and trading (placements and cancels).
 */
export type BinanceEndpointGroup = 'market' | 'account' | 'trade';

/** One REST call; see {@link BinanceRestClient.request}. */
export interface BinanceRestRequest<Schema extends z.ZodType> {
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** The path, such as `/api/v3/order`. */
  readonly path: string;
  /** The parameters, in the order they are sent; `undefined` values are left out. */
  readonly params?: Readonly<Record<string, BinanceParamValue | undefined>>;
  /** Whether the call is signed (`TRADE`, `USER_DATA`). */
  readonly signed: boolean;
  /** The weight Binance charges, as the local limiter counts it before the reply corrects it. */
  readonly weight: number;
  /** `place` for a placement (never retried), `cancel` (retried), `read` (retried). */
  readonly operation: 'place' | 'cancel' | 'read';
  /** The client order id of a placement, so an unknown outcome names it. */
  readonly clientOrderId?: string;
  /** The symbol the call names, for errors. */
  readonly symbol?: string;
  /** The schema of the reply body. */
  readonly schema: Schema;
}

/** Options of {@link BinanceRestClient}. */
export interface BinanceRestClientOptions {
  /** The REST base, such as `https://api.binance.com` or a local server's `http://127.0.0.1:port`. */
  readonly baseUrl: string;
  /** The API key and its secret; signed calls fail without them. Kept in memory only. */
  readonly credentials?: BinanceCredentials;
  /** The time source for timestamps (default a `LiveClock`). */
  readonly clock?: Clock;
  /** `recvWindow` of signed calls, in milliseconds (default 5000). */
  readonly recvWindowMs?: number;
  /**
   * The request-weight limiter, shared with the WebSocket API client of the same IP (default a new
   * one of 6000 per minute).
   */
  readonly limiter?: RateLimiter;
  /** Receives `circuit.state` events of the endpoint groups' breakers. */
  readonly events?: EventPublisher<ResilienceEvents>;
  /** Receives one debug line per request: method, path, status, weight; never parameters. */
  readonly logger?: Logger;
  /** The time limit of one request, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries of reads and cancels after a retryable failure (default 2). */
  readonly maxRetries?: number;
  /** Consecutive failures that open a group's breaker (default 5). */
  readonly breakerFailures?: number;
  /** How long a breaker stays open before it lets one call through, in ms (default 10 000). */
  readonly halfOpenAfterMs?: number;
  /** Prefix of the breaker names (default `BINANCE`). */
  readonly name?: string;
}

/** What the last request saw of the venue's counters. */
export interface BinanceRestUsage {
  /** `X-MBX-USED-WEIGHT-1M` of the last reply, when it had one. */
  readonly usedWeight1m?: number;
  /** The estimated offset of the venue's clock from the local one, in milliseconds. */
  readonly timeOffsetMs: number;
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

// A connection refused or a name that does not resolve never reached the venue.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']);

function transportCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * The Binance REST client: signs calls (HMAC or Ed25519, percent-encoded payload), stamps them
 * with the venue's time (the offset measured at start and again after every `-1021`, with one
 * retry of the refused call), weighs every call on one shared bottleneck limiter corrected by the
 * `X-MBX-USED-WEIGHT-1M` header, sends nothing while a `Retry-After` runs, retries reads and
 * cancels (never placements) with cockatiel, and keeps one circuit breaker per endpoint group
 * whose changes go to `events`. Errors are the SDK's, by the table in `errors.ts`.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { BinanceRestClient } from '@qtp/exchange/binance';
 * const rest = new BinanceRestClient({ baseUrl: 'https://api.binance.com' });
 * const time = await rest.request({ method: 'GET', path: '/api/v3/time', signed: false, weight: 1, operation: 'read', schema: z.object({ serverTime: z.number() }) });
 * ```
 */
export class BinanceRestClient {
  /** The shared request-weight limiter. */
  readonly limiter: RateLimiter;
  private readonly baseUrl: string;
  private readonly signer: BinanceSigner | undefined;
  private readonly clock: Clock;
  private readonly recvWindowMs: number;
  private readonly logger: Logger;
  private readonly retry: ResiliencePolicy;
  private readonly timeout: ResiliencePolicy;
  private readonly placeTimeout: ResiliencePolicy;
  private readonly breakers: Record<BinanceEndpointGroup, CircuitBreakerResiliencePolicy>;
  private offsetMs = 0;
  private usedWeight: number | undefined;
  private syncing: Promise<void> | undefined;

  /** Creates a client; no request is sent until the first call. */
  constructor(options: BinanceRestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.signer =
      options.credentials === undefined ? undefined : createBinanceSigner(options.credentials);
    this.clock = options.clock ?? new LiveClock();
    this.recvWindowMs = options.recvWindowMs ?? 5000;
    if (!(this.recvWindowMs > 0 && this.recvWindowMs <= 60_000)) {
      throw new ValidationError('recvWindowMs', 'be above 0 and at most 60000', this.recvWindowMs);
    }
    const name = options.name ?? 'BINANCE';
    this.limiter =
      options.limiter ??
      new RateLimiter({ name: `${name}/REQUEST_WEIGHT`, limit: 6000, intervalMs: 60_000 });
    this.logger = options.logger ?? createConsoleLogger({ level: 'silent' });
    this.retry = createRetryPolicy({
      name: `${name}/rest`,
      maxRetries: options.maxRetries ?? 2,
      initialDelayMs: 100,
      maxDelayMs: 2000,
    });
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.timeout = createTimeoutPolicy({ timeoutMs, name: `${name}/rest` });
    this.placeTimeout = createTimeoutPolicy({ timeoutMs, name: `${name}/rest/place` });
    const breaker = (group: BinanceEndpointGroup) =>
      createCircuitBreakerPolicy({
        name: `${name}/${group}`,
        breaker: { type: 'consecutive', failures: options.breakerFailures ?? 5 },
        halfOpenAfterMs: options.halfOpenAfterMs ?? 10_000,
        ...(options.events === undefined ? {} : { events: options.events }),
        clock: this.clock,
      });
    this.breakers = {
      market: breaker('market'),
      account: breaker('account'),
      trade: breaker('trade'),
    };
  }

  /** The state of each endpoint group's breaker. */
  breakerStates(): Readonly<Record<BinanceEndpointGroup, CircuitState>> {
    return {
      market: this.breakers.market.state,
      account: this.breakers.account.state,
      trade: this.breakers.trade.state,
    };
  }

  /** The venue's counters as the last reply showed them. */
  usage(): BinanceRestUsage {
    return {
      ...(this.usedWeight === undefined ? {} : { usedWeight1m: this.usedWeight }),
      timeOffsetMs: this.offsetMs,
    };
  }

  /** Returns the venue's time estimated from the local clock and the measured offset. */
  serverNow(): number {
    return Math.round(this.clock.now() + this.offsetMs);
  }

  /**
   * Measures the offset of the venue's clock: `serverTime - (t0 + t1) / 2` around one
   * `GET /api/v3/time`. Concurrent calls share one measurement.
   */
  async syncTime(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        const t0 = this.clock.now();
        const reply = await this.request({
          method: 'GET',
          path: '/api/v3/time',
          signed: false,
          weight: 1,
          operation: 'read',
          schema: serverTimeSchema,
        });
        const t1 = this.clock.now();
        this.offsetMs = reply.serverTime - (t0 + t1) / 2;
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  /**
   * Sends one call and returns its parsed body. A signed call refused with `-1021` is sent once
   * more after the clock offset is measured again (Binance did not execute it).
   * @throws the SDK error of the failure (see `binanceError`); `OrderStateUnknownError` when a
   *   placement may have reached the venue without a reply
   */
  async request<Schema extends z.ZodType>(
    call: BinanceRestRequest<Schema>,
  ): Promise<z.output<Schema>> {
    try {
      return await this.send(call);
    } catch (error) {
      if (!call.signed || !isClockError(error)) throw error;
      await this.syncTime();
      return this.send(call);
    }
  }

  private policyFor(call: BinanceRestRequest<z.ZodType>): ResiliencePolicy {
    const group: BinanceEndpointGroup =
      call.operation === 'read' ? (call.signed ? 'account' : 'market') : 'trade';
    const breaker = this.breakers[group];
    if (call.operation === 'place')
      return composePolicies(breaker, this.limiter, this.placeTimeout);
    return composePolicies(this.retry, breaker, this.limiter, this.timeout);
  }

  private async send<Schema extends z.ZodType>(
    call: BinanceRestRequest<Schema>,
  ): Promise<z.output<Schema>> {
    const policy = this.policyFor(call);
    return policy.execute((signal) => this.once(call, signal), {
      weight: call.weight,
      ...(call.operation === 'place' && call.clientOrderId !== undefined
        ? { clientOrderId: call.clientOrderId }
        : {}),
    });
  }

  private async once<Schema extends z.ZodType>(
    call: BinanceRestRequest<Schema>,
    signal: AbortSignal,
  ): Promise<z.output<Schema>> {
    const context = {
      operation: call.operation,
      endpoint: `${call.method} ${call.path}`,
      ...(call.clientOrderId === undefined ? {} : { clientOrderId: call.clientOrderId }),
      ...(call.symbol === undefined ? {} : { symbol: call.symbol }),
    };
    const headers: Record<string, string> = {};
    let payload = encodeRestParams(call.params ?? {});
    if (call.signed) {
      const signer = this.signer;
      if (signer === undefined) {
        throw new ValidationError(
          'credentials',
          `be given for the signed ${context.endpoint}`,
          undefined,
        );
      }
      const stamp = encodeRestParams({
        recvWindow: this.recvWindowMs,
        timestamp: this.serverNow(),
      });
      payload = signRestPayload(signer, payload.length === 0 ? stamp : `${payload}&${stamp}`);
      headers['X-MBX-APIKEY'] = signer.apiKey;
    }
    // GET and DELETE carry everything in the query; POST and PUT in a form body.
    const inBody = call.method === 'POST' || call.method === 'PUT';
    const url = `${this.baseUrl}${call.path}${!inBody && payload.length > 0 ? `?${payload}` : ''}`;
    if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const started = this.clock.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: call.method,
        headers,
        ...(inBody ? { body: payload } : {}),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const code = transportCode(error);
      this.log(call, 'transport-error', started);
      if (code !== undefined && NOT_SENT.has(code)) {
        throw new NetworkError(`${context.endpoint}: ${code}`, { cause: error, details: context });
      }
      throw binanceError(
        { msg: `connection failed after sending (${code ?? 'no reply'})` },
        context,
      );
    }
    const used = headerNumber(response.headers, 'x-mbx-used-weight-1m');
    if (used !== undefined) {
      this.usedWeight = used;
      this.limiter.reportUsage(used);
    }
    const retryAfterS = headerNumber(response.headers, 'retry-after');
    // A 429 or 418 pauses every call at once, before its body is read, so no other call goes
    // out meanwhile.
    if ((response.status === 429 || response.status === 418) && retryAfterS !== undefined) {
      this.limiter.pauseFor(retryAfterS * 1000);
    }
    const bodyText = await response.text();
    this.log(call, response.status, started);
    if (response.ok) {
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch (error) {
        throw new ValidationError(
          'body',
          `be JSON from ${context.endpoint}`,
          bodyText.slice(0, 80),
          { cause: error },
        );
      }
      return parseWith(call.schema, body);
    }
    const failure: BinanceFailure = {
      httpStatus: response.status,
      ...readErrorBody(bodyText),
      ...(retryAfterS === undefined ? {} : { retryAfterMs: retryAfterS * 1000 }),
    };
    const error = binanceError(failure, context);
    if (classifyBinanceFailure(failure) === 'rateLimit' && failure.retryAfterMs !== undefined) {
      this.limiter.pauseFor(failure.retryAfterMs);
    }
    throw error;
  }

  private log(call: BinanceRestRequest<z.ZodType>, status: number | string, started: number): void {
    if (!this.logger.isLevelEnabled('debug')) return;
    // Only the method and path: the query and body carry the key's signature.
    this.logger.debug('binance rest', {
      method: call.method,
      path: call.path,
      status,
      weight: call.weight,
      durationMs: this.clock.now() - started,
      ...(this.usedWeight === undefined ? {} : { usedWeight1m: this.usedWeight }),
    });
  }
}

function isClockError(error: unknown): boolean {
  return isQtpError(error, 'NETWORK') && (error as QtpError).details?.binanceCode === -1021;
}

function readErrorBody(text: string): { code?: number; msg: string } {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return { code: parsed.data.code, msg: parsed.data.msg };
  } catch {
    // 403 WAF replies and some proxies answer with HTML: keep a short text.
  }
  return { msg: text.slice(0, 120) };
}
