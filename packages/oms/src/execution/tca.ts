import { type ParentOrderView, ValidationError } from '@qtp/core';

/** A trade of the market over a parent's life, as TCA reads it. */
export interface TcaTrade {
  /** When it printed, epoch ms. */
  readonly timeMs: number;
  /** Its price. */
  readonly price: number;
  /** Its size, in the base asset. */
  readonly size: number;
}

/** What {@link transactionCosts} reports for one parent order. Costs are positive when they hurt. */
export interface TransactionCostReport {
  /** The parent's id. */
  readonly parentClientOrderId: string;
  /** The algorithm's name. */
  readonly algorithm: string;
  /** The quantity filled. */
  readonly filledQuantity: number;
  /** The average fill price. */
  readonly averagePrice: number;
  /** The price when the parent started: the last trade at or before its start. */
  readonly arrivalPrice: number;
  /** The market's volume-weighted price from the parent's start to its end. */
  readonly intervalVwap: number;
  /** The last trade price at or before the parent's end. */
  readonly closePrice: number;
  /**
   * Implementation shortfall in basis points of the arrival price: what the fills cost against
   * trading everything at the arrival price, fees included.
   */
  readonly implementationShortfallBps: number;
  /** Slippage of the average price against the interval VWAP, in basis points of it. */
  readonly slippageVsVwapBps: number;
  /** Slippage of the average price against the close, in basis points of it. */
  readonly slippageVsCloseBps: number;
  /** The filled quantity as a share of the market volume over the interval. */
  readonly participation: number;
  /** The fees paid, in the quote asset: fees in the base asset count at the average price. */
  readonly fees: number;
}

/**
 * Returns the transaction-cost analysis of a finished (or running) parent order against the
 * market's trades: arrival price, implementation shortfall, slippage against the interval VWAP
 * and the close, participation and fees. Signs: a buy that paid more than the reference, or a
 * sell that got less, has a positive cost.
 *
 * @throws `ValidationError` naming `parent` when it has not started or filled nothing, or
 * `trades` when none printed at or before its start
 * @example
 * ```ts
 * import { transactionCosts } from '@qtp/oms';
 * const report = transactionCosts(parent, trades, instrument);
 * console.log(report.implementationShortfallBps.toFixed(1));
 * ```
 */
export function transactionCosts(
  parent: ParentOrderView,
  trades: readonly TcaTrade[],
  assets: { readonly baseAsset: string; readonly quoteAsset: string },
): TransactionCostReport {
  const start = parent.startTimeMs;
  if (start === undefined || parent.averageFillPrice === undefined) {
    throw new ValidationError('parent', 'have started and filled something', parent.status);
  }
  const end = parent.endTimeMs ?? Number.POSITIVE_INFINITY;
  let arrival: number | undefined;
  let close: number | undefined;
  let volume = 0;
  let notional = 0;
  for (const trade of trades) {
    if (trade.timeMs <= start) arrival = trade.price;
    if (trade.timeMs <= end) close = trade.price;
    if (trade.timeMs >= start && trade.timeMs <= end) {
      volume += trade.size;
      notional += trade.size * trade.price;
    }
  }
  if (arrival === undefined || close === undefined) {
    throw new ValidationError('trades', 'hold a trade at or before the parent started', start);
  }
  const filled = parent.filledQuantity.toNumber();
  const average = parent.averageFillPrice.toNumber();
  const fees =
    (parent.fees[assets.quoteAsset]?.toNumber() ?? 0) +
    (parent.fees[assets.baseAsset]?.toNumber() ?? 0) * average;
  const sign = parent.side === 'BUY' ? 1 : -1;
  const vwap = volume > 0 ? notional / volume : arrival;
  const bps = (price: number, reference: number) =>
    (sign * (price - reference) * 10_000) / reference;
  return {
    parentClientOrderId: parent.parentClientOrderId,
    algorithm: parent.algorithm,
    filledQuantity: filled,
    averagePrice: average,
    arrivalPrice: arrival,
    intervalVwap: vwap,
    closePrice: close,
    implementationShortfallBps:
      bps(average, arrival) + (fees * 10_000) / (arrival * (filled > 0 ? filled : 1)),
    slippageVsVwapBps: bps(average, vwap),
    slippageVsCloseBps: bps(average, close),
    participation: volume > 0 ? filled / volume : 0,
    fees,
  };
}
