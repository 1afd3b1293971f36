import {
  type Bar,
  type BarInterval,
  type BookDelta,
  type BookLevel,
  type BookSnapshot,
  createFill,
  createMoney,
  Decimal,
  type Fill,
  Instrument,
  type InstrumentId,
  instrumentId,
  type OrderReport,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type QuoteTick,
  type TimeInForce,
  type TradeTick,
  ValidationError,
} from '@qtp/core';
import type { Balance } from '../exchange.js';
import type { ExecutionReportWire, MyTradeWire, OrderObjectWire } from './wire.js';

// Market data arrives many times a second, so its parsers check shapes by hand instead of
// through zod; every other payload goes through the schemas in wire.ts.

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'be a JSON object', value);
  }
  return value as Json;
}

function num(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, 'be a finite number', value);
  }
  return value;
}

function decimalNumber(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new ValidationError(field, 'be a decimal string', value);
  const parsed = Number(value);
  if (value.length === 0 || !Number.isFinite(parsed)) {
    throw new ValidationError(field, 'be a decimal string', value);
  }
  return parsed;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'be a string', value);
  return value;
}

function levelsOf(value: unknown, field: string): BookLevel[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'be an array of [price, qty]', value);
  const out: BookLevel[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const pair = value[i] as unknown;
    if (!Array.isArray(pair) || pair.length < 2) {
      throw new ValidationError(`${field}[${i}]`, 'be a [price, qty] pair', pair);
    }
    out[i] = {
      price: decimalNumber(pair[0], `${field}[${i}][0]`),
      size: decimalNumber(pair[1], `${field}[${i}][1]`),
    };
  }
  return out;
}

/**
 * Returns the book delta of a diff depth event (`depthUpdate`): `U`/`u` become the first and
 * last sequence, each level's absolute size is kept (0 removes the level).
 * @throws {@link @qtp/core!ValidationError} naming the field when the payload is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseDepthUpdate } from '@qtp/exchange/binance';
 * parseDepthUpdate({ e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: 5, u: 6, b: [['100.0', '1']], a: [] }, instrumentId('BTCUSDT', 'BINANCE'));
 * ```
 */
export function parseDepthUpdate(payload: unknown, id: InstrumentId): BookDelta {
  const event = object(payload, 'depthUpdate');
  return {
    instrumentId: id,
    firstSequence: num(event.U, 'U'),
    lastSequence: num(event.u, 'u'),
    bids: levelsOf(event.b, 'b'),
    asks: levelsOf(event.a, 'a'),
    timeMs: num(event.E, 'E'),
  };
}

/**
 * Returns the snapshot of a `GET /api/v3/depth` reply; `lastUpdateId` becomes the sequence.
 * Levels with a size of 0 are dropped.
 * @throws {@link @qtp/core!ValidationError} naming the field when the payload is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseDepthSnapshot } from '@qtp/exchange/binance';
 * parseDepthSnapshot({ lastUpdateId: 7, bids: [['99', '1']], asks: [['101', '2']] }, instrumentId('BTCUSDT', 'BINANCE'), 1_700_000_000_000);
 * ```
 */
export function parseDepthSnapshot(
  payload: unknown,
  id: InstrumentId,
  timeMs: number,
): BookSnapshot {
  const body = object(payload, 'depth');
  const keep = (level: BookLevel) => level.size > 0;
  return {
    instrumentId: id,
    sequence: num(body.lastUpdateId, 'lastUpdateId'),
    bids: levelsOf(body.bids, 'bids').filter(keep),
    asks: levelsOf(body.asks, 'asks').filter(keep),
    timeMs,
  };
}

/**
 * Returns the trade of a `trade` stream event; `m` (buyer is maker) means the taker sold.
 * @throws {@link @qtp/core!ValidationError} naming the field when the payload is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseTradeEvent } from '@qtp/exchange/binance';
 * parseTradeEvent({ e: 'trade', E: 2, s: 'BTCUSDT', t: 9, p: '100.5', q: '0.2', T: 1, m: true }, instrumentId('BTCUSDT', 'BINANCE'));
 * ```
 */
