/**
 * The QTP error hierarchy: one root, {@link QtpError}, and two families. Retryable errors
 * (network, timeout, rate limit, venue unavailable) may succeed when tried again; definitive
 * errors (validation, invalid order, insufficient funds, unknown order or symbol, authentication)
 * will not.
 */

const QTP_ERROR_BRAND = Symbol.for('@qtp/core/QtpError');

/** Every stable error code the SDK raises, in one list. Codes never change meaning once published. */
export const QTP_ERROR_CODES = [
  'VALIDATION',
  'INVALID_ORDER_TRANSITION',
  'NETWORK',
  'TIMEOUT',
  'RATE_LIMIT',
  'EXCHANGE_UNAVAILABLE',
  'INVALID_ORDER',
  'INSUFFICIENT_FUNDS',
  'ORDER_NOT_FOUND',
  'UNKNOWN_SYMBOL',
  'AUTHENTICATION',
  'ORDER_STATE_UNKNOWN',
  'CONCURRENCY_CONFLICT',
  'CIRCUIT_OPEN',
  'BULKHEAD_REJECTED',
  'CONFIGURATION',
  'BUS_RECURSION_LIMIT',
  'INTERNAL',
] as const;

/** A stable error code the SDK raises; see {@link QTP_ERROR_CODES}. */
export type QtpErrorCode = (typeof QTP_ERROR_CODES)[number];

/** Options shared by every {@link QtpError} constructor. */
export interface QtpErrorOptions {
  /** The error that caused this one, kept as the standard `cause`. */
  cause?: unknown;
  /** Structured context for logs and callers (ids, venue, symbol). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The root of every error QTP throws.
 *
 * Recognise one with {@link isQtpError} rather than `instanceof`, which fails across two
 * installed copies of the package or across its ESM and CJS builds.
 *
 * @example
 * ```ts
 * import { isQtpError } from '@qtp/core';
 * try {
 *   await placeOrder();
 * } catch (error) {
 *   if (isQtpError(error) && error.retryable) scheduleRetry();
 * }
 * ```
 */
export class QtpError extends Error {
  /** The stable, machine-readable code. */
  readonly code: QtpErrorCode;
  /** Whether trying the same operation again may succeed. */
  readonly retryable: boolean;
  /** Structured context: ids, venue, symbol, anything a caller or a log needs. */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * Creates an error with a code and a retryable flag.
   * @param code - the stable error code
   * @param message - a human-readable message
   * @param retryable - whether trying again may succeed
   * @param options - cause and structured details
   */
  constructor(
    code: QtpErrorCode,
    message: string,
    retryable: boolean,
    options: QtpErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.details = options.details ?? {};
    Object.defineProperty(this, QTP_ERROR_BRAND, { value: true, enumerable: false });
  }

