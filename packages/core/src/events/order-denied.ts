import type { ClientOrderId, InstrumentId } from '../identifiers.js';
import type { OrderRequest } from '../orders/order-request.js';

/** Who refused an order before it reached a venue. */
export type OrderDenialSource = 'rules' | 'gate' | 'engine';

/**
 * Why an order was refused before it left: the instrument's rules (lot size, tick, minimum
 * notional), the pre-trade gate (a risk limit or trading state) or the engine (not running, an
 * unknown instrument). Limits and values are decimal strings so the reason survives JSON.
 */
export interface OrderDenial {
  /** Who refused it. */
  readonly source: OrderDenialSource;
  /** A stable code, such as `INVALID_ORDER`, `MAX_NOTIONAL` or `HALTED`. */
  readonly code: string;
  /** A sentence naming the field or limit, the rule and the value. */
  readonly message: string;
  /** The field or limit concerned, such as `quantity` or `maxNotional`. */
  readonly field?: string;
  /** The limit's configured value, when a limit refused the order. */
  readonly configured?: string;
  /** The value the order would have reached, when a limit refused the order. */
  readonly attempted?: string;
}

/**
 * Published on `order.denied` when an order is refused before it is sent; the strategy that asked
 * hears it (`onOrderDenied`), and `submit` returns normally.
 */
export interface OrderDeniedEvent {
  /** Always `order.denied`. */
  readonly type: 'order.denied';
  /** The client order id the order was given (or would have had). */
  readonly clientOrderId: ClientOrderId;
  /** The instrument of the request. */
  readonly instrumentId: InstrumentId;
  /** The request's labels, such as the strategy's name. */
  readonly tags: readonly string[];
  /** The request as made. */
  readonly request: OrderRequest;
  /** Why it was refused. */
  readonly denial: OrderDenial;
  /** When, epoch milliseconds of the clock. */
  readonly timeMs: number;
}
