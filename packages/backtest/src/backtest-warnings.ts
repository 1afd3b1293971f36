import { formatDecimal, type Instrument, type OrderView, ValidationError } from '@qtp/core';
import type { TargetBelowLot } from '@qtp/strategy';

/** What a {@link BacktestWarning} is about. */
export type BacktestWarningCode =
  | 'PARTIAL_MARKET_FILL'
  | 'REJECTED_ORDER'
  | 'NO_ORDERS'
  | 'TARGET_BELOW_LOT';

/**
 * Something in a backtest that did not go as a strategy asked, reported rather than passed over:
 * market orders cut short by the simulated exchange's volume cap, orders the venue or the OMS
 * rejected, `targetPosition` changes too small for the lot size, or a run with data in which the
 * strategy placed no order at all (often an order size that rounds to nothing at the lot size).
 */
export interface BacktestWarning {
  /** What the warning is about. */
  readonly code: BacktestWarningCode;
  /** How many orders (runs for `NO_ORDERS`, calls for `TARGET_BELOW_LOT`) it concerns. */
  readonly count: number;
  /** The warning in words, with the first example. */
  readonly message: string;
}

/**
 * Returns the warnings of a finished run, from its orders, the number of events it processed
 * and the strategy's `targetPosition` calls too small to send.
 *
 * @example
 * ```ts
 * // used by runBacktest, which puts the list in `result.warnings`
 * collectBacktestWarnings([], 1_000); // one NO_ORDERS warning
 * ```
 */
export function collectBacktestWarnings(
  orders: readonly OrderView[],
  events: number,
  targetsBelowLot: { readonly count: number; readonly first: TargetBelowLot | undefined } = {
    count: 0,
    first: undefined,
  },
): BacktestWarning[] {
  const warnings: BacktestWarning[] = [];
  const first = targetsBelowLot.first;
  if (targetsBelowLot.count > 0 && first !== undefined) {
    warnings.push({
      code: 'TARGET_BELOW_LOT',
      count: targetsBelowLot.count,
      message:
        `${targetsBelowLot.count} targetPosition call(s) sent nothing because the change was ` +
        `below the lot size or minimum quantity; the first wanted ${first.instrumentId} at ` +
        `${first.target}, a change of ${first.change}, where the lot size is ` +
        `${first.sizeIncrement} and the minimum quantity ${first.minQuantity}`,
    });
  }
  const partial = orders.filter(
    (order) =>
      order.type === 'MARKET' &&
      order.status !== 'FILLED' &&
      order.filledQuantity.toNumber() > 0 &&
      order.filledQuantity.toNumber() < order.quantity.toNumber(),
  );
  if (partial.length > 0) {
    const first = partial[0]!;
    warnings.push({
      code: 'PARTIAL_MARKET_FILL',
      count: partial.length,
      message:
        `${partial.length} market order(s) filled only in part, the rest expired: the simulated ` +
        `exchange fills at most the bar's volume times its volume cap (default 1); the first, ` +
        `${first.clientOrderId}, filled ${formatDecimal(first.filledQuantity)} of ${formatDecimal(first.quantity)}. Pass ` +
        'barFillModel({ volumeCap: Infinity }) to lift the cap.',
    });
  }
  const rejected = orders.filter((order) => order.status === 'REJECTED');
  if (rejected.length > 0) {
    const first = rejected[0]!;
    warnings.push({
      code: 'REJECTED_ORDER',
      count: rejected.length,
      message: `${rejected.length} order(s) rejected; the first, ${first.clientOrderId}: ${first.rejectReason ?? 'no reason given'}`,
    });
  }
  if (orders.length === 0 && events > 0) {
    warnings.push({
      code: 'NO_ORDERS',
      count: 1,
      message:
        `the strategy placed no order in ${events} events: check its instrument ids and that its ` +
        'order size does not round to 0 at the lot size',
    });
  }
  return warnings;
}

/**
 * Throws when a strategy's parameters name an instrument the backtest does not trade, which
 * would otherwise run to the end without a single order.
 * @throws `ValidationError` naming `strategy.params.<key>` and listing the instruments traded
 */
export function checkStrategyInstruments(
  params: Readonly<Record<string, unknown>>,
  instruments: readonly Instrument[],
): void {
  const known = instruments.map((instrument) => instrument.id as string);
  for (const [key, value] of Object.entries(params)) {
    const ids = key === 'instrumentId' ? [value] : key === 'instrumentIds' ? value : undefined;
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      if (typeof id === 'string' && !known.includes(id)) {
        const rule = `name an instrument of the backtest (${known.join(', ')})`;
        throw new ValidationError(`strategy.params.${key}`, rule, id);
      }
    }
  }
}
