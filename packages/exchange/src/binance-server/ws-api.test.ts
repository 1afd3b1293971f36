import { describe, expect, it } from 'vitest';
import {
  ED_KEY,
  HMAC_KEY,
  START_MS,
  serverPerTest,
  signWsEd25519,
  signWsHmac,
} from './test-fixtures.js';

const { start, open } = serverPerTest({ connections: { maxMessagesPerSecond: 100 } });
async function connect() {
  const started = await start();
  return { ...started, socket: await open(started.server.wsApiUrl) };
}

describe('BinanceServer WebSocket API', () => {
  it('answers time with the envelope and rate limits', async () => {
    const { socket } = await connect();
    const reply = await socket.call('t1', 'time');
    expect(reply).toEqual({
      id: 't1',
      status: 200,
      result: { serverTime: START_MS },
      // connecting costs 2, time 1
      rateLimits: [
        {
          rateLimitType: 'REQUEST_WEIGHT',
          interval: 'MINUTE',
          intervalNum: 1,
          limit: 6000,
          count: 3,
        },
      ],
    });
  });

  it('logs on with Ed25519, places and queries orders without signing each request', async () => {
    const { socket } = await connect();
    const logon = await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    expect(logon.status).toBe(200);
    expect(logon.result).toMatchObject({
      apiKey: ED_KEY,
      authorizedSince: START_MS,
      connectedSince: START_MS,
      userDataStream: false,
    });
    const placed = await socket.call(2, 'order.place', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '38000.00',
      newClientOrderId: 'ws-1',
      newOrderRespType: 'RESULT',
      timestamp: START_MS,
    });
    expect(placed.status).toBe(200);
    expect(placed.result).toMatchObject({
      symbol: 'BTCUSDT',
      clientOrderId: 'ws-1',
      status: 'NEW',
      price: '38000.00000000',
      side: 'SELL',
    });
    expect(
      placed.rateLimits.map((limit: { interval: string; count: number }) => [
        limit.interval,
        limit.count,
      ]),
    ).toEqual([
      ['SECOND', 1],
      ['DAY', 1],
      ['MINUTE', 4],
    ]);
    const status = await socket.call(3, 'order.status', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'ws-1',
      timestamp: START_MS,
    });
    expect(status.result).toMatchObject({ clientOrderId: 'ws-1', status: 'NEW', isWorking: true });
    const open = await socket.call(4, 'openOrders.status', {
      symbol: 'BTCUSDT',
      timestamp: START_MS,
    });
    expect(open.result).toHaveLength(1);
    const account = await socket.call(5, 'account.status', {
      timestamp: START_MS,
      omitZeroBalances: true,
    });
    expect(account.result.balances).toContainEqual({
      asset: 'BTC',
      free: '0.99000000',
      locked: '0.01000000',
    });
    const canceled = await socket.call(6, 'order.cancel', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'ws-1',
      timestamp: START_MS,
    });
    expect(canceled.result).toMatchObject({ status: 'CANCELED', origClientOrderId: 'ws-1' });
    const missing = await socket.call(7, 'order.status', {
      symbol: 'BTCUSDT',
      orderId: 999,
      timestamp: START_MS,
    });
    expect(missing).toMatchObject({
      status: 400,
      error: { code: -2013, msg: 'Order does not exist.' },
    });
  });

  it('checks HMAC signatures over the sorted parameters', async () => {
    const { socket } = await connect();
    const good = await socket.call('a', 'account.status', signWsHmac({ timestamp: START_MS }));
    expect(good.status).toBe(200);
    const tampered = { ...signWsHmac({ timestamp: START_MS }), omitZeroBalances: true };
    const bad = await socket.call('b', 'account.status', tampered);
    expect(bad).toMatchObject({ status: 400, error: { code: -1022 } });
    const unsigned = await socket.call('c', 'account.status', { timestamp: START_MS });
    expect(unsigned.error.code).toBe(-1102);
    const hmacLogon = await socket.call('d', 'session.logon', signWsHmac({ timestamp: START_MS }));
    expect(hmacLogon.status).toBe(400);
  });

  it('streams executionReport and outboundAccountPosition to a user data subscription', async () => {
    const { server, socket } = await connect();
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    expect((await socket.call(2, 'userDataStream.subscribe')).result).toEqual({
      subscriptionId: 0,
    });
    expect((await socket.call(3, 'userDataStream.subscribe')).error.code).toBe(-2035);
    const placed = await socket.call(4, 'order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.3',
      price: '37500.00',
      newClientOrderId: 'ud-1',
      timestamp: START_MS,
    });
    const neu = await socket.next((m) => m.event?.e === 'executionReport' && m.event.x === 'NEW');
    expect(neu.subscriptionId).toBe(0);
    expect(neu.event).toMatchObject({
      s: 'BTCUSDT',
      c: 'ud-1',
      S: 'BUY',
      o: 'LIMIT',
      q: '0.30000000',
      p: '37500.00000000',
      x: 'NEW',
      X: 'NEW',
      i: placed.result.orderId,
      z: '0.00000000',
      t: -1,
    });
    const locked = await socket.next((m) => m.event?.e === 'outboundAccountPosition');
    // 0.3 x 37500 = 11250 locked
    expect(locked.event.B).toEqual([{ a: 'USDT', f: '88750.00000000', l: '11250.00000000' }]);
    // the asks move to 37499.00 and up, under the limit: 0.2 fills from the best level first
    server.setPrice('BTCUSDT', '37498.99');
    const trade = await socket.next((m) => m.event?.x === 'TRADE');
    expect(trade.event).toMatchObject({
      X: 'PARTIALLY_FILLED',
      l: '0.20000000',
      z: '0.20000000',
      L: '37500.00000000',
      n: '0.00020000',
      N: 'BTC',
      m: true,
    });
    expect(typeof trade.event.t).toBe('number');
    server.deposit(ED_KEY, 'USDT', '250');
    const deposit = await socket.next((m) => m.event?.e === 'balanceUpdate');
    expect(deposit.event).toMatchObject({ a: 'USDT', d: '250.00000000' });
    expect((await socket.call(5, 'userDataStream.unsubscribe')).result).toEqual({});
    expect((await socket.next((m) => m.event?.e === 'eventStreamTerminated')).subscriptionId).toBe(
      0,
    );
    expect((await socket.call(6, 'userDataStream.unsubscribe')).error.code).toBe(-2036);
  });

  it('subscribes with a signature and no logon, with any key type', async () => {
    const { socket } = await connect();
    const reply = await socket.call(
      1,
      'userDataStream.subscribe.signature',
      signWsHmac({ timestamp: START_MS, recvWindow: 5000 }),
    );
    expect(reply.result).toEqual({ subscriptionId: 0 });
    const status = await socket.call(2, 'session.status');
    expect(status.result).toMatchObject({ apiKey: null, userDataStream: true });
    expect(HMAC_KEY.length).toBeGreaterThan(0);
  });
});
