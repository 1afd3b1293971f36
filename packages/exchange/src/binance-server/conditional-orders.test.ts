import { describe, expect, it } from 'vitest';
import {
  START_MS,
  type StartedServer,
  serverPerTest,
  signed,
  signWsEd25519,
  type Wire,
} from './test-fixtures.js';

const { start, open } = serverPerTest({ connections: { maxMessagesPerSecond: 100 } });
type Server = StartedServer['server'];

const place = (server: Server, params: Record<string, string>) =>
  signed(server, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', ...params });
const query = async (server: Server, orderId: number) =>
  (await signed(server, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(orderId) }))
    .body;
const balance = async (server: Server, asset: string) =>
  (await signed(server, 'GET', '/api/v3/account', {})).body.balances.find(
    (row: Wire) => row.asset === asset,
  );

// The synthetic book has a 0.2 BTC level every tick with a two-tick spread: around a price P the
// best bid is P - 0.01 and the best ask P + 0.01.
describe('take-profit orders', () => {
  it('holds a TAKE_PROFIT sell until the price rises to its stop, then sells at the bid', async () => {
    const { server } = await start();
    const wrong = await place(server, {
      side: 'SELL',
      type: 'TAKE_PROFIT',
      quantity: '0.1',
      stopPrice: '37500',
    });
    expect(wrong.body).toEqual({ code: -2010, msg: 'Order would trigger immediately.' });
    const placed = await place(server, {
      side: 'SELL',
      type: 'TAKE_PROFIT',
      quantity: '0.1',
      stopPrice: '37700',
      newOrderRespType: 'RESULT',
    });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      type: 'TAKE_PROFIT',
      status: 'NEW',
      stopPrice: '37700.00000000',
      workingTime: -1,
      price: '0.00000000',
    });
    // The base it will sell is locked while it waits.
    expect(await balance(server, 'BTC')).toEqual({
      asset: 'BTC',
      free: '0.90000000',
      locked: '0.10000000',
    });
    const waiting = await query(server, placed.body.orderId);
    expect(waiting).toMatchObject({ status: 'NEW', isWorking: false, workingTime: -1 });
    server.setPrice('BTCUSDT', '37650');
    expect((await query(server, placed.body.orderId)).status).toBe('NEW');
    server.setPrice('BTCUSDT', '37750');
    const done = await query(server, placed.body.orderId);
    // 0.1 at the best bid 37749.99
    expect(done).toMatchObject({
      status: 'FILLED',
      executedQty: '0.10000000',
      cummulativeQuoteQty: '3774.99900000',
      stopPrice: '37700.00000000',
    });
    expect(done.workingTime).toBeGreaterThanOrEqual(START_MS);
    expect(await balance(server, 'BTC')).toEqual({
      asset: 'BTC',
      free: '0.90000000',
      locked: '0.00000000',
    });
  });

  it('turns a TAKE_PROFIT_LIMIT buy into a limit order when the price falls to its stop', async () => {
    const { server } = await start();
    const placed = await place(server, {
      side: 'BUY',
      type: 'TAKE_PROFIT_LIMIT',
      timeInForce: 'GTC',
      quantity: '0.1',
      price: '37510',
      stopPrice: '37500',
    });
    // ACK is the default response for every type but MARKET and LIMIT.
    expect(Object.keys(placed.body).sort()).toEqual(
      ['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime'].sort(),
    );
    // 0.1 x 37510 locked at the limit price
    expect(await balance(server, 'USDT')).toMatchObject({
      free: '96249.00000000',
      locked: '3751.00000000',
    });
    server.setPrice('BTCUSDT', '37450');
    const done = await query(server, placed.body.orderId);
    // the limit 37510 crosses the best ask 37450.01
    expect(done).toMatchObject({
      type: 'TAKE_PROFIT_LIMIT',
      status: 'FILLED',
      price: '37510.00000000',
      cummulativeQuoteQty: '3745.00100000',
    });
    expect(await balance(server, 'USDT')).toMatchObject({
      free: '96254.99900000',
      locked: '0.00000000',
    });
  });

  it('releases the held funds when a waiting take-profit is canceled', async () => {
    const { server } = await start();
    const placed = await place(server, {
      side: 'SELL',
      type: 'TAKE_PROFIT_LIMIT',
      timeInForce: 'GTC',
      quantity: '0.25',
      price: '38000',
      stopPrice: '38000',
    });
    expect((await balance(server, 'BTC')).locked).toBe('0.25000000');
    const canceled = await signed(server, 'DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: String(placed.body.orderId),
    });
    expect(canceled.body).toMatchObject({ status: 'CANCELED', stopPrice: '38000.00000000' });
    expect(await balance(server, 'BTC')).toMatchObject({
      free: '1.00000000',
      locked: '0.00000000',
    });
    server.setPrice('BTCUSDT', '38100');
    expect((await query(server, placed.body.orderId)).status).toBe('CANCELED');
  });

  it('checks the parameters of conditional orders with Binance codes', async () => {
    const { server } = await start();
    const cases: [Record<string, string>, { code: number; msg: string }][] = [
      [
        { side: 'SELL', type: 'TAKE_PROFIT', quantity: '0.1' },
        {
          code: -1102,
          msg: "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
        },
      ],
      [
        {
          side: 'SELL',
          type: 'TAKE_PROFIT_LIMIT',
          quantity: '0.1',
          price: '38000',
          stopPrice: '38000',
        },
        {
          code: -1102,
          msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
        },
      ],
      [
        { side: 'SELL', type: 'TAKE_PROFIT', quantity: '0.1', stopPrice: '38000', price: '38000' },
        { code: -1106, msg: "Parameter 'price' sent when not required." },
      ],
      [
        {
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.1',
          price: '37000',
          trailingDelta: '100',
        },
        { code: -1106, msg: "Parameter 'trailingDelta' sent when not required." },
      ],
      [
        { side: 'SELL', type: 'STOP_LOSS', quantity: '0.1', trailingDelta: '5' },
        { code: -1013, msg: 'Filter failure: TRAILING_DELTA' },
      ],
      [
        { side: 'SELL', type: 'STOP_LOSS', quantity: '0.1', trailingDelta: '2001' },
        { code: -1013, msg: 'Filter failure: TRAILING_DELTA' },
      ],
      [
        { side: 'SELL', type: 'TAKE_PROFIT', quantity: '0.1', stopPrice: '38000.001' },
        { code: -1013, msg: 'Filter failure: PRICE_FILTER' },
      ],
      [
        { side: 'BUY', type: 'TAKE_PROFIT', quantity: '100', stopPrice: '37000' },
        { code: -2010, msg: 'Account has insufficient balance for requested action.' },
      ],
    ];
    for (const [params, error] of cases) {
      const answer = await place(server, params);
      expect([answer.status, answer.body]).toEqual([400, error]);
    }
  });
});

