import { ValidationError } from '../errors.js';

/** Every {@link OrderSide}, in a fixed order; feed it to `z.enum`. */
export const ORDER_SIDES = ['BUY', 'SELL'] as const;

/** The side of an order or a fill: buying or selling the base asset. */
export type OrderSide = (typeof ORDER_SIDES)[number];

/** Every {@link OrderType}, in a fixed order; feed it to `z.enum`. */
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT', 'LIMIT_MAKER'] as const;

/**
 * How an order executes: `MARKET` at the best available prices; `LIMIT` at its price or better;
 * `STOP_MARKET` and `STOP_LIMIT` become a market or limit order once the market reaches the
 * trigger price; `LIMIT_MAKER` is a limit order the venue rejects rather than let it take
 * liquidity (post-only).
 */
export type OrderType = (typeof ORDER_TYPES)[number];

/** Every {@link TimeInForce}, in a fixed order; feed it to `z.enum`. */
export const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTD'] as const;

/**
 * How long an order stays working: `GTC` until canceled; `IOC` fills what it can at once and
 * cancels the rest; `FOK` fills completely at once or not at all; `GTD` until its expiry time.
 */
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** Every {@link OrderStatus}, in lifecycle order; feed it to `z.enum`. */
export const ORDER_STATUSES = [
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'TRIGGERED',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
] as const;

/**
 * Where an order is in its lifecycle. `FILLED`, `CANCELED`, `REJECTED` and `EXPIRED` are
 * terminal; the legal moves between statuses are listed in `ORDER_TRANSITIONS`.
 */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every {@link LiquiditySide}, in a fixed order; feed it to `z.enum`. */
export const LIQUIDITY_SIDES = ['MAKER', 'TAKER'] as const;

/** Whether a fill added liquidity to the book (`MAKER`) or took it (`TAKER`); fees differ. */
export type LiquiditySide = (typeof LIQUIDITY_SIDES)[number];

/** Returns `value` when it is a member of `values`, else throws a ValidationError naming `field`. */
export function checkMember<T extends string>(
  values: readonly T[],
  value: unknown,
  field: string,
): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new ValidationError(field, `be one of ${values.join(', ')}`, value);
  }
  return value as T;
}

/** Returns `value` when it is epoch milliseconds (a safe integer, 0 or more), else throws. */
export function checkTimeMs(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(field, 'be epoch milliseconds (an integer, 0 or more)', value);
  }
  // Adding 0 turns -0 into 0, so a journaled time never prints as "-0".
  return value + 0;
}
