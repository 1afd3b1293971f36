import * as z from 'zod';
import {
  type Decimal,
  type DecimalInput,
  formatDecimal,
  isDecimal,
  toDecimal,
} from '../decimal.js';
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

// The prototype of every request createOrderRequest returns (and of an order's own, see
// `newCheckedRequest`): the mark of a request checked and frozen here, read with one comparison,
// so the OMS, the order and the venue pass it on without a second look. A WeakSet of them cost
// more per order than the checks it saved. The prototype holds nothing; its objects stay plain
// data to every spread, JSON and equality test.
const CHECKED_REQUEST: object = Object.freeze(Object.create(Object.prototype));

type MutableRequest = { -readonly [K in keyof OrderRequest]: OrderRequest[K] };

/**
 * Returns true when `value` is a request {@link createOrderRequest} returned (or an order built
 * from one): checked and frozen, so it is passed on as it is.
 */
export function isCheckedOrderRequest(value: unknown): value is OrderRequest {
  // Frozen too: a clone that keeps the prototype (as some deep-clone helpers do) and was then
  // changed is not what was checked.
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === CHECKED_REQUEST &&
    Object.isFrozen(value)
  );
}

/**
 * Returns an empty request carrying the checked mark, for terms checked elsewhere (an order's
 * own) to be copied into and frozen. Internal to core.
 */
export function newCheckedRequest(): MutableRequest {
  return Object.create(CHECKED_REQUEST) as MutableRequest;
}

// Every key a request may carry. Anything else (`reduce_only`, `timeinforce`, `stopPrice`) is a
// typo or a venue option QTP does not support, and ignoring it would send a different order.
const REQUEST_KEYS: ReadonlySet<string> = new Set([
  'instrumentId',
  'side',
  'type',
  'quantity',
  'price',
  'triggerPrice',
  'timeInForce',
  'expireTimeMs',
  'reduceOnly',
  'clientOrderId',
  'tags',
]);

