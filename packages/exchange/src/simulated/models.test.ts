import { Decimal, Instrument, instrumentId, SeededRandom } from '@qtp/core';
import {
  fixedBpsSlippage,
  fixedLatency,
  fixedRateFees,
  instrumentFees,
  noFees,
  noLatency,
  noSlippage,
  spreadFractionSlippage,
  uniformLatency,
} from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

const instrument = new Instrument({
  id: instrumentId('BTCUSDT', 'SIM'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  makerFee: '-0.0001',
  takerFee: '0.001',
});
const fill = {
  instrument,
  side: 'SELL' as const,
  price: new Decimal('200'),
  quantity: new Decimal('0.5'),
};

describe('fee models', () => {
  it('charges the instrument rates exactly, a negative maker rate as a rebate', () => {
    const fees = instrumentFees();
    expect(fees.fee({ ...fill, liquiditySide: 'TAKER' })).toEqual({
      amount: new Decimal('0.1'),
      currency: 'USDT',
    });
    expect(fees.fee({ ...fill, liquiditySide: 'MAKER' })).toEqual({
      amount: new Decimal('-0.01'),
      currency: 'USDT',
    });
  });

  it('charges fixed rates whatever the instrument says', () => {
    const fees = fixedRateFees({ maker: '0.0002', taker: '0.0005' });
    expect(fees.fee({ ...fill, liquiditySide: 'TAKER' }).amount.toString()).toBe('0.05');
    expect(fees.parameters).toEqual({ maker: '0.0002', taker: '0.0005', chargeIn: 'quote' });
    expect(() => fixedRateFees({ maker: '1', taker: '0' })).toThrow(/maker/);
  });

  it('charges nothing with noFees', () => {
    expect(
      noFees()
        .fee({ ...fill, liquiditySide: 'TAKER' })
        .amount.isZero(),
    ).toBe(true);
  });
});

describe('slippage models', () => {
  const context = { ...fill, side: 'BUY' as const, spread: new Decimal('0.4') };
  it('moves by basis points of the price', () => {
    expect(fixedBpsSlippage('10').slippage(context).toString()).toBe('0.2');
    expect(() => fixedBpsSlippage('-1')).toThrow(/bps/);
  });
  it('moves by a fraction of the spread, and by nothing without one', () => {
    expect(spreadFractionSlippage('0.5').slippage(context).toString()).toBe('0.2');
    expect(
      spreadFractionSlippage('0.5')
        .slippage({ ...context, spread: undefined })
        .isZero(),
    ).toBe(true);
  });
  it('moves nothing with noSlippage', () => {
    expect(noSlippage().slippage(context).isZero()).toBe(true);
  });
});

describe('latency models', () => {
  it('delays by fixed amounts, cancels like placements unless told', () => {
    const random = new SeededRandom(1);
    expect(fixedLatency({ submitMs: 50 }).cancelDelayMs(random)).toBe(50);
    expect(fixedLatency({ submitMs: 50, cancelMs: 5 }).cancelDelayMs(random)).toBe(5);
    expect(noLatency().submitDelayMs(random)).toBe(0);
    expect(() => fixedLatency({ submitMs: -1 })).toThrow(/submitMs/);
  });
  it('draws uniform whole-millisecond delays within the bounds, the same for the same seed', () => {
    const model = uniformLatency({ minMs: 10, maxMs: 20 });
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => model.submitDelayMs(random));
    };
    const delays = draw(3);
    expect(delays.every((ms) => Number.isInteger(ms) && ms >= 10 && ms <= 20)).toBe(true);
    expect(draw(3)).toEqual(delays);
    expect(() => uniformLatency({ minMs: 5, maxMs: 1 })).toThrow(/maxMs/);
  });
});
