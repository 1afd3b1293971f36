import {
  createFill,
  createMoney,
  Decimal,
  type Fill,
  formatDecimal,
  type Instrument,
  isQtpError,
  type Order,
  type OrderReport,
} from '@qtp/core';

/** What a failed placement means for the order. */
export type PlacementFailure = 'rejected' | 'unknown';

/**
 * Classifies a `placeOrder` failure. Definitive venue refusals (invalid order, insufficient
 * funds, unknown symbol, bad input) and the errors the gateway contract says never reached the
 * venue (rate limit, venue unavailable) reject the order. Anything else may have reached the
 * venue after all: a timeout, `OrderStateUnknownError`, a network error (the connection may have
 * dropped after sending) or an error that is not a QTP error at all.
 */
export function classifyPlacementFailure(error: unknown): PlacementFailure {
  if (!isQtpError(error)) return 'unknown';
  if (error.code === 'RATE_LIMIT' || error.code === 'EXCHANGE_UNAVAILABLE') return 'rejected';
  if (error.code === 'ORDER_STATE_UNKNOWN' || error.retryable) return 'unknown';
  return 'rejected';
}

/** Returns a message for any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Returns the fill that brings `order` up to the quantity the venue reports filled, or
 * `undefined` when nothing is missing or the report has no average price to derive one from.
 *
 * The gateway contract reports an order's filled quantity and average price but not its trades,
 * so fills missed while disconnected are booked as one fill at the price that makes the
 * average agree, without a fee (the venue's fee is not reported). Its trade id is derived from
 * the venue's order id and the reported filled quantity, so a repeated reconciliation of the
 * same report books it once.
 */
export function missingFill(
  order: Order,
  report: OrderReport,
  instrument: Instrument,
): Fill | undefined {
  const missing: Decimal = report.filledQuantity.minus(order.filledQuantity);
  if (missing.lte(0) || report.averageFillPrice === undefined) return undefined;
  const localNotional = order.fills.reduce(
    (sum, fill) => sum.plus(fill.price.times(fill.quantity)),
    new Decimal(0),
  );
  const reportedNotional = report.averageFillPrice.times(report.filledQuantity);
  let price = reportedNotional.minus(localNotional).div(missing);
  // Rounding at the venue can push the derived price to 0 or below; its average is the best guess.
  if (price.lte(0)) price = report.averageFillPrice;
  return createFill({
    tradeId: `reconciled-${report.venueOrderId}-${formatDecimal(report.filledQuantity)}`,
    clientOrderId: order.clientOrderId,
    venueOrderId: report.venueOrderId,
    instrumentId: order.instrumentId,
    side: order.side,
    price,
    quantity: missing,
    fee: createMoney('0', instrument.quoteAsset),
    liquiditySide: 'TAKER',
    timeMs: report.timeMs,
  });
}

/** Returns the delay before lookup number `attempt` (from 0): doubling from `initialMs`, capped. */
export function lookupDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(initialMs * 2 ** Math.min(attempt, 30), maxMs);
}
