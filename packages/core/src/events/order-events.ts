import type { Decimal } from '../decimal.js';
import type { ClientOrderId, InstrumentId } from '../identifiers.js';
import type { Fill } from '../orders/fill.js';
import type { OrderStatus } from '../orders/order-types.js';
import type { OrderAnomalyEvent } from './order-anomaly.js';
import type { OrderDeniedEvent } from './order-denied.js';

/**
 * The fields every order status event carries: what changed, as a delta, not the whole order.
 * A subscriber that wants the order asks the order manager (`getOrder(clientOrderId)`).
 */
export interface OrderEventFields {
  /** The client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** The order's status after the change. */
  readonly status: OrderStatus;
  /** Whether the order's fate at the venue is unknown (a placement whose outcome was lost). */
  readonly stateUnknown: boolean;
  /** The order's labels, such as the strategy's name. */
  readonly tags: readonly string[];
  /** The quantity filled so far, in the base asset. */
  readonly filledQuantity: Decimal;
  /** The quantity still open, in the base asset: zero once the order is terminal or filled. */
  readonly leavesQuantity: Decimal;
  /** The average fill price, absent before the first fill. */
  readonly averageFillPrice?: Decimal;
  /** The venue's order id, once the venue acknowledged the order. */
  readonly venueOrderId?: string;
  /** When the order manager saw the change, in epoch milliseconds of its clock. */
  readonly timeMs: number;
}

/** The topics of the status changes that need no field beyond {@link OrderEventFields}. */
export type OrderStatusTopic =
  | 'order.submitted'
  | 'order.accepted'
  | 'order.triggered'
  | 'order.partiallyFilled'
  | 'order.filled'
  | 'order.pendingCancel'
  | 'order.canceled'
  | 'order.expired';

/** Every {@link OrderStatusTopic}, in a stable order. */
export const ORDER_STATUS_TOPICS: readonly OrderStatusTopic[] = Object.freeze([
  'order.submitted',
  'order.accepted',
  'order.triggered',
  'order.partiallyFilled',
  'order.filled',
  'order.pendingCancel',
  'order.canceled',
  'order.expired',
]);

/** An order moved to the status its `type` names. */
export interface OrderStatusEvent<Type extends OrderStatusTopic = OrderStatusTopic>
  extends OrderEventFields {
  /** The topic, such as `order.accepted`. */
  readonly type: Type;
}

/** The venue refused an order, or a lookup found it unknown to the venue. */
export interface OrderRejectedEvent extends OrderEventFields {
  /** Always `order.rejected`. */
  readonly type: 'order.rejected';
  /** Why. */
  readonly reason: string;
}

/**
 * An order's placement has an unknown outcome: it may or may not have reached the venue. It is
 * never sent again; the order manager looks it up by client order id until it knows.
 */
export interface OrderStateUnknownEvent extends OrderEventFields {
  /** Always `order.stateUnknown`. */
  readonly type: 'order.stateUnknown';
  /** What made the outcome unknown, such as the gateway's timeout message. */
  readonly reason: string;
}

/** The venue refused a cancel, or never carried it out; the order is back in its working status. */
export interface OrderCancelRejectedEvent extends OrderEventFields {
  /** Always `order.cancelRejected`. */
  readonly type: 'order.cancelRejected';
  /** Why, from the gateway's error or the cancel timeout. */
  readonly reason: string;
}

/** A fill was booked on an order; the status event that follows says where that left it. */
export interface OrderFillEvent extends OrderEventFields {
  /** Always `order.fill`. */
  readonly type: 'order.fill';
  /** The fill, booked once per trade id. */
  readonly fill: Fill;
}

/**
 * The topics of the order events, with their payloads: every status change of an order, each
 * fill, an unknown placement outcome, a refused cancel, a request denied before it was sent and
 * a venue report that could not be applied. Payloads are frozen plain objects whose `type` is
 * their topic.
 *
 * @example
 * ```ts
 * import { EventBus, type OrderEvents } from '@qtp/core';
 * const bus = new EventBus<OrderEvents>();
 * bus.subscribe('order.fill', (event) => console.log(event.fill.tradeId, event.leavesQuantity));
 * ```
 */
export interface OrderEvents {
  /** The order was handed to the gateway. */
  'order.submitted': OrderStatusEvent<'order.submitted'>;
  /** The venue acknowledged the order. */
  'order.accepted': OrderStatusEvent<'order.accepted'>;
  /** A stop order's trigger price was reached. */
  'order.triggered': OrderStatusEvent<'order.triggered'>;
  /** A fill left quantity open. */
  'order.partiallyFilled': OrderStatusEvent<'order.partiallyFilled'>;
  /** A fill completed the order. */
  'order.filled': OrderStatusEvent<'order.filled'>;
  /** A cancel was sent and awaits the venue's answer. */
  'order.pendingCancel': OrderStatusEvent<'order.pendingCancel'>;
  /** The order was canceled, at the venue or before it was sent. */
  'order.canceled': OrderStatusEvent<'order.canceled'>;
  /** The order lapsed: a GTD expiry or an IOC or FOK remainder. */
  'order.expired': OrderStatusEvent<'order.expired'>;
  /** The venue refused the order. */
  'order.rejected': OrderRejectedEvent;
  /** The placement's outcome is unknown. */
  'order.stateUnknown': OrderStateUnknownEvent;
  /** A cancel was refused. */
  'order.cancelRejected': OrderCancelRejectedEvent;
  /** A fill was booked. */
  'order.fill': OrderFillEvent;
  /** A request was refused before it was sent: by the instrument's rules or the pre-trade gate. */
  'order.denied': OrderDeniedEvent;
  /** A venue report was refused or matched no order; nothing was booked from it. */
  'order.anomaly': OrderAnomalyEvent;
}

/**
 * Any order event: one discriminated union on `type`, the payload of one {@link OrderEvents}
 * topic.
 *
 * @example
 * ```ts
 * import type { OrderEvent } from '@qtp/core';
 * function describe(event: OrderEvent): string {
 *   switch (event.type) {
 *     case 'order.fill': return `fill ${event.fill.tradeId}`;
 *     case 'order.denied': return `denied: ${event.denial.message}`;
 *     case 'order.anomaly': return `anomaly ${event.kind}`;
 *     default: return `${event.type} ${event.status}`;
 *   }
 * }
 * ```
 */
export type OrderEvent = OrderEvents[keyof OrderEvents];
