import {
  Decimal,
  type DecimalInput,
  Instrument,
  type InstrumentOptions,
  instrumentId,
  isQtpError,
  parseInstrument,
  type ValidationError,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC: InstrumentOptions = {
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  minQuantity: '0.01',
  maxQuantity: '100',
  minNotional: '10',
  makerFee: '0.001',
  takerFee: '0.001',
};

function instrument(overrides: Partial<InstrumentOptions> = {}): Instrument {
  return new Instrument({ ...BTC, ...overrides });
}

function thrown(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Instrument rounding', () => {
  const nickel = instrument({ priceIncrement: '0.05' });

  it.each([
    ['101.37', 'down', '101.35'],
    ['101.37', 'up', '101.4'],
    ['101.37', 'nearest', '101.35'],
    ['101.38', 'nearest', '101.4'],
    ['101.35', 'up', '101.35'],
    ['101.35', 'down', '101.35'],
    // ties go to the even multiple: 101.40 is 2028 ticks, 101.35 is 2027
    ['101.375', 'nearest', '101.4'],
    // 101.30 is 2026 ticks, 101.35 is 2027
    ['101.325', 'nearest', '101.3'],
  ] as const)('rounds %s %s to %s on a 0.05 tick', (price, mode, expected) => {
    expect(nickel.roundPrice(price, mode).toString()).toBe(expected);
  });

  it('rounds a thirty-digit price exactly', () => {
    const price = '123456789012345678901234567890.129';
    expect(instrument().roundPrice(price, 'down').toString()).toBe(
      '123456789012345678901234567890.12',
    );
    expect(instrument().roundPrice(price, 'up').toString()).toBe(
      '123456789012345678901234567890.13',
    );
  });

  it('rounds a quantity down to the step', () => {
    expect(instrument().roundQuantity('0.0015').toString()).toBe('0.001');
    expect(instrument().roundQuantity('2.9999').toString()).toBe('2.999');
    expect(instrument().roundQuantity('3').toString()).toBe('3');
  });

  it('refuses to round a negative quantity', () => {
    expect(thrown(() => instrument().roundQuantity('-0.5')).field).toBe('quantity');
  });

  it('rounds a buy price down, a sell price up and both quantities down', () => {
    const btc = instrument({ sizeIncrement: '0.00001', minQuantity: '0.00001' });
    const buy = btc.roundOrder({ side: 'BUY', price: '27123.456', quantity: '0.123456' });
    const sell = btc.roundOrder({ side: 'SELL', price: '27123.451', quantity: '0.123456' });
    expect([buy.price?.toString(), buy.quantity.toString()]).toEqual(['27123.45', '0.12345']);
    expect([sell.price?.toString(), sell.quantity.toString()]).toEqual(['27123.46', '0.12345']);
  });

  it('leaves the price out of a rounded market order', () => {
    const rounded = instrument().roundOrder({ side: 'BUY', quantity: '1.2345' });
    expect(rounded).toEqual({ side: 'BUY', quantity: new Decimal('1.234') });
    expect('price' in rounded).toBe(false);
  });
});

