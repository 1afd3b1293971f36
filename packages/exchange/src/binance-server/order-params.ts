import type { Decimal } from '@qtp/core';
import { BINANCE_ENGINE_MESSAGES } from '../binance-protocol/error-codes.js';
import type { SymbolMarket } from './market.js';
import { isConditionalType, SERVED_ORDER_TYPES, type ServedOrderType } from './order-record.js';
import { BinanceRequestError, requestError } from './request-error.js';
import type { RequestParams } from './request-params.js';
import { filterFailure, PRECISION, STP_MODES } from './symbol-filters.js';

/** A new-order request after syntax and parameter checks. */
export interface ParsedOrder {
  readonly market: SymbolMarket;
  readonly side: 'BUY' | 'SELL';
  readonly type: ServedOrderType;
  readonly timeInForce: 'GTC' | 'IOC' | 'FOK';
  readonly quantity: Decimal | undefined;
  readonly quoteOrderQty: Decimal | undefined;
  readonly price: Decimal | undefined;
  readonly stopPrice: Decimal | undefined;
  /** The trailing distance of a trailing stop, in basis points. */
  readonly trailingDelta: number | undefined;
  /** The visible slice of an iceberg order. */
  readonly icebergQty: Decimal | undefined;
  readonly newClientOrderId: string | undefined;
  readonly responseType: 'ACK' | 'RESULT' | 'FULL';
  readonly selfTradePreventionMode: string;
}

const KNOWN_TYPES = new Set<string>(SERVED_ORDER_TYPES);
const LIMIT_PRICED = new Set<string>([
  'LIMIT',
  'LIMIT_MAKER',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT_LIMIT',
]);
const CLIENT_ORDER_ID = /^[a-zA-Z0-9-_]{1,36}$/;

/** Looks a symbol up: `-1121` when the server does not list it. */
export function marketOf(markets: ReadonlyMap<string, SymbolMarket>, symbol: string): SymbolMarket {
  const market = markets.get(symbol);
  if (market === undefined) throw new BinanceRequestError(-1121, 'Invalid symbol.');
  return market;
}

function notSent(params: RequestParams, name: string): void {
  if (params.has(name)) throw requestError(-1106, name);
  params.consume(name);
}

/**
 * Reads and checks the parameters of a new order in Binance's order: syntax, mandatory and
 * extra parameters, enums, precision, then the symbol's filters (`-1013`).
 */
export function parseOrder(
  params: RequestParams,
  markets: ReadonlyMap<string, SymbolMarket>,
): ParsedOrder {
  const market = marketOf(markets, params.required('symbol'));
  const sideText = params.required('side');
  const typeText = params.required('type');
  const quantity = params.decimal('quantity');
  const quoteOrderQty = params.decimal('quoteOrderQty');
  const price = params.decimal('price');
  const stopPrice = params.decimal('stopPrice');
  const trailingDelta = params.integer('trailingDelta');
  const icebergQty = params.decimal('icebergQty');
  if (params.has('newClientOrderId') && params.optional('newClientOrderId') === undefined) {
    throw new BinanceRequestError(-1118, 'New client order ID was empty.');
  }
  const newClientOrderId = params.has('newClientOrderId')
    ? params.required('newClientOrderId')
    : undefined;
  if (newClientOrderId !== undefined && !CLIENT_ORDER_ID.test(newClientOrderId)) {
    throw requestError(-1100, 'newClientOrderId', '^[a-zA-Z0-9-_]{1,36}$');
  }
  params.integer('strategyId');
  const strategyType = params.integer('strategyType');
  if (!KNOWN_TYPES.has(typeText)) throw new BinanceRequestError(-1116, 'Invalid orderType.');
  if (sideText !== 'BUY' && sideText !== 'SELL')
    throw new BinanceRequestError(-1117, 'Invalid side.');
  const type = typeText as ServedOrderType;
  const needsTif = type === 'LIMIT' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  let timeInForce: ParsedOrder['timeInForce'] = 'GTC';
  if (needsTif) {
    const text = params.required('timeInForce');
    if (text !== 'GTC' && text !== 'IOC' && text !== 'FOK')
      throw new BinanceRequestError(-1115, 'Invalid timeInForce.');
    timeInForce = text;
  } else notSent(params, 'timeInForce');
  if (type === 'MARKET') {
    if (quantity !== undefined && quoteOrderQty !== undefined)
      throw requestError(-1106, 'quoteOrderQty');
    if (quantity === undefined && quoteOrderQty === undefined) {
      throw new BinanceRequestError(
        -1102,
        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
      );
    }
  } else {
    if (quantity === undefined) throw requestError(-1102, 'quantity');
    if (quoteOrderQty !== undefined) throw requestError(-1106, 'quoteOrderQty');
  }
  const needsPrice = LIMIT_PRICED.has(type);
  if (needsPrice && price === undefined) throw requestError(-1102, 'price');
  if (!needsPrice && price !== undefined) throw requestError(-1106, 'price');
  if (isConditionalType(type)) {
    if (stopPrice === undefined && trailingDelta === undefined) {
      throw new BinanceRequestError(
        -1102,
        "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
      );
    }
  } else {
    if (stopPrice !== undefined) throw requestError(-1106, 'stopPrice');
    if (trailingDelta !== undefined) throw requestError(-1106, 'trailingDelta');
  }
  if (icebergQty !== undefined) {
    if (!LIMIT_PRICED.has(type)) throw requestError(-1106, 'icebergQty');
    if (timeInForce !== 'GTC')
      throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.unsupportedCombination);
  }
  const respText = params.optional('newOrderRespType');
  const defaultResponse = type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK';
  if (
    respText !== undefined &&
    respText !== 'ACK' &&
    respText !== 'RESULT' &&
    respText !== 'FULL'
  ) {
    throw requestError(-1130, 'newOrderRespType');
  }
  const stp = params.optional('selfTradePreventionMode') ?? 'EXPIRE_MAKER';
  if (!STP_MODES.includes(stp)) throw requestError(-1130, 'selfTradePreventionMode');
  if (strategyType !== undefined && strategyType < 1_000_000)
    throw new BinanceRequestError(-1134, '`strategyType` was less than 1000000.');
  for (const [name, value] of [
    ['quantity', quantity],
    ['quoteOrderQty', quoteOrderQty],
    ['price', price],
    ['stopPrice', stopPrice],
    ['icebergQty', icebergQty],
  ] as const) {
    if (value !== undefined && value.decimalPlaces() > PRECISION) throw requestError(-1111, name);
  }
  const order: ParsedOrder = {
    market,
    side: sideText,
    type,
    timeInForce,
    quantity,
    quoteOrderQty,
    price,
    stopPrice,
    trailingDelta,
    icebergQty,
    newClientOrderId,
    responseType: respText ?? defaultResponse,
    selfTradePreventionMode: stp,
  };
  const failed = filterFailure(order);
  if (failed !== undefined) throw new BinanceRequestError(-1013, `Filter failure: ${failed}`);
  if (icebergQty !== undefined && quantity !== undefined && icebergQty.gte(quantity))
    throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.icebergExceedsQuantity);
  return order;
}
