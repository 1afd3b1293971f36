import { Instrument, type InstrumentRuleIssue, isQtpError, type ValidationError } from '@qtp/core';
import { roundOrderRequest } from '@qtp/oms';
import { describe, expect, it } from 'vitest';
import { BTC, btc } from '../test/support/fixtures.js';

function issuesOf(run: () => unknown): InstrumentRuleIssue[] {
  try {
    run();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return [...(error as ValidationError).issues] as InstrumentRuleIssue[];
  }
  throw new Error('expected a ValidationError');
}

describe('roundOrderRequest', () => {
  it('rounds a buy price down to the tick and the quantity down to the step', () => {
    const request = roundOrderRequest(
      { instrumentId: BTC, side: 'BUY', type: 'LIMIT', price: '27000.019', quantity: '0.01239' },
      btc,
    );
    expect(request.price?.toString()).toBe('27000.01');
    expect(request.quantity.toString()).toBe('0.0123');
  });

  it('rounds a sell price up to the tick and the quantity down to the step', () => {
    const request = roundOrderRequest(
      { instrumentId: BTC, side: 'SELL', type: 'LIMIT', price: '27000.011', quantity: '0.01239' },
      btc,
    );
    expect(request.price?.toString()).toBe('27000.02');
    expect(request.quantity.toString()).toBe('0.0123');
  });

  it('rounds a trigger price in the direction of the limit price', () => {
    const buy = roundOrderRequest(
      {
        instrumentId: BTC,
        side: 'BUY',
        type: 'STOP_LIMIT',
        price: '27100.005',
        triggerPrice: '27050.005',
        quantity: '0.01',
      },
      btc,
    );
    expect([buy.price?.toString(), buy.triggerPrice?.toString()]).toEqual(['27100', '27050']);
    const sell = roundOrderRequest(
      {
        instrumentId: BTC,
        side: 'SELL',
        type: 'STOP_MARKET',
        triggerPrice: '26950.001',
        quantity: '0.01',
      },
      btc,
    );
    expect(sell.triggerPrice?.toString()).toBe('26950.01');
  });

  it('leaves values already on the tick and the step unchanged', () => {
    const request = roundOrderRequest(
      { instrumentId: BTC, side: 'SELL', type: 'LIMIT', price: '27000.5', quantity: '0.5' },
      btc,
    );
    expect([request.price?.toString(), request.quantity.toString()]).toEqual(['27000.5', '0.5']);
  });

  it('rejects a request naming every rule the rounded terms break', () => {
    const issues = issuesOf(() =>
      roundOrderRequest(
        { instrumentId: BTC, side: 'BUY', type: 'LIMIT', price: '2000000', quantity: '0.00001' },
        btc,
      ),
    );
    // 0.00001 rounds down to 0, which is not positive; the price breaks the band.
    expect(issues.map((issue) => issue.check).sort()).toEqual(['maxPrice', 'positive']);
    const more = issuesOf(() =>
      roundOrderRequest(
        { instrumentId: BTC, side: 'SELL', type: 'LIMIT', price: '0.5', quantity: '0.0005' },
        btc,
      ),
    );
    expect(more.map((issue) => `${issue.field}:${issue.check}`).sort()).toEqual([
      'notional:minNotional',
      'price:minPrice',
      'quantity:minQuantity',
    ]);
    const big = issuesOf(() =>
      roundOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '150' }, btc),
    );
    expect(big.map((issue) => issue.check)).toEqual(['maxQuantity']);
  });

  it('checks a stop order trigger price against the band and its notional when there is no limit', () => {
    const issues = issuesOf(() =>
      roundOrderRequest(
        {
          instrumentId: BTC,
          side: 'SELL',
          type: 'STOP_MARKET',
          triggerPrice: '0.5',
          quantity: '0.001',
        },
        btc,
      ),
    );
    expect(issues.map((issue) => `${issue.field}:${issue.check}`).sort()).toEqual([
      'notional:minNotional',
      'triggerPrice:minPrice',
    ]);
  });

  it('names the rule in words with the value', () => {
    const [issue] = issuesOf(() =>
      roundOrderRequest(
        { instrumentId: BTC, side: 'BUY', type: 'LIMIT', price: '27000', quantity: '0.0001' },
        btc,
      ),
    );
    expect(issue).toMatchObject({
      field: 'quantity',
      rule: 'be at least the minimum quantity 0.001',
      check: 'minQuantity',
    });
  });

  it('rejects a structurally malformed request before rounding', () => {
    const issues = issuesOf(() =>
      roundOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '1' }, btc),
    );
    expect(issues[0]).toMatchObject({ field: 'price', rule: 'be present for a LIMIT order' });
  });
});

describe('a quantity that rounds to 0', () => {
  it('says it rounds to 0 at the lot size and shows the quantity given, not 0', () => {
    const lot = new Instrument({
      id: BTC,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      priceIncrement: '0.01',
      sizeIncrement: '1',
      minQuantity: '0',
    });
    const run = () =>
      roundOrderRequest({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.4' }, lot);
    expect(run).toThrow('quantity: must not round to 0 at the lot size 1, was "0.4"');
    expect(issuesOf(run)).toHaveLength(1);
  });
});
