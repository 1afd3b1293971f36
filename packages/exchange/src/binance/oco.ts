import {
  type DecimalInput,
  type InstrumentId,
  InvalidOrderError,
  type OrderReport,
  type OrderSide,
  parseWith,
  toPositiveDecimal,
  ValidationError,
} from '@qtp/core';
import { orderListSchema } from '../binance-protocol/rest-wire.js';
import { toOrderReport } from './parse.js';
import type { BinanceParamValue } from './signing.js';
import { orderObjectSchema } from './wire.js';

/** The order types an OCO leg may have on Binance. */
export type BinanceOcoLegType =
  | 'LIMIT_MAKER'
  | 'STOP_LOSS'
  | 'STOP_LOSS_LIMIT'
  | 'TAKE_PROFIT'
  | 'TAKE_PROFIT_LIMIT';

/** One leg of an OCO: its Binance type, prices and optional extras. */
export interface BinanceOcoLeg {
  /** The leg's Binance order type. */
  readonly type: BinanceOcoLegType;
  /** The limit price: required for `LIMIT_MAKER` and the `*_LIMIT` types. */
  readonly price?: DecimalInput;
  /** The trigger (or, with a trailing delta, activation) price of a stop or take-profit. */
  readonly stopPrice?: DecimalInput;
  /** The trailing distance in basis points. */
  readonly trailingDelta?: number;
  /** The time in force of a `*_LIMIT` leg (default `GTC`). */
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK';
  /** The leg's client order id (generated when absent). */
  readonly clientOrderId?: string;
  /** The visible slice of a limit-priced leg. */
  readonly icebergQty?: DecimalInput;
}

/**
 * An OCO: two orders for one quantity where the one that executes cancels the other. For a sell,
 * the leg above the market is the take-profit (`LIMIT_MAKER` or `TAKE_PROFIT*`) and the leg below
 * the stop (`STOP_LOSS*`); for a buy, the reverse.
 */
export interface BinanceOcoRequest {
  /** The instrument both legs trade. */
  readonly instrumentId: InstrumentId;
  /** The side of both legs. */
  readonly side: OrderSide;
  /** The base quantity of each leg. */
  readonly quantity: DecimalInput;
  /** The leg priced above the last price. */
  readonly above: BinanceOcoLeg;
  /** The leg priced below the last price. */
  readonly below: BinanceOcoLeg;
  /** The list's client id (generated when absent). */
  readonly listClientOrderId?: string;
}

/** What Binance answered to an OCO: the list's ids and the report of each leg. */
export interface BinanceOcoAck {
  /** Binance's id of the list. */
  readonly orderListId: number;
  /** The list's client id. */
  readonly listClientOrderId: string;
  /** The legs as Binance lists them, the lower one first. */
  readonly legs: readonly OrderReport[];
}

const LIMIT_PRICED = new Set<string>(['LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);

function legParams(
  leg: BinanceOcoLeg,
  prefix: 'above' | 'below',
  clientOrderId: string,
): Record<string, BinanceParamValue> {
  const params: Record<string, BinanceParamValue> = {
    [`${prefix}Type`]: leg.type,
    [`${prefix}ClientOrderId`]: clientOrderId,
  };
  if (LIMIT_PRICED.has(leg.type)) {
    if (leg.price === undefined)
      throw new ValidationError(`${prefix}.price`, `be present for a ${leg.type} leg`, undefined);
    params[`${prefix}Price`] = toPositiveDecimal(leg.price, `${prefix}.price`).toFixed();
  } else if (leg.price !== undefined) {
    throw new InvalidOrderError(`${prefix}.price: a ${leg.type} leg has no limit price`);
  }
  if (leg.type !== 'LIMIT_MAKER') {
    if (leg.stopPrice === undefined && leg.trailingDelta === undefined) {
      throw new ValidationError(
        `${prefix}.stopPrice`,
        `be present for a ${leg.type} leg without a trailing delta`,
        undefined,
      );
    }
    if (leg.stopPrice !== undefined)
      params[`${prefix}StopPrice`] = toPositiveDecimal(
        leg.stopPrice,
        `${prefix}.stopPrice`,
      ).toFixed();
    if (leg.trailingDelta !== undefined) {
      if (!Number.isSafeInteger(leg.trailingDelta) || leg.trailingDelta <= 0) {
        throw new ValidationError(
          `${prefix}.trailingDelta`,
          'be a whole number of basis points above 0',
          leg.trailingDelta,
        );
      }
      params[`${prefix}TrailingDelta`] = leg.trailingDelta;
    }
  }
  if (leg.type === 'STOP_LOSS_LIMIT' || leg.type === 'TAKE_PROFIT_LIMIT')
    params[`${prefix}TimeInForce`] = leg.timeInForce ?? 'GTC';
  if (leg.icebergQty !== undefined)
    params[`${prefix}IcebergQty`] = toPositiveDecimal(
      leg.icebergQty,
      `${prefix}.icebergQty`,
    ).toFixed();
  return params;
}

/**
 * Returns the parameters of `orderList.place.oco` / `POST /api/v3/orderList/oco` for a request,
 * with `newOrderRespType=RESULT` so each leg's status comes back.
 * @throws {@link @qtp/core!ValidationError} when the quantity or a price is not above 0, or a leg
 *   lacks the price or trigger its type needs
 * @throws {@link @qtp/core!InvalidOrderError} when a stop or take-profit market leg carries a
 *   limit price
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { toOcoParams } from '@qtp/exchange/binance';
 * toOcoParams(
 *   { instrumentId: instrumentId('BTCUSDT', 'BINANCE'), side: 'SELL', quantity: '0.1',
 *     above: { type: 'LIMIT_MAKER', price: '38000' },
 *     below: { type: 'STOP_LOSS_LIMIT', stopPrice: '37000', price: '36900' } },
 *   'BTCUSDT',
 *   { list: 'qtp-oco-1', above: 'qtp-oco-1-a', below: 'qtp-oco-1-b' },
 * );
 * ```
 */
export function toOcoParams(
  request: BinanceOcoRequest,
  symbol: string,
  ids: { readonly list: string; readonly above: string; readonly below: string },
): Record<string, BinanceParamValue> {
  return {
    symbol,
    side: request.side,
    quantity: toPositiveDecimal(request.quantity, 'quantity').toFixed(),
    listClientOrderId: ids.list,
    ...legParams(request.above, 'above', ids.above),
    ...legParams(request.below, 'below', ids.below),
    newOrderRespType: 'RESULT',
  };
}

/**
 * Reads Binance's reply to an OCO placement into the list's ids and one report per leg.
 * @throws {@link @qtp/core!ValidationError} when the reply is not an order list
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { parseOcoReply } from '@qtp/exchange/binance';
 * const ack = parseOcoReply(JSON.parse(text), instrumentId('BTCUSDT', 'BINANCE'), Date.parse('2026-01-01'));
 * ```
 */
export function parseOcoReply(
  reply: unknown,
  instrumentId: InstrumentId,
  fallbackTimeMs: number,
): BinanceOcoAck {
  const list = parseWith(orderListSchema, reply);
  const legs = (list.orderReports ?? []).map((report) =>
    toOrderReport(parseWith(orderObjectSchema, report), instrumentId, fallbackTimeMs),
  );
  return { orderListId: list.orderListId, listClientOrderId: list.listClientOrderId, legs };
}