function isObjectInput(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// `for...in` rather than `Object.keys`, which copies the keys into a new array on every call; an
// inherited enumerable key counts too, and such an input takes the full check.
function hasOnlyRequestKeys(input: object, extraKey: string | undefined): boolean {
  for (const key in input) {
    if (!REQUEST_KEYS.has(key) && key !== extraKey) return false;
  }
  return true;
}
const NEEDS_TRIGGER: readonly OrderType[] = ['STOP_MARKET', 'STOP_LIMIT'];

/** Returns the time in force an order of `type` gets when none is given. */
export function defaultTimeInForce(type: OrderType): TimeInForce {
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

// True when `value` is what toDecimal would return as it is and greater than 0.
function isPositiveDecimal(value: unknown): value is Decimal {
  return isDecimal(value) && value.isFinite() && value.s === 1 && !value.isZero();
}

// True when `value` is a time checkTimeMs keeps as it is: epoch milliseconds, not -0.
function isPlainTimeMs(value: unknown): boolean {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && (value > 0 || Object.is(value, 0))
  );
}

function isInstrumentId(value: unknown): boolean {
  try {
    parseInstrumentId(value as string);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns true when `input` breaks no structural rule and each of its fields is already in the
 * form {@link createOrderRequest} would give it (QTP Decimals, a plain time), so it needs no
 * parsing. A request travels from a strategy through the OMS to the venue, and the full check at
 * every step cost more than the rest of placing it; whatever this does not accept goes through
 * {@link validateOrderRequest}, which names what is wrong. Fields other than a request's are
 * rejected: a request with a key it does not know never counts as checked.
 */
export function hasCheckedTerms(input: OrderRequestInput): boolean {
  return isCheckedOrderRequest(input) || checkedTerms(input, undefined);
}

/**
 * {@link hasCheckedTerms} for the options of a new order: a request plus its `timeMs`, the one
 * key an order's options add (its client order id is a request key already).
 */
export function hasCheckedOrderTerms(
  input: OrderRequestInput & { readonly timeMs: number },
): boolean {
  return checkedTerms(input, 'timeMs');
}

function checkedTerms(input: OrderRequestInput, extraKey: string | undefined): boolean {
  if (!isObjectInput(input) || !hasOnlyRequestKeys(input, extraKey)) return false;
  const { type, price, triggerPrice, expireTimeMs, tags } = input;
  if (input.side !== 'BUY' && input.side !== 'SELL') return false;
  if (!isPositiveDecimal(input.quantity)) return false;
  let timeInForce = input.timeInForce;
  if (timeInForce === undefined) {
    timeInForce = type === 'MARKET' ? 'IOC' : 'GTC';
  } else if (
    timeInForce !== 'GTC' &&
    timeInForce !== 'IOC' &&
    timeInForce !== 'FOK' &&
    timeInForce !== 'GTD'
  ) {
    return false;
  }
  let priced: boolean;
  let triggered: boolean;
  switch (type) {
    case 'MARKET':
      if (timeInForce !== 'IOC' && timeInForce !== 'FOK') return false;
      priced = false;
      triggered = false;
      break;
    case 'LIMIT':
      priced = true;
      triggered = false;
      break;
    case 'STOP_MARKET':
      priced = false;
      triggered = true;
      break;
    case 'STOP_LIMIT':
      priced = true;
      triggered = true;
      break;
    case 'LIMIT_MAKER':
      if (timeInForce !== 'GTC' && timeInForce !== 'GTD') return false;
      priced = true;
      triggered = false;
      break;
    default:
      return false;
  }
  if (priced ? !isPositiveDecimal(price) : price !== undefined) return false;
  if (triggered ? !isPositiveDecimal(triggerPrice) : triggerPrice !== undefined) return false;
  if (timeInForce === 'GTD' ? !isPlainTimeMs(expireTimeMs) : expireTimeMs !== undefined) {
    return false;
  }
  if (input.reduceOnly !== undefined && typeof input.reduceOnly !== 'boolean') return false;
  if (input.clientOrderId !== undefined && !isClientOrderId(input.clientOrderId)) return false;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) return false;
    for (const tag of tags) if (typeof tag !== 'string' || tag === '') return false;
  }
  return isInstrumentId(input.instrumentId);
}

// True when `input`, whose terms are checked, is exactly what createOrderRequest would return
// for it: a frozen plain object with frozen tags, its time in force given, and no field beyond a
// request's (none present but undefined). A request built once is then passed on as it is.
function isFinishedRequest(input: OrderRequestInput): input is OrderRequest {
  if (
    !Object.isFrozen(input) ||
    Object.getPrototypeOf(input) !== Object.prototype ||
    input.timeInForce === undefined ||
    (input.tags !== undefined && !Object.isFrozen(input.tags))
  ) {
    return false;
  }
  // The five fields every checked request has, and the optional ones it carries.
  const present =
    5 +
    Number(input.price !== undefined) +
    Number(input.triggerPrice !== undefined) +
    Number(input.expireTimeMs !== undefined) +
    Number(input.reduceOnly !== undefined) +
    Number(input.clientOrderId !== undefined) +
    Number(input.tags !== undefined);
  return Object.keys(input).length === present;
}

/**
 * Returns every structural rule the request breaks, or an empty list: a LIMIT, STOP_LIMIT or
 * LIMIT_MAKER order needs a price and a MARKET or STOP_MARKET order has none; a STOP_MARKET or
 * STOP_LIMIT order needs a trigger price and no other type has one; a GTD order needs an expiry
 * time and no other time in force has one; a MARKET order is IOC or FOK; a LIMIT_MAKER order is
 * GTC or GTD; quantities and prices are finite decimals greater than 0; an expiry time is epoch
 * milliseconds (a safe integer, 0 or more); and no key outside {@link OrderRequestInput} is
 * present (`reduce_only`, `stopPrice` and the like are refused by name, not ignored). An input
 * that is not an object gives one issue on `(root)`.
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
  if (!isObjectInput(request)) {
    return [{ field: '(root)', rule: 'be an order request object', value: request }];
  }
  for (const key of Object.keys(request)) {
    if (!REQUEST_KEYS.has(key)) {
      const rule = 'be absent: it is not a key of an order request';
      issues.push({ field: key, rule, value: (request as Record<string, unknown>)[key] });
    }
  }
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
 * Returns a checked, immutable {@link OrderRequest}, with the default time in force filled in. A
 * request this returned before is returned as it is.
 *
 * @throws {@link ValidationError} listing every structural rule the input breaks, including
 * every key that is not a request's and an input that is not an object
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
  if (isCheckedOrderRequest(input)) return input;
  if (checkedTerms(input, undefined)) {
    if (isFinishedRequest(input)) return input;
  } else {
    const issues = validateOrderRequest(input);
    if (issues.length > 0) throw new ValidationError(issues);
  }
  const request = newCheckedRequest();
  request.instrumentId = input.instrumentId;
  request.side = input.side;
  request.type = input.type;
  request.quantity = toDecimal(input.quantity, 'quantity');
  request.timeInForce = input.timeInForce ?? defaultTimeInForce(input.type);
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
