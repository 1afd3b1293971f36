import { accountOf, tradingAccount } from './call-account.js';
import { parseOco, refuseList, type UNSERVED_LISTS } from './oco-params.js';
import { ackJson, resultJson } from './order-format.js';
import { canceledListJson, orderListJson } from './order-list.js';
import { logOrderRequest } from './order-log.js';
import { marketOf } from './order-params.js';
import { BinanceRequestError } from './request-error.js';
import type { RequestParams } from './request-params.js';
import type { CallInfo, ServerContext } from './server-context.js';

/** `POST /api/v3/orderList/oco` and `orderList.place.oco`: two legs, counted as two orders. */
export async function placeOco(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const symbol = params.peek('symbol') ?? '';
  const log = (
    outcome: 'accepted' | 'rejected',
    clientOrderId: string | undefined,
    orderId: number | undefined,
    errorCode: number | undefined,
  ) =>
    logOrderRequest(context, call, {
      action: 'place',
      apiKey: account.apiKey,
      symbol,
      clientOrderId,
      orderId,
      outcome,
      errorCode,
    });
  try {
    const oco = parseOco(params, context);
    params.assertAllRead();
    context.orders.check(account.apiKey, 2);
    const list = await account.placeOco(oco.legs, oco.listClientOrderId);
    const entries = list.legs.map(
      (leg) => log('accepted', leg.originalClientOrderId, leg.orderId, undefined).sequence,
    );
    call.acceptedLogEntry = entries[0]!;
    const filled = list.legs.some((leg) => leg.fills.length > 0);
    call.orderCounts = context.orders.count(account.apiKey, filled, 2);
    return orderListJson(list, (leg) =>
      oco.responseType === 'ACK'
        ? ackJson(leg, leg.timeMs)
        : resultJson(leg, leg.timeMs, oco.responseType === 'FULL'),
    );
  } catch (error) {
    log(
      'rejected',
      params.peek('listClientOrderId'),
      undefined,
      error instanceof BinanceRequestError ? error.code : -1000,
    );
    throw error;
  }
}

/** `DELETE /api/v3/orderList` and `orderList.cancel`: cancels every open leg of the list. */
export async function cancelOrderList(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const symbol = params.required('symbol');
  marketOf(context.markets, symbol);
  const orderListId = params.integer('orderListId');
  const listClientOrderId = params.optional('listClientOrderId');
  const newClientOrderId = params.optional('newClientOrderId');
  params.assertAllRead();
  if (orderListId === undefined && listClientOrderId === undefined) {
    throw new BinanceRequestError(
      -1102,
      "Param 'orderListId' or 'listClientOrderId' must be sent, but both were empty/null!",
    );
  }
  const list = account.findList(orderListId, listClientOrderId, -2011);
  if (
    list.market.symbol !== symbol ||
    (orderListId !== undefined &&
      listClientOrderId !== undefined &&
      list.listClientOrderId !== listClientOrderId)
  )
    throw new BinanceRequestError(-2011, 'Unknown order sent.');
  await account.cancelList(list, newClientOrderId);
  for (const leg of list.legs) {
    logOrderRequest(context, call, {
      action: 'cancel',
      apiKey: account.apiKey,
      symbol,
      clientOrderId: leg.originalClientOrderId,
      orderId: leg.orderId,
      outcome: 'accepted',
      errorCode: undefined,
    });
  }
  return canceledListJson(list, context.now());
}

/** `GET /api/v3/orderList` and `orderList.status`: one list by id or client id. */
export function queryOrderList(
  _context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): unknown {
  const account = accountOf(call);
  const orderListId = params.integer('orderListId');
  const clientId = params.optional('origClientOrderId');
  params.assertAllRead();
  if (orderListId === undefined && clientId === undefined) {
    throw new BinanceRequestError(
      -1102,
      "Param 'orderListId' or 'origClientOrderId' must be sent, but both were empty/null!",
    );
  }
  return orderListJson(account.findList(orderListId, clientId));
}

/** `GET /api/v3/openOrderList` and `openOrderLists.status`. */
export function openOrderLists(
  _context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): unknown {
  const account = accountOf(call);
  params.assertAllRead();
  return account.orderLists(true).map((list) => orderListJson(list));
}

/** `GET /api/v3/allOrderList` and `allOrderLists`: by `fromId` or a time window, oldest first. */
export function allOrderLists(
  _context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): unknown {
  const account = accountOf(call);
  const fromId = params.integer('fromId');
  const startTime = params.integer('startTime');
  const endTime = params.integer('endTime');
  const limit = Math.min(params.integer('limit') ?? 500, 1000);
  params.assertAllRead();
  if (fromId !== undefined && (startTime !== undefined || endTime !== undefined))
    throw new BinanceRequestError(-1128, 'Combination of optional parameters invalid.');
  return account
    .orderLists()
    .filter((list) => fromId === undefined || list.orderListId >= fromId)
    .filter((list) => startTime === undefined || list.transactionTimeMs >= startTime)
    .filter((list) => endTime === undefined || list.transactionTimeMs <= endTime)
    .slice(0, limit)
    .map((list) => orderListJson(list));
}

/** The OTO, OTOCO, OPO and OPOCO endpoints: refused as on a symbol that does not allow them. */
export const refuseOrderList =
  (kind: keyof typeof UNSERVED_LISTS) =>
  (context: ServerContext, params: RequestParams, call: CallInfo): never => {
    tradingAccount(call);
    return refuseList(kind, params, context);
  };
