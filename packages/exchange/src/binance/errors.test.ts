import { isQtpError, type QtpErrorCode } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { BINANCE_ERROR_CODES, binanceError, classifyBinanceFailure } from './errors.js';

const read = { operation: 'read', endpoint: 'GET /api/v3/order' } as const;
const place = {
  operation: 'place',
  endpoint: 'POST /api/v3/order',
  clientOrderId: 'qtp-1',
} as const;

// Written from the reaction column of the wire specification's error table (§5.3, C.1).
const expected: Record<number, QtpErrorCode> = {
  [-1000]: 'EXCHANGE_UNAVAILABLE',
  [-1001]: 'EXCHANGE_UNAVAILABLE',
  [-1002]: 'AUTHENTICATION',
  [-1003]: 'RATE_LIMIT',
  [-1006]: 'EXCHANGE_UNAVAILABLE',
  [-1007]: 'EXCHANGE_UNAVAILABLE',
  [-1008]: 'EXCHANGE_UNAVAILABLE',
  [-1013]: 'INVALID_ORDER',
  [-1014]: 'INVALID_ORDER',
  [-1015]: 'RATE_LIMIT',
  [-1016]: 'EXCHANGE_UNAVAILABLE',
  [-1020]: 'INVALID_ORDER',
  [-1021]: 'NETWORK',
  [-1022]: 'AUTHENTICATION',
  [-1100]: 'VALIDATION',
  [-1101]: 'VALIDATION',
  [-1102]: 'VALIDATION',
  [-1103]: 'VALIDATION',
  [-1104]: 'VALIDATION',
  [-1105]: 'VALIDATION',
  [-1106]: 'VALIDATION',
  [-1108]: 'VALIDATION',
  [-1111]: 'INVALID_ORDER',
  [-1112]: 'INVALID_ORDER',
  [-1114]: 'VALIDATION',
  [-1115]: 'VALIDATION',
  [-1116]: 'VALIDATION',
  [-1117]: 'VALIDATION',
  [-1118]: 'VALIDATION',
  [-1119]: 'VALIDATION',
  [-1120]: 'VALIDATION',
  [-1121]: 'UNKNOWN_SYMBOL',
  [-1122]: 'VALIDATION',
  [-1125]: 'AUTHENTICATION',
  [-1127]: 'VALIDATION',
  [-1128]: 'VALIDATION',
  [-1130]: 'VALIDATION',
  [-1134]: 'VALIDATION',
  [-1145]: 'VALIDATION',
  [-1152]: 'VALIDATION',
  [-1153]: 'VALIDATION',
  [-1155]: 'VALIDATION',
  [-1158]: 'INVALID_ORDER',
  [-1160]: 'INVALID_ORDER',
  [-1161]: 'VALIDATION',
  [-1165]: 'INVALID_ORDER',
  [-1166]: 'INVALID_ORDER',
  [-1168]: 'INVALID_ORDER',
  [-1196]: 'INVALID_ORDER',
  [-1197]: 'INVALID_ORDER',
  [-1198]: 'INVALID_ORDER',
  [-1199]: 'INVALID_ORDER',
  [-1221]: 'VALIDATION',
  [-1222]: 'INVALID_ORDER',
  [-1223]: 'INVALID_ORDER',
  [-1224]: 'INVALID_ORDER',
  [-1225]: 'INVALID_ORDER',
  [-2010]: 'INVALID_ORDER',
  [-2011]: 'ORDER_NOT_FOUND',
  [-2013]: 'ORDER_NOT_FOUND',
  [-2014]: 'AUTHENTICATION',
  [-2015]: 'AUTHENTICATION',
  [-2021]: 'EXCHANGE_UNAVAILABLE',
  [-2022]: 'INVALID_ORDER',
  [-2026]: 'ORDER_NOT_FOUND',
  [-2035]: 'VALIDATION',
  [-2036]: 'VALIDATION',
  [-2038]: 'INVALID_ORDER',
  [-2039]: 'ORDER_NOT_FOUND',
  [-2043]: 'VALIDATION',
};
const retryable = new Set(['EXCHANGE_UNAVAILABLE', 'RATE_LIMIT', 'NETWORK']);

describe('Binance error table', () => {
  it('maps every code of the specification to one typed error', () => {
    expect(Object.keys(BINANCE_ERROR_CODES).sort()).toEqual(Object.keys(expected).sort());
    for (const [code, errorCode] of Object.entries(expected)) {
      const error = binanceError({ httpStatus: 400, code: Number(code), msg: 'text' }, read);
      expect({ code, errorCode: error.code }).toEqual({ code, errorCode });
      expect(error.retryable).toBe(retryable.has(errorCode));
      expect(error.details?.binanceCode).toBe(Number(code));
    }
  });

  it('refines -2010 and -2011 by the matching engine text', () => {
    const refine = (code: number, msg: string) =>
      binanceError({ httpStatus: 400, code, msg }, place).code;
    expect(refine(-2010, 'Account has insufficient balance for requested action.')).toBe(
      'INSUFFICIENT_FUNDS',
    );
    expect(refine(-2010, 'Duplicate order sent.')).toBe('INVALID_ORDER');
    expect(refine(-2010, 'Order would immediately match and take.')).toBe('INVALID_ORDER');
    expect(refine(-2010, 'Market is closed.')).toBe('EXCHANGE_UNAVAILABLE');
    expect(refine(-2010, 'This symbol is not permitted for this account.')).toBe('AUTHENTICATION');
    expect(refine(-2011, 'Unknown order sent.')).toBe('ORDER_NOT_FOUND');
  });

  it('reports an unknown placement outcome as never to be resent', () => {
    const error = binanceError(
      { httpStatus: 500, code: -1007, msg: 'Timeout waiting for response from backend server.' },
      place,
    );
    expect(isQtpError(error, 'ORDER_STATE_UNKNOWN')).toBe(true);
    expect(error.retryable).toBe(false);
    const transport = binanceError({ msg: 'socket hang up' }, place);
    expect(transport.code).toBe('ORDER_STATE_UNKNOWN');
    expect(binanceError({ msg: 'socket hang up' }, read).retryable).toBe(true);
  });

  it('carries the retry-after of 429 and 418 replies', () => {
    for (const httpStatus of [429, 418]) {
      const error = binanceError(
        { httpStatus, code: -1003, msg: 'x', retryAfterMs: 120_000 },
        read,
      );
      expect(error.code).toBe('RATE_LIMIT');
      expect((error as unknown as { retryAfterMs: number }).retryAfterMs).toBe(120_000);
    }
  });

  it('classifies replies without a code by their HTTP status', () => {
    expect(classifyBinanceFailure({ httpStatus: 503, msg: '' })).toBe('unknownOutcome');
    expect(classifyBinanceFailure({ httpStatus: 401, msg: '' })).toBe('authentication');
    expect(classifyBinanceFailure({ httpStatus: 403, msg: '<html>' })).toBe('rateLimit');
    expect(classifyBinanceFailure({ httpStatus: 404, msg: '' })).toBe('badRequest');
  });

  it('names the parameter of a malformed request', () => {
    const error = binanceError(
      {
        httpStatus: 400,
        code: -1102,
        msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
      },
      place,
    );
    expect(error.message).toMatch(/^price: must be accepted by Binance/);
  });
});
