// The instrument each venue of the crash campaigns trades.
import { Instrument, instrumentId } from '@qtp/core';

/** BTC/USDT on the simulated venue in the test process. */
export const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'SIM'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

/** BTC/USDT on the local Binance server, with a fee, so the account record is not the bare fills. */
export const binanceBtc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
});
