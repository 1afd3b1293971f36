import { Decimal, type InstrumentId, type OrderSide, ValidationError } from '@qtp/core';

/** One level of a venue's visible book. */
export interface RouteLevel {
  /** The price, quote units. */
  readonly price: Decimal;
  /** The size shown, base units. */
  readonly size: Decimal;
}

/** What the router knows of one venue for the instrument routed. */
export interface RouteVenue {
  /** The venue's instrument id, such as `BTCUSDT.BINANCE`. */
  readonly instrumentId: InstrumentId;
  /** The side of its book the order would take: asks for a buy, bids for a sell, best first. */
  readonly levels: readonly RouteLevel[];
  /** The taker fee rate, as a fraction (0.001 is 0.1 %). */
  readonly takerFee: Decimal;
  /** Whether the venue is healthy (its feed is fresh and it answers). */
  readonly healthy: boolean;
  /** Whether a circuit breaker on its order endpoints is open. */
  readonly breakerOpen: boolean;
  /** The venue's lot size; a slice is rounded down to it. */
  readonly sizeIncrement: Decimal;
}

/** One child of a routed order. */
export interface RouteSlice {
  /** Where it goes. */
  readonly instrumentId: InstrumentId;
  /** How much. */
  readonly quantity: Decimal;
  /** The worst price it takes on that venue: the limit to send it with. */
  readonly limitPrice: Decimal;
  /** Its average price on that venue's visible book, before fees. */
  readonly averagePrice: Decimal;
}

/** A route: the slices, and what the visible books could not take. */
export interface RoutePlan {
  /** The slices, one per venue used, best venue first. */
  readonly slices: readonly RouteSlice[];
  /** The part no eligible venue's visible book could take. */
  readonly unrouted: Decimal;
  /** Venues left out, each with why. */
  readonly skipped: readonly { readonly instrumentId: InstrumentId; readonly reason: string }[];
}

/**
 * Splits an order across venues by price after fees: it walks the levels of every eligible
 * venue's visible book together, best effective price first (a buy's price times one plus the
 * fee, a sell's times one minus it), and takes each level's size until the quantity is done.
 * A venue that is unhealthy or whose breaker is open gets nothing. Re-route the rest of a
 * refused slice by calling it again without that venue.
 *
 * @throws `ValidationError` naming `quantity` when it is not above 0
 * @example
 * ```ts
 * import { routeOrder } from '@qtp/oms';
 * const plan = routeOrder('BUY', new Decimal('2'), [binance, other]);
 * for (const slice of plan.slices) oms.submit({ ...slice, side: 'BUY', type: 'LIMIT', price: slice.limitPrice, timeInForce: 'IOC' });
 * ```
 */
export function routeOrder(
  side: OrderSide,
  quantity: Decimal,
  venues: readonly RouteVenue[],
): RoutePlan {
  if (!quantity.gt(0))
    throw new ValidationError('quantity', 'be greater than 0', quantity.toString());
  const skipped: { instrumentId: InstrumentId; reason: string }[] = [];
  const candidates: { venue: RouteVenue; level: RouteLevel; effective: Decimal; rank: number }[] =
    [];
  venues.forEach((venue, rank) => {
    if (venue.breakerOpen) {
      skipped.push({ instrumentId: venue.instrumentId, reason: 'its breaker is open' });
      return;
    }
    if (!venue.healthy) {
      skipped.push({ instrumentId: venue.instrumentId, reason: 'it is not healthy' });
      return;
    }
    const factor = side === 'BUY' ? venue.takerFee.plus(1) : new Decimal(1).minus(venue.takerFee);
    for (const level of venue.levels) {
      if (level.size.lte(0)) continue;
      candidates.push({ venue, level, effective: level.price.times(factor), rank });
    }
  });
  // Best effective price first; a tie goes to the venue listed first, then its better level.
  candidates.sort((a, b) => {
    const order = side === 'BUY' ? a.effective.cmp(b.effective) : b.effective.cmp(a.effective);
    return order !== 0 ? order : a.rank - b.rank;
  });
  const taken = new Map<InstrumentId, { quantity: Decimal; notional: Decimal; worst: Decimal }>();
  let left = quantity;
  for (const { venue, level } of candidates) {
    if (left.lte(0)) break;
    const sofar = taken.get(venue.instrumentId);
    const already = sofar?.quantity ?? new Decimal(0);
    // Round the venue's running total, not each level, so lots are whole on the venue.
    const wanted = Decimal.min(left, level.size).plus(already);
    const total = wanted.div(venue.sizeIncrement).floor().times(venue.sizeIncrement);
    const add = total.minus(already);
    if (add.lte(0)) continue;
    taken.set(venue.instrumentId, {
      quantity: total,
      notional: (sofar?.notional ?? new Decimal(0)).plus(add.times(level.price)),
      worst: level.price,
    });
    left = left.minus(add);
  }
  const slices: RouteSlice[] = [];
  for (const [instrumentId, entry] of taken) {
    slices.push({
      instrumentId,
      quantity: entry.quantity,
      limitPrice: entry.worst,
      averagePrice: entry.notional.div(entry.quantity),
    });
  }
  return { slices, unrouted: left, skipped };
}
