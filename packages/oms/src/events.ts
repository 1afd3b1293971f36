import {
  Decimal,
  type Order,
  type OrderEventFields,
  type OrderEvents,
  type OrderStatus,
  type OrderStatusTopic,
} from '@qtp/core';

// What a terminal order leaves open; Decimals are immutable, so one serves every event.
const ZERO = new Decimal(0);

/**
 * The topics the order manager publishes, with their payloads: the one order event union of
 * `@qtp/core` (`OrderEvents`), under the name this package has always used.
 *
 * @example
 * ```ts
 * import { EventBus } from '@qtp/core';
 * import type { OmsEvents } from '@qtp/oms';
 * const bus = new EventBus<OmsEvents>();
 * bus.subscribe('order.filled', (event) => console.log(event.clientOrderId, event.averageFillPrice));
 * ```
 */
export type OmsEvents = OrderEvents;

/** The topic of each status whose change has an `OrderStatusEvent` of its own. */
const STATUS_TOPICS: Readonly<Partial<Record<OrderStatus, OrderStatusTopic>>> = Object.freeze({
  SUBMITTED: 'order.submitted',
  ACCEPTED: 'order.accepted',
  TRIGGERED: 'order.triggered',
  PARTIALLY_FILLED: 'order.partiallyFilled',
  FILLED: 'order.filled',
  PENDING_CANCEL: 'order.pendingCancel',
  CANCELED: 'order.canceled',
  EXPIRED: 'order.expired',
});

/** Returns the topic announcing a move to `status`, or `undefined` for REJECTED and INITIALIZED. */
export function statusTopic(status: OrderStatus): OrderStatusTopic | undefined {
  return STATUS_TOPICS[status];
}

/**
 * Returns the fields every event about `order` carries: the change as a delta, not a snapshot
 * of the order, which would cost a deep copy per event.
 */
export function orderEventFields(
  order: Order,
  stateUnknown: boolean,
  timeMs: number,
): OrderEventFields {
  const { type: _type, ...fields } = orderEvent('', order, stateUnknown, timeMs);
  return fields;
}

/**
 * Returns an event of `type` about `order` with the fields of {@link orderEventFields}, built
 * as one object: spreading the fields into the event cost a copy per event.
 */
export function orderEvent<T extends string>(
  type: T,
  order: Order,
  stateUnknown: boolean,
  timeMs: number,
): OrderEventFields & { type: T } {
  const event: { -readonly [K in keyof OrderEventFields]: OrderEventFields[K] } & { type: T } = {
    type,
    clientOrderId: order.clientOrderId,
    instrumentId: order.instrumentId,
    status: order.status,
    stateUnknown,
    tags: order.tags,
    filledQuantity: order.filledQuantity,
    leavesQuantity: order.isTerminal ? ZERO : order.remainingQuantity,
    timeMs,
  };
  const average = order.averageFillPrice;
  if (average !== undefined) event.averageFillPrice = average;
  const venueOrderId = order.venueOrderId;
  if (venueOrderId !== undefined) event.venueOrderId = venueOrderId;
  return event;
}
