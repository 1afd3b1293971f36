import type { InstrumentId, OrderView, PreTradeRefusal } from '@qtp/core';
import type { LimitSet } from './risk-config.js';

// Limits are compared on numbers; a value within one part in 10^12 of a limit counts as at the
// limit, so that binary rounding of decimal inputs never refuses an order sitting exactly on it.
const TOLERANCE = 1e-12;

/** Returns whether `value` is above `limit`, allowing for binary rounding. */
export function above(value: number, limit: number): boolean {
  return value > limit * (1 + TOLERANCE);
}

/** Returns a number as a short decimal string: at most 12 significant digits. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : String(value);
}

/** Builds a refusal naming the limit, its configured value and the value the order reached. */
export function refusal(
  code: string,
  field: string,
  configured: number | string,
  attempted: number | string,
  what: string,
): PreTradeRefusal {
  const limit = typeof configured === 'number' ? formatNumber(configured) : configured;
  const value = typeof attempted === 'number' ? formatNumber(attempted) : attempted;
  return Object.freeze({
    code,
    message: `${field}: ${what} ${value} is above the limit ${limit}`,
    field,
    configured: limit,
    attempted: value,
  });
}

/** What one order brings to the checks, on numbers. */
export interface CandidateOrder {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** +1 for a buy, -1 for a sell. */
  readonly sign: 1 | -1;
  /** The quantity. */
  readonly quantity: number;
  /** The price it is valued at: its limit price, else the mark, else its trigger; NaN if none. */
  readonly price: number;
  /** The limit price, NaN for an order without one. */
  readonly limitPrice: number;
  /** The last price or mid of the instrument, NaN when none has been seen. */
  readonly mark: number;
  /** The time of the check, epoch milliseconds. */
  readonly timeMs: number;
}

/** One scope's working state: its positions, the open orders it counts and how to price them. */
export interface ScopeBook {
  /** The name limits are reported under: `account`, `strategy:<id>`, `instrument:<id>`. */
  readonly name: string;
  /** The signed positions of the scope, on numbers. */
  positions(): ReadonlyMap<InstrumentId, number>;
  /** Whether an open order counts against the scope. */
  counts(order: OrderView): boolean;
  /** Returns the last price or mid of an instrument, NaN when none has been seen. */
  markOf(instrumentId: InstrumentId): number;
  /** The account's equity, for leverage. */
  equity(): number;
}

interface Working {
  position: number;
  buys: number;
  sells: number;
  price: number;
}

const EXPOSURE_LIMITS = ['maxPosition', 'maxGrossExposure', 'maxNetExposure', 'maxLeverage'];

function needsExposure(limits: LimitSet): boolean {
  for (const name of EXPOSURE_LIMITS) if (limits[name as keyof LimitSet] !== undefined) return true;
  return false;
}

function workingOf(
  book: ScopeBook,
  order: CandidateOrder,
  openOrders: readonly OrderView[],
): Map<InstrumentId, Working> {
  const working = new Map<InstrumentId, Working>();
  const slot = (id: InstrumentId): Working => {
    let entry = working.get(id);
    if (entry === undefined) {
      entry = { position: 0, buys: 0, sells: 0, price: book.markOf(id) };
      working.set(id, entry);
    }
    return entry;
  };
  for (const [id, quantity] of book.positions()) if (quantity !== 0) slot(id).position = quantity;
  for (const open of openOrders) {
    if (!book.counts(open)) continue;
    const entry = slot(open.instrumentId);
    const remaining = open.remainingQuantity.toNumber();
    if (open.side === 'BUY') entry.buys += remaining;
    else entry.sells += remaining;
    if (Number.isNaN(entry.price) && open.price !== undefined) entry.price = open.price.toNumber();
  }
  const own = slot(order.instrumentId);
  if (order.sign === 1) own.buys += order.quantity;
  else own.sells += order.quantity;
  if (Number.isNaN(own.price)) own.price = order.price;
  return working;
}

/**
 * Checks one order against one scope's limits, the order-rate throttle aside; returns the first
 * limit it breaks, or `undefined`. Exposure limits count the scope's positions and every open
 * order of the scope as if it filled in full, the worst case on each side: an order that would
 * breach once its siblings fill is refused.
 */
