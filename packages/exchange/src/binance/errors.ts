import {
  AuthenticationError,
  ExchangeUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  NetworkError,
  OrderNotFoundError,
  OrderStateUnknownError,
  QtpError,
  RateLimitError,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';

/**
 * What a Binance error means to the adapter, one kind per reaction:
 * - `unavailable`: the venue failed before acting; retryable.
 * - `unknownOutcome`: the venue may or may not have acted; an order is looked up, never resent.
 * - `rateLimit`: a limit was hit; wait for the retry-after.
 * - `clock`: the timestamp was refused (the request was not executed); re-sync the clock, retry once.
 * - `authentication`: the key, signature or permissions are wrong.
 * - `badRequest`: the request is malformed; fix the caller.
 * - `invalidOrder`: the order breaks a rule of the venue.
 * - `insufficientFunds`, `orderNotFound`, `unknownSymbol`: as named.
 * - `refine`: a generic code whose message names the reason (`-2010`, `-2011`).
 */
export type BinanceErrorKind =
  | 'unavailable'
  | 'unknownOutcome'
  | 'rateLimit'
  | 'clock'
  | 'authentication'
  | 'badRequest'
  | 'invalidOrder'
  | 'insufficientFunds'
  | 'orderNotFound'
  | 'unknownSymbol'
  | 'refine';

/** One row of {@link BINANCE_ERROR_CODES}. */
export interface BinanceErrorRule {
  /** Binance's name of the code. */
  readonly name: string;
  /** What the code means to the adapter. */
  readonly kind: BinanceErrorKind;
}

/**
 * Every Binance Spot error code the adapter knows, with Binance's name and the adapter's
 * reaction. The one place where venue codes become SDK errors; a code missing here is treated as
 * `unavailable` for 5XX replies and `badRequest` otherwise.
 * @example
 * ```ts
 * import { BINANCE_ERROR_CODES } from '@qtp/exchange/binance';
 * BINANCE_ERROR_CODES[-1021]?.kind; // 'clock'
 * ```
 */
export const BINANCE_ERROR_CODES: Readonly<Record<number, BinanceErrorRule>> = {
  [-1000]: { name: 'UNKNOWN', kind: 'unknownOutcome' },
  [-1001]: { name: 'DISCONNECTED', kind: 'unavailable' },
  [-1002]: { name: 'UNAUTHORIZED', kind: 'authentication' },
  [-1003]: { name: 'TOO_MANY_REQUESTS', kind: 'rateLimit' },
  [-1006]: { name: 'UNEXPECTED_RESP', kind: 'unknownOutcome' },
  [-1007]: { name: 'TIMEOUT', kind: 'unknownOutcome' },
  [-1008]: { name: 'SERVER_BUSY', kind: 'unavailable' },
  [-1013]: { name: 'INVALID_MESSAGE', kind: 'invalidOrder' },
  [-1014]: { name: 'UNKNOWN_ORDER_COMPOSITION', kind: 'invalidOrder' },
  [-1015]: { name: 'TOO_MANY_ORDERS', kind: 'rateLimit' },
  [-1016]: { name: 'SERVICE_SHUTTING_DOWN', kind: 'unavailable' },
  [-1020]: { name: 'UNSUPPORTED_OPERATION', kind: 'invalidOrder' },
  [-1021]: { name: 'INVALID_TIMESTAMP', kind: 'clock' },
  [-1022]: { name: 'INVALID_SIGNATURE', kind: 'authentication' },
  [-1100]: { name: 'ILLEGAL_CHARS', kind: 'badRequest' },
  [-1101]: { name: 'TOO_MANY_PARAMETERS', kind: 'badRequest' },
  [-1102]: { name: 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', kind: 'badRequest' },
  [-1103]: { name: 'UNKNOWN_PARAM', kind: 'badRequest' },
  [-1104]: { name: 'UNREAD_PARAMETERS', kind: 'badRequest' },
  [-1105]: { name: 'PARAM_EMPTY', kind: 'badRequest' },
  [-1106]: { name: 'PARAM_NOT_REQUIRED', kind: 'badRequest' },
  [-1108]: { name: 'PARAM_OVERFLOW', kind: 'badRequest' },
  [-1111]: { name: 'BAD_PRECISION', kind: 'invalidOrder' },
  [-1112]: { name: 'NO_DEPTH', kind: 'invalidOrder' },
  [-1114]: { name: 'TIF_NOT_REQUIRED', kind: 'badRequest' },
  [-1115]: { name: 'INVALID_TIF', kind: 'badRequest' },
  [-1116]: { name: 'INVALID_ORDER_TYPE', kind: 'badRequest' },
  [-1117]: { name: 'INVALID_SIDE', kind: 'badRequest' },
  [-1118]: { name: 'EMPTY_NEW_CL_ORD_ID', kind: 'badRequest' },
  [-1119]: { name: 'EMPTY_ORG_CL_ORD_ID', kind: 'badRequest' },
  [-1120]: { name: 'BAD_INTERVAL', kind: 'badRequest' },
  [-1121]: { name: 'BAD_SYMBOL', kind: 'unknownSymbol' },
  [-1122]: { name: 'INVALID_SYMBOLSTATUS', kind: 'badRequest' },
  [-1125]: { name: 'INVALID_LISTEN_KEY', kind: 'authentication' },
  [-1127]: { name: 'MORE_THAN_XX_HOURS', kind: 'badRequest' },
  [-1128]: { name: 'OPTIONAL_PARAMS_BAD_COMBO', kind: 'badRequest' },
  [-1130]: { name: 'INVALID_PARAMETER', kind: 'badRequest' },
  [-1134]: { name: 'BAD_STRATEGY_TYPE', kind: 'badRequest' },
  [-1145]: { name: 'INVALID_CANCEL_RESTRICTIONS', kind: 'badRequest' },
  [-1152]: { name: 'INVALID_SBE_HEADER', kind: 'badRequest' },
  [-1153]: { name: 'UNSUPPORTED_SCHEMA_ID', kind: 'badRequest' },
  [-1155]: { name: 'SBE_DISABLED', kind: 'badRequest' },
  [-1158]: { name: 'OCO_ORDER_TYPE_REJECTED', kind: 'invalidOrder' },
  [-1160]: { name: 'OCO_ICEBERGQTY_TIMEINFORCE', kind: 'invalidOrder' },
  [-1161]: { name: 'DEPRECATED_SCHEMA', kind: 'badRequest' },
  [-1165]: { name: 'BUY_OCO_LIMIT_MUST_BE_BELOW', kind: 'invalidOrder' },
  [-1166]: { name: 'SELL_OCO_LIMIT_MUST_BE_ABOVE', kind: 'invalidOrder' },
  [-1168]: { name: 'BOTH_OCO_ORDERS_CANNOT_BE_LIMIT', kind: 'invalidOrder' },
  [-1196]: { name: 'BUY_OCO_STOP_LOSS_MUST_BE_ABOVE', kind: 'invalidOrder' },
  [-1197]: { name: 'SELL_OCO_STOP_LOSS_MUST_BE_BELOW', kind: 'invalidOrder' },
  [-1198]: { name: 'BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW', kind: 'invalidOrder' },
  [-1199]: { name: 'SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE', kind: 'invalidOrder' },
  [-1221]: { name: 'INVALID_SBE_MESSAGE_FIELD', kind: 'badRequest' },
  [-1222]: { name: 'OPO_WORKING_MUST_BE_BUY', kind: 'invalidOrder' },
  [-1223]: { name: 'OPO_PENDING_MUST_BE_SELL', kind: 'invalidOrder' },
  [-1224]: { name: 'WORKING_PARAM_REQUIRED', kind: 'invalidOrder' },
  [-1225]: { name: 'PENDING_PARAM_NOT_REQUIRED', kind: 'invalidOrder' },
  [-2010]: { name: 'NEW_ORDER_REJECTED', kind: 'refine' },
  [-2011]: { name: 'CANCEL_REJECTED', kind: 'refine' },
  [-2013]: { name: 'NO_SUCH_ORDER', kind: 'orderNotFound' },
  [-2014]: { name: 'BAD_API_KEY_FMT', kind: 'authentication' },
  [-2015]: { name: 'REJECTED_MBX_KEY', kind: 'authentication' },
  [-2021]: { name: 'CANCEL_REPLACE_PARTIAL', kind: 'unknownOutcome' },
  [-2022]: { name: 'CANCEL_REPLACE_FAILED', kind: 'invalidOrder' },
  [-2026]: { name: 'ORDER_ARCHIVED', kind: 'orderNotFound' },
  [-2035]: { name: 'SUBSCRIPTION_ACTIVE', kind: 'badRequest' },
  [-2036]: { name: 'SUBSCRIPTION_INACTIVE', kind: 'badRequest' },
  [-2038]: { name: 'ORDER_AMEND_LIMIT', kind: 'invalidOrder' },
  [-2039]: { name: 'CLIENT_ORDER_ID_INVALID', kind: 'orderNotFound' },
  [-2043]: { name: 'NO_REFERENCE_PRICE', kind: 'badRequest' },
};

/** Refines the matching engine's `-2010`/`-2011` texts, first match wins. */
const MESSAGE_RULES: readonly (readonly [RegExp, BinanceErrorKind])[] = [
  [/insufficient balance/i, 'insufficientFunds'],
  [/^Unknown order sent/i, 'orderNotFound'],
  [/market is closed|trading is not enabled/i, 'unavailable'],
  [
    /not permitted|restricted for this account|disabled on this account|may not place/i,
    'authentication',
  ],
];

/** A failed Binance reply, from REST or the WebSocket API. */
export interface BinanceFailure {
  /** The HTTP status (the WebSocket API's `status`), when there was a reply. */
  readonly httpStatus?: number;
  /** Binance's negative error code, when the body had one. */
  readonly code?: number;
  /** Binance's message, or a description of the transport failure. */
  readonly msg: string;
  /** How long to wait before the next request, in milliseconds, when the venue said. */
  readonly retryAfterMs?: number;
}

/** What the failed request was doing; decides how an unknown outcome is reported. */
export interface BinanceFailureContext {
  /** `place` for an order placement, `cancel` for a cancel, `read` for everything else. */
  readonly operation: 'place' | 'cancel' | 'read';
  /** The endpoint or method, such as `POST /api/v3/order` or `order.place`. */
  readonly endpoint: string;
  /** The client order id of a placement. */
  readonly clientOrderId?: string;
  /** The symbol the request named, for `UnknownSymbolError`. */
  readonly symbol?: string;
}

/**
 * Returns the kind of a failure: the code's row in {@link BINANCE_ERROR_CODES}, refined by the
 * message for the generic codes; without a code, by the HTTP status.
 * @example
 * ```ts
 * import { classifyBinanceFailure } from '@qtp/exchange/binance';
 * classifyBinanceFailure({ httpStatus: 400, code: -2010, msg: 'Account has insufficient balance for requested action.' }); // 'insufficientFunds'
 * ```
 */
export function classifyBinanceFailure(failure: BinanceFailure): BinanceErrorKind {
  const status = failure.httpStatus;
  if (status === 429 || status === 418) return 'rateLimit';
  const rule = failure.code === undefined ? undefined : BINANCE_ERROR_CODES[failure.code];
  if (rule !== undefined && rule.kind !== 'refine') return rule.kind;
  if (rule !== undefined) {
    for (const [pattern, kind] of MESSAGE_RULES) if (pattern.test(failure.msg)) return kind;
    return failure.code === -2011 ? 'orderNotFound' : 'invalidOrder';
  }
  if (status === undefined || status >= 500) return 'unknownOutcome';
  if (status === 401) return 'authentication';
  if (status === 403) return 'rateLimit';
  return 'badRequest';
}

function parameterOf(msg: string): string {
  return /'([A-Za-z]+)'/.exec(msg)?.[1] ?? 'request';
}

/**
 * Returns the SDK error for a failed Binance reply: the kind from
 * {@link classifyBinanceFailure}, then the `QtpError` subclass for it. An unknown outcome is
 * `OrderStateUnknownError` for a placement (look it up by client order id, never resend) and
 * a retryable `ExchangeUnavailableError` for anything else. `details` keep the code, the HTTP
 * status and the endpoint.
 * @example
 * ```ts
 * import { binanceError } from '@qtp/exchange/binance';
 * const error = binanceError({ httpStatus: 503, code: -1008, msg: 'Server is currently overloaded' }, { operation: 'read', endpoint: 'GET /api/v3/depth' });
 * error.retryable; // true
 * ```
 */
export function binanceError(failure: BinanceFailure, context: BinanceFailureContext): QtpError {
  const kind = classifyBinanceFailure(failure);
  const details = {
    venue: 'BINANCE',
    endpoint: context.endpoint,
    ...(failure.code === undefined ? {} : { binanceCode: failure.code }),
    ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
    kind,
  };
  const text = `${context.endpoint}: ${failure.code === undefined ? '' : `${failure.code} `}${failure.msg}`;
  const options = { details };
  switch (kind) {
    case 'unavailable':
      return new ExchangeUnavailableError(text, options);
    case 'unknownOutcome':
      if (context.operation === 'place' && context.clientOrderId !== undefined) {
        return new OrderStateUnknownError(
          context.clientOrderId,
          `${text}; the order's outcome is unknown: look it up by client order id, never resend it`,
          options,
        );
      }
      return new ExchangeUnavailableError(text, options);
    case 'rateLimit':
      return new RateLimitError(text, failure.retryAfterMs, options);
    case 'clock':
      return new NetworkError(`${text} (the local clock is out of step with the venue's)`, options);
    case 'authentication':
      return new AuthenticationError(text, options);
    case 'badRequest':
      return new ValidationError(
        parameterOf(failure.msg),
        `be accepted by Binance (${text})`,
        undefined,
        options,
      );
    case 'invalidOrder':
      return new InvalidOrderError(text, options);
    case 'insufficientFunds':
      return new InsufficientFundsError(text, options);
    case 'orderNotFound':
      return new OrderNotFoundError(text, options);
    case 'unknownSymbol':
      return new UnknownSymbolError(context.symbol ?? parameterOf(failure.msg), options);
    default:
      return new QtpError('INTERNAL', text, false, options);
  }
}
