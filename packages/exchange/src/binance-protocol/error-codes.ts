/**
 * The Binance Spot error codes both sides of the wire need: the code, its name, the HTTP status
 * it travels with on REST and its usual message. Messages that carry a parameter name use `%s`.
 */

/** One Binance error code. */
export interface BinanceErrorCode {
  /** The negative Binance code, such as `-1013`. */
  readonly code: number;
  /** Binance's name for it, such as `INVALID_MESSAGE`. */
  readonly name: string;
  /** The HTTP status REST answers with. */
  readonly httpStatus: number;
  /** The usual message; `%s` marks a parameter Binance fills in. */
  readonly message: string;
  /**
   * What a client learns of an order request that got this code: `rejected` (not executed),
   * `unknown` (it may or may not have been executed) or `retryable` (not executed, try later).
   */
  readonly outcome: 'rejected' | 'unknown' | 'retryable';
}

const entry = (
  code: number,
  name: string,
  httpStatus: number,
  message: string,
  outcome: BinanceErrorCode['outcome'] = 'rejected',
): BinanceErrorCode => Object.freeze({ code, name, httpStatus, message, outcome });

/**
 * Every Binance Spot error code the SDK knows, by code. The adapter maps each to one typed error;
 * the local server answers with the same codes, statuses and messages.
 *
 * @example
 * ```ts
 * import { BINANCE_ERROR_CODES } from '@qtp/exchange/binance-server';
 * BINANCE_ERROR_CODES.get(-1021)?.name; // 'INVALID_TIMESTAMP'
 * ```
 */
