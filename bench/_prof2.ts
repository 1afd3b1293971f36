import { createOrderRequest, Instrument, instrumentId } from '@qtp/core';
import { BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
const ID = instrumentId('BTCUSDT', 'BINANCE');
const ED_KEY = 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000';
const ED_SEED = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
const ED_PUBLIC = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';
const instrument = new Instrument({ id: ID, baseAsset: 'BTC', quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.00001', minNotional: '5' });
const server = new BinanceServer({ symbols: [{ instrument, price: '37600' }], accounts: [{ apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '1000000000' } }], limits: { weightPerMinute: 1e12, ordersPer10Seconds: 1e12, ordersPerDay: 1e12 } });
await server.start();
const exchange = new BinanceExchange({ restUrl: server.restUrl, streamUrl: server.streamUrl, wsApiUrl: server.wsApiUrl, credentials: { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED } });
await exchange.connect();
const N = Number(process.argv[2] ?? 500);
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    await exchange.placeOrder(createOrderRequest({ instrumentId: ID, side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: '30000', clientOrderId: `p-${round}-${i}` }));
  }
  console.log('ms per order', (performance.now() - t) / N);
}
await exchange.disconnect();
await server.stop();
