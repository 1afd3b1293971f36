import type {
  ClientOrderId,
  Fill,
  InstrumentId,
  Order,
  OrderAnomalyEvent,
  OrderDeniedEvent,
  OrderSnapshot,
  OrderStatus,
} from '@qtp/core';

/** The fields every order event carries. */
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
  /** The whole order after the change, decimals as strings, frozen. */
  readonly order: OrderSnapshot;
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

/** An order moved to the status its `type` names. */
export interface OrderStatusEvent<Type extends OrderStatusTopic = OrderStatusTopic>
  extends OrderEventFields {
  /** The topic, such as `order.accepted`. */
  readonly type: Type;
}

/** An order was refused: by the pre-trade gate, by the venue, or found unknown to the venue. */
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

/** The venue refused a cancel; the order is back in the status it had before. */
export interface OrderCancelRejectedEvent extends OrderEventFields {
  /** Always `order.cancelRejected`. */
  readonly type: 'order.cancelRejected';
  /** Why, from the gateway's error. */
  readonly reason: string;
}

/** A fill was booked on an order; the status event that follows says where that left it. */
export interface OrderFillEvent extends OrderEventFields {
  /** Always `order.fill`. */
  readonly type: 'order.fill';
  /** The fill, once per trade id. */
  readonly fill: Fill;
}

/**
 * The topics the order manager publishes, with their payloads: every status change of every
 * order it manages, each fill, an unknown placement outcome, a refused cancel, a request denied
 * before it was sent and a venue report it could not apply. Payloads are
 * frozen plain objects whose `type` is their topic.
 *
 * @example
 * ```ts
 * import { EventBus } from '@qtp/core';
 * import type { OmsEvents } from '@qtp/oms';
 * const bus = new EventBus<OmsEvents>();
 * bus.subscribe('order.*', (event) => console.log(event.type, event.clientOrderId, event.status));
 * ```
 */
export interface OmsEvents {
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
  /** The order was refused. */
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

/** The topic of each status whose change has an {@link OrderStatusEvent} of its own. */
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

// Deep-frozen, so a subscriber cannot change what another one (or the journal) sees.
function frozenSnapshot(order: Order): OrderSnapshot {
  const snapshot = order.toSnapshot();
  for (const fill of snapshot.fills) {
    Object.freeze(fill.fee);
    Object.freeze(fill);
  }
  Object.freeze(snapshot.fills);
  Object.freeze(snapshot.tags);
  return Object.freeze(snapshot);
}

/** Returns the fields every event about `order` carries. */
export function orderEventFields(
  order: Order,
  stateUnknown: boolean,
  timeMs: number,
): OrderEventFields {
  return {
    clientOrderId: order.clientOrderId,
    instrumentId: order.instrumentId,
    status: order.status,
    stateUnknown,
    tags: order.tags,
    order: frozenSnapshot(order),
    timeMs,
  };
}
