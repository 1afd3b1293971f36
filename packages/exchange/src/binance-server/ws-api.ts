import type { Clock } from '@qtp/core';
import type { WebSocket } from 'ws';
import { type WsApiParamValue, wsApiSignaturePayload } from '../binance-protocol/signing.js';
import type { ServerAccount } from './account.js';
import { checkTimestamp, signatureMatches } from './auth.js';
import { type BinanceServerFaults, ConnectionFaults } from './faults.js';
import { type BinanceServerConnectionOptions, Keepalive } from './market-streams.js';
import { WS_API_OPERATIONS } from './operations.js';
import { BinanceRequestError } from './request-error.js';
import { RequestParams } from './request-params.js';
import type { CallInfo, ServerContext } from './server-context.js';

type RequestId = string | number | null;
type Params = Record<string, WsApiParamValue>;

interface Subscription {
  readonly id: number;
  readonly account: ServerAccount;
  readonly viaLogon: boolean;
  readonly stop: () => void;
}

/** One WebSocket API connection: its session key, its user data subscriptions and faults. */
class ApiConnection {
  session: { account: ServerAccount; sinceMs: number } | undefined;
  readonly subscriptions: Subscription[] = [];
  nextSubscriptionId = 0;
  heldEvent: string | undefined;
  /** Requests run one after another, in arrival order, as on one Binance connection. */
  queue: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    readonly connectedSinceMs: number,
    readonly returnRateLimits: boolean,
    readonly faults: ConnectionFaults,
  ) {}

  send(frame: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}

/** The WebSocket API endpoint `/ws-api/v3` (spec §9). */
export class WebSocketApi {
  private readonly connections = new Set<ApiConnection>();
  private connectionCount = 0;

  constructor(
    private readonly context: ServerContext,
    private readonly clock: Clock,
    private readonly options: BinanceServerConnectionOptions,
    private readonly faults: BinanceServerFaults,
  ) {}

