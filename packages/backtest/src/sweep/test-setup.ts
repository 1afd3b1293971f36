import { fileURLToPath } from 'node:url';
import type { BacktestSpec } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';

// Shared by the sweep and walk-forward tests: real Binance 5-minute klines of XRP/ETH.

/** The project's XRP/ETH 5-minute bar file (712 bars). */
export const XRPETH_5M = fileURLToPath(
  new URL('../../../../examples/data/XRPETH-5m.csv', import.meta.url),
);

/** The instrument of the file. */
export const XRPETH = instrumentId('XRPETH', 'BINANCE');

/** The XRP/ETH instrument, with Binance's 0.1 % taker fee. */
export const xrp = new Instrument({
  id: XRPETH,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
});

/** A backtest of the registry's SMA crossover on the file, without the swept parameters. */
export const smaSpec: BacktestSpec = {
  instruments: [xrp],
  data: [{ path: XRPETH_5M, instrumentId: XRPETH, interval: '5m' }],
  strategy: 'sma-crossover',
  params: { instrumentId: XRPETH, quantity: '150' },
  balances: { ETH: '1' },
  fillModel: { volumeCap: Number.POSITIVE_INFINITY },
  seed: 3,
};

/** Serialises a sweep's output for exact comparison, typed arrays as plain arrays. */
export function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    ArrayBuffer.isView(item) ? Array.from(item as Float64Array) : item,
  );
}
