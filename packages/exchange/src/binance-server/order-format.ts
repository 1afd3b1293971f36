import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import type { OrderRecord } from './order-record.js';

const ZERO = '0.00000000';

// The fields of a placement or cancel that appear only when the order uses them.
function addUsed(json: Record<string, unknown>, record: OrderRecord): void {
  if (record.stopPrice !== undefined) json.stopPrice = toBinanceDecimal(record.stopPrice);
  if (record.icebergQty !== undefined) json.icebergQty = toBinanceDecimal(record.icebergQty);
  addTrailing(json, record);
}

function addTrailing(json: Record<string, unknown>, record: OrderRecord): void {
  if (record.trailingDelta === undefined) return;
  json.trailingDelta = record.trailingDelta;
  json.trailingTime = record.trailingTimeMs;
}

// Binance reports MARKET orders with GTC.
const tifOf = (record: OrderRecord) => (record.type === 'MARKET' ? 'GTC' : record.timeInForce);

/** The ACK shape of a placement. */
export function ackJson(record: OrderRecord, transactTimeMs: number): Record<string, unknown> {
  return {
    symbol: record.market.symbol,
    orderId: record.orderId,
    orderListId: record.orderListId,
    clientOrderId: record.clientOrderId,
    transactTime: transactTimeMs,
  };
}

/** The RESULT shape of a placement (and, with fills, FULL). */
export function resultJson(
  record: OrderRecord,
  transactTimeMs: number,
  withFills: boolean,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...ackJson(record, transactTimeMs),
    price: record.price === undefined ? ZERO : toBinanceDecimal(record.price),
    origQty: toBinanceDecimal(record.quantity),
    executedQty: toBinanceDecimal(record.executed),
    origQuoteOrderQty:
      record.quoteOrderQty === undefined ? ZERO : toBinanceDecimal(record.quoteOrderQty),
    cummulativeQuoteQty: toBinanceDecimal(record.cumulativeQuote),
    status: record.status,
    timeInForce: tifOf(record),
    type: record.type,
    side: record.side,
  };
  addUsed(json, record);
  json.workingTime = record.workingTimeMs;
  json.selfTradePreventionMode = record.selfTradePreventionMode;
  if (record.expiryReason !== undefined) json.expiryReason = record.expiryReason;
  if (withFills) {
    json.fills = record.fills.map((fill) => ({
      price: toBinanceDecimal(fill.price),
      qty: toBinanceDecimal(fill.quantity),
      commission: toBinanceDecimal(fill.commission),
      commissionAsset: fill.commissionAsset,
      tradeId: fill.tradeId,
    }));
  }
  return json;
}

/** The cancel response shape: `origClientOrderId` is the id before the cancel. */
export function cancelJson(record: OrderRecord, transactTimeMs: number): Record<string, unknown> {
  const json: Record<string, unknown> = {
    symbol: record.market.symbol,
    origClientOrderId: record.originalClientOrderId,
    orderId: record.orderId,
    orderListId: record.orderListId,
    clientOrderId: record.clientOrderId,
    transactTime: transactTimeMs,
    price: record.price === undefined ? ZERO : toBinanceDecimal(record.price),
    origQty: toBinanceDecimal(record.quantity),
    executedQty: toBinanceDecimal(record.executed),
    origQuoteOrderQty:
      record.quoteOrderQty === undefined ? ZERO : toBinanceDecimal(record.quoteOrderQty),
    cummulativeQuoteQty: toBinanceDecimal(record.cumulativeQuote),
    status: record.status,
    timeInForce: tifOf(record),
    type: record.type,
    side: record.side,
  };
  addUsed(json, record);
  json.selfTradePreventionMode = record.selfTradePreventionMode;
  return json;
}

/** The query shape (`GET /api/v3/order`, `openOrders`, `allOrders`). */
export function queryJson(record: OrderRecord): Record<string, unknown> {
  const json: Record<string, unknown> = {
    symbol: record.market.symbol,
    orderId: record.orderId,
    orderListId: record.orderListId,
    clientOrderId: record.clientOrderId,
    price: record.price === undefined ? ZERO : toBinanceDecimal(record.price),
    origQty: toBinanceDecimal(record.quantity),
    executedQty: toBinanceDecimal(record.executed),
    cummulativeQuoteQty: toBinanceDecimal(record.cumulativeQuote),
    status: record.status,
    timeInForce: tifOf(record),
    type: record.type,
    side: record.side,
    stopPrice: record.stopPrice === undefined ? ZERO : toBinanceDecimal(record.stopPrice),
    icebergQty: record.icebergQty === undefined ? ZERO : toBinanceDecimal(record.icebergQty),
    time: record.timeMs,
    updateTime: record.updateTimeMs,
    isWorking:
      record.workingTimeMs !== -1 &&
      (record.status === 'NEW' || record.status === 'PARTIALLY_FILLED'),
    workingTime: record.workingTimeMs,
    origQuoteOrderQty:
      record.quoteOrderQty === undefined ? ZERO : toBinanceDecimal(record.quoteOrderQty),
    selfTradePreventionMode: record.selfTradePreventionMode,
  };
  addTrailing(json, record);
  if (record.expiryReason !== undefined) json.expiryReason = record.expiryReason;
  return json;
}