describe('trailing stops', () => {
  it('trails a STOP_LOSS sell from the last price and sells trailingDelta below the peak', async () => {
    const { server } = await start();
    const placed = await place(server, {
      side: 'SELL',
      type: 'STOP_LOSS',
      quantity: '0.1',
      trailingDelta: '100',
      newOrderRespType: 'RESULT',
    });
    // Without a stop price it trails at once, from the last price 37600.
    expect(placed.body).toMatchObject({
      status: 'NEW',
      trailingDelta: 100,
      trailingTime: START_MS,
      workingTime: -1,
    });
    expect(placed.body.stopPrice).toBeUndefined();
    // peak 38000: it triggers at or below 38000 x 0.99 = 37620
    server.setPrice('BTCUSDT', '38000');
    server.setPrice('BTCUSDT', '37621');
    expect(await query(server, placed.body.orderId)).toMatchObject({
      status: 'NEW',
      stopPrice: '0.00000000',
      trailingDelta: 100,
      trailingTime: START_MS,
    });
    server.setPrice('BTCUSDT', '37620');
    expect(await query(server, placed.body.orderId)).toMatchObject({
      status: 'FILLED',
      // 0.1 at the best bid 37619.99
      cummulativeQuoteQty: '3761.99900000',
    });
  });

  it('activates a trailing TAKE_PROFIT sell at its stop price and follows the peak from there', async () => {
    const { server, clock } = await start();
    const placed = await place(server, {
      side: 'SELL',
      type: 'TAKE_PROFIT',
      quantity: '0.1',
      stopPrice: '37800',
      trailingDelta: '200',
      newOrderRespType: 'RESULT',
    });
    expect(placed.body).toMatchObject({ trailingDelta: 200, trailingTime: -1 });
    // Below the activation price nothing trails: 37000 would be 2% under a peak of 37750.
    server.setPrice('BTCUSDT', '37750');
    server.setPrice('BTCUSDT', '37000');
    expect(await query(server, placed.body.orderId)).toMatchObject({
      status: 'NEW',
      trailingTime: -1,
    });
    clock.advanceBy(5_000);
    server.setPrice('BTCUSDT', '37900');
    expect((await query(server, placed.body.orderId)).trailingTime).toBe(START_MS + 5_000);
    // peak 38500: the trigger is 38500 x 0.98 = 37730
    server.setPrice('BTCUSDT', '38500');
    server.setPrice('BTCUSDT', '37731');
    expect((await query(server, placed.body.orderId)).status).toBe('NEW');
    server.setPrice('BTCUSDT', '37730');
    expect(await query(server, placed.body.orderId)).toMatchObject({
      status: 'FILLED',
      cummulativeQuoteQty: '3772.99900000',
    });
  });

  it('trails a STOP_LOSS_LIMIT buy from the low and reports d, D and W on the user data stream', async () => {
    const { server } = await start();
    const socket = await open(server.wsApiUrl);
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    await socket.call(2, 'userDataStream.subscribe');
    const placed = await socket.call(3, 'order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'STOP_LOSS_LIMIT',
      timeInForce: 'GTC',
      quantity: '0.1',
      price: '37400',
      trailingDelta: '50',
      timestamp: START_MS,
    });
    expect(placed.status).toBe(200);
    const created = await socket.next((m) => m.event?.e === 'executionReport');
    expect(created.event).toMatchObject({
      x: 'NEW',
      X: 'NEW',
      o: 'STOP_LOSS_LIMIT',
      P: '0.00000000',
      d: 50,
      D: START_MS,
      w: false,
    });
    expect(created.event.W).toBeUndefined();
    // low 37000: a buy triggers at or above 37000 x 1.005 = 37185
    server.setPrice('BTCUSDT', '37000');
    server.setPrice('BTCUSDT', '37185');
    const trade = await socket.next(
      (m) => m.event?.e === 'executionReport' && m.event.x === 'TRADE',
    );
    // the limit 37400 takes the best ask 37185.01
    expect(trade.event).toMatchObject({
      X: 'FILLED',
      L: '37185.01000000',
      l: '0.10000000',
      d: 50,
      W: START_MS,
    });
    // No second NEW: the trigger is seen in W and w.
    expect(
      socket.messages.filter((m) => m.event?.e === 'executionReport' && m.event.x === 'NEW'),
    ).toEqual([]);
  });
});
