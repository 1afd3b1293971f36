import {
  compareDecimals,
  Decimal,
  formatDecimal,
  isQtpError,
  toDecimal,
  toNonNegativeDecimal,
  toPositiveDecimal,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('Decimal', () => {
  it('adds large notionals without losing a digit', () => {
    const a = toDecimal('123456789012345.123456789');
    const b = toDecimal('987654321098765.987654321');
    expect(a.plus(b).toString()).toBe('1111111110111111.11111111');
  });

  it('never prints exponent notation', () => {
    expect(new Decimal('1e-12').toString()).toBe('0.000000000001');
    expect(new Decimal('1e25').toString()).toBe('10000000000000000000000000');
    expect(formatDecimal(new Decimal('0.00000001'))).toBe('0.00000001');
    expect(formatDecimal(new Decimal('2.5'), 0)).toBe('2');
    expect(formatDecimal(new Decimal('-0.0001'), 2)).toBe('0.00');
  });

  it('does not change the global decimal.js configuration', async () => {
    const { default: GlobalDecimal } = await import('decimal.js');
    expect(GlobalDecimal.precision).toBe(20);
    expect(Decimal.precision).toBe(34);
  });

  it.each([['NaN'], ['Infinity'], ['-Infinity'], ['-0'], [''], ['1,5'], ['0x10'], ['abc']])(
    'rejects %j with a validation error naming the field',
    (text) => {
      try {
        toDecimal(text, 'price');
        expect.unreachable();
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION')).toBe(true);
        expect((error as { field: string }).field).toBe('price');
      }
    },
  );

  it('rejects a number passed where a booked string is required', () => {
    expect(() => toDecimal(1.5 as unknown as string, 'quantity')).toThrow(/quantity/);
  });

  it('rejects zero and negatives where a positive value is required', () => {
    expect(() => toPositiveDecimal('0', 'quantity')).toThrow(/greater than 0/);
    expect(() => toPositiveDecimal('-1', 'quantity')).toThrow(/quantity/);
  });

  it('round-trips any decimal string exactly through the wire format', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.nat(18),
        (units, scale) => {
          const text = formatDecimal(new Decimal(units.toString()).div(new Decimal(10).pow(scale)));
          expect(text).not.toMatch(/e/i);
          expect(
            toDecimal(text).eq(new Decimal(units.toString()).div(new Decimal(10).pow(scale))),
          ).toBe(true);
        },
      ),
    );
  });
});

describe('compareDecimals', () => {
  const decimalText = fc
    .tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -30, max: 30 }))
    .map(([units, exponent]) => `${units}e${exponent}`);

  it('orders any two decimals exactly as decimal.js comparedTo does', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const x = new Decimal(a);
        const y = new Decimal(b);
        expect(compareDecimals(x, y)).toBe(x.comparedTo(y));
        expect(compareDecimals(y, x)).toBe(y.comparedTo(x));
        expect(compareDecimals(x, x)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('treats zeros of either sign as equal and orders them against signed values', () => {
    const zero = new Decimal(0);
    const negativeZero = new Decimal('-0');
    expect(compareDecimals(zero, negativeZero)).toBe(0);
    expect(compareDecimals(zero, new Decimal('-0.0000001'))).toBe(1);
    expect(compareDecimals(new Decimal('1e-30'), zero)).toBe(1);
    expect(compareDecimals(new Decimal('100'), new Decimal('99.9999999'))).toBe(1);
    expect(compareDecimals(new Decimal('-100'), new Decimal('-99.9999999'))).toBe(-1);
  });
});

describe('significant digits', () => {
  const digits34 = '1234567890123456789012345678901.234';
  const digits35 = '1234567890123456789012345678901.2345';

  it('keeps 34 significant digits exactly', () => {
    expect(toDecimal(digits34, 'price').toString()).toBe(digits34);
  });

  it.each([
    ['a 35-digit string', () => toDecimal(digits35, 'price')],
    ['a 35-digit fraction', () => toPositiveDecimal(`0.${'1'.repeat(35)}`, 'price')],
    ['a 35-digit Decimal', () => toNonNegativeDecimal(new Decimal(digits35), 'price')],
  ])('refuses %s instead of rounding it, naming the field', (_name, action) => {
    expect(action).toThrow(/price: must have at most 34 significant digits/);
  });

  it('does not count the zeros that end a whole number', () => {
    expect(toDecimal(`1${'0'.repeat(40)}`, 'quantity').toFixed()).toBe(`1${'0'.repeat(40)}`);
  });
});