export const BINANCE_ERROR_CODES: ReadonlyMap<number, BinanceErrorCode> = new Map(
  [
    entry(
      -1000,
      'UNKNOWN',
      500,
      'An unknown error occurred while processing the request.',
      'unknown',
    ),
    entry(
      -1001,
      'DISCONNECTED',
      500,
      'Internal error; unable to process your request. Please try again.',
      'retryable',
    ),
    entry(-1002, 'UNAUTHORIZED', 401, 'You are not authorized to execute this request.'),
    entry(
      -1003,
      'TOO_MANY_REQUESTS',
      429,
      'Too much request weight used; current limit is %s request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      'retryable',
    ),
    entry(
      -1006,
      'UNEXPECTED_RESP',
      500,
      'An unexpected response was received from the message bus. Execution status unknown.',
      'unknown',
    ),
    entry(
      -1007,
      'TIMEOUT',
      500,
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
      'unknown',
    ),
    entry(
      -1008,
      'SERVER_BUSY',
      503,
      'Server is currently overloaded with other requests. Please try again in a few minutes.',
      'retryable',
    ),
    entry(-1013, 'INVALID_MESSAGE', 400, 'Filter failure: %s'),
    entry(-1014, 'UNKNOWN_ORDER_COMPOSITION', 400, 'Unsupported order combination.'),
    entry(
      -1015,
      'TOO_MANY_ORDERS',
      429,
      'Too many new orders; current limit is %s orders per %s.',
      'retryable',
    ),
    entry(-1016, 'SERVICE_SHUTTING_DOWN', 500, 'This service is no longer available.', 'retryable'),
    entry(-1020, 'UNSUPPORTED_OPERATION', 400, 'This operation is not supported.'),
    entry(
      -1021,
      'INVALID_TIMESTAMP',
      400,
      'Timestamp for this request is outside of the recvWindow.',
    ),
    entry(-1022, 'INVALID_SIGNATURE', 400, 'Signature for this request is not valid.'),
    entry(
      -1100,
      'ILLEGAL_CHARS',
      400,
      "Illegal characters found in parameter '%s'; legal range is '%s'.",
    ),
    entry(-1101, 'TOO_MANY_PARAMETERS', 400, 'Duplicate values for a parameter detected.'),
    entry(
      -1102,
      'MANDATORY_PARAM_EMPTY_OR_MALFORMED',
      400,
      "Mandatory parameter '%s' was not sent, was empty/null, or malformed.",
    ),
    entry(-1103, 'UNKNOWN_PARAM', 400, 'An unknown parameter was sent.'),
    entry(
      -1104,
      'UNREAD_PARAMETERS',
      400,
      "Not all sent parameters were read; read '%s' parameter(s) but was sent '%s'.",
    ),
    entry(-1105, 'PARAM_EMPTY', 400, "Parameter '%s' was empty."),
    entry(-1106, 'PARAM_NOT_REQUIRED', 400, "Parameter '%s' sent when not required."),
    entry(-1108, 'PARAM_OVERFLOW', 400, "Parameter '%s' overflowed."),
    entry(-1111, 'BAD_PRECISION', 400, "Parameter '%s' has too much precision."),
    entry(-1112, 'NO_DEPTH', 400, 'No orders on book for symbol.'),
    entry(-1114, 'TIF_NOT_REQUIRED', 400, 'TimeInForce parameter sent when not required.'),
    entry(-1115, 'INVALID_TIF', 400, 'Invalid timeInForce.'),
    entry(-1116, 'INVALID_ORDER_TYPE', 400, 'Invalid orderType.'),
    entry(-1117, 'INVALID_SIDE', 400, 'Invalid side.'),
    entry(-1118, 'EMPTY_NEW_CL_ORD_ID', 400, 'New client order ID was empty.'),
    entry(-1119, 'EMPTY_ORG_CL_ORD_ID', 400, 'Original client order ID was empty.'),
    entry(-1120, 'BAD_INTERVAL', 400, 'Invalid interval.'),
    entry(-1121, 'BAD_SYMBOL', 400, 'Invalid symbol.'),
    entry(-1122, 'INVALID_SYMBOLSTATUS', 400, 'Invalid symbolStatus.'),
    entry(-1125, 'INVALID_LISTEN_KEY', 400, 'This listenKey does not exist.'),
    entry(-1127, 'MORE_THAN_XX_HOURS', 400, 'More than %s hours between startTime and endTime.'),
    entry(-1128, 'OPTIONAL_PARAMS_BAD_COMBO', 400, 'Combination of optional parameters invalid.'),
    entry(-1130, 'INVALID_PARAMETER', 400, "Data sent for parameter '%s' is not valid."),
    entry(-1134, 'BAD_STRATEGY_TYPE', 400, '`strategyType` was less than 1000000.'),
    entry(
      -1145,
      'INVALID_CANCEL_RESTRICTIONS',
      400,
      'cancelRestrictions has to be either ONLY_NEW or ONLY_PARTIALLY_FILLED.',
    ),
    entry(-1155, 'SBE_DISABLED', 400, 'SBE is not enabled.'),
    entry(-1158, 'OCO_ORDER_TYPE_REJECTED', 400, 'Order type not supported in OCO.'),
    entry(
      -1160,
      'OCO_ICEBERGQTY_TIMEINFORCE',
      400,
      "Parameter '%s' is not supported if aboveTimeInForce/belowTimeInForce is not GTC.",
    ),
    entry(-1165, 'BUY_OCO_LIMIT_MUST_BE_BELOW', 400, 'A limit order in a buy OCO must be below.'),
    entry(-1166, 'SELL_OCO_LIMIT_MUST_BE_ABOVE', 400, 'A limit order in a sell OCO must be above.'),
    entry(
      -1168,
      'BOTH_OCO_ORDERS_CANNOT_BE_LIMIT',
      400,
      'At least one OCO order must be contingent.',
    ),
    entry(
      -1196,
      'BUY_OCO_STOP_LOSS_MUST_BE_ABOVE',
      400,
      'A stop loss order in a buy OCO must be above.',
    ),
    entry(
      -1197,
      'SELL_OCO_STOP_LOSS_MUST_BE_BELOW',
      400,
      'A stop loss order in a sell OCO must be below.',
    ),
    entry(
      -1198,
      'BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW',
      400,
      'A take profit order in a buy OCO must be below.',
    ),
    entry(
      -1199,
      'SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE',
      400,
      'A take profit order in a sell OCO must be above.',
    ),
    entry(-1222, 'OPO_WORKING_MUST_BE_BUY', 400, 'Working order in an OPO list must be a bid.'),
    entry(-1223, 'OPO_PENDING_MUST_BE_SELL', 400, 'Pending orders in an OPO list must be asks.'),
    entry(-1224, 'WORKING_PARAM_REQUIRED', 400, "Working order must include the '%s' tag."),
    entry(
      -1225,
      'PENDING_PARAM_NOT_REQUIRED',
      400,
      "Pending orders should not include the '%s' tag.",
    ),
    entry(
      -2010,
      'NEW_ORDER_REJECTED',
      400,
      'Account has insufficient balance for requested action.',
    ),
    entry(-2011, 'CANCEL_REJECTED', 400, 'Unknown order sent.'),
    entry(-2013, 'NO_SUCH_ORDER', 400, 'Order does not exist.'),
    entry(-2014, 'BAD_API_KEY_FMT', 401, 'API-key format invalid.'),
    entry(-2015, 'REJECTED_MBX_KEY', 401, 'Invalid API-key, IP, or permissions for action.'),
    entry(-2021, 'CANCEL_REPLACE_PARTIAL', 409, 'Order cancel-replace partially failed.'),
    entry(-2022, 'CANCEL_REPLACE_FAILED', 400, 'Order cancel-replace failed.'),
    entry(
      -2026,
      'ORDER_ARCHIVED',
      400,
      'Order was canceled or expired with no executed qty over 90 days ago and has been archived.',
    ),
    entry(-2035, 'SUBSCRIPTION_ACTIVE', 400, 'User Data Stream subscription already active.'),
    entry(-2036, 'SUBSCRIPTION_INACTIVE', 400, 'User Data Stream subscription not active.'),
    entry(
      -2039,
      'CLIENT_ORDER_ID_INVALID',
      400,
      'Client order ID is not correct for this order ID.',
    ),
    entry(-2043, 'NO_REFERENCE_PRICE', 400, "This symbol doesn't have a reference price."),
  ].map((error) => [error.code, error] as const),
);

