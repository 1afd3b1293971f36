import * as market from './market-handlers.js';
import * as lists from './order-list-handlers.js';
import type { RequestParams } from './request-params.js';
import type { CallInfo, ServerContext } from './server-context.js';
import * as trading from './trading-handlers.js';

/** One API operation, shared by its REST endpoint and its WebSocket API method. */
export interface Operation {
  /** `NONE` (public), `USER_DATA` (signed reads) or `TRADE` (signed orders). */
  readonly security: 'NONE' | 'USER_DATA' | 'TRADE';
  /** The request weight, charged on arrival. */
  readonly weight: (params: RequestParams) => number;
  /** Order endpoints cost nothing when they succeed and 1 when they fail (since April 2026). */
  readonly chargedOnFailure?: boolean;
  readonly run: (context: ServerContext, params: RequestParams, call: CallInfo) => unknown;
}

const fixed = (weight: number) => () => weight;
const publicOp = (
  weight: Operation['weight'],
  run: (context: ServerContext, params: RequestParams) => unknown,
): Operation => ({
  security: 'NONE',
  weight,
  run: (context, params) => run(context, params),
});
const perSymbol = (one: number, many: number) => (params: RequestParams) =>
  params.peek('symbol') === undefined ? many : one;

const ping = publicOp(fixed(1), () => ({}));
const time = publicOp(fixed(1), (context) => ({ serverTime: context.now() }));
const exchangeInfo = publicOp(fixed(20), market.exchangeInfo);
const depth = publicOp(market.depthWeight, market.depth);
const trades = publicOp(fixed(25), market.trades);
const aggTrades = publicOp(fixed(4), market.aggTrades);
const klines = publicOp(fixed(2), market.klines);
const avgPrice = publicOp(fixed(2), market.avgPrice);
const tickerPrice = publicOp(perSymbol(2, 4), market.tickerPrice);
const bookTicker = publicOp(perSymbol(2, 4), market.bookTicker);
const ticker24hr = publicOp(perSymbol(2, 80), market.ticker24hr);
const executionRules = publicOp(perSymbol(2, 40), market.executionRules);
const referencePrice = publicOp(fixed(2), market.referencePrice);

const placeOrder: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: trading.placeOrder,
};
const testOrder: Operation = {
  security: 'TRADE',
  weight: (params) => (params.peek('computeCommissionRates') === 'true' ? 20 : 1),
  run: trading.testOrder,
};
const cancelOrder: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: trading.cancelOrder,
};
const cancelAll: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: trading.cancelAllOrders,
};
const cancelReplace: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: trading.cancelReplace,
};
const queryOrder: Operation = { security: 'USER_DATA', weight: fixed(4), run: trading.queryOrder };
const openOrders: Operation = {
  security: 'USER_DATA',
  weight: trading.openOrdersWeight,
  run: trading.openOrders,
};
const allOrders: Operation = { security: 'USER_DATA', weight: fixed(20), run: trading.allOrders };
const myTrades: Operation = {
  security: 'USER_DATA',
  weight: trading.myTradesWeight,
  run: trading.myTrades,
};
const account: Operation = { security: 'USER_DATA', weight: fixed(20), run: trading.accountInfo };
const orderRateLimits: Operation = {
  security: 'USER_DATA',
  weight: fixed(40),
  run: trading.orderRateLimits,
};

const placeOco: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: lists.placeOco,
};
const refused = (kind: 'oto' | 'otoco' | 'opo' | 'opoco'): Operation => ({
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: lists.refuseOrderList(kind),
});
const cancelOrderList: Operation = {
  security: 'TRADE',
  weight: fixed(0),
  chargedOnFailure: true,
  run: lists.cancelOrderList,
};
const queryOrderList: Operation = {
  security: 'USER_DATA',
  weight: fixed(4),
  run: lists.queryOrderList,
};
const openOrderLists: Operation = {
  security: 'USER_DATA',
  weight: fixed(6),
  run: lists.openOrderLists,
};
const allOrderLists: Operation = {
  security: 'USER_DATA',
  weight: fixed(20),
  run: lists.allOrderLists,
};

