import {
  addMoney,
  createMoney,
  isQtpError,
  moneyToJSON,
  parseMoney,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

function validationError(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Money', () => {
  it('adds two amounts in the same currency exactly', () => {
    const sum = addMoney(createMoney('0.1', 'USDT'), createMoney('0.2', 'USDT'));
    expect(sum.amount.toString()).toBe('0.3');
    expect(sum.currency).toBe('USDT');
  });

  it('refuses to add amounts in different currencies', () => {
    const error = validationError(() =>
      addMoney(createMoney('1', 'USDT'), createMoney('1', 'BNB')),
    );
    expect(error.field).toBe('currency');
    expect(error.message).toBe('currency: must match USDT to be added, was "BNB"');
  });

  it('keeps a negative amount, such as a rebate', () => {
    expect(createMoney('-0.0001', 'USDT').amount.isNegative()).toBe(true);
  });

  it.each([['NaN'], ['Infinity'], ['-0'], ['1,5']])('refuses the amount %j', (amount) => {
    expect(validationError(() => createMoney(amount, 'USDT')).field).toBe('amount');
  });

  it('refuses a number as the amount', () => {
    expect(validationError(() => createMoney(1 as unknown as string, 'USDT')).field).toBe('amount');
  });

  it.each([[''], ['US DT'], ['X'.repeat(21)]])('refuses the currency %j', (currency) => {
    expect(validationError(() => createMoney('1', currency)).field).toBe('currency');
  });

  it('writes the amount as a plain string in JSON', () => {
    expect(JSON.stringify(moneyToJSON(createMoney('1e-8', 'BTC')))).toBe(
      '{"amount":"0.00000001","currency":"BTC"}',
    );
  });

  it('round-trips through JSON', () => {
    const fee = createMoney('123456789.123456789123456789', 'USDT');
    const copy = parseMoney(JSON.parse(JSON.stringify(moneyToJSON(fee))));
    expect(copy.amount.eq(fee.amount)).toBe(true);
    expect(copy.currency).toBe('USDT');
  });

  it('refuses an amount carried as a JSON number', () => {
    const error = validationError(() => parseMoney({ amount: 0.1, currency: 'USDT' }));
    expect([error.field, error.value]).toEqual(['amount', 0.1]);
  });

  it('is immutable', () => {
    const fee = createMoney('1', 'USDT');
    expect(Object.isFrozen(fee)).toBe(true);
  });
});
