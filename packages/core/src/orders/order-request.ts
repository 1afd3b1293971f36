import { z } from 'zod';
import { type Decimal, type DecimalInput, formatDecimal, toDecimal } from '../decimal.js';
import { isQtpError, ValidationError, type ValidationIssue } from '../errors.js';
import {
  type ClientOrderId,
  type InstrumentId,
  isClientOrderId,
  parseInstrumentId,
} from '../identifiers.js';
import { decimalStringSchema, parseWith } from '../zod-errors.js';
import {
  checkTimeMs,
  ORDER_SIDES,
  ORDER_TYPES,
  type OrderSide,
  type OrderType,
  TIMES_IN_FORCE,
  type TimeInForce,
} from './order-types.js';

/**
 * What a strategy or the OMS asks for: an order not yet sent. Build one with
 * {@link createOrderRequest}, which checks the structural rules; the instrument's trading rules
 * (tick, step, minimums) are checked by `Instrument.validateOrder`.
 */
export interface OrderRequest {
  /** The instrument to trade. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** How the order executes. */
  readonly type: OrderType;
  /** The quantity in the base asset, greater than 0. */
  readonly quantity: Decimal;
  /** The limit price: present for LIMIT, STOP_LIMIT and LIMIT_MAKER, absent otherwise. */
  readonly price?: Decimal;
  /** The trigger price: present for STOP_MARKET and STOP_LIMIT, absent otherwise. */
  readonly triggerPrice?: Decimal;
  /** How long the order stays working. */
  readonly timeInForce: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds; present for GTD only. */
  readonly expireTimeMs?: number;
  /** Whether the order may only reduce a position. */
  readonly reduceOnly?: boolean;
  /** The client order id, when the caller chose one; the OMS assigns one otherwise. */
  readonly clientOrderId?: ClientOrderId;
  /** Free labels for the caller's bookkeeping, such as the strategy name. */
  readonly tags?: readonly string[];
}

/**
 * The input of {@link createOrderRequest}: an {@link OrderRequest} whose decimals may be strings
 * and whose time in force may be left out (IOC for a market order, GTC otherwise).
 */
export interface OrderRequestInput {
  /** The instrument to trade. */
  instrumentId: InstrumentId;
  /** Buy or sell. */
  side: OrderSide;
  /** How the order executes. */
  type: OrderType;
  /** The quantity in the base asset. */
  quantity: DecimalInput;
  /** The limit price. */
  price?: DecimalInput;
  /** The trigger price. */
  triggerPrice?: DecimalInput;
  /** How long the order stays working (default IOC for MARKET, GTC otherwise). */
  timeInForce?: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds. */
  expireTimeMs?: number;
  /** Whether the order may only reduce a position. */
  reduceOnly?: boolean;
  /** The client order id. */
  clientOrderId?: ClientOrderId;
  /** Free labels. */
  tags?: readonly string[];
}

/** The JSON form of an {@link OrderRequest}: decimals as strings. */
export interface OrderRequestJson {
  /** The instrument id, `SYMBOL.VENUE`. */
  instrumentId: string;
  /** Buy or sell. */
  side: OrderSide;
  /** How the order executes. */
  type: OrderType;
  /** The quantity as a decimal string. */
  quantity: string;
  /** The limit price as a decimal string. */
  price?: string;
  /** The trigger price as a decimal string. */
  triggerPrice?: string;
  /** How long the order stays working. */
  timeInForce: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds. */
  expireTimeMs?: number;
  /** Whether the order may only reduce a position. */
  reduceOnly?: boolean;
  /** The client order id. */
  clientOrderId?: string;
  /** Free labels. */
  tags?: string[];
}

const NEEDS_PRICE: readonly OrderType[] = ['LIMIT', 'STOP_LIMIT', 'LIMIT_MAKER'];
const NEEDS_TRIGGER: readonly OrderType[] = ['STOP_MARKET', 'STOP_LIMIT'];

function defaultTimeInForce(type: OrderType): TimeInForce {
  // A market order never rests on the book, so "good till canceled" would mean nothing.
  return type === 'MARKET' ? 'IOC' : 'GTC';
}

function read<T>(issues: ValidationIssue[], action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    issues.push(...(error as ValidationError).issues);
    return undefined;
  }
}

function positiveDecimal(
  issues: ValidationIssue[],
  field: string,
  value: DecimalInput | undefined,
): Decimal | undefined {
  if (value === undefined) return undefined;
  const result = read(issues, () => toDecimal(value, field));
  if (result?.lte(0)) {
    issues.push({ field, rule: 'be greater than 0', value });
    return undefined;
  }
  return result;
}

