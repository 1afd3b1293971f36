import { BINANCE_ERROR_CODES, formatBinanceMessage } from '../binance-protocol/error-codes.js';

/**
 * A request the server refuses with a Binance error: the wire code, message and HTTP status.
 * Thrown inside request handling and turned into the error body; it never leaves the server.
 */
export class BinanceRequestError extends Error {
  readonly code: number;
  readonly httpStatus: number;
  /** Extra headers, such as `Retry-After` on 429 and 418. */
  readonly headers: Readonly<Record<string, string>>;
  /** Extra fields of the body (`data` on cancel-replace and WebSocket API rate limits). */
  readonly data: unknown;

  constructor(
    code: number,
    message?: string,
    options: { httpStatus?: number; headers?: Record<string, string>; data?: unknown } = {},
  ) {
    const known = BINANCE_ERROR_CODES.get(code);
    super(message ?? known?.message ?? 'An unknown error occurred while processing the request.');
    this.name = 'BinanceRequestError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? known?.httpStatus ?? 400;
    this.headers = options.headers ?? {};
    this.data = options.data;
  }
}

/** Builds a request error from a code whose message template takes parameters. */
export function requestError(
  code: number,
  ...values: readonly (string | number)[]
): BinanceRequestError {
  const template = BINANCE_ERROR_CODES.get(code)?.message ?? '';
  return new BinanceRequestError(code, formatBinanceMessage(template, ...values));
}
