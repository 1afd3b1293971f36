import { Instrument, instrumentId } from '@qtp/core';

// The spec's Appendix A test key pair: fake, published, good for nothing but these tests.
export const ED_KEY = 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000';
export const ED_SEED = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
export const ED_PUBLIC = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';

/** BTCUSDT with Binance's cent tick, 0.00001 step and 5 USDT minimum notional, no fees. */
export const btcusdt = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
});
