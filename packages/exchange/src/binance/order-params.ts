import { InvalidOrderError, type OrderRequest, ValidationError } from '@qtp/core';
import type { BinanceParamValue } from './signing.js';

const TYPES = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
  STOP_MARKET: 'STOP_LOSS',
  STOP_LIMIT: 'STOP_LOSS_LIMIT',
} as const;

/**
 * Returns the parameters of `order.place` / `POST /api/v3/order` for a request: Binance's order
 * type (a stop market is `STOP_LOSS`, a stop limit `STOP_LOSS_LIMIT`), decimals as plain text,
 * `newOrderRespType=FULL` so fills on arrival come with the reply.
 * @throws {@link @qtp/core!ValidationError} when the quantity is not above 0, a price is missing or not above 0
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
): Record<string, BinanceParamValue> {
  if (!request.quantity.isFinite() || !request.quantity.isPositive() || request.quantity.isZero()) {
    throw new ValidationError('quantity', 'be a decimal above 0', request.quantity.toString());
  }
  if (request.timeInForce === 'GTD') {
    throw new InvalidOrderError('timeInForce: Binance Spot offers GTC, IOC and FOK, was GTD');
  }
  const type = TYPES[request.type];
  const params: Record<string, BinanceParamValue> = {
    symbol,
    side: request.side,
    type,
    quantity: request.quantity.toFixed(),
    newClientOrderId: clientOrderId,
    newOrderRespType: 'FULL',
  };
  const needsPrice = type === 'LIMIT' || type === 'LIMIT_MAKER' || type === 'STOP_LOSS_LIMIT';
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
  if (type === 'LIMIT' || type === 'STOP_LOSS_LIMIT') params.timeInForce = request.timeInForce;
  if (type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT') {
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
  return params;
}
