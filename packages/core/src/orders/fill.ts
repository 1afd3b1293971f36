import * as z from 'zod';
import { type Decimal, type DecimalInput, formatDecimal, toDecimal } from '../decimal.js';
import { isQtpError, ValidationError, type ValidationIssue } from '../errors.js';
import {
  type ClientOrderId,
  type InstrumentId,
  isClientOrderId,
  parseInstrumentId,
} from '../identifiers.js';
import { createMoney, type Money, type MoneyJson, moneyJsonSchema, moneyToJSON } from '../money.js';
import { decimalStringSchema, parseWith } from '../zod-errors.js';
import {
  checkMember,
  checkTimeMs,
  LIQUIDITY_SIDES,
  type LiquiditySide,
  ORDER_SIDES,
  type OrderSide,
} from './order-types.js';

/** One execution of (part of) an order at the venue: a trade. Immutable; build with {@link createFill}. */
export interface Fill {
  /** The venue's trade id, unique per instrument; a repeated trade id is the same fill. */
  readonly tradeId: string;
  /** The client order id of the order filled. */
  readonly clientOrderId: ClientOrderId;
  /** The venue's id of the order filled. */
  readonly venueOrderId: string;
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** The side of the order filled. */
  readonly side: OrderSide;
  /** The execution price, greater than 0. */
  readonly price: Decimal;
  /** The quantity executed in the base asset, greater than 0. */
  readonly quantity: Decimal;
  /** The fee charged, in the asset the venue charged it in; negative for a rebate. */
  readonly fee: Money;
  /** Whether the fill added or took liquidity. */
  readonly liquiditySide: LiquiditySide;
  /** When the trade happened at the venue, in epoch milliseconds. */
  readonly timeMs: number;
}

/** The input of {@link createFill}: a {@link Fill} whose price and quantity may be strings. */
export interface FillInput extends Omit<Fill, 'price' | 'quantity'> {
  /** The execution price. */
  readonly price: DecimalInput;
  /** The quantity executed. */
  readonly quantity: DecimalInput;
}

/** The JSON form of a {@link Fill}: decimals as strings. */
export interface FillJson {
  /** The venue's trade id. */
  tradeId: string;
  /** The client order id. */
  clientOrderId: string;
  /** The venue's order id. */
  venueOrderId: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  instrumentId: string;
  /** The side of the order filled. */
  side: OrderSide;
  /** The execution price as a decimal string. */
  price: string;
  /** The quantity as a decimal string. */
  quantity: string;
  /** The fee. */
  fee: MoneyJson;
  /** Whether the fill added or took liquidity. */
  liquiditySide: LiquiditySide;
  /** When the trade happened, in epoch milliseconds. */
  timeMs: number;
}

function attempt<T>(issues: ValidationIssue[], action: () => T, prefix?: string): T | undefined {
  try {
    return action();
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    for (const issue of (error as ValidationError).issues) {
      issues.push(prefix === undefined ? issue : { ...issue, field: `${prefix}.${issue.field}` });
    }
    return undefined;
  }
}

function nonEmpty(issues: ValidationIssue[], field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    issues.push({ field, rule: 'be a non-empty string', value });
  }
}

/**
 * Returns a checked, immutable {@link Fill}.
 *
 * @throws {@link ValidationError} listing every bad field: ids, a price or quantity that is not a
 * finite decimal greater than 0, a malformed fee, a bad time
 * @example
 * ```ts
 * import { createFill, createMoney, instrumentId } from '@qtp/core';
 * const fill = createFill({
 *   tradeId: 't-1', clientOrderId: 'qtp-1', venueOrderId: '8812', side: 'BUY',
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), price: '27000.1', quantity: '0.01',
 *   fee: createMoney('0.0270001', 'USDT'), liquiditySide: 'TAKER', timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export function createFill(input: FillInput): Fill {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('(root)', 'be a fill object', input);
  }
  const issues: ValidationIssue[] = [];
  nonEmpty(issues, 'tradeId', input.tradeId);
  if (!isClientOrderId(input.clientOrderId)) {
    const rule = 'be 1 to 36 characters of A-Z a-z 0-9 - _';
    issues.push({ field: 'clientOrderId', rule, value: input.clientOrderId });
  }
  nonEmpty(issues, 'venueOrderId', input.venueOrderId);
  attempt(issues, () => parseInstrumentId(input.instrumentId));
  attempt(issues, () => checkMember(ORDER_SIDES, input.side, 'side'));
  attempt(issues, () => checkMember(LIQUIDITY_SIDES, input.liquiditySide, 'liquiditySide'));
  const price = attempt(issues, () => toDecimal(input.price, 'price'));
  if (price?.lte(0)) issues.push({ field: 'price', rule: 'be greater than 0', value: input.price });
  const quantity = attempt(issues, () => toDecimal(input.quantity, 'quantity'));
  if (quantity?.lte(0)) {
    issues.push({ field: 'quantity', rule: 'be greater than 0', value: input.quantity });
  }
  let fee: Money | undefined;
  if (typeof input.fee !== 'object' || input.fee === null) {
    issues.push({ field: 'fee', rule: 'be a Money', value: input.fee });
  } else {
    fee = attempt(issues, () => createMoney(input.fee.amount, input.fee.currency), 'fee');
  }
  const timeMs = attempt(issues, () => checkTimeMs(input.timeMs, 'timeMs'));
  if (issues.length > 0) throw new ValidationError(issues);
  return Object.freeze({
    tradeId: input.tradeId,
    clientOrderId: input.clientOrderId,
    venueOrderId: input.venueOrderId,
    instrumentId: input.instrumentId,
    side: input.side,
    price: price!,
    quantity: quantity!,
    fee: fee!,
    liquiditySide: input.liquiditySide,
    timeMs: timeMs!,
  });
}

/** Returns the JSON form of a fill, with decimals as plain strings. */
export function fillToJSON(fill: Fill): FillJson {
  return {
    tradeId: fill.tradeId,
    clientOrderId: fill.clientOrderId,
    venueOrderId: fill.venueOrderId,
    instrumentId: fill.instrumentId,
    side: fill.side,
    price: formatDecimal(fill.price),
    quantity: formatDecimal(fill.quantity),
    fee: moneyToJSON(fill.fee),
    liquiditySide: fill.liquiditySide,
    timeMs: fill.timeMs,
  };
}

/** The zod schema of {@link FillJson}. */
export const fillJsonSchema: z.ZodType<FillJson> = z.strictObject({
  tradeId: z.string(),
  clientOrderId: z.string(),
  venueOrderId: z.string(),
  instrumentId: z.string(),
  side: z.enum(ORDER_SIDES),
  price: decimalStringSchema,
  quantity: decimalStringSchema,
  fee: moneyJsonSchema,
  liquiditySide: z.enum(LIQUIDITY_SIDES),
  timeMs: z.number().int().nonnegative(),
});

/**
 * Parses the JSON form of a fill, as a journal or a message carries it.
 *
 * @throws {@link ValidationError} naming every malformed field
 * @example
 * ```ts
 * import { fillToJSON, parseFill } from '@qtp/core';
 * const copy = parseFill(JSON.parse(JSON.stringify(fillToJSON(fill))));
 * ```
 */
export function parseFill(input: unknown): Fill {
  const json = parseWith(fillJsonSchema, input);
  return createFill({
    ...json,
    instrumentId: json.instrumentId as InstrumentId,
    fee: createMoney(json.fee.amount, json.fee.currency),
  });
}

/** Returns the notional of a fill: price times quantity, in the quote asset. */
export function fillNotional(fill: Fill): Decimal {
  return fill.price.times(fill.quantity);
}