describe('Instrument.validateOrder', () => {
  it('accepts an order that keeps every rule', () => {
    expect(
      instrument().validateOrder({ side: 'BUY', price: '27000.01', quantity: '0.01' }),
    ).toEqual([]);
  });

  it('reports every broken rule at once, not only the first', () => {
    const issues = instrument().validateOrder({ side: 'BUY', price: '0.015', quantity: '0.0015' });
    expect(issues.map((issue) => issue.check)).toEqual([
      'tick',
      'step',
      'minQuantity',
      'minNotional',
    ]);
    expect(issues[0]).toMatchObject({
      field: 'price',
      rule: 'be a multiple of the tick 0.01',
      value: '0.015',
    });
    expect(issues[3]).toMatchObject({ field: 'notional', value: '0.0000225' });
  });

  it('reports a quantity above the maximum and a price outside the band together', () => {
    const banded = instrument({ minPrice: '1', maxPrice: '1000000' });
    const issues = banded.validateOrder({ side: 'SELL', price: '2000000', quantity: '150' });
    expect(issues.map((issue) => issue.check)).toEqual(['maxPrice', 'maxQuantity']);
    expect(
      banded.validateOrder({ side: 'SELL', price: '0.5', quantity: '100' }).map((i) => i.check),
    ).toEqual(['minPrice']);
  });

  it('checks the notional only when a price is given', () => {
    expect(instrument().validateOrder({ side: 'BUY', quantity: '0.01' })).toEqual([]);
    expect(
      instrument().validateOrder({ side: 'BUY', price: '1', quantity: '0.01' })[0]?.check,
    ).toBe('minNotional');
  });

  it.each<[string, unknown, string]>([
    ['NaN', 'NaN', 'finite'],
    ['Infinity', 'Infinity', 'finite'],
    ['-Infinity', '-Infinity', 'finite'],
    ['a number', 5, 'finite'],
    ['a Decimal NaN', new Decimal(Number.NaN), 'finite'],
    ['-0', '-0', 'positive'],
    ['zero', '0', 'positive'],
    ['a negative value', '-1', 'positive'],
  ])('refuses %s as a price or a quantity', (_name, value, check) => {
    const issues = instrument().validateOrder({
      side: 'BUY',
      price: value as DecimalInput,
      quantity: value as DecimalInput,
    });
    expect(issues.map((issue) => [issue.field, issue.check])).toEqual([
      ['price', check],
      ['quantity', check],
    ]);
  });

  it('refuses an over-precise price with more than 34 significant digits', () => {
    const price = '27000.000000000000000000000000000001';
    const checks = instrument()
      .validateOrder({ side: 'BUY', price, quantity: '1' })
      .map((i) => i.check);
    // The price is refused as it is read, so no other rule is checked against a rounded copy.
    expect(checks).toEqual(['precision']);
  });

  it('refuses a too-large quantity', () => {
    const issues = instrument().validateOrder({ side: 'BUY', price: '1', quantity: '1e400' });
    expect(issues.map((issue) => issue.check)).toEqual(['precision', 'maxQuantity']);
  });

  it('refuses an unknown side', () => {
    const issues = instrument().validateOrder({
      side: 'HOLD' as 'BUY',
      price: '20000',
      quantity: '1',
    });
    expect(issues.map((issue) => issue.check)).toEqual(['side']);
  });

  it('throws one error listing every broken rule', () => {
    const error = thrown(() =>
      instrument().assertValidOrder({ side: 'BUY', price: '0.015', quantity: '0.0015' }),
    );
    expect(error.issues).toHaveLength(4);
    expect(error.message).toContain('price: must be a multiple of the tick 0.01, was "0.015"');
    expect(error.message).toContain('quantity: must be a multiple of the step 0.001, was "0.0015"');
    expect(error.details).toEqual({ instrumentId: 'BTCUSDT.BINANCE' });
  });

  it('does not throw for a valid order', () => {
    expect(() =>
      instrument().assertValidOrder({ side: 'SELL', price: '100', quantity: '0.1' }),
    ).not.toThrow();
  });
});

describe('Instrument construction', () => {
  it('derives symbol, venue, minimum quantity and precisions from the other options', () => {
    const eth = new Instrument({
      id: instrumentId('ETHUSDT', 'BINANCE'),
      baseAsset: 'ETH',
      quoteAsset: 'USDT',
      priceIncrement: '0.010',
      sizeIncrement: '0.0001',
    });
    expect([eth.symbol, eth.venue, eth.pricePrecision, eth.sizePrecision]).toEqual([
      'ETHUSDT',
      'BINANCE',
      2,
      4,
    ]);
    expect(eth.minQuantity.toString()).toBe('0.0001');
    expect(eth.maxQuantity).toBeUndefined();
    expect(eth.minNotional.isZero()).toBe(true);
  });

  it('lists every bad option in one error', () => {
    const error = thrown(() =>
      instrument({
        priceIncrement: '0',
        sizeIncrement: '-1',
        minQuantity: '5',
        maxQuantity: '1',
        takerFee: '1.5',
      }),
    );
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'priceIncrement',
      'sizeIncrement',
      'minQuantity',
      'takerFee',
    ]);
  });

  it('refuses a venue that differs from the id, a base equal to the quote and a precision below the tick', () => {
    const error = thrown(() => instrument({ venue: 'OKX', quoteAsset: 'BTC', pricePrecision: 1 }));
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'venue',
      'quoteAsset',
      'pricePrecision',
    ]);
  });

  it('refuses a number where a decimal string belongs', () => {
    const error = thrown(() => instrument({ priceIncrement: 0.01 as unknown as string }));
    expect(error.field).toBe('priceIncrement');
  });

  it('is immutable', () => {
    const btc = instrument();
    expect(() => {
      (btc as { minNotional: Decimal }).minNotional = new Decimal(0);
    }).toThrow(TypeError);
  });
});