  /** Takes a new connection; connecting costs 2 request weight. */
  accept(socket: WebSocket, query: URLSearchParams, ip: string): void {
    const connection = new ApiConnection(
      socket,
      this.context.now(),
      query.get('returnRateLimits') !== 'false',
      new ConnectionFaults(this.faults, 10_000 + ++this.connectionCount),
    );
    this.connections.add(connection);
    this.context.weights.charge(ip, 2);
    new Keepalive(socket, this.clock, this.options);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      connection.queue = connection.queue.then(() => this.request(connection, text, ip));
    });
    socket.on('close', () => {
      for (const subscription of connection.subscriptions) subscription.stop();
      this.connections.delete(connection);
    });
  }

  private rateLimits(ip: string, account: ServerAccount | undefined, orders: boolean): unknown[] {
    const limits: unknown[] = [];
    if (orders && account !== undefined) {
      const counts = this.context.orders.current(account.apiKey);
      const { perTenSeconds, perDay } = this.context.orders.limits;
      limits.push(
        {
          rateLimitType: 'ORDERS',
          interval: 'SECOND',
          intervalNum: 10,
          limit: perTenSeconds,
          count: counts.tenSeconds,
        },
        {
          rateLimitType: 'ORDERS',
          interval: 'DAY',
          intervalNum: 1,
          limit: perDay,
          count: counts.day,
        },
      );
    }
    limits.push({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: this.context.weights.limit,
      count: this.context.weights.used(ip),
    });
    return limits;
  }

  private async request(connection: ApiConnection, text: string, ip: string): Promise<void> {
    let frame: { id?: unknown; method?: unknown; params?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      connection.send({
        id: null,
        status: 400,
        error: { code: -1000, msg: 'Malformed request: invalid JSON.' },
      });
      return;
    }
    const id: RequestId =
      typeof frame.id === 'string' || typeof frame.id === 'number' ? frame.id : null;
    const method = typeof frame.method === 'string' ? frame.method.replace(/^v3\//, '') : '';
    const params: Params = {};
    if (typeof frame.params === 'object' && frame.params !== null) {
      for (const [name, value] of Object.entries(frame.params)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          params[name] = value;
      }
    }
    const wantsLimits =
      params.returnRateLimits === undefined
        ? connection.returnRateLimits
        : params.returnRateLimits === true;
    delete params.returnRateLimits;
    const call: CallInfo = { transport: 'ws-api', account: undefined };
    const operation = WS_API_OPERATIONS.get(method);
    try {
      if (connection.faults.happens('dropSocket')) {
        connection.socket.terminate();
        return;
      }
      const result =
        operation === undefined
          ? await this.session(connection, method, params, ip, call)
          : await this.operate(connection, operation, params, ip, call);
      const response: Record<string, unknown> = { id, status: 200, result };
      if (wantsLimits)
        response.rateLimits = this.rateLimits(
          ip,
          call.account,
          operation?.chargedOnFailure === true,
        );
      this.deliver(connection, response, call);
    } catch (error) {
      if (operation?.chargedOnFailure === true) this.context.weights.charge(ip, 1);
      const known = error instanceof BinanceRequestError;
      const body: Record<string, unknown> = known
        ? { code: error.code, msg: error.message }
        : { code: -1000, msg: 'An unknown error occurred while processing the request.' };
      if (known && error.data !== undefined) body.data = error.data;
      const response: Record<string, unknown> = {
        id,
        status: known ? error.httpStatus : 500,
        error: body,
      };
      if (wantsLimits)
        response.rateLimits = this.rateLimits(
          ip,
          call.account,
          operation?.chargedOnFailure === true,
        );
      connection.send(response);
    }
  }

  // Applies the response faults to an order the engine accepted: swallow it, answer 5xx, or delay.
  private deliver(
    connection: ApiConnection,
    response: Record<string, unknown>,
    call: CallInfo,
  ): void {
    const accepted = call.acceptedLogEntry;
    if (accepted !== undefined && connection.faults.happens('swallowAcceptedResponse')) {
      this.context.orderLog.markFault(accepted, 'swallowed');
      return;
    }
    if (accepted !== undefined && connection.faults.happens('unknownOutcome5xx')) {
      this.context.orderLog.markFault(accepted, '5xx');
      connection.send({
        id: response.id,
        status: 500,
        error: {
          code: -1007,
          msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
        },
      });
      return;
    }
    const delayMs = connection.faults.options.responseDelayMs ?? 0;
    // A delayed response holds back neither later requests nor the events of this one.
    if (delayMs > 0) this.clock.setTimeout(() => connection.send(response), delayMs);
    else connection.send(response);
  }

  // Resolves the account of a signed request: its own apiKey and signature, else the session's key.
  private authenticate(
    connection: ApiConnection,
    params: Params,
    requests: RequestParams,
  ): ServerAccount {
    requests.consume('apiKey', 'signature', 'timestamp', 'recvWindow');
    let account: ServerAccount | undefined;
    if (params.signature !== undefined) {
      account = this.verify(params);
    } else if (connection.session !== undefined) {
      account = connection.session.account;
    } else {
      throw new BinanceRequestError(
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    }
    checkTimestamp(requests, this.context.now());
    return account;
  }

  private verify(params: Params): ServerAccount {
    const apiKey = params.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '')
      throw new BinanceRequestError(
        -1102,
        "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed.",
      );
    const account = this.context.accounts.get(apiKey);
    if (account === undefined)
      throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.', {
        httpStatus: 401,
      });
    const signature = String(params.signature ?? '');
    if (!signatureMatches(account.key, wsApiSignaturePayload(params), signature)) {
      throw new BinanceRequestError(-1022, 'Signature for this request is not valid.');
    }
    return account;
  }

  private async operate(
    connection: ApiConnection,
    operation: NonNullable<ReturnType<typeof WS_API_OPERATIONS.get>>,
    params: Params,
    ip: string,
    call: CallInfo,
  ): Promise<unknown> {
    const requests = RequestParams.fromRecord(params);
    this.context.weights.admit(ip, operation.weight(requests));
    const account =
      operation.security === 'NONE' ? undefined : this.authenticate(connection, params, requests);
    const signed: CallInfo = { ...call, account };
    const result = await operation.run(this.context, requests, signed);
    if (operation.security === 'NONE') requests.assertAllRead();
    Object.assign(call, signed);
    return result;
  }

  private sessionStatus(connection: ApiConnection): Record<string, unknown> {
    const session = connection.session;
    return {
      apiKey: session?.account.apiKey ?? null,
      authorizedSince: session?.sinceMs ?? null,
      connectedSince: connection.connectedSinceMs,
      returnRateLimits: connection.returnRateLimits,
      serverTime: this.context.now(),
      userDataStream:
        connection.subscriptions.length > 0 ? true : session === undefined ? null : false,
    };
  }

  private async session(
    connection: ApiConnection,
    method: string,
    params: Params,
    ip: string,
    call: CallInfo,
  ): Promise<unknown> {
    const requests = RequestParams.fromRecord(params);
    switch (method) {
      case 'session.logon': {
        this.context.weights.admit(ip, 2);
        const account = this.verify(params);
        requests.consume('apiKey', 'signature');
        checkTimestamp(requests, this.context.now());
        requests.assertAllRead();
        if (account.key.kind !== 'ed25519') {
          throw new BinanceRequestError(-4056, 'HMAC_SHA256 API key is not supported.');
        }
        connection.session = { account, sinceMs: this.context.now() };
        Object.assign(call, { account });
        return this.sessionStatus(connection);
      }
      case 'session.status':
        this.context.weights.admit(ip, 2);
        return this.sessionStatus(connection);
      case 'session.logout': {
        this.context.weights.admit(ip, 2);
        for (const subscription of connection.subscriptions.filter((s) => s.viaLogon))
          this.end(connection, subscription);
        connection.session = undefined;
        return this.sessionStatus(connection);
      }
      case 'userDataStream.subscribe': {
        this.context.weights.admit(ip, 2);
        requests.assertAllRead();
        if (connection.session === undefined)
          throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.', {
            httpStatus: 401,
          });
        return this.subscribe(connection, connection.session.account, true);
      }
      case 'userDataStream.subscribe.signature': {
        this.context.weights.admit(ip, 2);
        const account = this.verify(params);
        requests.consume('apiKey', 'signature');
        checkTimestamp(requests, this.context.now());
        requests.assertAllRead();
        return this.subscribe(connection, account, false);
      }
      case 'userDataStream.unsubscribe': {
        this.context.weights.admit(ip, 2);
        const only = requests.integer('subscriptionId');
        requests.assertAllRead();
        const ending = connection.subscriptions.filter((s) => only === undefined || s.id === only);
        if (ending.length === 0)
          throw new BinanceRequestError(-2036, 'User Data Stream subscription not active.');
        for (const subscription of ending) this.end(connection, subscription);
        return {};
      }
      case 'session.subscriptions':
        this.context.weights.admit(ip, 2);
        return connection.subscriptions.map((s) => ({ subscriptionId: s.id }));
      default:
        throw new BinanceRequestError(-1020, 'This operation is not supported.');
    }
  }

  private subscribe(connection: ApiConnection, account: ServerAccount, viaLogon: boolean): unknown {
    if (connection.subscriptions.some((s) => s.account === account)) {
      throw new BinanceRequestError(-2035, 'User Data Stream subscription already active.');
    }
    const id = connection.nextSubscriptionId++;
    const listener = (event: Record<string, unknown>) => this.push(connection, id, event);
    account.events.on('userData', listener);
    connection.subscriptions.push({
      id,
      account,
      viaLogon,
      stop: () => account.events.off('userData', listener),
    });
    return { subscriptionId: id };
  }

  private end(connection: ApiConnection, subscription: Subscription): void {
    subscription.stop();
    connection.subscriptions.splice(connection.subscriptions.indexOf(subscription), 1);
    connection.send({
      subscriptionId: subscription.id,
      event: { e: 'eventStreamTerminated', E: this.context.now() },
    });
  }

  // Sends a user data event, with the connection's duplicate and reorder faults for execution reports.
  private push(
    connection: ApiConnection,
    subscriptionId: number,
    event: Record<string, unknown>,
  ): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    const text = JSON.stringify({ subscriptionId, event });
    const report = event.e === 'executionReport';
    if (
      report &&
      connection.heldEvent === undefined &&
      connection.faults.happens('reorderExecutionReport')
    ) {
      connection.heldEvent = text;
      return;
    }
    connection.socket.send(text);
    if (report && connection.faults.happens('duplicateExecutionReport'))
      connection.socket.send(text);
    const held = connection.heldEvent;
    connection.heldEvent = undefined;
    if (held !== undefined) connection.socket.send(held);
  }

  /** Sends `serverShutdown` on every connection. */
  announceShutdown(): void {
    for (const connection of this.connections)
      connection.send({ event: { e: 'serverShutdown', E: this.context.now() } });
  }

  /** Closes every connection. */
  closeAll(code = 1001): void {
    for (const connection of this.connections) connection.socket.close(code);
  }

  /** Drops every connection without a close handshake. */
  dropAll(): void {
    for (const connection of this.connections) connection.socket.terminate();
  }
}
