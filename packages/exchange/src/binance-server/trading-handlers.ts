import { Decimal } from '@qtp/core';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import { accountOf, tradingAccount } from './call-account.js';
import { ackJson, cancelJson, queryJson, resultJson } from './order-format.js';
import { canceledListJson } from './order-list.js';
import { logOrderRequest } from './order-log.js';
import { marketOf, parseOrder } from './order-params.js';
import { BinanceRequestError, requestError } from './request-error.js';
import type { RequestParams } from './request-params.js';
import type { CallInfo, ServerContext } from './server-context.js';

/** `POST /api/v3/order` and `order.place`. */
export async function placeOrder(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const symbol = params.peek('symbol') ?? '';
  const clientOrderId = params.peek('newClientOrderId');
  const log = (
    outcome: 'accepted' | 'rejected',
    orderId: number | undefined,
    errorCode: number | undefined,
    id = clientOrderId,
  ) =>
    logOrderRequest(context, call, {
      action: 'place',
      apiKey: account.apiKey,
      symbol,
      clientOrderId: id,
      orderId,
      outcome,
      errorCode,
    });
  try {
    const order = parseOrder(params, context.markets);
    params.assertAllRead();
    context.orders.check(account.apiKey);
    const record = await account.place(order);
    const entry = log('accepted', record.orderId, undefined, record.originalClientOrderId);
    call.acceptedLogEntry = entry.sequence;
    call.orderCounts = context.orders.count(account.apiKey, record.fills.length > 0);
    // The order went on the book when it arrived, so that is its transaction time.
    const now = record.timeMs;
    if (order.responseType === 'ACK') return ackJson(record, now);
    return resultJson(record, now, order.responseType === 'FULL');
  } catch (error) {
    log('rejected', undefined, error instanceof BinanceRequestError ? error.code : -1000);
    throw error;
  }
}

/** `POST /api/v3/order/test` and `order.test`: every check but the balance. */
export function testOrder(context: ServerContext, params: RequestParams, call: CallInfo): unknown {
  tradingAccount(call);
  const rates = params.boolean('computeCommissionRates') ?? false;
  const order = parseOrder(params, context.markets);
  params.assertAllRead();
  if (!rates) return {};
  const { makerFee, takerFee } = order.market.instrument;
  return {
    standardCommissionForOrder: {
      maker: toBinanceDecimal(makerFee),
      taker: toBinanceDecimal(takerFee),
    },
    specialCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
    taxCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
    discount: {
      enabledForAccount: false,
      enabledForSymbol: false,
      discountAsset: 'BNB',
      discount: '0.00000000',
    },
  };
}

function lookup(
  params: RequestParams,
  orderIdName = 'orderId',
  clientIdName = 'origClientOrderId',
) {
  const orderId = params.integer(orderIdName);
  if (params.has(clientIdName) && params.peek(clientIdName) === '') {
    throw new BinanceRequestError(-1119, 'Original client order ID was empty.');
  }
  const clientOrderId = params.optional(clientIdName);
  if (orderId === undefined && clientOrderId === undefined) {
    throw new BinanceRequestError(
      -1102,
      `Param '${orderIdName}' or '${clientIdName}' must be sent, but both were empty/null!`,
    );
  }
  return { orderId, clientOrderId };
}

/** `DELETE /api/v3/order` and `order.cancel`. */
export async function cancelOrder(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const symbol = params.required('symbol');
  const ids = lookup(params);
  const newClientOrderId = params.optional('newClientOrderId');
  const restriction = params.optional('cancelRestrictions');
  params.assertAllRead();
  const entry = (
    outcome: 'accepted' | 'rejected',
    orderId: number | undefined,
    errorCode: number | undefined,
  ) =>
    logOrderRequest(context, call, {
      action: 'cancel',
      apiKey: account.apiKey,
      symbol,
      clientOrderId: ids.clientOrderId,
      orderId: orderId ?? ids.orderId,
      outcome,
      errorCode,
    });
  try {
    marketOf(context.markets, symbol);
    if (
      restriction !== undefined &&
      restriction !== 'ONLY_NEW' &&
      restriction !== 'ONLY_PARTIALLY_FILLED'
    ) {
      throw new BinanceRequestError(
        -1145,
        'cancelRestrictions has to be either ONLY_NEW or ONLY_PARTIALLY_FILLED.',
      );
    }
    const record = account.find(symbol, ids.orderId, ids.clientOrderId, -2011);
    if (
      (restriction === 'ONLY_NEW' && record.status !== 'NEW') ||
      (restriction === 'ONLY_PARTIALLY_FILLED' && record.status !== 'PARTIALLY_FILLED')
    ) {
      throw new BinanceRequestError(-2011, 'Order was not canceled due to cancel restrictions.');
    }
    if (record.orderListId !== -1) {
      // Canceling one leg of a list cancels the list, and the answer is the list's.
      const list = account.findList(record.orderListId, undefined, -2011);
      await account.cancelList(list, undefined);
      call.acceptedLogEntry = entry('accepted', record.orderId, undefined).sequence;
      return canceledListJson(list, context.now());
    }
    await account.cancel(record, newClientOrderId);
    call.acceptedLogEntry = entry('accepted', record.orderId, undefined).sequence;
    return cancelJson(record, context.now());
  } catch (error) {
    entry('rejected', undefined, error instanceof BinanceRequestError ? error.code : -1000);
    throw error;
  }
}

