import type { InstrumentId, PreTradeRefusal } from '@qtp/core';
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

/** One instrument's figures in a scope: its position, its working buys and sells, its price. */
export interface Working {
  /** The signed position. */
  position: number;
  /** The remaining quantity of the scope's open buy orders, the checked order included. */
  buys: number;
  /** The remaining quantity of the scope's open sell orders, the checked order included. */
  sells: number;
  /** The price it is valued at: the mark, else a working order's price; NaN when none. */
  price: number;
}

/**
 * What one scope brings to the checks, read from the risk engine's running totals: the open
 * orders, the figures of the checked order's instrument, and the scope's gross and net exposure,
 * each with the checked order counted and every working order as if it filled in full.
 */
export interface ScopeFigures {
  /** The name limits are reported under: `account`, `strategy:<id>`, `instrument:<id>`. */
  readonly name: string;
  /** The scope's open orders, the checked one included. */
  readonly openOrders: number;
  /** The figures of the checked order's instrument. */
  readonly own: Working;
  /** The sum over instruments of the larger of the long and short worst cases, valued. */
  readonly gross: number;
  /** The valued sum of positions plus every working buy. */
  readonly netLong: number;
  /** The valued sum of positions less every working sell. */
  readonly netShort: number;
  /** The account's equity, for leverage. */
  equity(): number;
}

/** Returns whether a limit set needs positions and working orders. */
export function needsExposure(limits: LimitSet): boolean {
  return (
    limits.maxPosition !== undefined ||
    limits.maxGrossExposure !== undefined ||
    limits.maxNetExposure !== undefined ||
    limits.maxLeverage !== undefined
  );
}

/**
 * Checks one order against one scope's limits, the order-rate throttle aside; returns the first
 * limit it breaks, or `undefined`. Exposure limits count the scope's positions and every open
 * order of the scope as if it filled in full, the worst case on each side: an order that would
 * breach once its siblings fill is refused.
 */
export function checkLimits(
  limits: LimitSet,
  scope: ScopeFigures,
  order: CandidateOrder,
): PreTradeRefusal | undefined {
  const name = scope.name;
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
    const open = scope.openOrders;
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
  return checkExposure(limits, scope, order);
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
  scope: ScopeFigures,
  order: CandidateOrder,
): PreTradeRefusal | undefined {
  const name = scope.name;
  const own = scope.own;
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
  const gross = scope.gross;
  if (limits.maxGrossExposure !== undefined && above(gross, limits.maxGrossExposure)) {
    return refusal(
      'MAX_GROSS_EXPOSURE',
      `${name}.maxGrossExposure`,
      limits.maxGrossExposure,
      gross,
      'gross exposure',
    );
  }
  const net = Math.max(Math.abs(scope.netLong), Math.abs(scope.netShort));
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
    const equity = scope.equity();
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
