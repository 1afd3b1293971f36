import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsoleLogger, isQtpError } from '@qtp/core';
import type { CircuitStateEvent } from '@qtp/core/resilience';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { BinanceRestClient } from './rest-client.js';

// A scripted HTTP peer for the client's reactions to single replies (-1021, 429, 5XX): the
// local Binance-compatible server covers the protocol as a whole; these cases pin one reaction each.
const apiKey = 'canaryApiKey0000000000000000000000000000000000000000000000000';
const secret = 'canarySecret-9f3c2a71d0b84e5f';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string;
  readonly key: string | undefined;
  readonly atMs: number;
}

type Reply = (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> };

let server: Server | undefined;

async function start(script: Reply[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const [path = '', query = ''] = (request.url ?? '').split('?');
      const entry: Seen = {
        method: request.method ?? '',
        path,
        query,
        body,
        key: request.headers['x-mbx-apikey'] as string | undefined,
        atMs: Date.now(),
      };
      seen.push(entry);
      const next: Reply = script.shift() ?? (() => ({ status: 200, body: {} }));
      const reply = next(entry);
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

afterEach(async () => {
  await new Promise<void>((resolve) =>
    server === undefined ? resolve() : server.close(() => resolve()),
  );
  server = undefined;
});

const ok = z.looseObject({});
const order = {
  method: 'POST',
  path: '/api/v3/order',
  params: {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '1',
    newClientOrderId: 'qtp-1',
  },
  signed: true,
  weight: 1,
  operation: 'place',
  clientOrderId: 'qtp-1',
  symbol: 'BTCUSDT',
  schema: ok,
} as const;
const read = {
  method: 'GET',
  path: '/api/v3/account',
  signed: true,
  weight: 20,
  operation: 'read',
  schema: ok,
} as const;

function validSignature(seen: Seen): boolean {
  const wire = seen.method === 'POST' ? seen.body : seen.query;
  const match = /^(.*)&signature=([0-9a-f]{64})$/.exec(wire);
  if (match === null) return false;
  return createHmac('sha256', secret).update(match[1]!).digest('hex') === match[2];
}

describe('BinanceRestClient', () => {
  it('signs the form body of a placement and the query of a read', async () => {
    const { url, seen } = await start([]);
    const rest = new BinanceRestClient({
      baseUrl: url,
      credentials: { kind: 'hmac', apiKey, secret },
    });
    await rest.request(order);
    await rest.request(read);
    expect(seen.map(validSignature)).toEqual([true, true]);
    expect(seen[0]!.body).toMatch(
      /^symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=qtp-1&recvWindow=5000&timestamp=\d+&signature=/,
    );
    expect(seen[0]!.key).toBe(apiKey);
  });

  it('measures the clock again after -1021 and sends the refused call once more', async () => {
    const { url, seen } = await start([
      () => ({
        status: 400,
        body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
      }),
      () => ({ status: 200, body: { serverTime: Date.now() + 60_000 } }),
      () => ({ status: 200, body: { orderId: 1 } }),
    ]);
    const rest = new BinanceRestClient({
      baseUrl: url,
      credentials: { kind: 'hmac', apiKey, secret },
    });
    await rest.request(order);
    expect(seen.map((entry) => entry.path)).toEqual([
      '/api/v3/order',
      '/api/v3/time',
      '/api/v3/order',
    ]);
    // The venue's clock runs a minute ahead: the offset is about +60 s.
    expect(rest.usage().timeOffsetMs).toBeGreaterThan(50_000);
    const stamps = seen
      .filter((entry) => entry.path === '/api/v3/order')
      .map((entry) => Number(/timestamp=(\d+)/.exec(entry.body)?.[1]));
    expect(stamps[1]! - stamps[0]!).toBeGreaterThan(50_000);
  });

  it('never resends a placement whose reply was a 5XX', async () => {
    const { url, seen } = await start([
      () => ({
        status: 500,
        body: { code: -1007, msg: 'Timeout waiting for response from backend server.' },
      }),
    ]);
    const rest = new BinanceRestClient({
      baseUrl: url,
      credentials: { kind: 'hmac', apiKey, secret },
    });
    const error = await rest.request(order).catch((caught: unknown) => caught);
    expect(isQtpError(error, 'ORDER_STATE_UNKNOWN')).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('retries a read after 5XX replies', async () => {
    const { url, seen } = await start([
      () => ({ status: 503, body: { code: -1008, msg: 'Server is currently overloaded' } }),
      () => ({ status: 502, body: 'bad gateway' }),
      () => ({ status: 200, body: { balances: [] } }),
    ]);
    const rest = new BinanceRestClient({
      baseUrl: url,
      credentials: { kind: 'hmac', apiKey, secret },
    });
    await expect(rest.request(read)).resolves.toEqual({ balances: [] });
    expect(seen).toHaveLength(3);
  });

  it('sends nothing inside a Retry-After and reads the used weight', async () => {
    const { url, seen } = await start([
      () => ({
        status: 429,
        body: { code: -1003, msg: 'Too much request weight used' },
        headers: { 'Retry-After': '1', 'x-mbx-used-weight-1m': '120' },
      }),
      () => ({ status: 200, body: {}, headers: { 'x-mbx-used-weight-1m': '25' } }),
    ]);
    const rest = new BinanceRestClient({ baseUrl: url, maxRetries: 1 });
    await rest.request({ ...read, signed: false, path: '/api/v3/depth' });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.atMs - seen[0]!.atMs).toBeGreaterThanOrEqual(1000);
    expect(rest.usage().usedWeight1m).toBe(25);
  });

  it('opens the breaker of a group after repeated failures and publishes it', async () => {
    const events: CircuitStateEvent[] = [];
    const { url, seen } = await start(
      Array.from({ length: 10 }, () => () => ({
        status: 503,
        body: { code: -1001, msg: 'Internal error' },
      })),
    );
    const rest = new BinanceRestClient({
      baseUrl: url,
      maxRetries: 0,
      breakerFailures: 2,
      halfOpenAfterMs: 60_000,
      events: { publish: (_topic, payload) => events.push(payload) },
    });
    const depth = { ...read, signed: false, path: '/api/v3/depth' };
    for (let i = 0; i < 3; i++) await rest.request(depth).catch(() => undefined);
    expect(seen).toHaveLength(2);
    expect(rest.breakerStates()).toEqual({ market: 'OPEN', account: 'CLOSED', trade: 'CLOSED' });
    expect(events.map((event) => [event.name, event.state])).toEqual([['BINANCE/market', 'OPEN']]);
  });

  it('writes no key, secret, signature or query into its log', async () => {
    const lines: string[] = [];
    const { url } = await start([
      () => ({
        status: 400,
        body: { code: -1022, msg: 'Signature for this request is not valid.' },
      }),
    ]);
    const rest = new BinanceRestClient({
      baseUrl: url,
      credentials: { kind: 'hmac', apiKey, secret },
      logger: createConsoleLogger({ level: 'trace', write: (line) => lines.push(line) }),
    });
    await rest.request(read).catch(() => undefined);
    await rest.request(order).catch(() => undefined);
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('\n');
    for (const canary of [apiKey, secret, 'signature=', 'timestamp=', 'qtp-1'])
      expect(text).not.toContain(canary);
  });
});