/** `DELETE /api/v3/openOrders` and `openOrders.cancelAll`. */
export async function cancelAllOrders(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const symbol = params.required('symbol');
  marketOf(context.markets, symbol);
  params.assertAllRead();
  const open = account.openOrders(symbol);
  if (open.length === 0) throw new BinanceRequestError(-2011, 'Unknown order sent.');
  const canceled: unknown[] = [];
  for (const record of open) {
    if (record.orderListId !== -1) {
      const list = account.findList(record.orderListId, undefined, -2011);
      // The first open leg of a list cancels it; its other legs are closed by then.
      if (list.listOrderStatus !== 'EXECUTING') continue;
      await account.cancelList(list, undefined);
      canceled.push(canceledListJson(list, context.now()));
      continue;
    }
    await account.cancel(record, undefined);
    logOrderRequest(context, call, {
      action: 'cancel',
      apiKey: account.apiKey,
      symbol,
      clientOrderId: record.originalClientOrderId,
      orderId: record.orderId,
      outcome: 'accepted',
      errorCode: undefined,
    });
    canceled.push(cancelJson(record, context.now()));
  }
  return canceled;
}

const errorBody = (error: unknown) =>
  error instanceof BinanceRequestError
    ? { code: error.code, msg: error.message }
    : { code: -1000, msg: 'An unknown error occurred while processing the request.' };

/** `POST /api/v3/order/cancelReplace` and `order.cancelReplace`. */
export async function cancelReplace(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = tradingAccount(call);
  const mode = params.required('cancelReplaceMode');
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE')
    throw requestError(-1130, 'cancelReplaceMode');
  const symbol = params.peek('symbol') ?? '';
  const ids = lookup(params, 'cancelOrderId', 'cancelOrigClientOrderId');
  const cancelNewClientOrderId = params.optional('cancelNewClientOrderId');
  params.optional('cancelRestrictions');
  params.optional('orderRateLimitExceededMode');
  const order = parseOrder(params, context.markets);
  params.assertAllRead();
  let cancelResponse: unknown;
  let cancelOk = true;
  try {
    const record = account.find(symbol, ids.orderId, ids.clientOrderId, -2011);
    await account.cancel(record, cancelNewClientOrderId);
    cancelResponse = cancelJson(record, context.now());
  } catch (error) {
    cancelOk = false;
    cancelResponse = errorBody(error);
  }
  if (!cancelOk && mode === 'STOP_ON_FAILURE') {
    throw new BinanceRequestError(-2022, 'Order cancel-replace failed.', {
      data: {
        cancelResult: 'FAILURE',
        newOrderResult: 'NOT_ATTEMPTED',
        cancelResponse,
        newOrderResponse: null,
      },
    });
  }
  let newOrderResponse: unknown;
  let newOk = true;
  try {
    const record = await account.place(order);
    const now = record.timeMs;
    newOrderResponse =
      order.responseType === 'ACK'
        ? ackJson(record, now)
        : resultJson(record, now, order.responseType === 'FULL');
  } catch (error) {
    newOk = false;
    newOrderResponse = errorBody(error);
  }
  const data = {
    cancelResult: cancelOk ? 'SUCCESS' : 'FAILURE',
    newOrderResult: newOk ? 'SUCCESS' : 'FAILURE',
    cancelResponse,
    newOrderResponse,
  };
  if (cancelOk && newOk) return data;
  if (!cancelOk && !newOk)
    throw new BinanceRequestError(-2022, 'Order cancel-replace failed.', { data });
  throw new BinanceRequestError(-2021, 'Order cancel-replace partially failed.', {
    httpStatus: 409,
    data,
  });
}

/** `GET /api/v3/order` and `order.status`. */
export function queryOrder(context: ServerContext, params: RequestParams, call: CallInfo): unknown {
  const account = accountOf(call);
  const symbol = params.required('symbol');
  marketOf(context.markets, symbol);
  const ids = lookup(params);
  params.assertAllRead();
  return queryJson(account.find(symbol, ids.orderId, ids.clientOrderId));
}

