import { Decimal, isQtpError, roundToIncrement } from '@qtp/core';
import { describe, expect, it } from 'vitest';

describe('roundToIncrement', () => {
  it('rounds to a tick that is not a power of ten', () => {
    expect(roundToIncrement('1', '0.3', 'down').toString()).toBe('0.9');
    expect(roundToIncrement('1', '0.3', 'up').toString()).toBe('1.2');
    expect(roundToIncrement('1', '0.3', 'nearest').toString()).toBe('0.9');
    expect(roundToIncrement('1.1', '0.3', 'nearest').toString()).toBe('1.2');
  });

  it('rounds negative values towards minus infinity when rounding down', () => {
    expect(roundToIncrement('-1', '0.3', 'down').toString()).toBe('-1.2');
    expect(roundToIncrement('-1', '0.3', 'up').toString()).toBe('-0.9');
    expect(roundToIncrement('-0.1', '0.3', 'up').toString()).toBe('0');
  });

  it('returns a value already on the increment unchanged', () => {
    expect(roundToIncrement('2.50', '0.25', 'up').eq(new Decimal('2.5'))).toBe(true);
  });

  it('rounds a 34-digit value without losing the direction', () => {
    // 0.9 minus 1e-34: a quotient rounded to fewer digits would give 3 ticks; the exact one is 2.99...
    const value = `0.8${'9'.repeat(33)}`;
    expect(roundToIncrement(value, '0.3', 'down').toString()).toBe('0.6');
  });

  it('refuses a value with more than 34 significant digits rather than rounding it', () => {
    expect(() => roundToIncrement(`0.8${'9'.repeat(39)}`, '0.3', 'down')).toThrow(
      /value: must have at most 34 significant digits/,
    );
  });

  it.each([['0'], ['-0.1']])('refuses the increment %j', (increment) => {
    try {
      roundToIncrement('1', increment, 'down');
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
    }
  });
});
