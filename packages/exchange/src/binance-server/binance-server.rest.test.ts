import { signHmac } from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it } from 'vitest';
import { get, HMAC_KEY, HMAC_SECRET, START_MS, signed, startServer } from './test-fixtures.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let started: Started | undefined;
afterEach(async () => {
  await started?.server.stop();
  started = undefined;
});
const start = async (...args: Parameters<typeof startServer>) => {
  started = await startServer(...args);
  return started;
};

describe('BinanceServer REST market data', () => {
  it('answers time and ping with the clock and weights in the headers', async () => {
    const { server } = await start();
    const time = await get(server, '/api/v3/time');
    expect(time.body).toEqual({ serverTime: START_MS });
    expect(time.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(time.headers.get('x-mbx-used-weight-1m')).toBe('1');
    await get(server, '/api/v3/ping');
    const depth = await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=5');
    // time 1 + ping 1 + depth (limit <= 100) 5
    expect(depth.headers.get('x-mbx-used-weight-1m')).toBe('7');
  });

  it('lists the instrument rules as Binance filters', async () => {
    const { server } = await start();
    const info = await get(server, '/api/v3/exchangeInfo?symbol=BTCUSDT');
    const symbol = info.body.symbols[0];
    expect(symbol.symbol).toBe('BTCUSDT');
    expect(symbol.baseAsset).toBe('BTC');
    expect(symbol.filters).toContainEqual({
      filterType: 'PRICE_FILTER',
      minPrice: '0.01000000',
      maxPrice: '1000000.00000000',
      tickSize: '0.01000000',
    });
    expect(symbol.filters).toContainEqual({
      filterType: 'LOT_SIZE',
      minQty: '0.00001000',
      maxQty: '9000000.00000000',
      stepSize: '0.00001000',
    });
    expect(
      symbol.filters.find((f: { filterType: string }) => f.filterType === 'NOTIONAL').minNotional,
    ).toBe('5.00000000');
    expect(info.body.rateLimits[0]).toEqual({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: 6000,
    });
    const unknown = await get(server, '/api/v3/exchangeInfo?symbol=NOPE');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('shows a synthetic book two ticks wide around the price', async () => {
    const { server } = await start();
    const { body } = await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=3');
    expect(body.bids).toEqual([
      ['37599.99000000', '0.20000000'],
      ['37599.98000000', '0.20000000'],
      ['37599.97000000', '0.20000000'],
    ]);
    expect(body.asks).toEqual([
      ['37600.01000000', '0.20000000'],
      ['37600.02000000', '0.20000000'],
      ['37600.03000000', '0.20000000'],
    ]);
    expect(typeof body.lastUpdateId).toBe('number');
  });

  it('reports tickers and the average price from the tape', async () => {
    const { server } = await start();
    server.trade('BTCUSDT', '37600', '1', false, START_MS - 1000);
    server.trade('BTCUSDT', '37700', '3', true, START_MS - 500);
    expect((await get(server, '/api/v3/ticker/price?symbol=BTCUSDT')).body).toEqual({
      symbol: 'BTCUSDT',
      price: '37700.00000000',
    });
    // (1 x 37600 + 3 x 37700) / 4 = 37675
    expect((await get(server, '/api/v3/avgPrice?symbol=BTCUSDT')).body).toEqual({
      mins: 5,
      price: '37675.00000000',
      closeTime: START_MS - 500,
    });
    const book = (await get(server, '/api/v3/ticker/bookTicker?symbol=BTCUSDT')).body;
    expect(book).toEqual({
      symbol: 'BTCUSDT',
      bidPrice: '37599.99000000',
      bidQty: '0.20000000',
      askPrice: '37600.01000000',
      askQty: '0.20000000',
    });
    const day = (await get(server, '/api/v3/ticker/24hr?symbol=BTCUSDT')).body;
    expect(day).toMatchObject({
      openPrice: '37600.00000000',
      highPrice: '37700.00000000',
      lowPrice: '37600.00000000',
      lastPrice: '37700.00000000',
      volume: '4.00000000',
      quoteVolume: '150700.00000000',
      priceChange: '100.00000000',
      firstId: 1,
      lastId: 2,
      count: 2,
    });
    const all = (await get(server, '/api/v3/ticker/price')).body;
    expect(all).toEqual([{ symbol: 'BTCUSDT', price: '37700.00000000' }]);
  });

  it('answers an unknown path with 404 and a retired v1 path too', async () => {
    const { server } = await start();
    expect((await fetch(`${server.restUrl}/api/v1/time`)).status).toBe(404);
  });

  it('rejects a parameter the endpoint does not read with -1104', async () => {
    const { server } = await start();
    const { status, body } = await get(server, '/api/v3/depth?symbol=BTCUSDT&foo=1');
    expect(status).toBe(400);
    expect(body).toEqual({
      code: -1104,
      msg: "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.",
    });
  });
});

describe('BinanceServer signed REST', () => {
  it('fills a FULL market buy across three levels with fees in the asset received', async () => {
    const { server } = await start();
    const { status, body, headers } = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.5',
      newClientOrderId: 'qtp-1',
    });
    expect(status).toBe(200);
    expect(body.status).toBe('FILLED');
    expect(body.clientOrderId).toBe('qtp-1');
    expect(body.executedQty).toBe('0.50000000');
    // 0.2 x 37600.01 + 0.2 x 37600.02 + 0.1 x 37600.03 = 7520.002 + 7520.004 + 3760.003
    expect(body.cummulativeQuoteQty).toBe('18800.00900000');
    expect(body.fills).toEqual([
      {
        price: '37600.01000000',
        qty: '0.20000000',
        commission: '0.00020000',
        commissionAsset: 'BTC',
        tradeId: 1,
      },
      {
        price: '37600.02000000',
        qty: '0.20000000',
        commission: '0.00020000',
        commissionAsset: 'BTC',
        tradeId: 2,
      },
      {
        price: '37600.03000000',
        qty: '0.10000000',
        commission: '0.00010000',
        commissionAsset: 'BTC',
        tradeId: 3,
      },
    ]);
    // a successful order costs no weight since April 2026
    expect(headers.get('x-mbx-used-weight-1m')).toBe('0');
    const account = await signed(server, 'GET', '/api/v3/account', {});
    const balances = Object.fromEntries(
      account.body.balances.map((b: { asset: string; free: string }) => [b.asset, b.free]),
    );
    // 1 + 0.5 - 0.0005 fee; 100000 - 18800.009
    expect(balances).toEqual({ BTC: '1.49950000', USDT: '81199.99100000' });
  });

  it('rests a limit order, locks its funds, and cancels it with a new client id', async () => {
    const { server } = await start();
    const placed = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '37000',
      newClientOrderId: 'rest-1',
      newOrderRespType: 'RESULT',
    });
    expect(placed.body).toMatchObject({
      status: 'NEW',
      price: '37000.00000000',
      origQty: '0.01000000',
      type: 'LIMIT',
      timeInForce: 'GTC',
      orderListId: -1,
    });
    expect(placed.body.fills).toBeUndefined();
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('1');
    const open = await signed(server, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { clientOrderId: string }) => o.clientOrderId)).toEqual(['rest-1']);
    const account = await signed(server, 'GET', '/api/v3/account', { omitZeroBalances: 'true' });
    // 0.01 x 37000 = 370 locked; a buy's fee is taken from the BTC received, so no quote is held for it
    expect(account.body.balances.find((b: { asset: string }) => b.asset === 'USDT').locked).toBe(
      '370.00000000',
    );
    const canceled = await signed(server, 'DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'rest-1',
      newClientOrderId: 'cancel-1',
    });
    expect(canceled.body).toMatchObject({
      status: 'CANCELED',
      origClientOrderId: 'rest-1',
      clientOrderId: 'cancel-1',
    });
    const again = await signed(server, 'DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: String(placed.body.orderId),
    });
    expect(again.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const queried = await signed(server, 'GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: String(placed.body.orderId),
    });
    expect(queried.body).toMatchObject({
      status: 'CANCELED',
      clientOrderId: 'cancel-1',
      isWorking: false,
    });
    const missing = await signed(server, 'GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: '999',
    });
    expect(missing.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
  });

  it('fills a resting limit when the book moves through it', async () => {
    const { server } = await start();
    await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '37500',
      newClientOrderId: 'dip',
    });
    server.setPrice('BTCUSDT', '37400');
    const queried = await signed(server, 'GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'dip',
    });
    expect(queried.body).toMatchObject({
      status: 'FILLED',
      executedQty: '0.01000000',
      cummulativeQuoteQty: '375.00000000',
    });
    const trades = await signed(server, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
    expect(trades.body).toHaveLength(1);
    expect(trades.body[0]).toMatchObject({
      price: '37500.00000000',
      qty: '0.01000000',
      isBuyer: true,
      isMaker: true,
      commission: '0.00001000',
      commissionAsset: 'BTC',
    });
  });

  it('accepts parameters split between query and body', async () => {
    const { server } = await start();
    const { status, body } = await signed(
      server,
      'POST',
      '/api/v3/order',
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '38000',
      },
      { layout: 'split' },
    );
    expect(status).toBe(200);
    expect(body.status).toBe('NEW');
    expect(body.clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/);
  });

  it('verifies Ed25519 signatures', async () => {
    const { server } = await start();
    const { status, body } = await signed(server, 'GET', '/api/v3/account', {}, { key: 'ed25519' });
    expect(status).toBe(200);
    expect(body.canTrade).toBe(true);
  });

  it('rejects a wrong signature, an un-encoded payload and an unknown key', async () => {
    const { server } = await start();
    const timestamp = server.now();
    const bad = await fetch(
      `${server.restUrl}/api/v3/account?timestamp=${timestamp}&signature=${'0'.repeat(64)}`,
      { headers: { 'X-MBX-APIKEY': HMAC_KEY } },
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      code: -1022,
      msg: 'Signature for this request is not valid.',
    });
    // signed over raw JSON brackets and quotes rather than their percent-encoded form
    const raw = `omitZeroBalances=true&timestamp=${timestamp}&x=["a"]`;
    const unencoded = await fetch(
      `${server.restUrl}/api/v3/account?${raw}&signature=${signHmac(HMAC_SECRET, raw)}`,
      { headers: { 'X-MBX-APIKEY': HMAC_KEY } },
    );
    expect(((await unencoded.json()) as { code: number }).code).toBe(-1022);
    const stranger = await fetch(
      `${server.restUrl}/api/v3/account?timestamp=${timestamp}&signature=aa`,
      { headers: { 'X-MBX-APIKEY': 'nobody' } },
    );
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toEqual({
      code: -2015,
      msg: 'Invalid API-key, IP, or permissions for action.',
    });
  });

  it('enforces the timestamp and recvWindow rules', async () => {
    const { server } = await start();
    const ahead = await signed(
      server,
      'GET',
      '/api/v3/account',
      {},
      { timestamp: START_MS + 1000 },
    );
    expect(ahead.body).toEqual({
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    });
    const justInside = await signed(
      server,
      'GET',
      '/api/v3/account',
      {},
      { timestamp: START_MS + 999 },
    );
    expect(justInside.status).toBe(200);
    const old = await signed(server, 'GET', '/api/v3/account', {}, { timestamp: START_MS - 5001 });
    expect(old.body).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });
    const widened = await signed(
      server,
      'GET',
      '/api/v3/account',
      { recvWindow: '6000' },
      { timestamp: START_MS - 5001 },
    );
    expect(widened.status).toBe(200);
    const tooWide = await signed(server, 'GET', '/api/v3/account', { recvWindow: '60001' });
    expect(tooWide.body.code).toBe(-1102);
  });

  it('reports filter failures with Binance codes in Binance order', async () => {
    const { server } = await start();
    const order = (extra: Record<string, string>) =>
      signed(server, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        ...extra,
      });
    expect((await order({ quantity: '0.000015', price: '37000' })).body).toEqual({
      code: -1013,
      msg: 'Filter failure: LOT_SIZE',
    });
    expect((await order({ quantity: '0.01', price: '37000.005' })).body).toEqual({
      code: -1013,
      msg: 'Filter failure: PRICE_FILTER',
    });
    // 0.0001 x 37000 = 3.7 USDT, under the 5 USDT minimum
    expect((await order({ quantity: '0.0001', price: '37000' })).body).toEqual({
      code: -1013,
      msg: 'Filter failure: NOTIONAL',
    });
    expect((await order({ quantity: '0.01', price: '1000' })).body).toEqual({
      code: -1013,
      msg: 'Filter failure: PERCENT_PRICE_BY_SIDE',
    });
    expect((await order({ quantity: '0.01' })).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
    });
    expect((await order({ quantity: '1e-2', price: '37000' })).body.code).toBe(-1100);
    expect((await order({ quantity: '0.000000001', price: '37000' })).body).toEqual({
      code: -1111,
      msg: "Parameter 'quantity' has too much precision.",
    });
    expect((await order({ quantity: '10', price: '37000' })).body).toEqual({
      code: -2010,
      msg: 'Account has insufficient balance for requested action.',
    });
    const market = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      timeInForce: 'GTC',
    });
    expect(market.body).toEqual({
      code: -1106,
      msg: "Parameter 'timeInForce' sent when not required.",
    });
    const maker = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: '37700',
    });
    expect(maker.body).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });
    const badType = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMITED',
      quantity: '0.01',
    });
    expect(badType.body).toEqual({ code: -1116, msg: 'Invalid orderType.' });
    // a failed order costs 1 weight each
    expect(maker.headers.get('x-mbx-used-weight-1m')).toBe('10');
  });

  it('sizes a quoteOrderQty market buy by walking the book', async () => {
    const { server } = await start();
    // 0.2 x 37600.01 = 7520.002 buys the first level, 0.1 x 37600.02 = 3760.002 of the second;
    // the 0.002 left buys less than one step, so the order stops at 0.3 for 11280.004
    const { body } = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quoteOrderQty: '11280.006',
    });
    expect(body).toMatchObject({
      status: 'FILLED',
      origQty: '0.30000000',
      executedQty: '0.30000000',
      origQuoteOrderQty: '11280.00600000',
      cummulativeQuoteQty: '11280.00400000',
    });
  });

  it('triggers a stop-loss sell when the price falls to it and refuses one already reached', async () => {
    const { server } = await start();
    const wrong = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'STOP_LOSS',
      quantity: '0.1',
      stopPrice: '37700',
    });
    expect(wrong.body).toEqual({ code: -2010, msg: 'Order would trigger immediately.' });
    const placed = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'STOP_LOSS',
      quantity: '0.1',
      stopPrice: '37500',
      newOrderRespType: 'RESULT',
    });
    expect(placed.body).toMatchObject({
      status: 'NEW',
      workingTime: -1,
      stopPrice: '37500.00000000',
    });
    server.setPrice('BTCUSDT', '37450');
    const done = await signed(server, 'GET', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: String(placed.body.orderId),
    });
    // the book around 37450 has its best bid at 37449.99, 0.2 deep
    expect(done.body).toMatchObject({
      status: 'FILLED',
      executedQty: '0.10000000',
      cummulativeQuoteQty: '3744.99900000',
    });
  });

  it('expires the unfilled rest of an IOC order and a FOK order that cannot fill', async () => {
    const { server } = await start();
    const order = (tif: string) =>
      signed(server, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: tif,
        quantity: '0.5',
        price: '37600.02',
      });
    // two levels up to 37600.02 hold 0.4
    const ioc = await order('IOC');
    expect(ioc.body).toMatchObject({
      status: 'EXPIRED',
      executedQty: '0.40000000',
      expiryReason: 'UNFILLED_IOC_QUANTITY_EXPIRED',
    });
    const fok = await order('FOK');
    expect(fok.body).toMatchObject({
      status: 'EXPIRED',
      executedQty: '0.00000000',
      expiryReason: 'UNFILLED_FOK_ORDER_EXPIRED',
      fills: [],
    });
  });

  it('cancels and replaces in one request, and cancels all open orders', async () => {
    const { server } = await start();
    const base = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
    };
    await signed(server, 'POST', '/api/v3/order', {
      ...base,
      price: '37000',
      newClientOrderId: 'old',
    });
    const replaced = await signed(server, 'POST', '/api/v3/order/cancelReplace', {
      ...base,
      price: '37100',
      newClientOrderId: 'new',
      cancelReplaceMode: 'STOP_ON_FAILURE',
      cancelOrigClientOrderId: 'old',
    });
    expect(replaced.body).toMatchObject({
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: { status: 'CANCELED', origClientOrderId: 'old' },
      newOrderResponse: { clientOrderId: 'new', status: 'NEW' },
    });
    const failed = await signed(server, 'POST', '/api/v3/order/cancelReplace', {
      ...base,
      price: '37100',
      cancelReplaceMode: 'STOP_ON_FAILURE',
      cancelOrigClientOrderId: 'old',
    });
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({
      code: -2022,
      msg: 'Order cancel-replace failed.',
      data: {
        cancelResult: 'FAILURE',
        newOrderResult: 'NOT_ATTEMPTED',
        cancelResponse: { code: -2011, msg: 'Unknown order sent.' },
        newOrderResponse: null,
      },
    });
    await signed(server, 'POST', '/api/v3/order', { ...base, price: '36900' });
    const all = await signed(server, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(all.body.map((o: { status: string }) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    const none = await signed(server, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(none.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const tested = await signed(server, 'POST', '/api/v3/order/test', { ...base, price: '37000' });
    expect(tested.body).toEqual({});
  });

  it('refuses a second open order with the same client id', async () => {
    const { server } = await start();
    const order = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '37000',
      newClientOrderId: 'same',
    };
    expect((await signed(server, 'POST', '/api/v3/order', order)).status).toBe(200);
    expect((await signed(server, 'POST', '/api/v3/order', order)).body).toEqual({
      code: -2010,
      msg: 'Duplicate order sent.',
    });
    expect(
      server.orderLog().map((entry) => [entry.clientOrderId, entry.outcome, entry.errorCode]),
    ).toEqual([
      ['same', 'accepted', undefined],
      ['same', 'rejected', -2010],
    ]);
  });

  it('refuses new orders past the unfilled order limit with 429 -1015 until the window turns', async () => {
    const { server, clock } = await start({ limits: { ordersPer10Seconds: 2 } });
    const order = (id: string, price = '37000') =>
      signed(server, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price,
        newClientOrderId: id,
      });
    expect((await order('a')).headers.get('x-mbx-order-count-10s')).toBe('1');
    expect((await order('b')).headers.get('x-mbx-order-count-10s')).toBe('2');
    const refused = await order('c');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      code: -1015,
      msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.',
    });
    // the two resting orders fill as the book falls through 37000, and leave the count
    server.setPrice('BTCUSDT', '36900');
    expect((await order('c', '36000')).headers.get('x-mbx-order-count-10s')).toBe('1');
    expect((await order('x', '36000')).headers.get('x-mbx-order-count-10s')).toBe('2');
    clock.advanceTo(START_MS + 10_000);
    expect((await order('d', '36000')).headers.get('x-mbx-order-count-10s')).toBe('1');
  });

  it('answers 429 with Retry-After past the weight limit and then bans with 418', async () => {
    const { server } = await start({ limits: { weightPerMinute: 25, refusalsBeforeBan: 1 } });
    expect((await get(server, '/api/v3/exchangeInfo')).status).toBe(200);
    const limited = await get(server, '/api/v3/exchangeInfo');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(-1003);
    // the minute started at the clock's start, which is 20 s into a minute: 40 s remain
    expect(limited.headers.get('retry-after')).toBe(
      String(Math.ceil((60_000 - (START_MS % 60_000)) / 1000)),
    );
    const banned = await get(server, '/api/v3/exchangeInfo');
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');
    expect((await get(server, '/api/v3/time')).status).toBe(418);
  });
});
