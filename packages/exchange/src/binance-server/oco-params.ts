import type { Decimal } from '@qtp/core';
import { BINANCE_ENGINE_MESSAGES } from '../binance-protocol/error-codes.js';
import { marketOf, type ParsedOrder, parseOrder } from './order-params.js';
import { BinanceRequestError, requestError } from './request-error.js';
import { RequestParams } from './request-params.js';
import type { ServerContext } from './server-context.js';

/** An OCO request after its checks: the two legs and the list's client id. */
export interface ParsedOco {
  /** The above leg, then the below leg. */
  readonly legs: readonly [ParsedOrder, ParsedOrder];
  readonly listClientOrderId: string | undefined;
  readonly responseType: 'ACK' | 'RESULT' | 'FULL';
}

const ABOVE_TYPES = [
  'STOP_LOSS_LIMIT',
  'STOP_LOSS',
  'LIMIT_MAKER',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const BELOW_TYPES = [
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
];
// A leg's own parameter, by the name the single-order checks use.
const LEG_FIELDS: readonly (readonly [string, string])[] = [
  ['type', 'Type'],
  ['price', 'Price'],
  ['stopPrice', 'StopPrice'],
  ['trailingDelta', 'TrailingDelta'],
  ['timeInForce', 'TimeInForce'],
  ['newClientOrderId', 'ClientOrderId'],
  ['icebergQty', 'IcebergQty'],
  ['strategyId', 'StrategyId'],
  ['strategyType', 'StrategyType'],
];
const SHARED = ['symbol', 'side', 'quantity', 'newOrderRespType', 'selfTradePreventionMode'];

const isStopLoss = (type: string) => type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT';
const isTakeProfit = (type: string) => type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';

// Checks one leg with the single-order rules, naming its own parameters in the errors.
function parseLeg(
  params: RequestParams,
  prefix: 'above' | 'below',
  context: ServerContext,
): ParsedOrder {
  const values = new Map<string, string>();
  for (const name of SHARED) {
    const value = params.peek(name);
    if (value !== undefined) values.set(name, value);
  }
  const renames = new Map<string, string>();
  for (const [inner, suffix] of LEG_FIELDS) {
    const outer = `${prefix}${suffix}`;
    renames.set(inner, outer);
    params.consume(outer);
    const value = params.peek(outer);
    if (value !== undefined) values.set(inner, value);
  }
  const iceberg = values.get('icebergQty');
  const tif = values.get('timeInForce');
  if (iceberg !== undefined && tif !== undefined && tif !== 'GTC')
    throw requestError(-1160, `${prefix}IcebergQty`);
  // Binance leaves a leg's default response type to the list.
  values.set('newOrderRespType', params.peek('newOrderRespType') ?? 'ACK');
  try {
    return parseOrder(new RequestParams(values), context.markets);
  } catch (error) {
    if (!(error instanceof BinanceRequestError)) throw error;
    let message = error.message;
    for (const [inner, outer] of renames) message = message.replaceAll(`'${inner}'`, `'${outer}'`);
    if (message === error.message) throw error;
    throw new BinanceRequestError(error.code, message);
  }
}

/**
 * Reads and checks `POST /api/v3/orderList/oco`: the list parameters, each leg by the rules of a
 * single order, the leg types (`-1158`), which leg sits above (`-1165`, `-1166`, `-1196` to
 * `-1199`) and the prices against the last price (`-2010`).
 */
export function parseOco(params: RequestParams, context: ServerContext): ParsedOco {
  const market = marketOf(context.markets, params.required('symbol'));
  const side = params.required('side');
  params.required('quantity');
  const listClientOrderId = params.optional('listClientOrderId');
  const respText = params.optional('newOrderRespType');
  params.optional('selfTradePreventionMode');
  if (side !== 'BUY' && side !== 'SELL') throw new BinanceRequestError(-1117, 'Invalid side.');
  const aboveType = params.required('aboveType');
  const belowType = params.required('belowType');
  if (!ABOVE_TYPES.includes(aboveType) || !BELOW_TYPES.includes(belowType))
    throw requestError(-1158);
  if (side === 'SELL') {
    if (isStopLoss(aboveType)) throw requestError(-1197);
    if (belowType === 'LIMIT_MAKER') throw requestError(-1166);
    if (isTakeProfit(belowType)) throw requestError(-1199);
  } else {
    if (isStopLoss(belowType)) throw requestError(-1196);
    if (aboveType === 'LIMIT_MAKER') throw requestError(-1165);
    if (isTakeProfit(aboveType)) throw requestError(-1198);
  }
  const above = parseLeg(params, 'above', context);
  const below = parseLeg(params, 'below', context);
  if (
    respText !== undefined &&
    respText !== 'ACK' &&
    respText !== 'RESULT' &&
    respText !== 'FULL'
  ) {
    throw requestError(-1130, 'newOrderRespType');
  }
  // The above leg's price or stop must be above the last price and the below leg's under it.
  const last = market.lastPrice;
  const level = (leg: ParsedOrder) =>
    leg.type === 'LIMIT_MAKER' ? leg.price : (leg.stopPrice ?? undefined);
  const abovePrice: Decimal | undefined = level(above);
  const belowPrice: Decimal | undefined = level(below);
  if (abovePrice?.lte(last) || belowPrice?.gte(last))
    throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.ocoBadPrices);
  return {
    legs: [above, below],
    listClientOrderId,
    responseType: respText ?? 'ACK',
  };
}

/** The order list kinds the server does not serve, answered as a symbol without them is. */
export const UNSERVED_LISTS = { oto: 'OTO', otoco: 'OTO', opo: 'OPO', opoco: 'OPO' } as const;

/** Answers an OTO, OTOCO, OPO or OPOCO request: `-2010` "... orders are not supported ...". */
export function refuseList(
  kind: keyof typeof UNSERVED_LISTS,
  params: RequestParams,
  context: ServerContext,
): never {
  marketOf(context.markets, params.required('symbol'));
  params.consume(...params.names());
  throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.notSupported(UNSERVED_LISTS[kind]));
}
