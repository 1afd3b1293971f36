// The official Binance connector for Node, unchanged, against the local server: market data,
// signed REST and the WebSocket API. It signs with the machine's own time, so the server runs on
// a live clock here.
import { Spot } from '@binance/spot';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it } from 'vitest';
import { btcusdt, ED_KEY, ED_PRIVATE, ED_PUBLIC, HMAC_KEY, HMAC_SECRET } from './test-fixtures.js';

let server: BinanceServer | undefined;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await server?.stop();
  server = undefined;
});

async function start(): Promise<BinanceServer> {
  server = new BinanceServer({
    symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
    accounts: [
      { apiKey: HMAC_KEY, secret: HMAC_SECRET, balances: { USDT: '100000', BTC: '1' } },
      { apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '100000', BTC: '1' } },
    ],
  });
  await server.start();
  return server;
}

const privateKey = ED_PRIVATE.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('@binance/spot against the local server', () => {
  it('reads market data over REST', async () => {
    const local = await start();
    const client = new Spot({
      configurationRestAPI: { apiKey: '', basePath: local.restUrl, retries: 0 },
    });
    const info = await (await client.restAPI.exchangeInfo({ symbol: 'BTCUSDT' })).data();
    expect(info.symbols?.[0]?.symbol).toBe('BTCUSDT');
    const depth = await (await client.restAPI.depth({ symbol: 'BTCUSDT', limit: 5 })).data();
    expect(depth.bids?.[0]).toEqual(['37599.99000000', '0.20000000']);
    expect(depth.asks?.[0]).toEqual(['37600.01000000', '0.20000000']);
  });

  it('places, queries and cancels an order with signed REST (HMAC)', async () => {
    const local = await start();
    const client = new Spot({
      configurationRestAPI: {
        apiKey: HMAC_KEY,
        apiSecret: HMAC_SECRET,
        basePath: local.restUrl,
        retries: 0,
      },
    });
    const placed = await (
      await client.restAPI.newOrder({
        symbol: 'BTCUSDT',
        side: 'BUY' as never,
        type: 'LIMIT' as never,
        timeInForce: 'GTC' as never,
        quantity: 0.01,
        price: 37000,
        newClientOrderId: 'connector-1',
      })
    ).data();
    expect(placed).toMatchObject({ clientOrderId: 'connector-1', status: 'NEW' });
    const queried = await (
      await client.restAPI.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'connector-1' })
    ).data();
    expect(queried.status).toBe('NEW');
    const account = await (await client.restAPI.getAccount({ omitZeroBalances: true })).data();
    expect(account.balances).toContainEqual({
      asset: 'USDT',
      free: '99630.00000000',
      locked: '370.00000000',
    });
    const canceled = await (
      await client.restAPI.deleteOrder({ symbol: 'BTCUSDT', origClientOrderId: 'connector-1' })
    ).data();
    expect(canceled.status).toBe('CANCELED');
    expect(local.orderLog().map((entry) => entry.action)).toEqual(['place', 'cancel']);
  });

  it('signs REST with an Ed25519 key', async () => {
    const local = await start();
    const client = new Spot({
      configurationRestAPI: { apiKey: ED_KEY, privateKey, basePath: local.restUrl, retries: 0 },
    });
    const account = await (await client.restAPI.getAccount()).data();
    expect(account.canTrade).toBe(true);
  });

  it('logs on to the WebSocket API with Ed25519, places an order and hears its execution report', async () => {
    const local = await start();
    const client = new Spot({
      configurationWebsocketAPI: { apiKey: ED_KEY, privateKey, wsURL: local.wsApiUrl },
    });
    const connection = await client.websocketAPI.connect();
    closers.push(() => connection.disconnect());
    await connection.sessionLogon();
    const { stream } = await connection.userDataStreamSubscribe();
    const reports: { e?: string; x?: string; c?: string }[] = [];
    stream.on('message', (data) => {
      reports.push(data as { e?: string; x?: string; c?: string });
    });
    const placed = await connection.orderPlace({
      symbol: 'BTCUSDT',
      side: 'SELL' as never,
      type: 'LIMIT' as never,
      timeInForce: 'GTC' as never,
      quantity: 0.01,
      price: 38000,
      newClientOrderId: 'connector-ws',
    });
    expect(placed.data).toMatchObject({ clientOrderId: 'connector-ws', status: 'NEW' });
    const status = await connection.orderStatus({
      symbol: 'BTCUSDT',
      origClientOrderId: 'connector-ws',
    });
    expect(status.data).toMatchObject({ status: 'NEW' });
    for (let i = 0; i < 50 && !reports.some((r) => r.e === 'executionReport'); i++)
      await new Promise((r) => setImmediate(r));
    expect(reports.find((r) => r.e === 'executionReport')).toMatchObject({
      x: 'NEW',
      c: 'connector-ws',
    });
  });

  it('receives market streams', async () => {
    const local = await start();
    const client = new Spot({ configurationWebsocketStreams: { wsURL: local.streamUrl } });
    const connection = await client.websocketStreams.connect();
    closers.push(() => connection.disconnect());
    const stream = connection.trade({ symbol: 'btcusdt' });
    const trades: { p?: string }[] = [];
    stream.on('message', (data) => {
      trades.push(data as { p?: string });
    });
    for (let i = 0; i < 200 && trades.length === 0; i++) {
      local.trade('BTCUSDT', '37600.5', '0.1');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(trades[0]?.p).toBe('37600.50000000');
  });
});
