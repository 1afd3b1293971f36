import { describe, expect, it } from 'vitest';
import { get, START_MS, serverPerTest, signed, signWsEd25519, type Wire } from './test-fixtures.js';

const { start, open } = serverPerTest();
const limitOrder = (id: string) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.001',
  price: '37000',
  newClientOrderId: id,
});

describe('BinanceServer fault injection', () => {
  it('swallows responses of accepted orders yet keeps them, so a lookup by client id finds each once', async () => {
    const { server } = await start({ faults: { seed: 7, swallowAcceptedResponse: 0.5 } });
    const answered: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `swallow-${i}`;
      try {
        const reply = await signed(server, 'POST', '/api/v3/order', limitOrder(id));
        expect(reply.status).toBe(200);
        answered.push(id);
      } catch {
        unknown.push(id);
      }
    }
    expect(unknown.length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(0);
    // resolve each unknown outcome by its client id, as a client must, instead of sending again
    for (const id of unknown) {
      const found = await signed(server, 'GET', '/api/v3/order', {
        symbol: 'BTCUSDT',
        origClientOrderId: id,
      });
      expect(found.body.status).toBe('NEW');
    }
    const log = server.orderLog();
    expect(log).toHaveLength(20);
    expect(log.every((entry) => entry.outcome === 'accepted')).toBe(true);
    expect(
      log
        .filter((entry) => entry.responseFault === 'swallowed')
        .map((entry) => entry.clientOrderId),
    ).toEqual(unknown);
    const all = await signed(server, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' });
    const ids = all.body.map((order: Wire) => order.clientOrderId);
    expect(new Set(ids).size).toBe(20);
  });

  it('gives the same faults for the same seed', async () => {
    const run = async () => {
      const { server } = await start({ faults: { seed: 3, swallowAcceptedResponse: 0.5 } });
      for (let i = 0; i < 10; i++)
        await signed(server, 'POST', '/api/v3/order', limitOrder(`s-${i}`)).catch(() => undefined);
      const faulted = server.orderLog().map((entry) => entry.responseFault ?? '-');
      await server.stop();
      return faulted;
    };
    expect(await run()).toEqual(await run());
  });

  it('answers an accepted order with -1007 and 5xx while the order stands', async () => {
    const { server } = await start({ faults: { unknownOutcome5xx: 1 } });
    const reply = await signed(server, 'POST', '/api/v3/order', limitOrder('five'));
    expect(reply.status).toBe(500);
    expect(reply.body.code).toBe(-1007);
    const found = await signed(server, 'GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'five',
    });
    expect(found.body.status).toBe('NEW');
  });

  it('answers 503 -1008 when the server is busy and 429 when rate limiting', async () => {
    const busy = await start({ faults: { serverBusy: 1 } });
    const reply = await get(busy.server, '/api/v3/time');
    expect(reply.status).toBe(503);
    expect(reply.body.code).toBe(-1008);
    await busy.server.stop();
    const limited = await start({ faults: { rateLimit: 1 } });
    const refused = await get(limited.server, '/api/v3/time');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses an IP for a short Retry-After on REST and the WebSocket API alike, then admits it again', async () => {
    const { server, clock } = await start({
      faults: { rateLimit: 1, rateLimitRetryAfterSeconds: 2 },
    });
    const socket = await open(server.wsApiUrl);
    const refused = await get(server, '/api/v3/time');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe(-1003);
    expect(refused.headers.get('retry-after')).toBe('2');
    // The refusal is the IP's: a WebSocket API call within the two seconds is refused too,
    // with the end of the refusal in its data.
    clock.advanceBy(1_500);
    const inside = await socket.call(1, 'time');
    expect(inside.status).toBe(429);
    expect(inside.error.code).toBe(-1003);
    expect(inside.error.data).toEqual({
      serverTime: START_MS + 1_500,
      retryAfter: START_MS + 2_000,
    });
    clock.advanceBy(500);
    const after = await socket.call(2, 'time');
    expect(after.status).toBe(200);
    expect(after.result.serverTime).toBe(START_MS + 2_000);
  });

  it('bans an IP that keeps sending inside a short Retry-After', async () => {
    const { server } = await start({
      faults: { rateLimit: 1, rateLimitRetryAfterSeconds: 5 },
      limits: { refusalsBeforeBan: 2 },
    });
    const socket = await open(server.wsApiUrl);
    expect((await get(server, '/api/v3/time')).status).toBe(429);
    // The injected refusal does not count; the two that follow inside it do, the third bans.
    expect((await socket.call(1, 'time')).status).toBe(429);
    expect((await socket.call(2, 'time')).status).toBe(429);
    expect((await socket.call(3, 'time')).status).toBe(418);
  });

  it('answers 403 with an HTML body as a firewall would', async () => {
    const { server } = await start({ faults: { forbidden: 1 } });
    const response = await fetch(`${server.restUrl}/api/v3/time`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toMatch(/^<html>/);
  });

  it('drops a stream socket instead of sending to it', async () => {
    const { server } = await start({ faults: { dropSocket: 1 } });
    const socket = await open(`${server.streamUrl}/ws/btcusdt@depth`);
    const closed = new Promise<number>((resolve) =>
      socket.socket.once('close', (code) => resolve(code)),
    );
    server.setPrice('BTCUSDT', '37650');
    // 1006: closed without a close frame
    expect(await closed).toBe(1006);
    expect(socket.messages).toEqual([]);
  });

  it('skews the server clock so an unsynchronised client gets -1021', async () => {
    const { server } = await start({ faults: { clockSkewMs: 10_000 } });
    const naive = await signed(server, 'GET', '/api/v3/account', {}, { timestamp: START_MS });
    expect(naive.body.code).toBe(-1021);
    const serverTime = (await get(server, '/api/v3/time')).body.serverTime;
    expect(serverTime).toBe(START_MS + 10_000);
    const synced = await signed(server, 'GET', '/api/v3/account', {}, { timestamp: serverTime });
    expect(synced.status).toBe(200);
    // the order's times are on the same skewed clock as the server time
    const placed = await signed(
      server,
      'POST',
      '/api/v3/order',
      { ...limitOrder('skewed'), newOrderRespType: 'RESULT' },
      { timestamp: serverTime },
    );
    expect(placed.body).toMatchObject({
      transactTime: START_MS + 10_000,
      workingTime: START_MS + 10_000,
    });
  });

  it('skips and reorders depth updates on a stream connection', async () => {
    const { server } = await start({
      faults: { seed: 1, skipDepthUpdate: 0.3, reorderDepthUpdate: 0.3 },
    });
    const socket = await open(`${server.streamUrl}/ws/btcusdt@depth`);
    for (let i = 1; i <= 30; i++) server.setPrice('BTCUSDT', String(37600 + i));
    await socket.roundTrip();
    const ids = socket.messages.map((m) => m.U as number);
    const sorted = [...ids].sort((a, b) => a - b);
    expect(ids).not.toEqual(sorted);
    expect(ids.length).toBeLessThan(30);
    // nothing is invented: every id sent is one the book published
    const last = (await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=1')).body.lastUpdateId;
    expect(ids.every((id) => id > last - 30 && id <= last)).toBe(true);
  });

  it('duplicates execution reports on the WebSocket API', async () => {
    const { socket } = await (async () => {
      const s = await start({
        faults: { duplicateExecutionReport: 1 },
        connections: { maxMessagesPerSecond: 50 },
      });
      return { ...s, socket: await open(s.server.wsApiUrl) };
    })();
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    await socket.call(2, 'userDataStream.subscribe');
    await socket.call(3, 'order.place', { ...limitOrder('dup'), timestamp: START_MS });
    await socket.roundTrip();
    const reports = socket.messages.filter((m) => m.event?.e === 'executionReport');
    expect(reports).toHaveLength(2);
    expect(reports[0]).toEqual(reports[1]);
  });

  it('swallows an accepted order response on the WebSocket API and logs it', async () => {
    const s = await start({ faults: { swallowAcceptedResponse: 1 } });
    const socket = await open(s.server.wsApiUrl);
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    socket.send({
      id: 2,
      method: 'order.place',
      params: { ...limitOrder('lost'), timestamp: START_MS },
    });
    const status = await socket.call(3, 'order.status', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'lost',
      timestamp: START_MS,
    });
    expect(status.result.status).toBe('NEW');
    expect(socket.messages.some((m) => m.id === 2)).toBe(false);
    expect(s.server.orderLog()[0]).toMatchObject({
      transport: 'ws-api',
      clientOrderId: 'lost',
      outcome: 'accepted',
      responseFault: 'swallowed',
    });
  });
});
