import { Decimal, isQtpError } from '@qtp/core';
import { balanceToJSON, parseBalance } from '@qtp/exchange';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const amounts = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }))
  .map(([units, places]) => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(places)));

describe('balance codec', () => {
  it('reads back every balance it writes, exactly, through JSON text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('BTC', 'USDT', 'ETH'),
        amounts,
        amounts,
        (asset, free, locked) => {
          const back = parseBalance(
            JSON.parse(JSON.stringify(balanceToJSON({ asset, free, locked }))),
          );
          expect(back.asset).toBe(asset);
          expect(back.free.equals(free)).toBe(true);
          expect(back.locked.equals(locked)).toBe(true);
        },
      ),
    );
  });

  it('writes amounts as plain decimal strings', () => {
    const json = balanceToJSON({ asset: 'BTC', free: new Decimal('1e-8'), locked: new Decimal(2) });
    expect(json).toEqual({ asset: 'BTC', free: '0.00000001', locked: '2' });
  });

  it('refuses a negative amount, naming the field', () => {
    try {
      parseBalance({ asset: 'BTC', free: '-1', locked: '0' });
      expect.unreachable('accepted a negative balance');
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect((error as Error).message).toContain('free');
    }
  });

  it('refuses an unknown key and a number where a string belongs', () => {
    expect(() => parseBalance({ asset: 'BTC', free: '1', locked: '0', total: '1' })).toThrow();
    expect(() => parseBalance({ asset: 'BTC', free: 1, locked: '0' })).toThrow(/free/);
  });
});
