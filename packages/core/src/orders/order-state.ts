import type { OrderStatus } from './order-types.js';

/**
 * The order state machine: for each status, the statuses an order may move to next. Any move
 * not listed is illegal. Why each edge exists:
 *
 * | from | to | why |
 * |---|---|---|
 * | INITIALIZED | SUBMITTED | the OMS sent the order to the venue |
 * | INITIALIZED | REJECTED | risk or validation refused it before it was sent |
 * | INITIALIZED | CANCELED | the strategy withdrew it before it was sent |
 * | SUBMITTED | ACCEPTED | the venue acknowledged it as working |
 * | SUBMITTED | REJECTED | the venue refused it (funds, filters, post-only would cross) |
 * | SUBMITTED | CANCELED | the venue canceled it at once (self-trade prevention, no liquidity) |
 * | SUBMITTED | EXPIRED | an IOC or FOK order found nothing to fill and lapsed at once |
 * | SUBMITTED | PARTIALLY_FILLED, FILLED | a fill arrived before, or instead of, the acknowledgement |
 * | ACCEPTED | TRIGGERED | the market reached a stop order's trigger price |
 * | ACCEPTED | PARTIALLY_FILLED, FILLED | a fill; venues that do not report triggers fill stops here |
 * | ACCEPTED | PENDING_CANCEL | a cancel was sent and is awaiting its answer |
 * | ACCEPTED | CANCELED | the venue canceled it without being asked (or a cancel's answer raced) |
 * | ACCEPTED | EXPIRED | a GTD order reached its expiry time |
 * | TRIGGERED | REJECTED | the order released at the trigger was refused (margin, post-only) |
 * | TRIGGERED | PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELED, EXPIRED | as from ACCEPTED |
 * | PARTIALLY_FILLED | PARTIALLY_FILLED | another fill that leaves quantity open |
 * | PARTIALLY_FILLED | FILLED | the fill that completes it |
 * | PARTIALLY_FILLED | PENDING_CANCEL, CANCELED, EXPIRED | the rest is canceled or lapses; fills stay booked |
 * | PENDING_CANCEL | PENDING_CANCEL | a fill raced the cancel and left quantity open; the cancel is still pending |
 * | PENDING_CANCEL | FILLED | a fill raced the cancel and completed the order |
 * | PENDING_CANCEL | CANCELED | the cancel succeeded |
 * | PENDING_CANCEL | EXPIRED | the order lapsed before the cancel arrived |
 * | PENDING_CANCEL | ACCEPTED, TRIGGERED, PARTIALLY_FILLED | the cancel was refused; the order returns to where it was, or to PARTIALLY_FILLED when fills came meanwhile |
 *
 * FILLED, CANCELED, REJECTED and EXPIRED are terminal: nothing leaves them. A cancel cannot be
 * requested while the order is only SUBMITTED, because the venue may not know it yet; the OMS
 * waits for the acknowledgement or looks the order up by its client order id.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> =
  Object.freeze({
    INITIALIZED: Object.freeze(['SUBMITTED', 'REJECTED', 'CANCELED'] as const),
    SUBMITTED: Object.freeze([
      'ACCEPTED',
      'REJECTED',
      'CANCELED',
      'EXPIRED',
      'PARTIALLY_FILLED',
      'FILLED',
    ] as const),
    ACCEPTED: Object.freeze([
      'TRIGGERED',
      'PARTIALLY_FILLED',
      'FILLED',
      'PENDING_CANCEL',
      'CANCELED',
      'EXPIRED',
    ] as const),
    TRIGGERED: Object.freeze([
      'REJECTED',
      'PARTIALLY_FILLED',
      'FILLED',
      'PENDING_CANCEL',
      'CANCELED',
      'EXPIRED',
    ] as const),
    PARTIALLY_FILLED: Object.freeze([
      'PARTIALLY_FILLED',
      'FILLED',
      'PENDING_CANCEL',
      'CANCELED',
      'EXPIRED',
    ] as const),
    PENDING_CANCEL: Object.freeze([
      'PENDING_CANCEL',
      'FILLED',
      'CANCELED',
      'EXPIRED',
      'ACCEPTED',
      'TRIGGERED',
      'PARTIALLY_FILLED',
    ] as const),
    FILLED: Object.freeze([] as const),
    CANCELED: Object.freeze([] as const),
    REJECTED: Object.freeze([] as const),
    EXPIRED: Object.freeze([] as const),
  });

/** The statuses an order never leaves. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze([
  'FILLED',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
] as const);

// The same table as sets, read on every change of every order.
const ALLOWED: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(ORDER_TRANSITIONS).map(([from, to]) => [from, new Set<string>(to)]),
);

/**
 * Returns true when the state machine allows an order in `from` to move to `to`.
 *
 * @example
 * ```ts
 * import { canTransition } from '@qtp/core';
 * canTransition('ACCEPTED', 'PENDING_CANCEL'); // true
 * canTransition('FILLED', 'CANCELED'); // false
 * ```
 */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED.get(from)?.has(to) ?? false;
}

/** Returns true when `status` is terminal: FILLED, CANCELED, REJECTED or EXPIRED. */
export function isTerminalOrderStatus(status: OrderStatus): boolean {
  // Compared in place: every read of `Order.isTerminal` comes here.
  return (
    status === 'FILLED' || status === 'CANCELED' || status === 'REJECTED' || status === 'EXPIRED'
  );
}

/**
 * Returns true when an order in `status` may be working at the venue: it was sent and has not
 * reached a terminal status.
 */
export function isOpenOrderStatus(status: OrderStatus): boolean {
  return status !== 'INITIALIZED' && !isTerminalOrderStatus(status);
}
