import { Decimal, type Instrument } from '@qtp/core';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import type { ParsedOrder } from './order-params.js';

/** Decimal places of every asset the server lists. */
export const PRECISION = 8;
/** The self-trade prevention modes every symbol allows. */
export const STP_MODES: readonly string[] = [
  'NONE',
  'EXPIRE_TAKER',
  'EXPIRE_MAKER',
  'EXPIRE_BOTH',
  'DECREMENT',
  'TRANSFER',
];
/** Open orders per symbol (MAX_NUM_ORDERS) and stop orders per symbol (MAX_NUM_ALGO_ORDERS). */
export const MAX_NUM_ORDERS = 200;
export const MAX_NUM_ALGO_ORDERS = 5;
/** Open order lists per symbol (MAX_NUM_ORDER_LISTS). */
export const MAX_NUM_ORDER_LISTS = 20;
/** Iceberg slices an order may have at most (ICEBERG_PARTS). */
export const ICEBERG_PARTS = 100;
/** The TRAILING_DELTA filter's bounds in basis points, the same above and below. */
export const TRAILING_DELTA_MIN = 10;
export const TRAILING_DELTA_MAX = 2000;
// PERCENT_PRICE_BY_SIDE multipliers around the reference price.
const UP = new Decimal(5);
const DOWN = new Decimal('0.2');
const MAX_NOTIONAL = new Decimal('9000000');
const MAX_QTY_DEFAULT = new Decimal('9000000');

/** The `filters` array of a symbol in `exchangeInfo`, from the instrument's rules. */
export function symbolFilters(instrument: Instrument): Record<string, unknown>[] {
  const tick = toBinanceDecimal(instrument.priceIncrement);
  return [
    {
      filterType: 'PRICE_FILTER',
      minPrice: toBinanceDecimal(instrument.minPrice ?? instrument.priceIncrement),
      maxPrice: toBinanceDecimal(instrument.maxPrice ?? new Decimal('1000000')),
      tickSize: tick,
    },
    {
      filterType: 'LOT_SIZE',
      minQty: toBinanceDecimal(instrument.minQuantity),
      maxQty: toBinanceDecimal(instrument.maxQuantity ?? MAX_QTY_DEFAULT),
      stepSize: toBinanceDecimal(instrument.sizeIncrement),
    },
    { filterType: 'ICEBERG_PARTS', limit: ICEBERG_PARTS },
    {
      filterType: 'MARKET_LOT_SIZE',
      minQty: '0.00000000',
      maxQty: toBinanceDecimal(instrument.maxQuantity ?? MAX_QTY_DEFAULT),
      stepSize: '0.00000000',
    },
    {
      filterType: 'TRAILING_DELTA',
      minTrailingAboveDelta: TRAILING_DELTA_MIN,
      maxTrailingAboveDelta: TRAILING_DELTA_MAX,
      minTrailingBelowDelta: TRAILING_DELTA_MIN,
      maxTrailingBelowDelta: TRAILING_DELTA_MAX,
    },
    {
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: '5',
      bidMultiplierDown: '0.2',
      askMultiplierUp: '5',
      askMultiplierDown: '0.2',
      avgPriceMins: 5,
    },
    {
      filterType: 'NOTIONAL',
      minNotional: toBinanceDecimal(instrument.minNotional),
      applyMinToMarket: true,
      maxNotional: toBinanceDecimal(MAX_NOTIONAL),
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: MAX_NUM_ORDERS },
    { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: MAX_NUM_ALGO_ORDERS },
    { filterType: 'MAX_NUM_ORDER_LISTS', maxNumOrderLists: MAX_NUM_ORDER_LISTS },
  ];
}

const multipleOf = (value: Decimal, step: Decimal) => step.isZero() || value.mod(step).isZero();

/**
 * Returns the name of the first filter the order breaks (spec §2.3, exact decimal arithmetic),
 * or undefined when it passes. The reference price is the symbol's reference price when it has
 * one, else its last price.
 */
export function filterFailure(order: ParsedOrder): string | undefined {
  const instrument = order.market.instrument;
  const tick = instrument.priceIncrement;
  const minPrice = instrument.minPrice ?? tick;
  const maxPrice = instrument.maxPrice ?? new Decimal('1000000');
  for (const price of [order.price, order.stopPrice]) {
    if (price === undefined) continue;
    if (price.lt(minPrice) || price.gt(maxPrice) || !multipleOf(price, tick)) return 'PRICE_FILTER';
  }
  // Since May 2026 the reference price, when the symbol has one, stands in for the average.
  const reference = order.market.filterReference;
  if (order.price !== undefined) {
    if (order.price.gt(reference.times(UP)) || order.price.lt(reference.times(DOWN)))
      return 'PERCENT_PRICE_BY_SIDE';
  }
  const quantity = order.quantity;
  const maxQty = instrument.maxQuantity ?? MAX_QTY_DEFAULT;
  for (const size of [quantity, order.icebergQty]) {
    if (size === undefined) continue;
    if (
      size.lt(instrument.minQuantity) ||
      size.gt(maxQty) ||
      !multipleOf(size, instrument.sizeIncrement)
    ) {
      return 'LOT_SIZE';
    }
  }
  if (order.icebergQty !== undefined && quantity !== undefined) {
    if (quantity.div(order.icebergQty).ceil().gt(ICEBERG_PARTS)) return 'ICEBERG_PARTS';
  }
  // Both the above and the below ranges are TRAILING_DELTA_MIN..MAX here, so the order's
  // direction picks the same bounds either way.
  const delta = order.trailingDelta;
  if (delta !== undefined && (delta < TRAILING_DELTA_MIN || delta > TRAILING_DELTA_MAX))
    return 'TRAILING_DELTA';
  const notional =
    order.quoteOrderQty ?? (order.price ?? reference).times(quantity ?? new Decimal(0));
  if (notional.lt(instrument.minNotional)) return 'NOTIONAL';
  if (order.type !== 'MARKET' && notional.gt(MAX_NOTIONAL)) return 'NOTIONAL';
  return undefined;
}
