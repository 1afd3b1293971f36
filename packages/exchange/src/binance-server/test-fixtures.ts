// Shared by the server's tests: the fake keys of the spec's Appendix A, a server on BTCUSDT and
// request helpers that sign as a Binance client does.
import { Instrument, instrumentId, SimulatedClock } from '@qtp/core';
import {
  BinanceServer,
  type BinanceServerOptions,
  ed25519PrivateKeyFromSeed,
  encodeRestParams,
  signEd25519,
  signHmac,
  wsApiSignaturePayload,
} from '@qtp/exchange/binance-server';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';

/** A decoded wire payload, read field by field in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON payloads by field names they assert on
export type Wire = any;

export const HMAC_KEY = 'fakeApiKeyForTests000000000000000000000000000000000000000000';
export const HMAC_SECRET = 'fakeSecret-ForUnitTestsOnly-9f3c2a71d0b84e5f';
export const ED_KEY = 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000';
export const ED_SEED = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
export const ED_PUBLIC = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';
export const ED_PRIVATE = ed25519PrivateKeyFromSeed(ED_SEED);
export const START_MS = 1_700_000_000_000;

export const btcusdt = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
});

/** Starts a server on BTCUSDT at 37600 with a 0.2 BTC level every tick and two funded accounts. */
export async function startServer(
  overrides: Partial<BinanceServerOptions> = {},
): Promise<{ server: BinanceServer; clock: SimulatedClock }> {
  const clock = new SimulatedClock({ startMs: START_MS });
  const server = new BinanceServer({
    clock,
    symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
    accounts: [
      { apiKey: HMAC_KEY, secret: HMAC_SECRET, balances: { USDT: '100000', BTC: '1' } },
      { apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '100000', BTC: '1' } },
    ],
    ...overrides,
  });
  await server.start();
  return { server, clock };
}

/** A started server and its clock, as {@link startServer} returns them. */
export type StartedServer = Awaited<ReturnType<typeof startServer>>;

/**
 * Gives a test file one server per test and cleans up after each: `start` starts it with the
 * file's defaults under any overrides, `open` opens a socket closed after the test.
 */
export function serverPerTest(defaults: Partial<BinanceServerOptions> = {}): {
  start(overrides?: Partial<BinanceServerOptions>): Promise<StartedServer>;
  open(url: string): Promise<TestSocket>;
} {
  let started: StartedServer | undefined;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await started?.server.stop();
    started = undefined;
  });
  return {
    async start(overrides = {}) {
      started = await startServer({ ...defaults, ...overrides });
      return started;
    },
    async open(url) {
      const socket = await TestSocket.open(url);
      sockets.push(socket);
      return socket;
    },
  };
}

export interface SignedOptions {
  key?: 'hmac' | 'ed25519';
  /** Where the parameters go: all in the query (default for GET/DELETE), all in the body, or split. */
  layout?: 'query' | 'body' | 'split';
  timestamp?: number;
}

/** Sends a signed REST request, parameters percent-encoded and signed in the order given. */
export async function signed(
  server: BinanceServer,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  options: SignedOptions = {},
): Promise<{ status: number; body: Wire; headers: Headers }> {
  const pairs: [string, string][] = Object.entries(params);
  pairs.push(['timestamp', String(options.timestamp ?? server.now())]);
  const layout = options.layout ?? (method === 'POST' ? 'body' : 'query');
  const split =
    layout === 'split' ? Math.ceil(pairs.length / 2) : layout === 'query' ? pairs.length : 0;
  const query = encodeRestParams(pairs.slice(0, split));
  const body = encodeRestParams(pairs.slice(split));
  const payload = query + body;
  const signature =
    options.key === 'ed25519'
      ? encodeURIComponent(signEd25519(ED_PRIVATE, payload))
      : signHmac(HMAC_SECRET, payload);
  const withSignature = (text: string) =>
    text === '' ? `signature=${signature}` : `${text}&signature=${signature}`;
  const finalQuery = body === '' ? withSignature(query) : query;
  const finalBody = body === '' ? '' : withSignature(body);
  const url = `${server.restUrl}${path}${finalQuery === '' ? '' : `?${finalQuery}`}`;
  const response = await fetch(url, {
    method,
    headers: {
      'X-MBX-APIKEY': options.key === 'ed25519' ? ED_KEY : HMAC_KEY,
      ...(finalBody === '' ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
    },
    ...(finalBody === '' ? {} : { body: finalBody }),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Sends a public GET. */
export async function get(
  server: BinanceServer,
  path: string,
): Promise<{ status: number; body: Wire; headers: Headers }> {
  const response = await fetch(`${server.restUrl}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    headers: response.headers,
  };
}

/** A WebSocket client that queues every text frame it receives. */
export class TestSocket {
  readonly messages: Wire[] = [];
  private waiters: (() => void)[] = [];
  readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(url: string, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
    const socket = new WebSocket(url, { autoPong: options.autoPong ?? true });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new TestSocket(socket);
  }

  /** Resolves once the server answered a ping sent now, so it has read everything sent before. */
  roundTrip(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.socket.once('pong', () => resolve());
      this.socket.ping();
    });
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Waits for the first queued message that matches, removes and returns it. */
  async next(match: (message: Wire) => boolean = () => true): Promise<Wire> {
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0];
      if (this.socket.readyState === WebSocket.CLOSED)
        throw new Error('socket closed while waiting');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Sends a WebSocket API request and waits for its response. */
  async call(id: string | number, method: string, params?: Record<string, unknown>): Promise<Wire> {
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.next((message) => message.id === id);
  }

  close(): void {
    this.socket.close();
  }
}

/** Signs WebSocket API params with the HMAC key: sorted, not percent-encoded. */
export function signWsHmac(
  params: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  const withKey = { ...params, apiKey: HMAC_KEY };
  return { ...withKey, signature: signHmac(HMAC_SECRET, wsApiSignaturePayload(withKey)) };
}

/** Signs WebSocket API params with the Ed25519 key. */
export function signWsEd25519(
  params: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  const withKey = { ...params, apiKey: ED_KEY };
  return { ...withKey, signature: signEd25519(ED_PRIVATE, wsApiSignaturePayload(withKey)) };
}
