import {
  accountSchema,
  depthSnapshotSchema,
  depthUpdateEventSchema,
  exchangeInfoSchema,
  executionReportSchema,
  klineRowSchema,
  myTradeSchema,
  orderResultSchema,
  outboundAccountPositionSchema,
  queryOrderSchema,
  restAggTradeSchema,
  restTradeSchema,
  wsApiEventFrameSchema,
  wsApiResponseSchema,
} from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it } from 'vitest';
import { get, START_MS, signed, signWsEd25519, startServer, TestSocket } from './test-fixtures.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('the wire schemas', () => {
  it('parse every payload the server sends', async () => {
    const { server } = await startServer({ connections: { maxMessagesPerSecond: 50 } });
    const streams = await TestSocket.open(`${server.streamUrl}/ws/btcusdt@depth`);
    const api = await TestSocket.open(server.wsApiUrl);
    stop = async () => {
      streams.close();
      api.close();
      await server.stop();
    };
    exchangeInfoSchema.parse((await get(server, '/api/v3/exchangeInfo')).body);
    depthSnapshotSchema.parse((await get(server, '/api/v3/depth?symbol=BTCUSDT')).body);
    const full = await signed(server, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.3',
    });
    expect(orderResultSchema.parse(full.body).fills).toHaveLength(2);
    queryOrderSchema.parse(
      (
        await signed(server, 'GET', '/api/v3/order', {
          symbol: 'BTCUSDT',
          orderId: String(full.body.orderId),
        })
      ).body,
    );
    for (const trade of (await signed(server, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' }))
      .body)
      myTradeSchema.parse(trade);
    accountSchema.parse((await signed(server, 'GET', '/api/v3/account', {})).body);
    for (const trade of (await get(server, '/api/v3/trades?symbol=BTCUSDT')).body)
      restTradeSchema.parse(trade);
    for (const trade of (await get(server, '/api/v3/aggTrades?symbol=BTCUSDT')).body)
      restAggTradeSchema.parse(trade);
    for (const row of (await get(server, '/api/v3/klines?symbol=BTCUSDT&interval=1m')).body)
      klineRowSchema.parse(row);
    wsApiResponseSchema.parse(
      await api.call(1, 'session.logon', signWsEd25519({ timestamp: START_MS })),
    );
    wsApiResponseSchema.parse(await api.call(2, 'userDataStream.subscribe'));
    wsApiResponseSchema.parse(
      await api.call(3, 'order.place', {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'MARKET',
        quantity: '0.1',
        timestamp: START_MS,
      }),
    );
    const report = await api.next((m) => m.event?.e === 'executionReport' && m.event.x === 'TRADE');
    executionReportSchema.parse(wsApiEventFrameSchema.parse(report).event);
    const position = await api.next((m) => m.event?.e === 'outboundAccountPosition');
    outboundAccountPositionSchema.parse(position.event);
    server.setPrice('BTCUSDT', '37650');
    depthUpdateEventSchema.parse(await streams.next());
  });
});
