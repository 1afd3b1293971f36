import {
  createOrderRequest,
  Decimal,
  instrumentId,
  isDecimal,
  isQtpError,
  toDecimal,
} from '@qtp/core';
import GlobalDecimal from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';

// The host application owns the global decimal.js; these tests act as a host that changed it.
const hostDefaults = { precision: GlobalDecimal.precision, rounding: GlobalDecimal.rounding };
afterEach(() => {
  GlobalDecimal.set(hostDefaults);
});

describe('Decimal isolation', () => {
  it('keeps its 34 digits and half-even rounding when the host sets precision 5 and ROUND_DOWN', () => {
    GlobalDecimal.set({ precision: 5, rounding: GlobalDecimal.ROUND_DOWN });
    expect(new GlobalDecimal(2).div(3).toString()).toBe('0.66666');
    // 2/3 to 34 significant digits, the last one rounded up from 6...6|6.
    expect(new Decimal(2).div(3).toString()).toBe('0.6666666666666666666666666666666667');
    expect(new Decimal('123456.789').times('1.000001').toString()).toBe('123456.912456789');
    expect(Decimal.precision).toBe(34);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_EVEN);
  });

  it('tells its own values from those of the global decimal.js and of another clone', () => {
    const other = GlobalDecimal.clone({ precision: 3 });
    expect(isDecimal(new Decimal('1.5'))).toBe(true);
    expect(isDecimal(toDecimal('1.5'))).toBe(true);
    // decimal.js clones share one prototype, so instanceof alone cannot tell them apart.
    expect(new GlobalDecimal('1.5') instanceof Decimal).toBe(true);
    expect(isDecimal(new GlobalDecimal('1.5'))).toBe(false);
    expect(isDecimal(new other('1.5'))).toBe(false);
    expect(isDecimal('1.5')).toBe(false);
    expect(isDecimal(null)).toBe(false);
  });

  it('converts a global decimal.js value by its digits into an SDK Decimal', () => {
    GlobalDecimal.set({ precision: 5, rounding: GlobalDecimal.ROUND_DOWN });
    const host = new GlobalDecimal('27123.456789012345');
    const converted = toDecimal(host, 'price');
    expect(isDecimal(converted)).toBe(true);
    expect(converted.toString()).toBe('27123.456789012345');
    // Arithmetic on the converted value follows the SDK's settings, not the host's.
    expect(converted.div(7).toString()).toBe('3874.779541287477857142857142857143');
  });

  it('converts a value of another clone, exponent notation included', () => {
    const other = GlobalDecimal.clone({ precision: 3, toExpNeg: -2 });
    const tiny = new other('0.00000123');
    expect(tiny.toString()).toBe('1.23e-6');
    const converted = toDecimal(tiny, 'quantity');
    expect(isDecimal(converted)).toBe(true);
    expect(converted.toString()).toBe('0.00000123');
    expect(converted.plus('1').toString()).toBe('1.00000123');
  });

  it('rejects a foreign value that is not finite, or an object that only claims to be a decimal', () => {
    const check = (value: unknown, rule: RegExp) => {
      let caught: unknown;
      try {
        toDecimal(value as Decimal, 'price');
      } catch (error) {
        caught = error;
      }
      expect(isQtpError(caught, 'VALIDATION')).toBe(true);
      expect((caught as Error).message).toMatch(rule);
    };
    check(new GlobalDecimal(Number.NaN), /^price: must be a finite decimal number/);
    check(new GlobalDecimal(Number.POSITIVE_INFINITY), /^price: must be a finite decimal number/);
    const impostor = { toStringTag: '[object Decimal]', toString: () => 'twelve' };
    check(impostor, /^price: must be a Decimal or a decimal string/);
  });

  it('books an order request built with host decimals as SDK decimals', () => {
    const request = createOrderRequest({
      instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
      side: 'BUY',
      type: 'LIMIT',
      quantity: new GlobalDecimal('0.015') as unknown as Decimal,
      price: new GlobalDecimal('27000.10') as unknown as Decimal,
    });
    expect(isDecimal(request.quantity)).toBe(true);
    expect(isDecimal(request.price)).toBe(true);
    expect(request.quantity.toString()).toBe('0.015');
    expect(request.price?.toString()).toBe('27000.1');
  });
});