export function parseTradeEvent(payload: unknown, id: InstrumentId): TradeTick {
  const event = object(payload, 'trade');
  return {
    instrumentId: id,
    price: decimalNumber(event.p, 'p'),
    size: decimalNumber(event.q, 'q'),
    aggressorSide: event.m === true ? 'SELL' : 'BUY',
    tradeId: String(num(event.t, 't')),
    timeMs: num(event.T, 'T'),
  };
}

/**
 * Returns the trade of a `GET /api/v3/trades` row; `isBuyerMaker` means the taker sold.
 * @throws {@link @qtp/core!ValidationError} naming the field when the row is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseRestTrade } from '@qtp/exchange/binance';
 * parseRestTrade({ id: 9, price: '100.5', qty: '0.2', time: 1, isBuyerMaker: false }, instrumentId('BTCUSDT', 'BINANCE'));
 * ```
 */
export function parseRestTrade(payload: unknown, id: InstrumentId): TradeTick {
  const row = object(payload, 'trade');
  return {
    instrumentId: id,
    price: decimalNumber(row.price, 'price'),
    size: decimalNumber(row.qty, 'qty'),
    aggressorSide: row.isBuyerMaker === true ? 'SELL' : 'BUY',
    tradeId: String(num(row.id, 'id')),
    timeMs: num(row.time, 'time'),
  };
}

/** A kline stream event: the bar so far and whether it is closed (`x`). */
export interface KlineUpdate {
  /** The bar so far. */
  readonly bar: Bar;
  /** True on the final update of the bar. */
  readonly closed: boolean;
}

/**
 * Returns the bar of a `kline` stream event and whether it closed. The bar's close time is the
 * open time plus the interval (Binance's `T` is one millisecond less).
 * @throws {@link @qtp/core!ValidationError} naming the field when the payload is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseKlineEvent } from '@qtp/exchange/binance';
 * const update = parseKlineEvent(payload, instrumentId('BTCUSDT', 'BINANCE'));
 * if (update.closed) console.log(update.bar.close);
 * ```
 */
export function parseKlineEvent(payload: unknown, id: InstrumentId): KlineUpdate {
  const k = object(object(payload, 'kline').k, 'k');
  return {
    bar: {
      instrumentId: id,
      interval: text(k.i, 'k.i') as BarInterval,
      openTimeMs: num(k.t, 'k.t'),
      closeTimeMs: num(k.T, 'k.T') + 1,
      open: decimalNumber(k.o, 'k.o'),
      high: decimalNumber(k.h, 'k.h'),
      low: decimalNumber(k.l, 'k.l'),
      close: decimalNumber(k.c, 'k.c'),
      volume: decimalNumber(k.v, 'k.v'),
    },
    closed: k.x === true,
  };
}

/**
 * Returns the bar of a `GET /api/v3/klines` row (twelve elements: open time, OHLC, volume,
 * close time, ...).
 * @throws {@link @qtp/core!ValidationError} naming the index when the row is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseKlineRow } from '@qtp/exchange/binance';
 * parseKlineRow([0, '1', '2', '0.5', '1.5', '10', 59999, '15', 3, '5', '7', '0'], instrumentId('BTCUSDT', 'BINANCE'), '1m');
 * ```
 */
export function parseKlineRow(row: unknown, id: InstrumentId, interval: BarInterval): Bar {
  if (!Array.isArray(row) || row.length < 7) {
    throw new ValidationError('kline', 'be an array of at least 7 elements', row);
  }
  return {
    instrumentId: id,
    interval,
    openTimeMs: num(row[0], 'kline[0]'),
    closeTimeMs: num(row[6], 'kline[6]') + 1,
    open: decimalNumber(row[1], 'kline[1]'),
    high: decimalNumber(row[2], 'kline[2]'),
    low: decimalNumber(row[3], 'kline[3]'),
    close: decimalNumber(row[4], 'kline[4]'),
    volume: decimalNumber(row[5], 'kline[5]'),
  };
}

/**
 * Returns the quote of a `bookTicker` event, timed `timeMs` (the event carries no time).
 * @throws {@link @qtp/core!ValidationError} naming the field when the payload is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseBookTicker } from '@qtp/exchange/binance';
 * parseBookTicker({ u: 1, s: 'BTCUSDT', b: '99', B: '1', a: '101', A: '2' }, instrumentId('BTCUSDT', 'BINANCE'), 0);
 * ```
 */
