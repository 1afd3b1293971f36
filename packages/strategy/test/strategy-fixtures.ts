import { type Bar, Instrument, instrumentId } from '@qtp/core';
import { createBarSeries, type RecordedOrder } from '@qtp/strategy/testing';
import { loadBars } from './bars.js';

/** XRP/ETH on Binance, with the trading rules of the fixture's era (step 1 XRP). */
export const xrpeth = new Instrument({
  id: instrumentId('XRPETH', 'BINANCE'),
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});

/** ADA/BTC on Binance (step 1 ADA). */
export const adabtc = new Instrument({
  id: instrumentId('ADABTC', 'BINANCE'),
  baseAsset: 'ADA',
  quoteAsset: 'BTC',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});

/** Reads a kline fixture as core bars of `instrument`. */
export function fixtureBars(name: string, instrument: Instrument, interval: '1m' | '5m'): Bar[] {
  const columns = loadBars(name);
  const rows = Array.from(columns.time, (openTimeMs, i) => ({
    openTimeMs,
    open: columns.open[i]!,
    high: columns.high[i]!,
    low: columns.low[i]!,
    close: columns.close[i]!,
    volume: columns.volume[i]!,
  }));
  return createBarSeries(instrument.id, interval, rows);
}

/** An order as the signal tests compare it: the bar it was sent on, its side and quantity. */
export interface OrderAt {
  index: number;
  side: 'BUY' | 'SELL';
  quantity: string;
}

/** Returns the recorded orders as bar indexes (by submission time), sides and quantities. */
export function ordersAt(bars: readonly Bar[], orders: readonly RecordedOrder[]): OrderAt[] {
  const indexByClose = new Map(bars.map((bar, i) => [bar.closeTimeMs, i]));
  return orders.map((order) => ({
    index: indexByClose.get(order.timeMs) ?? -1,
    side: order.request.side,
    quantity: order.request.quantity.toString(),
  }));
}

/**
 * Turns a series of target positions (in units of `quantity`, one per bar, `undefined` for no
 * decision) into the orders a target-position strategy sends when every order fills at once.
 */
export function ordersFromTargets(
  targets: readonly (number | undefined)[],
  quantity: number,
): OrderAt[] {
  const orders: OrderAt[] = [];
  let held = 0;
  targets.forEach((target, index) => {
    if (target === undefined || target === held) return;
    orders.push({
      index,
      side: target > held ? 'BUY' : 'SELL',
      quantity: String(Math.abs(target - held) * quantity),
    });
    held = target;
  });
  return orders;
}
