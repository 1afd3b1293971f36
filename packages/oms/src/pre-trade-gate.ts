import type { Instrument, OrderRequest } from '@qtp/core';
import type { OrderView } from './order-view.js';

/** The verdict of a {@link PreTradeGate}: approved, or refused with a reason. */
export type PreTradeDecision =
  | {
      /** The request may be sent. */
      readonly approved: true;
    }
  | {
      /** The request is refused and becomes a REJECTED order. */
      readonly approved: false;
      /** Why, in words a strategy author reads: `notional 12000 USDT above the limit 10000`. */
      readonly reason: string;
    };

/** What the order manager tells a {@link PreTradeGate} besides the request itself. */
export interface PreTradeContext {
  /** The instrument traded, with its trading rules. */
  readonly instrument: Instrument;
  /** The clock time of the check, in epoch milliseconds. */
  readonly timeMs: number;
  /**
   * Every order of the manager that has not reached a terminal status, the one being checked
   * excluded: working exposure and order-rate limits count them.
   */
  readonly openOrders: readonly OrderView[];
}

/**
 * Approves or refuses an order request before it is journaled and sent. Synchronous, so a
 * submit inside a bar handler reaches the venue without waiting. The request it sees is final:
 * rounded to the instrument's rules and carrying its client order id. A gate that throws refuses
 * the request (the order manager fails closed).
 *
 * @example
 * ```ts
 * import type { PreTradeGate } from '@qtp/oms';
 * const maxNotional: PreTradeGate = {
 *   check(request) {
 *     const notional = request.price?.times(request.quantity);
 *     return notional !== undefined && notional.gt(10_000)
 *       ? { approved: false, reason: `notional ${notional} above the limit 10000` }
 *       : { approved: true };
 *   },
 * };
 * ```
 */
export interface PreTradeGate {
  /** Returns whether `request` may be sent, and why not when it may not. */
  check(request: OrderRequest, context: PreTradeContext): PreTradeDecision;
}

const APPROVED: PreTradeDecision = Object.freeze({ approved: true });

/** A {@link PreTradeGate} that approves every request: the order manager's default. */
export const approveAllGate: PreTradeGate = Object.freeze({
  check: (): PreTradeDecision => APPROVED,
});
