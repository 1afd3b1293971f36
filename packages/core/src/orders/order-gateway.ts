import type { EventEmitter } from 'eventemitter3';
import type { Decimal } from '../decimal.js';
import type { ClientOrderId, InstrumentId } from '../identifiers.js';
import type { Fill } from './fill.js';
import type { OrderRequest } from './order-request.js';
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from './order-types.js';

/**
 * Names an order at a venue: its instrument plus the client order id, the venue's order id, or
 * both. The type demands at least one of the two ids.
 */
export type OrderRef =
  | {
      /** The instrument the order trades. */
      readonly instrumentId: InstrumentId;
      /** The client order id. */
      readonly clientOrderId: ClientOrderId;
      /** The venue's order id, when known. */
      readonly venueOrderId?: string;
    }
  | {
      /** The instrument the order trades. */
      readonly instrumentId: InstrumentId;
      /** The client order id, when known. */
      readonly clientOrderId?: ClientOrderId;
      /** The venue's order id. */
      readonly venueOrderId: string;
    };

/** The venue's answer to a placement: the order reached it and got an id. */
export interface OrderAck {
  /** The instrument the order trades. */
  readonly instrumentId: InstrumentId;
  /** The client order id the order was placed with. */
  readonly clientOrderId: ClientOrderId;
  /** The id the venue gave the order. */
  readonly venueOrderId: string;
  /** The status the venue reported with the acknowledgement (ACCEPTED, or FILLED for a market order that filled at once). */
  readonly status: OrderStatus;
  /** When the venue acknowledged the order, in epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * What the venue knows of an order: its status and how much of it filled. A lookup
 * (`fetchOrder`, an exchange's `fetchOpenOrders`) also carries the order's terms (side, type,
 * quantity, prices, time in force) when the venue tells them, so an order placed elsewhere can
 * be adopted; a stream report may leave them out.
 */
export interface OrderReport {
  /** The instrument the order trades. */
  readonly instrumentId: InstrumentId;
  /** The client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's order id. */
  readonly venueOrderId: string;
  /** The status at the venue. */
  readonly status: OrderStatus;
  /** The quantity filled so far, in the base asset. */
  readonly filledQuantity: Decimal;
  /** The average fill price, absent before the first fill. */
  readonly averageFillPrice?: Decimal;
  /** Why the venue rejected the order, when it did. */
  readonly rejectReason?: string;
  /** When the venue last changed the order, in epoch milliseconds. */
  readonly timeMs: number;
  /** Buy or sell, when the venue reports the order's terms. */
  readonly side?: OrderSide;
  /** How the order executes, when the venue reports the order's terms. */
  readonly type?: OrderType;
  /** The order's whole quantity in the base asset, when the venue reports the order's terms. */
  readonly quantity?: Decimal;
  /** The limit price of a limit order, when the venue reports the order's terms. */
  readonly price?: Decimal;
  /** The trigger price of a stop order, when the venue reports the order's terms. */
  readonly triggerPrice?: Decimal;
  /** How long the order stays working, when the venue reports the order's terms. */
  readonly timeInForce?: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds, when the venue reports it. */
  readonly expireTimeMs?: number;
}

/** Emitted when the venue reports a change of an order's status. */
export interface ExecutionOrderUpdateEvent {
  /** Always `orderUpdate`. */
  readonly type: 'orderUpdate';
  /** The order as the venue now reports it. */
  readonly report: OrderReport;
}

/** Emitted when the venue reports a fill. */
export interface ExecutionFillEvent {
  /** Always `fill`. */
  readonly type: 'fill';
  /** The fill; the same trade id may arrive more than once and is booked once. */
  readonly fill: Fill;
}

/** The events an {@link OrderGateway} emits on its `executions` emitter, by name. */
export interface ExecutionEvents {
  /** An order's status changed at the venue. */
  orderUpdate: [event: ExecutionOrderUpdateEvent];
  /** An order was (partly) filled at the venue. */
  fill: [event: ExecutionFillEvent];
}

/**
 * The narrow contract the OMS needs from a venue: place, cancel and look up orders, and hear of
 * their fate. `Exchange` extends it with market data and account access; a simulated venue and
 * a real adapter both implement it.
 *
 * Placement is never retried blindly: when a placement times out or the connection drops after
 * sending, `placeOrder` rejects with `OrderStateUnknownError` and the OMS resolves the order with
 * `fetchOrder` by its client order id instead of sending it again.
 *
 * @example
 * ```ts
 * import type { OrderGateway, OrderRequest } from '@qtp/core';
 * async function place(gateway: OrderGateway, request: OrderRequest) {
 *   gateway.executions.on('fill', (event) => console.log(event.fill.tradeId));
 *   const ack = await gateway.placeOrder(request);
 *   const ref = { instrumentId: ack.instrumentId, clientOrderId: ack.clientOrderId };
 *   const report = await gateway.fetchOrder(ref);
 *   const fills = await gateway.fetchOrderFills(ref);
 *   return { report, fills };
 * }
 * ```
 */
export interface OrderGateway {
  /**
   * Sends an order to the venue; the request carries its client order id.
   * @throws `InvalidOrderError`, `InsufficientFundsError` or `UnknownSymbolError` when the venue refuses it
   * @throws `OrderStateUnknownError` when the outcome is unknown (a timeout after sending): look it up, never resend
   * @throws `NetworkError`, `RateLimitError` or `ExchangeUnavailableError` when it certainly did not reach the venue
   */
  placeOrder(request: OrderRequest): Promise<OrderAck>;
  /**
   * Asks the venue to cancel an order; the outcome arrives as an `orderUpdate`.
   * @throws `OrderNotFoundError` when the venue does not know the order or it is no longer open
   */
  cancelOrder(ref: OrderRef): Promise<void>;
  /**
   * Returns what the venue knows of an order.
   * @throws `OrderNotFoundError` when the venue does not know the order
   */
  fetchOrder(ref: OrderRef): Promise<OrderReport>;
  /**
   * Returns every fill the venue booked on an order, oldest first, each with the venue's trade
   * id. The OMS books fills only by trade id, so a lookup that finds fills missing locally asks
   * for them here rather than inventing one from the reported average price.
   * @throws `OrderNotFoundError` when the venue does not know the order
   */
  fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]>;
  /** Emits an `orderUpdate` for every status change and a `fill` for every fill the venue reports. */
  readonly executions: EventEmitter<ExecutionEvents>;
}