  /** Returns a plain object for logs and messages: name, code, message, retryable and details. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

/**
 * Returns true when `error` is a {@link QtpError}, optionally with the given code.
 *
 * Checks a `Symbol.for` brand, so it holds across installed copies and module formats.
 *
 * @example
 * ```ts
 * import { isQtpError } from '@qtp/core';
 * if (isQtpError(error, 'RATE_LIMIT')) console.log(error.details);
 * ```
 */
export function isQtpError(error: unknown, code?: QtpErrorCode): error is QtpError {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[QTP_ERROR_BRAND] !== true) return false;
  return code === undefined || (error as QtpError).code === code;
}

/** Returns true when `error` is a QTP error marked retryable. Non-QTP errors are not retryable. */
export function isRetryableError(error: unknown): boolean {
  return isQtpError(error) && error.retryable;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Error) return value.message;
  try {
    const text =
      typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** One violated rule: the field, the rule in words, and the offending value. */
export interface ValidationIssue {
  /** The field's path, dotted: `quantity`, `risk.maxNotional`, `levels[3].price`. */
  readonly field: string;
  /** The rule, worded to follow "must": `be a multiple of the lot size 0.001`. */
  readonly rule: string;
  /** The value that broke the rule. */
  readonly value: unknown;
}

/**
 * Bad input: names the field, the rule and the value, for example
 * `quantity: must be a multiple of the step 0.001, was 0.0015`. When several rules are broken at
 * once, `issues` lists them all and the first is also exposed as `field`, `rule` and `value`.
 */
export class ValidationError extends QtpError {
  /** The first offending field. */
  readonly field: string;
  /** The first broken rule. */
  readonly rule: string;
  /** The first offending value. */
  readonly value: unknown;
  /** Every broken rule, in the order found. */
  readonly issues: readonly ValidationIssue[];

  /**
   * Creates a validation error for one field, or for several issues at once.
   * @param field - the offending field, or a non-empty list of issues
   * @param rule - the rule, worded to follow "must" (ignored when `field` is a list)
   * @param value - the offending value (ignored when `field` is a list)
   */
  constructor(
    field: string | readonly ValidationIssue[],
    rule?: string,
    value?: unknown,
    options: QtpErrorOptions = {},
  ) {
    const issues: readonly ValidationIssue[] =
      typeof field === 'string' ? [{ field, rule: rule ?? 'be valid', value }] : field;
    const first = issues[0] ?? { field: '(root)', rule: 'be valid', value: undefined };
    const message = issues
      .map((issue) => `${issue.field}: must ${issue.rule}, was ${describeValue(issue.value)}`)
      .join('; ');
    super('VALIDATION', message, false, options);
    this.field = first.field;
    this.rule = first.rule;
    this.value = first.value;
    this.issues = issues;
  }
}

/** Thrown when an order is asked to move between two states the state machine does not link. */
export class InvalidOrderTransitionError extends QtpError {
  /** The state the order was in. */
  readonly from: string;
  /** The state or event that was refused. */
  readonly to: string;

  /** Creates the error for a refused move from `from` to `to`. */
  constructor(from: string, to: string, options: QtpErrorOptions = {}) {
    super('INVALID_ORDER_TRANSITION', `illegal order transition ${from} -> ${to}`, false, options);
    this.from = from;
    this.to = to;
  }
}

/** A network failure (connection reset, DNS, socket closed). Retryable. */
export class NetworkError extends QtpError {
  /** Creates a retryable network error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('NETWORK', message, true, options);
  }
}

/** An operation ran out of time. Retryable, except for order placement (see {@link OrderStateUnknownError}). */
export class TimeoutError extends QtpError {
  /** The time limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates a retryable timeout error. */
  constructor(message: string, timeoutMs: number, options: QtpErrorOptions = {}) {
    super('TIMEOUT', message, true, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The venue refused a request for exceeding its rate limits. Retryable after `retryAfterMs`. */
export class RateLimitError extends QtpError {
  /** How long the venue asked us to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  /** Creates a retryable rate-limit error. */
  constructor(message: string, retryAfterMs?: number, options: QtpErrorOptions = {}) {
    super('RATE_LIMIT', message, true, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The venue is down, in maintenance or answered with a 5xx. Retryable. */
export class ExchangeUnavailableError extends QtpError {
  /** Creates a retryable venue-unavailable error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('EXCHANGE_UNAVAILABLE', message, true, options);
  }
}

/** The venue or the OMS refused an order as invalid. Definitive. */
export class InvalidOrderError extends QtpError {
  /** Creates a definitive invalid-order error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('INVALID_ORDER', message, false, options);
  }
}

/** The account lacks the balance an order or a fill needs. Definitive. */
export class InsufficientFundsError extends QtpError {
  /** Creates a definitive insufficient-funds error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('INSUFFICIENT_FUNDS', message, false, options);
  }
}

/** No order with the given id is known. Definitive. */
export class OrderNotFoundError extends QtpError {
  /** Creates a definitive order-not-found error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('ORDER_NOT_FOUND', message, false, options);
  }
}

/** The symbol or instrument is not listed on the venue. Definitive. */
export class UnknownSymbolError extends QtpError {
  /** The symbol that was asked for. */
  readonly symbol: string;

  /** Creates a definitive unknown-symbol error. */
  constructor(symbol: string, options: QtpErrorOptions = {}) {
    super('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`, false, options);
    this.symbol = symbol;
  }
}

/** The credentials were refused or a signature was invalid. Definitive. */
export class AuthenticationError extends QtpError {
  /** Creates a definitive authentication error. */
  constructor(message: string, options: QtpErrorOptions = {}) {
    super('AUTHENTICATION', message, false, options);
  }
}

/**
 * A placement whose outcome is unknown: the request may or may not have reached the venue (a
 * timeout, or a connection reset after sending). It is never retryable: sending the order again
 * could fill it twice. Resolve it by looking the order up by its client order id.
 */
export class OrderStateUnknownError extends QtpError {
  /** The client order id to look the order up by. */
  readonly clientOrderId: string;

  /** Creates the error for the order with the given client order id. */
  constructor(clientOrderId: string, message?: string, options: QtpErrorOptions = {}) {
    super(
      'ORDER_STATE_UNKNOWN',
      message ?? `outcome of order ${clientOrderId} is unknown; look it up, never resend it`,
      false,
      options,
    );
    this.clientOrderId = clientOrderId;
  }
}

/** What a {@link ConcurrencyConflictError} is about: the entity, its id and the two versions. */
export interface ConcurrencyConflict {
  /** The kind of entity, such as the collection or table name: `orders`. */
  readonly entity: string;
  /** The entity's id, as text. */
  readonly id: string;
  /** The version the writer expected, or undefined when it expected no entity (an add). */
  readonly expectedVersion: number | undefined;
  /** The version found in the store, or undefined when the entity does not exist. */
  readonly actualVersion: number | undefined;
}

function describeConflict(conflict: ConcurrencyConflict): string {
  const subject = `${conflict.entity} ${conflict.id}`;
  if (conflict.expectedVersion === undefined) {
    return `${subject} already exists (version ${conflict.actualVersion})`;
  }
  if (conflict.actualVersion === undefined) {
    return `${subject} does not exist (expected version ${conflict.expectedVersion})`;
  }
  return `${subject} is at version ${conflict.actualVersion}, expected ${conflict.expectedVersion}`;
}

/**
 * A write lost an optimistic concurrency check: an update or removal carried a stale version, the
 * entity was removed meanwhile, or an add found the id taken. Definitive: repeating the same write
 * fails again; re-read the entity, reapply the change and write once more.
 *
 * @example
 * ```ts
 * import { isQtpError } from '@qtp/core';
 * try {
 *   await orders.update(order);
 * } catch (error) {
 *   if (isQtpError(error, 'CONCURRENCY_CONFLICT')) await retryWithFreshCopy();
 * }
 * ```
 */
export class ConcurrencyConflictError extends QtpError {
  /** The kind of entity, such as the collection or table name. */
  readonly entity: string;
  /** The entity's id, as text. */
  readonly id: string;
  /** The version the writer expected; undefined for an add, which expects no entity. */
  readonly expectedVersion: number | undefined;
  /** The version found; undefined when the entity does not exist. */
  readonly actualVersion: number | undefined;

  /** Creates the error for one conflict; the message is derived from it. */
  constructor(conflict: ConcurrencyConflict, options: QtpErrorOptions = {}) {
    super('CONCURRENCY_CONFLICT', describeConflict(conflict), false, {
      ...options,
      details: { ...conflict, ...options.details },
    });
    this.entity = conflict.entity;
    this.id = conflict.id;
    this.expectedVersion = conflict.expectedVersion;
    this.actualVersion = conflict.actualVersion;
  }
}
