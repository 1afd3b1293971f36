import { Instrument, instrumentId } from '@qtp/core';

// The spec's Appendix A test key pair, as the server's own tests use it.
export { ED_KEY, ED_PUBLIC, ED_SEED } from '../../src/binance-server/test-fixtures.js';

/** BTCUSDT with Binance's cent tick, 0.00001 step and 5 USDT minimum notional, no fees. */
export const btcusdt = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
});