/** The REST endpoints, by `METHOD path`. */
export const REST_OPERATIONS: ReadonlyMap<string, Operation> = new Map([
  ['GET /api/v3/ping', ping],
  ['GET /api/v3/time', time],
  ['GET /api/v3/exchangeInfo', exchangeInfo],
  ['GET /api/v3/depth', depth],
  ['GET /api/v3/trades', trades],
  ['GET /api/v3/historicalTrades', trades],
  ['GET /api/v3/aggTrades', aggTrades],
  ['GET /api/v3/klines', klines],
  ['GET /api/v3/uiKlines', klines],
  ['GET /api/v3/avgPrice', avgPrice],
  ['GET /api/v3/ticker/price', tickerPrice],
  ['GET /api/v3/ticker/bookTicker', bookTicker],
  ['GET /api/v3/ticker/24hr', ticker24hr],
  ['GET /api/v3/executionRules', executionRules],
  ['GET /api/v3/referencePrice', referencePrice],
  ['POST /api/v3/order', placeOrder],
  ['POST /api/v3/order/test', testOrder],
  ['DELETE /api/v3/order', cancelOrder],
  ['DELETE /api/v3/openOrders', cancelAll],
  ['POST /api/v3/order/cancelReplace', cancelReplace],
  ['GET /api/v3/order', queryOrder],
  ['GET /api/v3/openOrders', openOrders],
  ['GET /api/v3/allOrders', allOrders],
  ['GET /api/v3/myTrades', myTrades],
  ['GET /api/v3/account', account],
  ['GET /api/v3/rateLimit/order', orderRateLimits],
  ['POST /api/v3/orderList/oco', placeOco],
  ['POST /api/v3/orderList/oto', refused('oto')],
  ['POST /api/v3/orderList/otoco', refused('otoco')],
  ['POST /api/v3/orderList/opo', refused('opo')],
  ['POST /api/v3/orderList/opoco', refused('opoco')],
  ['DELETE /api/v3/orderList', cancelOrderList],
  ['GET /api/v3/orderList', queryOrderList],
  ['GET /api/v3/openOrderList', openOrderLists],
  ['GET /api/v3/allOrderList', allOrderLists],
]);

/** The WebSocket API methods that mirror a REST endpoint, by method name. */
export const WS_API_OPERATIONS: ReadonlyMap<string, Operation> = new Map([
  ['ping', ping],
  ['time', time],
  ['exchangeInfo', exchangeInfo],
  ['depth', depth],
  ['trades.recent', trades],
  ['trades.historical', trades],
  ['trades.aggregate', aggTrades],
  ['klines', klines],
  ['uiKlines', klines],
  ['avgPrice', avgPrice],
  ['ticker.price', tickerPrice],
  ['ticker.book', bookTicker],
  ['ticker.24hr', ticker24hr],
  ['executionRules', executionRules],
  ['referencePrice', referencePrice],
  ['order.place', placeOrder],
  ['order.test', testOrder],
  ['order.cancel', cancelOrder],
  ['openOrders.cancelAll', cancelAll],
  ['order.cancelReplace', cancelReplace],
  ['order.status', queryOrder],
  ['openOrders.status', openOrders],
  ['allOrders', allOrders],
  ['myTrades', myTrades],
  ['account.status', account],
  ['account.rateLimits.orders', orderRateLimits],
  ['orderList.place.oco', placeOco],
  ['orderList.place.oto', refused('oto')],
  ['orderList.place.otoco', refused('otoco')],
  ['orderList.place.opo', refused('opo')],
  ['orderList.place.opoco', refused('opoco')],
  ['orderList.cancel', cancelOrderList],
  ['orderList.status', queryOrderList],
  ['openOrderLists.status', openOrderLists],
  ['allOrderLists', allOrderLists],
]);