export function parseBookTicker(payload: unknown, id: InstrumentId, timeMs: number): QuoteTick {
  const event = object(payload, 'bookTicker');
  return {
    instrumentId: id,
    bidPrice: decimalNumber(event.b, 'b'),
    bidSize: decimalNumber(event.B, 'B'),
    askPrice: decimalNumber(event.a, 'a'),
    askSize: decimalNumber(event.A, 'A'),
    timeMs,
  };
}

const STATUS: Readonly<Record<string, OrderStatus>> = {
  NEW: 'ACCEPTED',
  PENDING_NEW: 'SUBMITTED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED',
};

/**
 * Returns the SDK status of a Binance order status: `NEW` is `ACCEPTED`, `EXPIRED_IN_MATCH`
 * (self-trade prevention) is `EXPIRED`.
 * @throws {@link @qtp/core!ValidationError} for a status Binance does not document
 * @example
 * ```ts
 * import { toOrderStatus } from '@qtp/exchange/binance';
 * toOrderStatus('NEW'); // 'ACCEPTED'
 * ```
 */
export function toOrderStatus(status: string): OrderStatus {
  const mapped = STATUS[status];
  if (mapped === undefined)
    throw new ValidationError('status', 'be a Binance order status', status);
  return mapped;
}

function average(quote: string | undefined, filled: Decimal): Decimal | undefined {
  if (quote === undefined || filled.isZero()) return undefined;
  const total = new Decimal(quote);
  return total.isNegative() ? undefined : total.div(filled);
}

