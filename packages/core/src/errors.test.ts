import {
  isQtpError,
  isRetryableError,
  OrderStateUnknownError,
  QtpError,
  RateLimitError,
  ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

describe('QtpError', () => {
  it('names the class, keeps the code and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new RateLimitError('too many requests', 1500, { cause });
    expect(error.name).toBe('RateLimitError');
    expect(error.code).toBe('RATE_LIMIT');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(QtpError);
  });

  it('recognises a QTP error by its brand, also from another copy of the class', () => {
    const error = new ValidationError('quantity', 'be greater than 0', '-1');
    expect(isQtpError(error)).toBe(true);
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    expect(isQtpError(error, 'TIMEOUT')).toBe(false);
    const foreign = Object.assign(new Error('x'), { code: 'VALIDATION' });
    expect(isQtpError(foreign)).toBe(false);
    expect(isQtpError(null)).toBe(false);
    expect(isQtpError('VALIDATION')).toBe(false);
    const copy = Object.create(error) as unknown;
    expect(isQtpError(copy, 'VALIDATION')).toBe(true);
  });

  it('never marks an unknown placement outcome retryable', () => {
    const error = new OrderStateUnknownError('qtp-abc-1');
    expect(error.retryable).toBe(false);
    expect(isRetryableError(error)).toBe(false);
    expect(error.clientOrderId).toBe('qtp-abc-1');
  });

  it('writes the field, the rule and the value into a validation message', () => {
    const error = new ValidationError('quantity', 'be a multiple of the step 0.001', '0.0015');
    expect(error.message).toBe('quantity: must be a multiple of the step 0.001, was "0.0015"');
    expect(error.field).toBe('quantity');
    expect(error.issues).toHaveLength(1);
  });

  it('lists every issue of a multi-field validation error', () => {
    const error = new ValidationError([
      { field: 'price', rule: 'be a multiple of the tick 0.01', value: '1.005' },
      { field: 'quantity', rule: 'be at least 0.001', value: '0' },
    ]);
    expect(error.issues.map((issue) => issue.field)).toEqual(['price', 'quantity']);
    expect(error.message).toContain('price: must');
    expect(error.message).toContain('quantity: must');
    expect(error.toJSON()).toMatchObject({ code: 'VALIDATION', retryable: false });
  });
});
