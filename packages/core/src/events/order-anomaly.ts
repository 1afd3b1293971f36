import type { QtpErrorCode } from '../errors.js';
import type { ClientOrderId, InstrumentId } from '../identifiers.js';

/**
 * What was wrong with a venue report the order manager could not apply as it stood:
 * - `UNKNOWN_ORDER_FILL`: a fill for a client order id the manager does not know;
 * - `TRADE_ID_CONFLICT`: a trade id seen before, repeated with another quantity or price;
 * - `MALFORMED_REPORT`: a fill or status that breaks the order's rules (another side, more than
 *   the remaining quantity, another venue order id), rejected with the error named;
 * - `FILLS_UNAVAILABLE`: the venue reports more filled than its fills add up to.
 */
export type OrderAnomalyKind =
  | 'UNKNOWN_ORDER_FILL'
  | 'TRADE_ID_CONFLICT'
  | 'MALFORMED_REPORT'
  | 'FILLS_UNAVAILABLE';

/** Every {@link OrderAnomalyKind}, in a stable order. */
export const ORDER_ANOMALY_KINDS: readonly OrderAnomalyKind[] = Object.freeze([
  'UNKNOWN_ORDER_FILL',
  'TRADE_ID_CONFLICT',
  'MALFORMED_REPORT',
  'FILLS_UNAVAILABLE',
]);

/**
 * Published on `order.anomaly` when a venue report is refused or cannot be matched; nothing in
 * the order or the position changed because of it. The order manager counts each kind.
 *
 * @example
 * ```ts
 * import type { OrderAnomalyEvent } from '@qtp/core';
 * function alert(event: OrderAnomalyEvent): string {
 *   return `${event.kind} on ${event.clientOrderId}: ${event.message}`;
 * }
 * ```
 */
export interface OrderAnomalyEvent {
  /** Always `order.anomaly`. */
  readonly type: 'order.anomaly';
  /** What was wrong. */
  readonly kind: OrderAnomalyKind;
  /** The client order id the report named. */
  readonly clientOrderId: ClientOrderId;
  /** The instrument the report named. */
  readonly instrumentId: InstrumentId;
  /** The venue's trade id, when the report was a fill. */
  readonly tradeId?: string;
  /** The code of the error the report was refused with, such as `VALIDATION`. */
  readonly errorCode: QtpErrorCode;
  /** A sentence naming the field, the rule and the value. */
  readonly message: string;
  /** When the order manager saw it, epoch milliseconds of its clock. */
  readonly timeMs: number;
}