function member<T extends string>(
  issues: ValidationIssue[],
  field: string,
  values: readonly T[],
  value: unknown,
): T | undefined {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  issues.push({ field, rule: `be one of ${values.join(', ')}`, value });
  return undefined;
}

/**
 * Returns every structural rule the request breaks, or an empty list: a LIMIT, STOP_LIMIT or
 * LIMIT_MAKER order needs a price and a MARKET or STOP_MARKET order has none; a STOP_MARKET or
 * STOP_LIMIT order needs a trigger price and no other type has one; a GTD order needs an expiry
 * time and no other time in force has one; a MARKET order is IOC or FOK; a LIMIT_MAKER order is
 * GTC or GTD; quantities and prices are finite decimals greater than 0.
 *
 * @example
 * ```ts
 * import { instrumentId, validateOrderRequest } from '@qtp/core';
 * validateOrderRequest({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), side: 'BUY', type: 'LIMIT', quantity: '0.1',
 * }); // [{ field: 'price', rule: 'be present for a LIMIT order', value: undefined }]
 * ```
 */
export function validateOrderRequest(request: OrderRequestInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  read(issues, () => parseInstrumentId(request.instrumentId));
  member(issues, 'side', ORDER_SIDES, request.side);
  const type = member(issues, 'type', ORDER_TYPES, request.type);
  const timeInForce =
    request.timeInForce === undefined
      ? type && defaultTimeInForce(type)
      : member(issues, 'timeInForce', TIMES_IN_FORCE, request.timeInForce);
  positiveDecimal(issues, 'quantity', request.quantity);
  if (request.quantity === undefined) {
    issues.push({ field: 'quantity', rule: 'be present', value: undefined });
  }
  positiveDecimal(issues, 'price', request.price);
  positiveDecimal(issues, 'triggerPrice', request.triggerPrice);
  if (type !== undefined) {
    const needsPrice = NEEDS_PRICE.includes(type);
    if (needsPrice && request.price === undefined) {
      issues.push({ field: 'price', rule: `be present for a ${type} order`, value: undefined });
    } else if (!needsPrice && request.price !== undefined) {
      issues.push({ field: 'price', rule: `be absent for a ${type} order`, value: request.price });
    }
    const needsTrigger = NEEDS_TRIGGER.includes(type);
    if (needsTrigger && request.triggerPrice === undefined) {
      issues.push({
        field: 'triggerPrice',
        rule: `be present for a ${type} order`,
        value: undefined,
      });
    } else if (!needsTrigger && request.triggerPrice !== undefined) {
      const rule = `be absent for a ${type} order`;
      issues.push({ field: 'triggerPrice', rule, value: request.triggerPrice });
    }
    if (type === 'MARKET' && timeInForce !== undefined && !['IOC', 'FOK'].includes(timeInForce)) {
      issues.push({
        field: 'timeInForce',
        rule: 'be IOC or FOK for a MARKET order',
        value: timeInForce,
      });
    }
    if (
      type === 'LIMIT_MAKER' &&
      timeInForce !== undefined &&
      !['GTC', 'GTD'].includes(timeInForce)
    ) {
      const rule = 'be GTC or GTD for a LIMIT_MAKER order, which rests on the book';
      issues.push({ field: 'timeInForce', rule, value: timeInForce });
    }
  }
  if (timeInForce === 'GTD' && request.expireTimeMs === undefined) {
    issues.push({ field: 'expireTimeMs', rule: 'be present for a GTD order', value: undefined });
  } else if (timeInForce !== 'GTD' && request.expireTimeMs !== undefined) {
    const rule = `be absent unless the time in force is GTD`;
    issues.push({ field: 'expireTimeMs', rule, value: request.expireTimeMs });
  }
  if (request.expireTimeMs !== undefined) {
    read(issues, () => checkTimeMs(request.expireTimeMs, 'expireTimeMs'));
  }
  if (request.reduceOnly !== undefined && typeof request.reduceOnly !== 'boolean') {
    issues.push({ field: 'reduceOnly', rule: 'be a boolean', value: request.reduceOnly });
  }
  if (request.clientOrderId !== undefined && !isClientOrderId(request.clientOrderId)) {
    const rule = 'be 1 to 36 characters of A-Z a-z 0-9 - _';
    issues.push({ field: 'clientOrderId', rule, value: request.clientOrderId });
  }
  if (request.tags !== undefined) {
    if (!Array.isArray(request.tags)) {
      issues.push({ field: 'tags', rule: 'be a list of strings', value: request.tags });
    } else {
      request.tags.forEach((tag, index) => {
        if (typeof tag !== 'string' || tag === '') {
          issues.push({ field: `tags[${index}]`, rule: 'be a non-empty string', value: tag });
        }
      });
    }
  }
  return issues;
}

