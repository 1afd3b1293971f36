import type { SymbolMarket } from './market.js';
import { cancelJson } from './order-format.js';
import type { OrderRecord } from './order-record.js';

/** The server's record of one order list (an OCO): what Binance shows of it. */
export interface OrderListRecord {
  readonly orderListId: number;
  readonly contingencyType: 'OCO';
  /** The current list client id; a cancel gives the list the cancel's id. */
  listClientOrderId: string;
  readonly market: SymbolMarket;
  /** The legs, in the order they were placed. */
  readonly legs: OrderRecord[];
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE';
  readonly transactionTimeMs: number;
  updateTimeMs: number;
}

// Binance lists the legs below the market first: a sell's stop before its take-profit.
const byPrice = (list: OrderListRecord): OrderRecord[] => {
  const legs = [...list.legs];
  const level = (leg: OrderRecord) => leg.price ?? leg.stopPrice;
  return legs.sort((a, b) => {
    const left = level(a);
    const right = level(b);
    return left === undefined || right === undefined ? 0 : left.comparedTo(right);
  });
};

/**
 * The list shape of `GET /api/v3/orderList`, `openOrderList` and `allOrderList`; with
 * `orderReports` (one per leg, shaped by the caller) for placements and cancels.
 */
export function orderListJson(
  list: OrderListRecord,
  orderReports?: (leg: OrderRecord) => Record<string, unknown>,
): Record<string, unknown> {
  const legs = byPrice(list);
  const json: Record<string, unknown> = {
    orderListId: list.orderListId,
    contingencyType: list.contingencyType,
    listStatusType: list.listStatusType,
    listOrderStatus: list.listOrderStatus,
    listClientOrderId: list.listClientOrderId,
    transactionTime: orderReports === undefined ? list.transactionTimeMs : list.updateTimeMs,
    symbol: list.market.symbol,
    orders: legs.map((leg) => ({
      symbol: list.market.symbol,
      orderId: leg.orderId,
      clientOrderId: leg.clientOrderId,
    })),
  };
  if (orderReports !== undefined) json.orderReports = legs.map(orderReports);
  return json;
}

/** The `listStatus` user data event of a list as it stands. */
export function listStatusEvent(list: OrderListRecord, nowMs: number): Record<string, unknown> {
  return {
    e: 'listStatus',
    E: nowMs,
    s: list.market.symbol,
    g: list.orderListId,
    c: list.contingencyType,
    l: list.listStatusType,
    L: list.listOrderStatus,
    r: 'NONE',
    C: list.listClientOrderId,
    T: list.updateTimeMs,
    O: byPrice(list).map((leg) => ({
      s: list.market.symbol,
      i: leg.orderId,
      c: leg.clientOrderId,
    })),
  };
}

/** The list of a cancel response: each leg in the cancel shape. */
export const canceledListJson = (list: OrderListRecord, nowMs: number) =>
  orderListJson(list, (leg) => cancelJson(leg, nowMs));