/** The weight of `openOrders`: 6 with a symbol, 80 without. */
export const openOrdersWeight = (params: RequestParams) =>
  params.peek('symbol') === undefined ? 80 : 6;

/** `GET /api/v3/openOrders` and `openOrders.status`. */
export function openOrders(context: ServerContext, params: RequestParams, call: CallInfo): unknown {
  const account = accountOf(call);
  const symbol = params.optional('symbol');
  if (symbol !== undefined) marketOf(context.markets, symbol);
  params.assertAllRead();
  return account.openOrders(symbol).map(queryJson);
}

/** `GET /api/v3/allOrders` and `allOrders`. */
export function allOrders(context: ServerContext, params: RequestParams, call: CallInfo): unknown {
  const account = accountOf(call);
  const symbol = params.required('symbol');
  marketOf(context.markets, symbol);
  const fromOrderId = params.integer('orderId');
  const startTime = params.integer('startTime');
  const endTime = params.integer('endTime');
  const limit = Math.min(params.integer('limit') ?? 500, 1000);
  params.assertAllRead();
  return account
    .allOrders(symbol)
    .filter((record) => fromOrderId === undefined || record.orderId >= fromOrderId)
    .filter((record) => startTime === undefined || record.timeMs >= startTime)
    .filter((record) => endTime === undefined || record.timeMs <= endTime)
    .slice(0, limit)
    .map(queryJson);
}

/** The weight of `myTrades`: 5 with `orderId`, 20 without. */
export const myTradesWeight = (params: RequestParams) =>
  params.peek('orderId') === undefined ? 20 : 5;

/** `GET /api/v3/myTrades` and `myTrades`. */
export function myTrades(context: ServerContext, params: RequestParams, call: CallInfo): unknown {
  const account = accountOf(call);
  const symbol = params.required('symbol');
  marketOf(context.markets, symbol);
  const orderId = params.integer('orderId');
  const fromId = params.integer('fromId');
  const startTime = params.integer('startTime');
  const endTime = params.integer('endTime');
  const limit = Math.min(params.integer('limit') ?? 500, 1000);
  params.assertAllRead();
  if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) {
    throw new BinanceRequestError(-1128, 'Combination of optional parameters invalid.');
  }
  const rows = account
    .allOrders(symbol)
    .filter((record) => orderId === undefined || record.orderId === orderId)
    .flatMap((record) =>
      record.fills.map((fill) => ({
        symbol,
        id: fill.tradeId,
        orderId: record.orderId,
        orderListId: record.orderListId,
        price: toBinanceDecimal(fill.price),
        qty: toBinanceDecimal(fill.quantity),
        quoteQty: toBinanceDecimal(fill.price.times(fill.quantity)),
        commission: toBinanceDecimal(fill.commission),
        commissionAsset: fill.commissionAsset,
        time: fill.timeMs,
        isBuyer: record.side === 'BUY',
        isMaker: fill.maker,
        isBestMatch: true,
      })),
    )
    .filter((row) => fromId === undefined || row.id >= fromId)
    .filter((row) => startTime === undefined || row.time >= startTime)
    .filter((row) => endTime === undefined || row.time <= endTime)
    .sort((a, b) => a.id - b.id);
  return rows.slice(0, limit);
}

/** `GET /api/v3/account` and `account.status`. */
export async function accountInfo(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): Promise<unknown> {
  const account = accountOf(call);
  const omitZero = params.boolean('omitZeroBalances') ?? false;
  params.assertAllRead();
  const balances = (await account.balances()).filter(
    (balance) => !omitZero || !new Decimal(balance.free).plus(balance.locked).isZero(),
  );
  const instrument = [...context.markets.values()][0]?.instrument;
  const bps = (rate: Decimal | undefined) =>
    rate === undefined ? 0 : rate.times(10_000).toNumber();
  return {
    makerCommission: bps(instrument?.makerFee),
    takerCommission: bps(instrument?.takerFee),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: toBinanceDecimal(instrument?.makerFee ?? 0),
      taker: toBinanceDecimal(instrument?.takerFee ?? 0),
      buyer: '0.00000000',
      seller: '0.00000000',
    },
    canTrade: account.canTrade,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.lastUpdateMs,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 1000,
  };
}

/** `GET /api/v3/rateLimit/order` and `account.rateLimits.orders`. */
export function orderRateLimits(
  context: ServerContext,
  params: RequestParams,
  call: CallInfo,
): unknown {
  const account = accountOf(call);
  params.assertAllRead();
  const counts = context.orders.current(account.apiKey);
  const { perTenSeconds, perDay } = context.orders.limits;
  return [
    {
      rateLimitType: 'ORDERS',
      interval: 'SECOND',
      intervalNum: 10,
      limit: perTenSeconds,
      count: counts.tenSeconds,
    },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: perDay, count: counts.day },
  ];
}
