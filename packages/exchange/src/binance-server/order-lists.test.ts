import {
  executionReportSchema,
  listStatusSchema,
  orderListSchema,
  wsApiEventFrameSchema,
} from '@qtp/exchange/binance-server';
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

// A sell OCO around the last price 37600: take profit at 38000, stop at 37000 limit 36900.
const sellOco = {
  symbol: 'BTCUSDT',
  side: 'SELL',
  quantity: '0.1',
  aboveType: 'LIMIT_MAKER',
  abovePrice: '38000',
  belowType: 'STOP_LOSS_LIMIT',
  belowStopPrice: '37000',
  belowPrice: '36900',
  belowTimeInForce: 'GTC',
};
const placeOco = (server: Server, params: Record<string, string>) =>
  signed(server, 'POST', '/api/v3/orderList/oco', params);
const query = async (server: Server, orderId: number) =>
  (await signed(server, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(orderId) }))
    .body;
const balance = async (server: Server, asset: string, key: 'hmac' | 'ed25519' = 'hmac') =>
  (await signed(server, 'GET', '/api/v3/account', {}, { key })).body.balances.find(
    (row: Wire) => row.asset === asset,
  );

describe('OCO order lists', () => {
  it('places both legs as one list, counts two orders and locks the shared base once', async () => {
    const { server } = await start();
    const placed = await placeOco(server, {
      ...sellOco,
      listClientOrderId: 'oco-1',
      aboveClientOrderId: 'oco-1-tp',
      belowClientOrderId: 'oco-1-sl',
      newOrderRespType: 'RESULT',
    });
    expect(placed.status).toBe(200);
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('2');
    const list = placed.body;
    expect(orderListSchema.parse(list).orderReports).toHaveLength(2);
    expect(list).toMatchObject({
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId: 'oco-1',
      transactionTime: START_MS,
      symbol: 'BTCUSDT',
    });
    // The leg below the market comes first, as Binance lists a sell's stop before its target.
    expect(list.orders.map((order: Wire) => order.clientOrderId)).toEqual(['oco-1-sl', 'oco-1-tp']);
    expect(list.orderReports).toMatchObject([
      {
        clientOrderId: 'oco-1-sl',
        orderListId: list.orderListId,
        type: 'STOP_LOSS_LIMIT',
        stopPrice: '37000.00000000',
        price: '36900.00000000',
        workingTime: -1,
        status: 'NEW',
      },
      {
        clientOrderId: 'oco-1-tp',
        orderListId: list.orderListId,
        type: 'LIMIT_MAKER',
        price: '38000.00000000',
        workingTime: START_MS,
        status: 'NEW',
      },
    ]);
    expect(await balance(server, 'BTC')).toMatchObject({
      free: '0.90000000',
      locked: '0.10000000',
    });
    const status = await signed(server, 'GET', '/api/v3/orderList', {
      orderListId: String(list.orderListId),
    });
    expect(status.body).toEqual({
      orderListId: list.orderListId,
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId: 'oco-1',
      transactionTime: START_MS,
      symbol: 'BTCUSDT',
      orders: list.orders,
    });
    const byClientId = await signed(server, 'GET', '/api/v3/orderList', {
      origClientOrderId: 'oco-1',
    });
    expect(byClientId.body.orderListId).toBe(list.orderListId);
    const open = await signed(server, 'GET', '/api/v3/openOrderList', {});
    expect(open.body).toHaveLength(1);
  });

  it('expires the stop leg when the take-profit leg fills, and ends the list', async () => {
    const { server } = await start();
    const list = (await placeOco(server, sellOco)).body;
    const [stop, target] = list.orders;
    // The book moves up through 38000: the resting sell fills at its own price.
    server.setPrice('BTCUSDT', '38100');
    expect(await query(server, target.orderId)).toMatchObject({
      status: 'FILLED',
      executedQty: '0.10000000',
      cummulativeQuoteQty: '3800.00000000',
      orderListId: list.orderListId,
    });
    expect(await query(server, stop.orderId)).toMatchObject({
      status: 'EXPIRED',
      expiryReason: 'OCO_TRIGGER',
      executedQty: '0.00000000',
    });
    expect(await balance(server, 'BTC')).toMatchObject({
      free: '0.90000000',
      locked: '0.00000000',
    });
    const done = await signed(server, 'GET', '/api/v3/orderList', {
      orderListId: String(list.orderListId),
    });
    expect(orderListSchema.parse(done.body)).toMatchObject({
      listStatusType: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
    });
    expect((await signed(server, 'GET', '/api/v3/openOrderList', {})).body).toEqual([]);
    expect((await signed(server, 'GET', '/api/v3/allOrderList', {})).body).toHaveLength(1);
    const trades = await signed(server, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
    expect(trades.body.map((trade: Wire) => trade.orderListId)).toEqual([list.orderListId]);
  });

  it('sends each leg, the list status and the stop trigger on the user data stream', async () => {
    const { server } = await start();
    const socket = await open(server.wsApiUrl);
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    await socket.call(2, 'userDataStream.subscribe');
    // A buy OCO: stop above at 37800, limit below at 37400.
    const placed = await socket.call(3, 'orderList.place.oco', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: '0.1',
      aboveType: 'STOP_LOSS',
      aboveStopPrice: '37800',
      belowType: 'LIMIT_MAKER',
      belowPrice: '37400',
      listClientOrderId: 'ws-oco',
      timestamp: START_MS,
    });
    expect(placed.status).toBe(200);
    const listId = placed.result.orderListId;
    // ACK legs
    expect(placed.result.orderReports).toEqual(
      placed.result.orders.map((order: Wire) => ({
        ...order,
        orderListId: listId,
        transactTime: START_MS,
      })),
    );
    const news = [
      await socket.next((m) => m.event?.e === 'executionReport'),
      await socket.next((m) => m.event?.e === 'executionReport'),
    ];
    expect(news.map((m) => [m.event.x, m.event.g]).sort()).toEqual([
      ['NEW', listId],
      ['NEW', listId],
    ]);
    for (const report of news)
      executionReportSchema.parse(wsApiEventFrameSchema.parse(report).event);
    const started = await socket.next((m) => m.event?.e === 'listStatus');
    listStatusSchema.parse(started.event);
    expect(started.event).toMatchObject({
      s: 'BTCUSDT',
      g: listId,
      c: 'OCO',
      l: 'EXEC_STARTED',
      L: 'EXECUTING',
      r: 'NONE',
      C: 'ws-oco',
    });
    expect(started.event.O).toHaveLength(2);
    // The limit locks 3740 and the stop, worth 3780 at its stop price, 40 more.
    expect(await balance(server, 'USDT', 'ed25519')).toMatchObject({
      locked: '3780.00000000',
    });
    server.setPrice('BTCUSDT', '37850');
    const expired = await socket.next(
      (m) => m.event?.e === 'executionReport' && m.event.x === 'EXPIRED',
    );
    expect(expired.event).toMatchObject({ o: 'LIMIT_MAKER', X: 'EXPIRED', eR: 'OCO_TRIGGER' });
    const ended = await socket.next((m) => m.event?.e === 'listStatus');
    expect(ended.event).toMatchObject({ g: listId, l: 'ALL_DONE', L: 'ALL_DONE' });
    const trade = await socket.next(
      (m) => m.event?.e === 'executionReport' && m.event.x === 'TRADE',
    );
    // the market buy takes the best ask 37850.01
    expect(trade.event).toMatchObject({
      o: 'STOP_LOSS',
      X: 'FILLED',
      L: '37850.01000000',
      g: listId,
    });
    expect(await balance(server, 'USDT', 'ed25519')).toMatchObject({
      free: '96214.99900000',
      locked: '0.00000000',
    });
  });

  it('cancels the whole list when one leg is canceled, and by the list client id', async () => {
    const { server } = await start();
    const first = (await placeOco(server, { ...sellOco, listClientOrderId: 'list-a' })).body;
    const canceled = await signed(server, 'DELETE', '/api/v3/order', {
      symbol: 'BTCUSDT',
      orderId: String(first.orders[1].orderId),
    });
    expect(canceled.body).toMatchObject({
      orderListId: first.orderListId,
      listStatusType: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
    });
    expect(canceled.body.orderReports.map((leg: Wire) => leg.status)).toEqual([
      'CANCELED',
      'CANCELED',
    ]);
    expect(await balance(server, 'BTC')).toMatchObject({
      free: '1.00000000',
      locked: '0.00000000',
    });
    await placeOco(server, { ...sellOco, listClientOrderId: 'list-b' });
    const byList = await signed(server, 'DELETE', '/api/v3/orderList', {
      symbol: 'BTCUSDT',
      listClientOrderId: 'list-b',
      newClientOrderId: 'list-b-cancel',
    });
    expect(byList.body).toMatchObject({
      listClientOrderId: 'list-b-cancel',
      listOrderStatus: 'ALL_DONE',
    });
    expect(byList.body.orderReports.map((leg: Wire) => leg.status)).toEqual([
      'CANCELED',
      'CANCELED',
    ]);
    const again = await signed(server, 'DELETE', '/api/v3/orderList', {
      symbol: 'BTCUSDT',
      orderListId: String(byList.body.orderListId),
    });
    expect(again.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const missing = await signed(server, 'GET', '/api/v3/orderList', { orderListId: '999' });
    expect(missing.body).toEqual({ code: -2013, msg: 'Order list does not exist.' });
  });

  it('answers bad leg types and prices with the codes Binance uses', async () => {
    const { server } = await start();
    const buy = { ...sellOco, side: 'BUY' };
    const cases: [Record<string, string>, { code: number; msg: string }][] = [
      [
        { ...sellOco, aboveType: 'LIMIT' },
        { code: -1158, msg: 'Order type not supported in OCO.' },
      ],
      [
        { ...sellOco, aboveType: 'STOP_LOSS', aboveStopPrice: '38000', abovePrice: '' },
        { code: -1197, msg: 'A stop loss order in a sell OCO must be below.' },
      ],
      [
        { ...sellOco, belowType: 'LIMIT_MAKER' },
        { code: -1166, msg: 'A limit order in a sell OCO must be above.' },
      ],
      [
        { ...sellOco, belowType: 'TAKE_PROFIT' },
        { code: -1199, msg: 'A take profit order in a sell OCO must be above.' },
      ],
      [buy, { code: -1196, msg: 'A stop loss order in a buy OCO must be above.' }],
      [
        { ...buy, belowType: 'TAKE_PROFIT', belowStopPrice: '37000' },
        { code: -1165, msg: 'A limit order in a buy OCO must be below.' },
      ],
      [
        { ...buy, aboveType: 'TAKE_PROFIT', aboveStopPrice: '38000', belowType: 'TAKE_PROFIT' },
        { code: -1198, msg: 'A take profit order in a buy OCO must be below.' },
      ],
      [
        { ...sellOco, abovePrice: '37500' },
        { code: -2010, msg: 'The relationship of the prices for the orders is not correct.' },
      ],
      [
        { ...sellOco, aboveTimeInForce: 'GTC' },
        { code: -1106, msg: "Parameter 'aboveTimeInForce' sent when not required." },
      ],
      [
        { ...sellOco, belowTimeInForce: '' },
        {
          code: -1102,
          msg: "Mandatory parameter 'belowTimeInForce' was not sent, was empty/null, or malformed.",
        },
      ],
      [
        { ...sellOco, belowTimeInForce: 'IOC', belowIcebergQty: '0.01' },
        {
          code: -1160,
          msg: "Parameter 'belowIcebergQty' is not supported if aboveTimeInForce/belowTimeInForce is not GTC.",
        },
      ],
      [
        { ...sellOco, quantity: '2' },
        { code: -2010, msg: 'Account has insufficient balance for requested action.' },
      ],
    ];
    for (const [params, error] of cases) {
      const clean = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ''));
      const sent = params.belowTimeInForce === '' ? params : clean;
      const answer = await placeOco(server, sent);
      expect([answer.status, answer.body]).toEqual([400, error]);
    }
    expect((await signed(server, 'GET', '/api/v3/allOrderList', {})).body).toEqual([]);
  });

  it('refuses OTO, OTOCO, OPO and OPOCO lists as a symbol without them does', async () => {
    const { server } = await start();
    for (const [path, kind] of [
      ['oto', 'OTO'],
      ['otoco', 'OTO'],
      ['opo', 'OPO'],
      ['opoco', 'OPO'],
    ]) {
      const answer = await signed(server, 'POST', `/api/v3/orderList/${path}`, {
        symbol: 'BTCUSDT',
        workingType: 'LIMIT',
        workingSide: 'BUY',
      });
      expect([answer.status, answer.body]).toEqual([
        400,
        { code: -2010, msg: `${kind} orders are not supported for this symbol.` },
      ]);
    }
  });
});
