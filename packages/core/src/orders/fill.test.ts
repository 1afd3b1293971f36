import {
  createFill,
  createMoney,
  type FillInput,
  fillNotional,
  fillToJSON,
  instrumentId,
  isQtpError,
  parseFill,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

const INPUT: FillInput = {
  tradeId: 't-1',
  clientOrderId: 'qtp-1',
  venueOrderId: '8812',
  instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
  side: 'BUY',
  price: '27000.10',
  quantity: '0.0105',
  fee: createMoney('-0.00001', 'BNB'),
  liquiditySide: 'MAKER',
  timeMs: 1_700_000_000_000,
};

function validationError(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Fill', () => {
  it('computes the notional exactly', () => {
    expect(fillNotional(createFill(INPUT)).toString()).toBe('283.50105');
  });

  it('round-trips through JSON with decimals as strings', () => {
    const fill = createFill(INPUT);
    const json = JSON.parse(JSON.stringify(fillToJSON(fill)));
    expect(json.price).toBe('27000.1');
    expect(json.fee).toEqual({ amount: '-0.00001', currency: 'BNB' });
    expect(fillToJSON(parseFill(json))).toEqual(fillToJSON(fill));
  });

  it('lists every bad field at once', () => {
    const error = validationError(() =>
      createFill({
        ...INPUT,
        tradeId: '',
        price: '0',
        quantity: 'NaN',
        fee: { amount: INPUT.fee.amount, currency: '' },
        liquiditySide: 'BOTH' as 'MAKER',
        timeMs: -1,
      }),
    );
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'tradeId',
      'liquiditySide',
      'price',
      'quantity',
      'fee.currency',
      'timeMs',
    ]);
  });

  it('names the JSON path of a malformed fee', () => {
    const json = { ...fillToJSON(createFill(INPUT)), fee: { amount: 0.1, currency: 'BNB' } };
    expect(validationError(() => parseFill(json)).field).toBe('fee.amount');
  });
});