/**
 * The matching-engine messages Binance sends under `-2010` (new order rejected) and `-2011`
 * (cancel rejected), which a client refines into typed errors by exact text.
 *
 * @example
 * ```ts
 * import { BINANCE_ENGINE_MESSAGES } from '@qtp/exchange/binance-server';
 * BINANCE_ENGINE_MESSAGES.insufficientBalance; // 'Account has insufficient balance for requested action.'
 * ```
 */
export const BINANCE_ENGINE_MESSAGES = Object.freeze({
  insufficientBalance: 'Account has insufficient balance for requested action.',
  duplicateOrder: 'Duplicate order sent.',
  marketClosed: 'Market is closed.',
  wouldMatch: 'Order would immediately match and take.',
  wouldTrigger: 'Order would trigger immediately.',
  unsupportedCombination: 'Unsupported order combination',
  icebergExceedsQuantity: 'IcebergQty exceeds QTY.',
  zeroNotional: 'Price * QTY is zero or less.',
  unknownOrder: 'Unknown order sent.',
  ocoBadPrices: 'The relationship of the prices for the orders is not correct.',
  cancelRestrictions: 'Order was not canceled due to cancel restrictions.',
  timestampAhead: "Timestamp for this request was 1000ms ahead of the server's time.",
  outsideRecvWindow: 'Timestamp for this request is outside of the recvWindow.',
  notSupported: (feature: string) => `${feature} orders are not supported for this symbol.`,
});

/** The JSON body of every Binance error: `{"code":-1013,"msg":"Filter failure: LOT_SIZE"}`. */
export interface BinanceErrorBody {
  /** The negative Binance code. */
  readonly code: number;
  /** The message. */
  readonly msg: string;
}

/**
 * Fills a message template's `%s` markers in order.
 * @example
 * ```ts
 * import { formatBinanceMessage } from '@qtp/exchange/binance-server';
 * formatBinanceMessage("Parameter '%s' was empty.", 'price'); // "Parameter 'price' was empty."
 * ```
 */
export function formatBinanceMessage(
  template: string,
  ...values: readonly (string | number)[]
): string {
  let index = 0;
  return template.replace(/%s/g, () => String(values[index++] ?? ''));
}
