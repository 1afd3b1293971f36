import type { BalanceView } from '../balance-view.js';
import type { OrderDenial } from '../events/order-denied.js';
import type { Instrument } from '../instrument.js';
import type { PositionView } from '../position-view.js';
import type { Order } from './order.js';
import type { OrderRequest } from './order-request.js';

// The contract between the order manager and a pre-trade risk check. It lives in core because two
// siblings share it: @qtp/oms asks the gate, and a risk package implements it.

/**
 * A read-only view of an `Order` the order manager owns: its terms, status, fills and
 * derived figures, without the methods that move its state machine. The manager alone advances
 * the order, from the venue's reports, so the journal and the bus always agree with it.
 */
export type OrderView = Readonly<
  Pick<
    Order,
    | 'clientOrderId'
    | 'instrumentId'
    | 'side'
    | 'type'
    | 'timeInForce'
    | 'expireTimeMs'
    | 'quantity'
    | 'price'
    | 'triggerPrice'
    | 'reduceOnly'
    | 'tags'
    | 'createdTimeMs'
    | 'status'
    | 'venueOrderId'
    | 'rejectReason'
    | 'updatedTimeMs'
    | 'fills'
    | 'filledQuantity'
    | 'remainingQuantity'
    | 'averageFillPrice'
    | 'fees'
    | 'isTerminal'
    | 'isOpen'
    | 'toRequest'
    | 'toSnapshot'
  >
>;

/**
 * Why a {@link PreTradeGate} refused a request: an {@link OrderDenial} without its source, which
 * the order manager sets to `gate`. Limits and values are decimal strings.
 */
export type PreTradeRefusal = Omit<OrderDenial, 'source'>;

/** The verdict of a {@link PreTradeGate}: approved, or refused with a typed reason. */
export type PreTradeDecision =
  | {
      /** The request may be sent. */
      readonly approved: true;
    }
  | {
      /** The request is refused and published as `order.denied`. */
      readonly approved: false;
      /**
       * Why: a {@link PreTradeRefusal} such as `{ code: 'MAX_NOTIONAL', message: 'notional 12000
       * USDT above the limit 10000', field: 'maxNotional', configured: '10000', attempted:
       * '12000' }`, or a bare sentence, which the order manager reports with code `GATE_REFUSED`.
       */
      readonly reason: PreTradeRefusal | string;
    };

/** What the order manager tells a {@link PreTradeGate} besides the request itself. */
export interface PreTradeContext {
  /** The instrument traded, with its trading rules. */
  readonly instrument: Instrument;
  /** The clock time of the check, in epoch milliseconds. */
  readonly timeMs: number;
  /**
   * Every order of the manager that has not reached a terminal status, the one being checked
   * excluded: working exposure and order-rate limits count them, each with its
   * `remainingQuantity`.
   */
  readonly openOrders: readonly OrderView[];
  /** The positions held, when the order manager was given a `PositionView`. */
  readonly positions?: PositionView;
  /** The account's balances, when the order manager was given a `BalanceView`. */
  readonly balances?: BalanceView;
}

/**
 * Approves or refuses an order request before it is journaled and sent. Synchronous, so a
 * submit inside a bar handler reaches the venue without waiting. The request it sees is final:
 * rounded to the instrument's rules and carrying its client order id. A gate that throws refuses
 * the request (the order manager fails closed).
 *
 * @example
 * ```ts
 * import type { PreTradeGate } from '@qtp/core';
 * const maxNotional: PreTradeGate = {
 *   check(request) {
 *     const notional = request.price?.times(request.quantity);
 *     if (notional === undefined || notional.lte(10_000)) return { approved: true };
 *     return {
 *       approved: false,
 *       reason: {
 *         code: 'MAX_NOTIONAL',
 *         message: `notional ${notional} above the limit 10000`,
 *         field: 'maxNotional',
 *         configured: '10000',
 *         attempted: notional.toString(),
 *       },
 *     };
 *   },
 * };
 * ```
 */
export interface PreTradeGate {
  /** Returns whether `request` may be sent, and why not when it may not. */
  check(request: OrderRequest, context: PreTradeContext): PreTradeDecision;
}
