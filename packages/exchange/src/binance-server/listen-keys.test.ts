import { afterEach, describe, expect, it } from 'vitest';
import { HMAC_KEY, START_MS, signed, startServer, TestSocket } from './test-fixtures.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let started: Started | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await started?.server.stop();
  started = undefined;
});

const keyRequest = (base: string, method: string, listenKey?: string) =>
  fetch(
    `${base}/api/v3/userDataStream${listenKey === undefined ? '' : `?listenKey=${listenKey}`}`,
    {
      method,
      headers: { 'X-MBX-APIKEY': HMAC_KEY },
    },
  );

describe('BinanceServer legacy listenKey flow', () => {
  it('is not served unless asked for', async () => {
    started = await startServer();
    expect((await keyRequest(started.server.restUrl, 'POST')).status).toBe(404);
  });

  it('creates a key, streams bare events on /ws/<listenKey> and ends them when the key expires', async () => {
    // pings are spaced past the test's hours, which pass without the client getting a turn to answer
    started = await startServer({
      legacyUserDataStream: true,
      connections: { pingIntervalMs: 86_400_000 },
    });
    const { server, clock } = started;
    const created = (await (await keyRequest(server.restUrl, 'POST')).json()) as {
      listenKey: string;
    };
    expect(created.listenKey).toMatch(/^[0-9a-f]{64}$/);
    // a second POST returns the active key
    expect(await (await keyRequest(server.restUrl, 'POST')).json()).toEqual(created);
    const stream = await TestSocket.open(`${server.streamUrl}/ws/${created.listenKey}`);
    sockets.push(stream);
    await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '37000',
    });
    const report = await stream.next((m) => m.e === 'executionReport');
    expect(report).toMatchObject({ x: 'NEW', S: 'BUY' });
    expect(report.subscriptionId).toBeUndefined();
    clock.advanceTo(START_MS + 30 * 60_000);
    expect(await (await keyRequest(server.restUrl, 'PUT', created.listenKey)).json()).toEqual({});
    clock.advanceTo(START_MS + 90 * 60_000 - 1);
    expect(stream.messages.some((m) => m.e === 'listenKeyExpired')).toBe(false);
    clock.advanceTo(START_MS + 90 * 60_000);
    expect(await stream.next((m) => m.e === 'listenKeyExpired')).toEqual({
      e: 'listenKeyExpired',
      E: START_MS + 90 * 60_000,
      listenKey: created.listenKey,
    });
    const unknown = await keyRequest(server.restUrl, 'PUT', created.listenKey);
    expect(await unknown.json()).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
  });
});