/**
 * Returns a checked, immutable {@link OrderRequest}, with the default time in force filled in.
 *
 * @throws {@link ValidationError} listing every structural rule the input breaks
 * @example
 * ```ts
 * import { createOrderRequest, instrumentId } from '@qtp/core';
 * const request = createOrderRequest({
 *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
 *   side: 'BUY',
 *   type: 'LIMIT',
 *   quantity: '0.01',
 *   price: '27000.10',
 * });
 * request.timeInForce; // 'GTC'
 * ```
 */
export function createOrderRequest(input: OrderRequestInput): OrderRequest {
  const issues = validateOrderRequest(input);
  if (issues.length > 0) throw new ValidationError(issues);
  const request: {
    -readonly [K in keyof OrderRequest]: OrderRequest[K];
  } = {
    instrumentId: input.instrumentId,
    side: input.side,
    type: input.type,
    quantity: toDecimal(input.quantity, 'quantity'),
    timeInForce: input.timeInForce ?? defaultTimeInForce(input.type),
  };
  if (input.price !== undefined) request.price = toDecimal(input.price, 'price');
  if (input.triggerPrice !== undefined) {
    request.triggerPrice = toDecimal(input.triggerPrice, 'triggerPrice');
  }
  if (input.expireTimeMs !== undefined) {
    request.expireTimeMs = checkTimeMs(input.expireTimeMs, 'expireTimeMs');
  }
  if (input.reduceOnly !== undefined) request.reduceOnly = input.reduceOnly;
  if (input.clientOrderId !== undefined) request.clientOrderId = input.clientOrderId;
  if (input.tags !== undefined) request.tags = Object.freeze([...input.tags]);
  return Object.freeze(request);
}

/** Returns the JSON form of a request, with decimals as plain strings. */
export function orderRequestToJSON(request: OrderRequest): OrderRequestJson {
  const json: OrderRequestJson = {
    instrumentId: request.instrumentId,
    side: request.side,
    type: request.type,
    quantity: formatDecimal(request.quantity),
    timeInForce: request.timeInForce,
  };
  if (request.price !== undefined) json.price = formatDecimal(request.price);
  if (request.triggerPrice !== undefined) json.triggerPrice = formatDecimal(request.triggerPrice);
  if (request.expireTimeMs !== undefined) json.expireTimeMs = request.expireTimeMs;
  if (request.reduceOnly !== undefined) json.reduceOnly = request.reduceOnly;
  if (request.clientOrderId !== undefined) json.clientOrderId = request.clientOrderId;
  if (request.tags !== undefined) json.tags = [...request.tags];
  return json;
}

/** The zod schema of {@link OrderRequestJson}; the structural rules are checked after parsing. */
export const orderRequestJsonSchema: z.ZodType<OrderRequestJson> = z.strictObject({
  instrumentId: z.string(),
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  quantity: decimalStringSchema,
  price: decimalStringSchema.exactOptional(),
  triggerPrice: decimalStringSchema.exactOptional(),
  timeInForce: z.enum(TIMES_IN_FORCE),
  expireTimeMs: z.number().int().nonnegative().exactOptional(),
  reduceOnly: z.boolean().exactOptional(),
  clientOrderId: z.string().exactOptional(),
  tags: z.array(z.string()).exactOptional(),
});

/**
 * Parses the JSON form of an order request, as a message or a journal carries it.
 *
 * @throws {@link ValidationError} naming every malformed field or broken structural rule
 * @example
 * ```ts
 * import { parseOrderRequest } from '@qtp/core';
 * const request = parseOrderRequest({
 *   instrumentId: 'BTCUSDT.BINANCE', side: 'SELL', type: 'MARKET', quantity: '0.5', timeInForce: 'IOC',
 * });
 * ```
 */
export function parseOrderRequest(input: unknown): OrderRequest {
  const json = parseWith(orderRequestJsonSchema, input);
  const { instrumentId, ...rest } = json;
  return createOrderRequest({ ...rest, instrumentId: instrumentId as InstrumentId });
}
