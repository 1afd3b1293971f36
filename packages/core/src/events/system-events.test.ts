import {
  createSystemErrorEvent,
  isQtpError,
  NetworkError,
  parseSystemEvent,
  RateLimitError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

const refusal = (value: unknown): string => {
  try {
    parseSystemEvent(value);
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('system events', () => {
  it('parses a health change and an error as they are', () => {
    const health = {
      type: 'system.health',
      component: 'venue:BINANCE',
      status: 'DOWN',
      reason: 'silent for 31000 ms',
      timeMs: 5,
    };
    expect(parseSystemEvent(health)).toEqual(health);
    const error = {
      type: 'system.error',
      component: 'engine.feed',
      code: 'NETWORK',
      message: 'closed',
      timeMs: 6,
    };
    expect(parseSystemEvent(error)).toEqual(error);
  });

  it('names the field of a status, code, time or extra field that is not allowed', () => {
    const health = { type: 'system.health', component: 'x', status: 'UP', timeMs: 1 };
    expect(refusal({ ...health, status: 'SICK' })).toMatch(/^status/);
    expect(refusal({ ...health, timeMs: 1.5 })).toMatch(/^timeMs/);
    expect(refusal({ ...health, component: '' })).toMatch(/^component/);
    expect(refusal({ ...health, extra: 1 })).toMatch(/extra/);
    expect(
      refusal({ type: 'system.error', component: 'x', code: 'network', message: '', timeMs: 1 }),
    ).toMatch(/^code: must be SCREAMING_SNAKE, was "network"/);
  });

  it('takes the code of a QTP error and INTERNAL for anything else', () => {
    expect(createSystemErrorEvent('engine.feed', new NetworkError('reset'), 7)).toEqual({
      type: 'system.error',
      component: 'engine.feed',
      code: 'NETWORK',
      message: 'reset',
      timeMs: 7,
    });
    expect(createSystemErrorEvent('c', new RateLimitError('slow down', 100), 1).code).toBe(
      'RATE_LIMIT',
    );
    expect(createSystemErrorEvent('c', new TypeError('x is undefined'), 1)).toMatchObject({
      code: 'INTERNAL',
      message: 'x is undefined',
    });
    expect(createSystemErrorEvent('c', 'plain text', 1).message).toBe('plain text');
  });
});
