import {
  type Decimal,
  InvalidOrderError,
  type OrderRequest,
  toPositiveDecimal,
  ValidationError,
} from '@qtp/core';
import type { BinanceParamValue } from './signing.js';

const TYPES = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
  STOP_MARKET: 'STOP_LOSS',
  STOP_LIMIT: 'STOP_LOSS_LIMIT',
} as const;

/**
 * What a Binance order can carry beyond core's {@link @qtp/core!OrderRequest}: the take-profit
 * kinds, trailing stops and icebergs.
 */
export interface BinanceOrderExtras {
  /**
   * Sends a `STOP_MARKET` / `STOP_LIMIT` request as `TAKE_PROFIT` / `TAKE_PROFIT_LIMIT`: it
   * triggers when the price moves in the order's favour (a sell on a rise to the trigger price, a
   * buy on a fall) instead of against it.
   */
  readonly takeProfit?: boolean;
  /**
   * Makes a stop or take-profit trail the price by this many basis points (10 to 2000 on the
   * usual symbol); its trigger price becomes the activation price.
   */
  readonly trailingDelta?: number;
  /** Shows only this much of a GTC limit order on the book (an iceberg). */
  readonly icebergQty?: Decimal | string;
}

/**
 * Returns the parameters of `order.place` / `POST /api/v3/order` for a request: Binance's order
 * type (a stop market is `STOP_LOSS`, a stop limit `STOP_LOSS_LIMIT`), decimals as plain text,
 * `newOrderRespType=FULL` so fills on arrival come with the reply. `extras` turns a stop into a
 * take-profit, adds `trailingDelta` or `icebergQty`.
 * @throws {@link @qtp/core!ValidationError} when the quantity is not above 0, a price is missing or
 *   not above 0, a trailing delta is not a positive integer, or an iceberg quantity not above 0
 * @throws {@link @qtp/core!InvalidOrderError} when an extra does not fit the order type: a
 *   take-profit or trailing delta on an order without a trigger, an iceberg on a non-limit order
 * @throws {@link @qtp/core!InvalidOrderError} for a time in force Binance Spot does not offer (`GTD`)
 * @example
 * ```ts
 * import { createOrderRequest, instrumentId } from '@qtp/core';
 * import { toOrderParams } from '@qtp/exchange/binance';
 * toOrderParams(createOrderRequest({ instrumentId: instrumentId('BTCUSDT', 'BINANCE'), side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '25000' }), 'BTCUSDT', 'qtp-1');
 * ```
 */
export function toOrderParams(
  request: OrderRequest,
  symbol: string,
  clientOrderId: string,
  extras: BinanceOrderExtras = {},
): Record<string, BinanceParamValue> {
  if (!request.quantity.isFinite() || !request.quantity.isPositive() || request.quantity.isZero()) {
    throw new ValidationError('quantity', 'be a decimal above 0', request.quantity.toString());
  }
  if (request.timeInForce === 'GTD') {
    throw new InvalidOrderError('timeInForce: Binance Spot offers GTC, IOC and FOK, was GTD');
  }
  const triggered = request.type === 'STOP_MARKET' || request.type === 'STOP_LIMIT';
  if (!triggered && (extras.takeProfit === true || extras.trailingDelta !== undefined)) {
    throw new InvalidOrderError(
      `type: a take-profit or trailing delta needs a STOP_MARKET or STOP_LIMIT order, was ${request.type}`,
    );
  }
  const type =
    extras.takeProfit === true
      ? request.type === 'STOP_MARKET'
        ? 'TAKE_PROFIT'
        : 'TAKE_PROFIT_LIMIT'
      : TYPES[request.type];
  const params: Record<string, BinanceParamValue> = {
    symbol,
    side: request.side,
    type,
    quantity: request.quantity.toFixed(),
    newClientOrderId: clientOrderId,
    newOrderRespType: 'FULL',
  };
  const limitPriced = type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  const needsPrice = type === 'LIMIT' || type === 'LIMIT_MAKER' || limitPriced;
  if (needsPrice) {
    const price = request.price;
    if (price === undefined || !price.isFinite() || !price.isPositive() || price.isZero()) {
      throw new ValidationError(
        'price',
        `be a decimal above 0 for a ${request.type} order`,
        price?.toString(),
      );
    }
    params.price = price.toFixed();
  }
  if (type === 'LIMIT' || limitPriced) params.timeInForce = request.timeInForce;
  if (triggered) {
    const trigger = request.triggerPrice;
    if (trigger === undefined || !trigger.isPositive() || trigger.isZero()) {
      throw new ValidationError(
        'triggerPrice',
        `be a decimal above 0 for a ${request.type} order`,
        trigger?.toString(),
      );
    }
    params.stopPrice = trigger.toFixed();
  }
  const delta = extras.trailingDelta;
  if (delta !== undefined) {
    if (!Number.isSafeInteger(delta) || delta <= 0)
      throw new ValidationError(
        'trailingDelta',
        'be a whole number of basis points above 0',
        delta,
      );
    params.trailingDelta = delta;
  }
  if (extras.icebergQty !== undefined) {
    if (type !== 'LIMIT' && type !== 'LIMIT_MAKER' && !limitPriced) {
      throw new InvalidOrderError(`icebergQty: an iceberg needs a limit-priced order, was ${type}`);
    }
    params.icebergQty = toPositiveDecimal(extras.icebergQty, 'icebergQty').toFixed();
  }
  return params;
}
