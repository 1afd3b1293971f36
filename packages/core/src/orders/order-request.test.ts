import {
  createOrderRequest,
  Decimal,
  instrumentId,
  isQtpError,
  type OrderRequestInput,
  orderRequestToJSON,
  parseOrderRequest,
  type ValidationError,
  validateOrderRequest,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');

function validationError(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(input: OrderRequestInput): string[] {
  return validateOrderRequest(input).map((issue) => `${issue.field}: ${issue.rule}`);
}

describe('validateOrderRequest', () => {
  it('accepts a limit order with a price', () => {
    expect(
      fields({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '1', price: '100' }),
    ).toEqual([]);
  });

  it('requires a price for a limit order', () => {
    expect(fields({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '1' })).toEqual([
      'price: be present for a LIMIT order',
    ]);
  });

  it('refuses a price on a market order', () => {
    expect(
      fields({ instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '1', price: '100' }),
    ).toEqual(['price: be absent for a MARKET order']);
  });

  it('requires a trigger price for stop orders and refuses one elsewhere', () => {
    expect(fields({ instrumentId: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: '1' })).toEqual(
      ['triggerPrice: be present for a STOP_MARKET order'],
    );
    expect(
      fields({
        instrumentId: BTC,
        side: 'SELL',
        type: 'STOP_LIMIT',
        quantity: '1',
        triggerPrice: '9',
      }),
    ).toEqual(['price: be present for a STOP_LIMIT order']);
    expect(
      fields({
        instrumentId: BTC,
        side: 'SELL',
        type: 'LIMIT',
        quantity: '1',
        price: '9',
        triggerPrice: '9',
      }),
    ).toEqual(['triggerPrice: be absent for a LIMIT order']);
  });

  it('requires an expiry for GTD and refuses one for any other time in force', () => {
    const limit = {
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '1',
    } as const;
    expect(fields({ ...limit, timeInForce: 'GTD' })).toEqual([
      'expireTimeMs: be present for a GTD order',
    ]);
    expect(fields({ ...limit, timeInForce: 'GTC', expireTimeMs: 5 })).toEqual([
      'expireTimeMs: be absent unless the time in force is GTD',
    ]);
    expect(fields({ ...limit, timeInForce: 'GTD', expireTimeMs: 1.5 })).toEqual([
      'expireTimeMs: be epoch milliseconds (an integer, 0 or more)',
    ]);
  });

  it('keeps a market order immediate and a maker order resting', () => {
    expect(
      fields({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '1', timeInForce: 'GTC' }),
    ).toEqual(['timeInForce: be IOC or FOK for a MARKET order']);
    expect(
      fields({
        instrumentId: BTC,
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '1',
        price: '1',
        timeInForce: 'IOC',
      }),
    ).toEqual(['timeInForce: be GTC or GTD for a LIMIT_MAKER order, which rests on the book']);
  });

  it('reports every broken rule at once', () => {
    const issues = validateOrderRequest({
      instrumentId: 'nope' as typeof BTC,
      side: 'HOLD' as 'BUY',
      type: 'STOP_LIMIT',
      quantity: '-1',
      clientOrderId: 'has spaces',
      tags: ['ok', ''],
    });
    expect(issues.map((issue) => issue.field)).toEqual([
      'instrumentId',
      'side',
      'quantity',
      'price',
      'triggerPrice',
      'clientOrderId',
      'tags[1]',
    ]);
  });

  it.each([['NaN'], ['Infinity'], ['-0'], ['0'], ['-5']])('refuses the quantity %j', (quantity) => {
    expect(
      validateOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity })[0]?.field,
    ).toBe('quantity');
  });

  it('refuses a number as the quantity', () => {
    const quantity = 1 as unknown as string;
    expect(
      validateOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity })[0]?.rule,
    ).toBe('be a Decimal or a decimal string');
  });
});

