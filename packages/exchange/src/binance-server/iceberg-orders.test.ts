import { describe, expect, it } from 'vitest';
import { get, START_MS, serverPerTest, signed, signWsEd25519 } from './test-fixtures.js';

const { start, open } = serverPerTest({ connections: { maxMessagesPerSecond: 100 } });

describe('iceberg orders', () => {
  it('allows icebergs in exchangeInfo with the ICEBERG_PARTS and TRAILING_DELTA filters', async () => {
    const { server } = await start();
    const symbol = (await get(server, '/api/v3/exchangeInfo?symbol=BTCUSDT')).body.symbols[0];
    expect(symbol).toMatchObject({ icebergAllowed: true, allowTrailingStop: true });
    expect(symbol.orderTypes).toEqual([
      'LIMIT',
      'LIMIT_MAKER',
      'MARKET',
      'STOP_LOSS',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT',
      'TAKE_PROFIT_LIMIT',
    ]);
    expect(symbol.filters).toContainEqual({ filterType: 'ICEBERG_PARTS', limit: 100 });
    expect(symbol.filters).toContainEqual({
      filterType: 'TRAILING_DELTA',
      minTrailingAboveDelta: 10,
      maxTrailingAboveDelta: 2000,
      minTrailingBelowDelta: 10,
      maxTrailingBelowDelta: 2000,
    });
  });

  it('echoes icebergQty in the placement, the query and the execution report', async () => {
    const { server } = await start();
    const socket = await open(server.wsApiUrl);
    await socket.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS }));
    await socket.call(2, 'userDataStream.subscribe');
    const placed = await socket.call(3, 'order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.5',
      price: '37000',
      icebergQty: '0.05',
      newOrderRespType: 'RESULT',
      timestamp: START_MS,
    });
    expect(placed.result).toMatchObject({ status: 'NEW', icebergQty: '0.05000000' });
    const report = await socket.next((m) => m.event?.e === 'executionReport');
    expect(report.event).toMatchObject({ x: 'NEW', F: '0.05000000', q: '0.50000000' });
    const status = await socket.call(4, 'order.status', {
      symbol: 'BTCUSDT',
      orderId: placed.result.orderId,
      timestamp: START_MS,
    });
    expect(status.result).toMatchObject({ icebergQty: '0.05000000', stopPrice: '0.00000000' });
  });

  it('refuses icebergs that break the ICEBERG_PARTS, LOT_SIZE and combination rules', async () => {
    const { server } = await start();
    const limit = { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', price: '38000' };
    const cases: [Record<string, string>, { code: number; msg: string }][] = [
      // 0.2 / 0.001 = 200 parts
      [
        { ...limit, timeInForce: 'GTC', quantity: '0.2', icebergQty: '0.001' },
        { code: -1013, msg: 'Filter failure: ICEBERG_PARTS' },
      ],
      // 0.2 / 0.002 = 100 parts passes ICEBERG_PARTS, but 0.000015 is off the 0.00001 step
      [
        { ...limit, timeInForce: 'GTC', quantity: '0.2', icebergQty: '0.000015' },
        { code: -1013, msg: 'Filter failure: LOT_SIZE' },
      ],
      [
        { ...limit, timeInForce: 'IOC', quantity: '0.2', icebergQty: '0.1' },
        { code: -2010, msg: 'Unsupported order combination' },
      ],
      [
        { ...limit, timeInForce: 'GTC', quantity: '0.2', icebergQty: '0.2' },
        { code: -2010, msg: 'IcebergQty exceeds QTY.' },
      ],
      [
        { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.2', icebergQty: '0.1' },
        { code: -1106, msg: "Parameter 'icebergQty' sent when not required." },
      ],
    ];
    for (const [params, error] of cases) {
      const answer = await signed(server, 'POST', '/api/v3/order', params);
      expect([answer.status, answer.body]).toEqual([400, error]);
    }
    const hundredParts = await signed(server, 'POST', '/api/v3/order', {
      ...limit,
      timeInForce: 'GTC',
      quantity: '0.2',
      icebergQty: '0.002',
      newOrderRespType: 'RESULT',
    });
    expect(hundredParts.body).toMatchObject({ status: 'NEW', icebergQty: '0.00200000' });
  });
});