export function checkLimits(
  limits: LimitSet,
  book: ScopeBook,
  order: CandidateOrder,
  openOrders: readonly OrderView[],
): PreTradeRefusal | undefined {
  const name = book.name;
  if (limits.maxOrderQuantity !== undefined && above(order.quantity, limits.maxOrderQuantity)) {
    return refusal(
      'MAX_ORDER_QUANTITY',
      `${name}.maxOrderQuantity`,
      limits.maxOrderQuantity,
      order.quantity,
      'order quantity',
    );
  }
  if (limits.maxOrderNotional !== undefined) {
    if (Number.isNaN(order.price)) return noPrice(`${name}.maxOrderNotional`, order);
    const notional = order.quantity * order.price;
    if (above(notional, limits.maxOrderNotional)) {
      return refusal(
        'MAX_ORDER_NOTIONAL',
        `${name}.maxOrderNotional`,
        limits.maxOrderNotional,
        notional,
        'order notional',
      );
    }
  }
  if (limits.priceBand !== undefined && !Number.isNaN(order.limitPrice)) {
    if (Number.isNaN(order.mark)) return noPrice(`${name}.priceBand`, order);
    const distance = Math.abs(order.limitPrice - order.mark) / order.mark;
    if (above(distance, limits.priceBand)) {
      return refusal(
        'PRICE_BAND',
        `${name}.priceBand`,
        limits.priceBand,
        distance,
        `distance of the limit price ${formatNumber(order.limitPrice)} from the reference ${formatNumber(order.mark)}`,
      );
    }
  }
  if (limits.maxOpenOrders !== undefined) {
    let open = 1;
    for (const other of openOrders) if (book.counts(other)) open++;
    if (open > limits.maxOpenOrders) {
      return refusal(
        'MAX_OPEN_ORDERS',
        `${name}.maxOpenOrders`,
        limits.maxOpenOrders,
        open,
        'open orders',
      );
    }
  }
  if (!needsExposure(limits)) return undefined;
  return checkExposure(limits, book, order, workingOf(book, order, openOrders));
}

function noPrice(field: string, order: CandidateOrder): PreTradeRefusal {
  return Object.freeze({
    code: 'NO_REFERENCE_PRICE',
    message: `${field}: needs a price of ${order.instrumentId}, and none has been seen`,
    field,
  });
}

function checkExposure(
  limits: LimitSet,
  book: ScopeBook,
  order: CandidateOrder,
  working: ReadonlyMap<InstrumentId, Working>,
): PreTradeRefusal | undefined {
  const name = book.name;
  const own = working.get(order.instrumentId)!;
  if (limits.maxPosition !== undefined) {
    const worst = Math.max(Math.abs(own.position + own.buys), Math.abs(own.position - own.sells));
    if (above(worst, limits.maxPosition)) {
      return refusal(
        'MAX_POSITION',
        `${name}.maxPosition`,
        limits.maxPosition,
        worst,
        `position in ${order.instrumentId}`,
      );
    }
  }
  let gross = 0;
  let netLong = 0;
  let netShort = 0;
  for (const entry of working.values()) {
    if (Number.isNaN(entry.price)) continue;
    const long = (entry.position + entry.buys) * entry.price;
    const short = (entry.position - entry.sells) * entry.price;
    gross += Math.max(Math.abs(long), Math.abs(short));
    netLong += long;
    netShort += short;
  }
  if (limits.maxGrossExposure !== undefined && above(gross, limits.maxGrossExposure)) {
    return refusal(
      'MAX_GROSS_EXPOSURE',
      `${name}.maxGrossExposure`,
      limits.maxGrossExposure,
      gross,
      'gross exposure',
    );
  }
  const net = Math.max(Math.abs(netLong), Math.abs(netShort));
  if (limits.maxNetExposure !== undefined && above(net, limits.maxNetExposure)) {
    return refusal(
      'MAX_NET_EXPOSURE',
      `${name}.maxNetExposure`,
      limits.maxNetExposure,
      net,
      'net exposure',
    );
  }
  if (limits.maxLeverage !== undefined) {
    const equity = book.equity();
    const leverage = equity > 0 ? gross / equity : Number.POSITIVE_INFINITY;
    if (above(leverage, limits.maxLeverage)) {
      return refusal(
        'MAX_LEVERAGE',
        `${name}.maxLeverage`,
        limits.maxLeverage,
        leverage,
        `leverage (gross ${formatNumber(gross)} over equity ${formatNumber(equity)})`,
      );
    }
  }
  return undefined;
}