describe('Instrument JSON', () => {
  it('round-trips through JSON with decimals as strings', () => {
    const btc = instrument({ minPrice: '0.01', maxPrice: '1000000', makerFee: '-0.0001' });
    const text = JSON.stringify(btc);
    expect(text).toContain('"makerFee":"-0.0001"');
    expect(parseInstrument(JSON.parse(text)).toJSON()).toEqual(btc.toJSON());
  });

  it('names the path of a malformed field', () => {
    const json = { ...instrument().toJSON(), priceIncrement: 0.01, minNotional: 'ten' };
    const error = thrown(() => parseInstrument(json));
    expect(error.issues.map((issue) => [issue.field, issue.value])).toEqual([
      ['priceIncrement', 0.01],
      ['minNotional', 'ten'],
    ]);
    expect(error.message).toContain('priceIncrement: must be a string, was 0.01');
  });

  it('refuses an unknown key so a typo never passes', () => {
    const error = thrown(() => parseInstrument({ ...instrument().toJSON(), minNotinal: '5' }));
    expect(error.rule).toBe('not have the key "minNotinal"');
  });

  it('reports the trading rules an instrument file breaks', () => {
    const error = thrown(() => parseInstrument({ ...instrument().toJSON(), sizeIncrement: '0' }));
    expect(error.field).toBe('sizeIncrement');
  });
});

describe('Instrument properties', () => {
  const ticks = ['0.01', '0.05', '0.00001', '0.3', '1', '25', '0.0000003'];
  const decimalString = fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
    .map(([digits, scale]) =>
      new Decimal(digits.toString()).div(new Decimal(10).pow(scale)).toFixed(),
    );

  it('gives a price that validates against the tick, in every mode and on the right side', () => {
    fc.assert(
      fc.property(
        decimalString,
        fc.constantFrom(...ticks),
        fc.constantFrom('nearest', 'up', 'down' as const),
        (price, tick, mode) => {
          const subject = instrument({ priceIncrement: tick, minNotional: '0' });
          const rounded = subject.roundPrice(price, mode);
          const x = new Decimal(price);
          if (rounded.isZero()) return; // below one tick there is no valid price to check
          const checks = subject
            .validateOrder({ side: 'BUY', price: rounded, quantity: '1' })
            .map((i) => i.check);
          expect(checks).not.toContain('tick');
          expect(rounded.minus(x).abs().lt(tick)).toBe(true);
          if (mode === 'down') expect(rounded.lte(x)).toBe(true);
          if (mode === 'up') expect(rounded.gte(x)).toBe(true);
          if (mode === 'nearest')
            expect(rounded.minus(x).abs().lte(new Decimal(tick).div(2))).toBe(true);
        },
      ),
    );
  });

  it('gives a quantity that validates against the step and never grows', () => {
    fc.assert(
      fc.property(decimalString, fc.constantFrom(...ticks), (quantity, step) => {
        const { maxQuantity: _unlimited, ...options } = BTC;
        const subject = new Instrument({ ...options, sizeIncrement: step, minQuantity: '0' });
        const rounded = subject.roundQuantity(quantity);
        expect(rounded.lte(quantity)).toBe(true);
        expect(new Decimal(quantity).minus(rounded).lt(step)).toBe(true);
        if (rounded.isZero()) return;
        const checks = subject
          .validateOrder({ side: 'SELL', quantity: rounded })
          .map((i) => i.check);
        expect(checks).not.toContain('step');
      }),
    );
  });
});

describe('Instrument limits on the grid', () => {
  it('refuses quantity and price limits off the increments, listing each field', () => {
    const error = thrown(() =>
      instrument({
        sizeIncrement: '0.5',
        minQuantity: '0.7',
        maxQuantity: '100.25',
        priceIncrement: '0.05',
        minPrice: '0.01',
        maxPrice: '1000.07',
      }),
    );
    expect(error.issues.map((issue) => `${issue.field}: ${issue.rule}`)).toEqual([
      'minQuantity: be a multiple of the size increment 0.5',
      'maxQuantity: be a multiple of the size increment 0.5',
      'minPrice: be a multiple of the price increment 0.05',
      'maxPrice: be a multiple of the price increment 0.05',
    ]);
  });

  it('accepts limits that sit on the grid, and a minimum quantity of 0', () => {
    const btc = instrument({ sizeIncrement: '0.5', minQuantity: '0', maxQuantity: '100.5' });
    expect(btc.maxQuantity?.toString()).toBe('100.5');
    expect(
      instrument({ priceIncrement: '0.05', minPrice: '0.1', maxPrice: '5' }).minPrice?.eq('0.1'),
    ).toBe(true);
  });

  it.each([null, undefined, 5, 'BTCUSDT.BINANCE', []])(
    'refuses %s in place of options with a ValidationError',
    (options) => {
      expect(thrown(() => new Instrument(options as unknown as InstrumentOptions)).field).toBe(
        '(root)',
      );
    },
  );
});