// Binance's order types by the SDK's names; the take-profit kinds have no SDK type, so an order
// of such a kind is reported without its type (and cannot be adopted).
const TYPE: Readonly<Record<string, OrderType>> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
  STOP_LOSS: 'STOP_MARKET',
  STOP_LOSS_LIMIT: 'STOP_LIMIT',
};
const SIDE: Readonly<Record<string, OrderSide>> = { BUY: 'BUY', SELL: 'SELL' };
const TIME_IN_FORCE: Readonly<Record<string, TimeInForce>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' };
const PRICED: ReadonlySet<string> = new Set(['LIMIT', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT']);
const TRIGGERED: ReadonlySet<string> = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT']);
// Binance reports a time in force on every order; only these types are sent one.
const TIMED: ReadonlySet<string> = new Set(['LIMIT', 'STOP_LOSS_LIMIT']);

type OrderTerms = Pick<
  OrderReport,
  'side' | 'type' | 'quantity' | 'price' | 'triggerPrice' | 'timeInForce'
>;

const WIRE_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

// Binance writes 0 for a term an order does not have, so 0 reads as absent.
function above0(value: string | undefined, field: string): Decimal | undefined {
  if (value === undefined) return undefined;
  if (!WIRE_DECIMAL.test(value)) throw new ValidationError(field, 'be a decimal string', value);
  const parsed = new Decimal(value);
  return parsed.isZero() ? undefined : parsed;
}

/**
 * Returns the terms of an order as Binance states them: a price only for the types that carry
 * one (Binance sends `0` for the others), a stop price only for stop types, a time in force only
 * for the types Binance takes one on.
 */
function orderTerms(
  terms: {
    side: string | undefined;
    type: string | undefined;
    quantity: string | undefined;
    price: string | undefined;
    stopPrice: string | undefined;
    timeInForce: string | undefined;
  },
  fields: readonly [quantity: string, price: string, stopPrice: string],
): OrderTerms {
  const out: { -readonly [K in keyof OrderTerms]: OrderTerms[K] } = {};
  const side = terms.side === undefined ? undefined : SIDE[terms.side];
  if (side !== undefined) out.side = side;
  const wireType = terms.type ?? '';
  const type = TYPE[wireType];
  if (type !== undefined) out.type = type;
  const quantity = above0(terms.quantity, fields[0]);
  if (quantity !== undefined) out.quantity = quantity;
  const price = PRICED.has(wireType) ? above0(terms.price, fields[1]) : undefined;
  if (price !== undefined) out.price = price;
  const trigger = TRIGGERED.has(wireType) ? above0(terms.stopPrice, fields[2]) : undefined;
  if (trigger !== undefined) out.triggerPrice = trigger;
  const timeInForce =
    TIMED.has(wireType) && terms.timeInForce !== undefined
      ? TIME_IN_FORCE[terms.timeInForce]
      : undefined;
  if (timeInForce !== undefined) out.timeInForce = timeInForce;
  return out;
}

/**
 * Returns the report of an order object (a placement, cancel or query reply). The client order
 * id is the order's own: `origClientOrderId` of a cancel reply, else `clientOrderId`. The order's
 * terms (side, type, quantity, limit and stop price, time in force) come along when the reply
 * states them (RESULT and FULL replies, queries, open orders); an ACK reply has none.
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { toOrderReport } from '@qtp/exchange/binance';
 * toOrderReport({ symbol: 'BTCUSDT', orderId: 1, clientOrderId: 'a', status: 'NEW', executedQty: '0' }, instrumentId('BTCUSDT', 'BINANCE'), 0);
 * ```
 */
export function toOrderReport(
  order: OrderObjectWire,
  id: InstrumentId,
  fallbackTimeMs: number,
): OrderReport {
  const filled = new Decimal(order.executedQty ?? '0');
  const averagePrice = average(order.cummulativeQuoteQty, filled);
  return {
    instrumentId: id,
    clientOrderId: order.origClientOrderId ?? order.clientOrderId,
    venueOrderId: String(order.orderId),
    status: toOrderStatus(order.status ?? 'NEW'),
    filledQuantity: filled,
    ...(averagePrice === undefined ? {} : { averageFillPrice: averagePrice }),
    timeMs: order.updateTime ?? order.transactTime ?? order.time ?? fallbackTimeMs,
    ...orderTerms(
      {
        side: order.side,
        type: order.type,
        quantity: order.origQty,
        price: order.price,
        stopPrice: order.stopPrice,
        timeInForce: order.timeInForce,
      },
      ['origQty', 'price', 'stopPrice'],
    ),
  };
}

/**
 * Returns the report an `executionReport` describes, with the order's terms (`S`, `o`, `q`, `p`,
 * `P`, `f`); on a cancel the order's own id is `C`.
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { executionReportToOrderReport } from '@qtp/exchange/binance';
 * const report = executionReportToOrderReport(event, instrumentId('BTCUSDT', 'BINANCE'));
 * ```
 */
export function executionReportToOrderReport(
  event: ExecutionReportWire,
  id: InstrumentId,
): OrderReport {
  const filled = new Decimal(event.z);
  const averagePrice = average(event.Z, filled);
  const original = event.C === undefined || event.C === null || event.C === '' ? event.c : event.C;
  return {
    instrumentId: id,
    clientOrderId: original,
    venueOrderId: String(event.i),
    status: toOrderStatus(event.X),
    filledQuantity: filled,
    ...(averagePrice === undefined ? {} : { averageFillPrice: averagePrice }),
    ...(event.X === 'REJECTED' && event.r !== undefined ? { rejectReason: event.r } : {}),
    timeMs: event.T,
    ...orderTerms(
      {
        side: event.S,
        type: event.o,
        quantity: event.q,
        price: event.p,
        stopPrice: event.P,
        timeInForce: event.f,
      },
      ['q', 'p', 'P'],
    ),
  };
}

/**
 * Returns the fill of a `TRADE` execution report, or `undefined` for any other execution type.
 * A fee without an asset (`N` null) is booked as zero in the quote asset.
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { executionReportFill } from '@qtp/exchange/binance';
 * const fill = executionReportFill(event, instrumentId('BTCUSDT', 'BINANCE'), 'USDT');
 * ```
 */
export function executionReportFill(
  event: ExecutionReportWire,
  id: InstrumentId,
  quoteAsset: string,
): Fill | undefined {
  if (event.x !== 'TRADE' || event.t < 0) return undefined;
  const original = event.C === undefined || event.C === null || event.C === '' ? event.c : event.C;
  return createFill({
    tradeId: String(event.t),
    clientOrderId: original,
    venueOrderId: String(event.i),
    instrumentId: id,
    side: event.S === 'SELL' ? 'SELL' : 'BUY',
    price: event.L,
    quantity: event.l,
    fee: createMoney(event.n ?? '0', event.N ?? quoteAsset),
    liquiditySide: event.m === true ? 'MAKER' : 'TAKER',
    timeMs: event.T,
  });
}

/**
 * Returns the fill of a `GET /api/v3/myTrades` row, for an order whose client order id the
 * caller knows (the row carries only the venue's order id).
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { myTradeToFill } from '@qtp/exchange/binance';
 * const fill = myTradeToFill(row, instrumentId('BTCUSDT', 'BINANCE'), 'qtp-1');
 * ```
 */
export function myTradeToFill(row: MyTradeWire, id: InstrumentId, clientOrderId: string): Fill {
  return createFill({
    tradeId: String(row.id),
    clientOrderId,
    venueOrderId: String(row.orderId),
    instrumentId: id,
    side: row.isBuyer ? 'BUY' : 'SELL',
    price: row.price,
    quantity: row.qty,
    fee: createMoney(row.commission, row.commissionAsset),
    liquiditySide: row.isMaker ? 'MAKER' : 'TAKER',
    timeMs: row.time,
  });
}

/**
 * Returns the balance of an account row (`{asset, free, locked}`), exact.
 * @example
 * ```ts
 * import { toBalance } from '@qtp/exchange/binance';
 * toBalance({ asset: 'USDT', free: '10.5', locked: '0' }).free.toString(); // '10.5'
 * ```
 */
export function toBalance(row: { asset: string; free: string; locked: string }): Balance {
  return { asset: row.asset, free: new Decimal(row.free), locked: new Decimal(row.locked) };
}

interface SymbolFilters {
  readonly filterType: string;
  readonly minPrice?: string | undefined;
  readonly maxPrice?: string | undefined;
  readonly tickSize?: string | undefined;
  readonly minQty?: string | undefined;
  readonly maxQty?: string | undefined;
  readonly stepSize?: string | undefined;
  readonly minNotional?: string | undefined;
}

function positive(value: string | undefined): string | undefined {
  return value === undefined || new Decimal(value).isZero() ? undefined : value;
}

/**
 * Returns the instrument of an `exchangeInfo` symbol: tick and lot from `PRICE_FILTER` and
 * `LOT_SIZE`, the minimum notional from `NOTIONAL` or the legacy `MIN_NOTIONAL`; a bound of 0 is
 * no bound.
 * @throws {@link @qtp/core!ValidationError} when the symbol has no tick size or step size
 * @example
 * ```ts
 * import { symbolToInstrument } from '@qtp/exchange/binance';
 * const instrument = symbolToInstrument(symbolInfo, 'BINANCE');
 * ```
 */
export function symbolToInstrument(
  symbol: {
    symbol: string;
    baseAsset: string;
    quoteAsset: string;
    filters: readonly SymbolFilters[];
  },
  venue: string,
  fees: { makerFee?: string; takerFee?: string } = {},
): Instrument {
  const filter = (type: string) => symbol.filters.find((entry) => entry.filterType === type);
  const price = filter('PRICE_FILTER');
  const lot = filter('LOT_SIZE');
  const notional = filter('NOTIONAL') ?? filter('MIN_NOTIONAL');
  const tick = positive(price?.tickSize);
  const step = positive(lot?.stepSize);
  if (tick === undefined)
    throw new ValidationError(
      `${symbol.symbol}.PRICE_FILTER.tickSize`,
      'be above 0',
      price?.tickSize,
    );
  if (step === undefined)
    throw new ValidationError(`${symbol.symbol}.LOT_SIZE.stepSize`, 'be above 0', lot?.stepSize);
  const minQuantity = positive(lot?.minQty);
  const maxQuantity = positive(lot?.maxQty);
  const minPrice = positive(price?.minPrice);
  const maxPrice = positive(price?.maxPrice);
  const minNotional = positive(notional?.minNotional);
  return new Instrument({
    id: instrumentId(symbol.symbol, venue),
    baseAsset: symbol.baseAsset,
    quoteAsset: symbol.quoteAsset,
    priceIncrement: new Decimal(tick),
    sizeIncrement: new Decimal(step),
    ...(minQuantity === undefined ? {} : { minQuantity }),
    ...(maxQuantity === undefined ? {} : { maxQuantity }),
    ...(minPrice === undefined ? {} : { minPrice }),
    ...(maxPrice === undefined ? {} : { maxPrice }),
    ...(minNotional === undefined ? {} : { minNotional }),
    ...(fees.makerFee === undefined ? {} : { makerFee: fees.makerFee }),
    ...(fees.takerFee === undefined ? {} : { takerFee: fees.takerFee }),
  });
}