describe('createOrderRequest', () => {
  it('defaults a market order to IOC and any other order to GTC', () => {
    expect(
      createOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '1' })
        .timeInForce,
    ).toBe('IOC');
    expect(
      createOrderRequest({
        instrumentId: BTC,
        side: 'BUY',
        type: 'LIMIT',
        quantity: '1',
        price: '2',
      }).timeInForce,
    ).toBe('GTC');
  });

  it('throws one error listing every broken rule', () => {
    const error = validationError(() =>
      createOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'STOP_LIMIT', quantity: '1' }),
    );
    expect(error.issues.map((issue) => issue.field)).toEqual(['price', 'triggerPrice']);
  });

  it('round-trips through JSON with decimals as strings', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'SELL',
      type: 'STOP_LIMIT',
      quantity: '0.123456789',
      price: '27000.1',
      triggerPrice: '27100',
      timeInForce: 'GTD',
      expireTimeMs: 1_700_000_000_000,
      reduceOnly: true,
      clientOrderId: 'abc-1',
      tags: ['sma'],
    });
    const json = JSON.parse(JSON.stringify(orderRequestToJSON(request)));
    expect(json.quantity).toBe('0.123456789');
    expect(orderRequestToJSON(parseOrderRequest(json))).toEqual(orderRequestToJSON(request));
  });

  it('names the path of a malformed JSON field', () => {
    const error = validationError(() =>
      parseOrderRequest({
        instrumentId: 'BTCUSDT.BINANCE',
        side: 'BUY',
        type: 'MARKET',
        quantity: 1,
        timeInForce: 'IOC',
      }),
    );
    expect([error.field, error.value]).toEqual(['quantity', 1]);
  });
});

describe('unknown keys', () => {
  const market = { instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '1' } as const;

  it.each([
    ['reduce_only', true],
    ['timeinforce', 'GTC'],
    ['stopprice', '100'],
    ['icebergQty', '0.1'],
  ])('refuses the key %s by name instead of ignoring it', (key, value) => {
    const input = { ...market, [key]: value } as OrderRequestInput;
    expect(fields(input)).toEqual([`${key}: be absent: it is not a key of an order request`]);
    const error = validationError(() => createOrderRequest(input));
    expect(error.field).toBe(key);
    expect(error.message).toContain(key);
  });

  it('refuses an unknown key even when every known field is already checked', () => {
    const checked = createOrderRequest(market);
    const input = { ...checked, reduce_only: true } as OrderRequestInput;
    expect(validationError(() => createOrderRequest(input)).field).toBe('reduce_only');
  });

  it('refuses an unknown key in the JSON form, naming it', () => {
    const json = { ...orderRequestToJSON(createOrderRequest(market)), stopPrice: '5' };
    expect(validationError(() => parseOrderRequest(json)).message).toContain('"stopPrice"');
  });

  it.each([null, undefined, 5, 'BTCUSDT', [], true])(
    'refuses %s in place of a request with a ValidationError',
    (input) => {
      const error = validationError(() =>
        createOrderRequest(input as unknown as OrderRequestInput),
      );
      expect(error.field).toBe('(root)');
      expect(validateOrderRequest(input as unknown as OrderRequestInput)).toHaveLength(1);
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1.5, -1, 2 ** 60])(
    'refuses the expiry time %s, naming expireTimeMs',
    (expireTimeMs) => {
      const input = { ...market, type: 'LIMIT', price: '5', timeInForce: 'GTD', expireTimeMs };
      const error = validationError(() => createOrderRequest(input as OrderRequestInput));
      expect(error.field).toBe('expireTimeMs');
    },
  );
});

describe('checked requests', () => {
  it('passes on a request it returned as it is, as plain data', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '10',
    });
    expect(createOrderRequest(request)).toBe(request);
    expect(Object.isFrozen(request)).toBe(true);
    expect({ ...request }).toEqual(request);
    expect(JSON.parse(JSON.stringify(request))).toEqual({
      instrumentId: 'BTCUSDT.BINANCE',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '10',
      timeInForce: 'GTC',
    });
  });

  it('checks again a changed clone that keeps the prototype of a checked request', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: '1',
    });
    const clone = Object.assign(Object.create(Object.getPrototypeOf(request)), request, {
      quantity: new Decimal(-1),
    });
    expect(validationError(() => createOrderRequest(clone)).message).toContain('quantity');
  });
});
