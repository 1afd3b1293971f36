import { type ParentOrderView, type TransactionCostReport, ValidationError } from '@qtp/core';

export type { TransactionCostReport } from '@qtp/core';

/** A trade of the market over a parent's life, as TCA reads it. */
export interface TcaTrade {
  /** When it printed, epoch ms. */
  readonly timeMs: number;
  /** Its price. */
  readonly price: number;
  /** Its size, in the base asset. */
  readonly size: number;
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
  options: TransactionCostOptions = {},
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
  return costsOf(
    parent,
    { arrival, close, volume, notional },
    assets,
    options.estimatedImpactBps ?? null,
  );
}

/** The market over a parent's life, summed: what {@link costsOf} needs of it. */
export interface TcaMarket {
  /** The arrival price. */
  readonly arrival: number;
  /** The last price at or before the end. */
  readonly close: number;
  /** The volume traded over the interval. */
  readonly volume: number;
  /** The sum of size times price over the interval. */
  readonly notional: number;
}

/** Options of {@link transactionCosts}. */
export interface TransactionCostOptions {
  /**
   * The impact model's estimate of the cost, in basis points of the arrival price, reported
   * beside what happened (for example `squareRootImpact(q, parameters) * 10_000` from
   * `@qtp/exchange`). Absent: reported as `null`.
   */
  readonly estimatedImpactBps?: number | undefined;
}

/** The cost analysis of a parent that filled something, from the market's sums. */
export function costsOf(
  parent: ParentOrderView,
  market: TcaMarket,
  assets: { readonly baseAsset: string; readonly quoteAsset: string },
  estimatedImpactBps: number | null,
): TransactionCostReport {
  const { arrival, close, volume, notional } = market;
  const filled = parent.filledQuantity.toNumber();
  const average = parent.averageFillPrice?.toNumber() ?? Number.NaN;
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
    estimatedImpactBps,
  };
}
