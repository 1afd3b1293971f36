import type { Decimal } from '@qtp/core';
import type { SymbolMarket } from './market.js';

/** A Binance order status. */
export type BinanceOrderStatus =
  | 'NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED';

/** The Binance order types the server takes (conditional ones wait in its trigger layer). */
export const SERVED_ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const;

/** One of {@link SERVED_ORDER_TYPES}. */
export type ServedOrderType = (typeof SERVED_ORDER_TYPES)[number];

/** One fill of an order as the server books it. */
export interface RecordFill {
  readonly tradeId: number;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly timeMs: number;
  readonly maker: boolean;
}

/** The server's record of one order: what Binance shows of it. */
export interface OrderRecord {
  readonly orderId: number;
  readonly market: SymbolMarket;
  /** The id the order has with the matching engine. */
  readonly engineId: string;
  /** The current client order id; a cancel gives the order the cancel's id. */
  clientOrderId: string;
  /** The id before a cancel rotated it. */
  originalClientOrderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: ServedOrderType;
  readonly timeInForce: 'GTC' | 'IOC' | 'FOK';
  readonly price: Decimal | undefined;
  readonly stopPrice: Decimal | undefined;
  /** The trailing distance in basis points, for trailing stops. */
  readonly trailingDelta: number | undefined;
  /** When trailing started; -1 until it does (trailing stops only). */
  trailingTimeMs: number;
  /** The visible slice of an iceberg order. */
  readonly icebergQty: Decimal | undefined;
  /** The order list the order is a leg of, -1 when none. */
  orderListId: number;
  readonly quantity: Decimal;
  readonly quoteOrderQty: Decimal | undefined;
  readonly selfTradePreventionMode: string;
  status: BinanceOrderStatus;
  executed: Decimal;
  cumulativeQuote: Decimal;
  readonly timeMs: number;
  updateTimeMs: number;
  /** When the order went on the book; -1 for a stop not yet triggered. */
  workingTimeMs: number;
  readonly fills: RecordFill[];
  expiryReason: string | undefined;
}

/** True when the order can still fill or be canceled. */
export const isOpenRecord = (record: OrderRecord): boolean =>
  record.status === 'NEW' || record.status === 'PARTIALLY_FILLED';

/** The conditional order types: they wait for a trigger before they work. */
export const isConditionalType = (type: ServedOrderType): boolean =>
  type === 'STOP_LOSS' ||
  type === 'STOP_LOSS_LIMIT' ||
  type === 'TAKE_PROFIT' ||
  type === 'TAKE_PROFIT_LIMIT';
