import { createOrderRequest, type Fill, type OrderReport, ValidationError } from '@qtp/core';
import { BinanceExchange, toOcoParams } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { btcusdt, ED_KEY, ED_PUBLIC, ED_SEED } from './support/test-market.js';

let server: BinanceServer | undefined;
let exchange: BinanceExchange | undefined;

async function start(): Promise<{
  server: BinanceServer;
  exchange: BinanceExchange;
  fills: Fill[];
  reports: OrderReport[];
}> {
  server = new BinanceServer({
    symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
    accounts: [
      { apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '10000', BTC: '1' } },
    ],
  });
  await server.start();
  exchange = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
    initialBackoffMs: 20,
  });
  const fills: Fill[] = [];
  const reports: OrderReport[] = [];
  exchange.executions.on('fill', ({ fill }) => fills.push(fill));
  exchange.executions.on('orderUpdate', ({ report }) => reports.push(report));
  await exchange.connect();
  return { server, exchange, fills, reports };
}

afterEach(async () => {
  await exchange?.disconnect();
  await server?.stop();
  exchange = undefined;
  server = undefined;
});

const wait = { timeout: 8000, interval: 20 };

describe('BinanceExchange order kinds against the local server', () => {
  it('sends a stop as a take-profit and hears its fill once the price rises to it', async () => {
    const { server, exchange, fills } = await start();
    const request = createOrderRequest({
      instrumentId: btcusdt.id,
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '0.1',
      triggerPrice: '37700',
      clientOrderId: 'tp-1',
    });
    // As a stop-loss, a sell trigger above the market would trigger at once.
    await expect(exchange.placeOrder(request)).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    const ack = await exchange.placeOrder(
      { ...request, clientOrderId: 'tp-2' },
      { takeProfit: true },
    );
    expect(ack.status).toBe('ACCEPTED');
    server.setPrice('BTCUSDT', '37750');
    await vi.waitFor(() => expect(fills.map((fill) => fill.clientOrderId)).toEqual(['tp-2']), wait);
    // 0.1 at the best bid 37749.99
    expect(fills[0]?.price.toString()).toBe('37749.99');
  });

  it('trails a stop by trailingDelta and an iceberg rests with its slice', async () => {
    const { server, exchange, fills } = await start();
    await exchange.placeOrder(
      createOrderRequest({
        instrumentId: btcusdt.id,
        side: 'SELL',
        type: 'STOP_MARKET',
        quantity: '0.1',
        triggerPrice: '37650',
        clientOrderId: 'trail-1',
      }),
      { takeProfit: true, trailingDelta: 100 },
    );
    // Active from 37650, the peak 38000 puts the trigger at 37620.
    server.setPrice('BTCUSDT', '37700');
    server.setPrice('BTCUSDT', '38000');
    server.setPrice('BTCUSDT', '37700');
    const iceberg = await exchange.placeOrder(
      createOrderRequest({
        instrumentId: btcusdt.id,
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.1',
        price: '37000',
        timeInForce: 'GTC',
        clientOrderId: 'ice-1',
      }),
      { icebergQty: '0.01' },
    );
    expect(iceberg.status).toBe('ACCEPTED');
    expect(fills).toEqual([]);
    server.setPrice('BTCUSDT', '37620');
    await vi.waitFor(
      () => expect(fills.map((fill) => fill.clientOrderId)).toEqual(['trail-1']),
      wait,
    );
  });

  it('places an OCO over the WebSocket API and hears the other leg expire when one fills', async () => {
    const { server, exchange, fills, reports } = await start();
    const ack = await exchange.placeOco({
      instrumentId: btcusdt.id,
      side: 'SELL',
      quantity: '0.1',
      listClientOrderId: 'oco-1',
      above: { type: 'LIMIT_MAKER', price: '38000', clientOrderId: 'oco-1-tp' },
      below: {
        type: 'STOP_LOSS_LIMIT',
        stopPrice: '37000',
        price: '36900',
        clientOrderId: 'oco-1-sl',
      },
    });
    expect(ack.listClientOrderId).toBe('oco-1');
    expect(ack.legs.map((leg) => [leg.clientOrderId, leg.status])).toEqual([
      ['oco-1-sl', 'ACCEPTED'],
      ['oco-1-tp', 'ACCEPTED'],
    ]);
    server.setPrice('BTCUSDT', '38100');
    await vi.waitFor(() => {
      expect(fills.map((fill) => [fill.clientOrderId, fill.price.toString()])).toEqual([
        ['oco-1-tp', '38000'],
      ]);
      expect(
        reports.some(
          (report) => report.clientOrderId === 'oco-1-sl' && report.status === 'EXPIRED',
        ),
      ).toBe(true);
    }, wait);
    expect(server.orderLog().filter((entry) => entry.action === 'place')).toHaveLength(2);
  });

  it('refuses a malformed OCO before it leaves', () => {
    expect(() =>
      toOcoParams(
        {
          instrumentId: btcusdt.id,
          side: 'SELL',
          quantity: '0.1',
          above: { type: 'LIMIT_MAKER' },
          below: { type: 'STOP_LOSS', stopPrice: '37000' },
        },
        'BTCUSDT',
        { list: 'l', above: 'a', below: 'b' },
      ),
    ).toThrow(ValidationError);
  });
});
