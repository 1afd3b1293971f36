import { Order, type OrderReport, ValidationError } from '@qtp/core';

/**
 * The tag every adopted order carries, `external`: it was not placed through this manager.
 * @example
 * ```ts
 * import { EXTERNAL_TAG } from '@qtp/oms';
 * const adopted = oms.orders({ tag: EXTERNAL_TAG });
 * ```
 */
export const EXTERNAL_TAG = 'external';

/**
 * Options of `OrderManager.adopt`.
 * @example
 * ```ts
 * import type { AdoptOptions } from '@qtp/oms';
 * const options: AdoptOptions = { tags: ['manual'] };
 * await oms.adopt(report, options);
 * ```
 */
export interface AdoptOptions {
  /** Tags the adopted order carries after `external`, such as the strategy now in charge. */
  tags?: readonly string[];
}

const OPEN_AT_VENUE: readonly OrderReport['status'][] = [
  'ACCEPTED',
  'TRIGGERED',
  'PARTIALLY_FILLED',
];

/**
 * Returns the order a venue lookup describes, ACCEPTED with the venue's order id and without
 * fills (its fills are booked from the venue's fill list, by trade id), tagged `external`.
 * @throws `ValidationError` naming `side`, `type` or `quantity` when the report leaves out the
 * order's terms, naming `status` when the order is not working at the venue, or naming the term
 * the order's rules refuse
 */
export function orderFromReport(
  report: OrderReport,
  timeMs: number,
  options: AdoptOptions = {},
): Order {
  if (!OPEN_AT_VENUE.includes(report.status)) {
    throw new ValidationError(
      'status',
      `be one of ${OPEN_AT_VENUE.join(', ')} to adopt the order`,
      report.status,
    );
  }
  const side = required(report.side, 'side');
  const type = required(report.type, 'type');
  const quantity = required(report.quantity, 'quantity');
  const order = new Order({
    clientOrderId: report.clientOrderId,
    instrumentId: report.instrumentId,
    side,
    type,
    quantity: quantity.toString(),
    ...(report.price === undefined ? {} : { price: report.price.toString() }),
    ...(report.triggerPrice === undefined ? {} : { triggerPrice: report.triggerPrice.toString() }),
    ...(report.timeInForce === undefined ? {} : { timeInForce: report.timeInForce }),
    ...(report.expireTimeMs === undefined ? {} : { expireTimeMs: report.expireTimeMs }),
    tags: [EXTERNAL_TAG, ...(options.tags ?? []).filter((tag) => tag !== EXTERNAL_TAG)],
    timeMs,
  });
  order.submit(timeMs);
  order.accept(report.venueOrderId, timeMs);
  return order;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) {
    throw new ValidationError(field, 'be reported by the venue to adopt the order', undefined);
  }
  return value;
}
