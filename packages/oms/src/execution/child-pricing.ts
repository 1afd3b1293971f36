import { Decimal, type OrderSide } from '@qtp/core';
import type { MarketView } from './execution-algorithm-base.js';

/**
 * Returns a limit price `offsetBps` basis points from the mid (or the last price when no quote
 * was seen) towards the other side of the book, or undefined before any price is known.
 */
export function limitPriceFor(
  side: OrderSide,
  market: MarketView,
  offsetBps: number,
): Decimal | undefined {
  const mid =
    Number.isFinite(market.bid) && Number.isFinite(market.ask)
      ? (market.bid + market.ask) / 2
      : market.last;
  if (!Number.isFinite(mid)) return undefined;
  const factor = side === 'BUY' ? 1 + offsetBps / 10_000 : 1 - offsetBps / 10_000;
  const price = new Decimal(String(mid)).times(new Decimal(String(factor)));
  return price.gt(0) ? price : undefined;
}
