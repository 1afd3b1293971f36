import { Decimal } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderTrigger, triggerDirection } from './order-trigger.js';

const d = (value: number | string) => new Decimal(value);

describe('triggerDirection', () => {
  it('sends stop-loss buys and take-profit sells up, the other two down', () => {
    expect(triggerDirection('STOP_LOSS', 'BUY')).toBe('RISE');
    expect(triggerDirection('STOP_LOSS_LIMIT', 'SELL')).toBe('FALL');
    expect(triggerDirection('TAKE_PROFIT', 'SELL')).toBe('RISE');
    expect(triggerDirection('TAKE_PROFIT_LIMIT', 'BUY')).toBe('FALL');
  });
});

describe('OrderTrigger', () => {
  it('triggers a plain stop once the price reaches it', () => {
    const trigger = new OrderTrigger({
      side: 'SELL',
      direction: 'RISE',
      stopPrice: d(110),
      trailingDelta: undefined,
      lastPrice: d(100),
    });
    expect(trigger.observe(d('109.99'))).toBe('NONE');
    expect(trigger.observe(d(110))).toBe('TRIGGERED');
  });

  it('activates a trailing buy at its stop price and triggers 1.5% above the low after it', () => {
    const trigger = new OrderTrigger({
      side: 'BUY',
      direction: 'FALL',
      stopPrice: d(90),
      trailingDelta: 150,
      lastPrice: d(100),
    });
    // Prices before the activation are no lows.
    expect(trigger.observe(d(95))).toBe('NONE');
    expect(trigger.isTrailing).toBe(false);
    expect(trigger.observe(d(90))).toBe('ACTIVATED');
    expect(trigger.observe(d(80))).toBe('NONE');
    // 80 x 1.015 = 81.2
    expect(trigger.triggerPrice?.toString()).toBe('81.2');
    expect(trigger.observe(d('81.19'))).toBe('NONE');
    expect(trigger.observe(d('81.2'))).toBe('TRIGGERED');
  });

  it('triggers a trailing sell at the first price delta below the running peak', () => {
    // Integer prices and integer arithmetic: the trigger is the first p with
    // p * 10000 <= peak * (10000 - delta), the peak counting p itself and the start price.
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.integer({ min: 10, max: 2000 }),
        fc.array(fc.integer({ min: 500, max: 200_000 }), { maxLength: 40 }),
        (start, delta, prices) => {
          const trigger = new OrderTrigger({
            side: 'SELL',
            direction: 'FALL',
            stopPrice: undefined,
            trailingDelta: delta,
            lastPrice: d(start),
          });
          let peak = BigInt(start);
          let expected = -1;
          for (const [index, price] of prices.entries()) {
            if (BigInt(price) > peak) peak = BigInt(price);
            if (BigInt(price) * 10_000n <= peak * BigInt(10_000 - delta)) {
              expected = index;
              break;
            }
          }
          const steps = prices.map((price) => trigger.observe(d(price)));
          const first = steps.indexOf('TRIGGERED');
          expect(first).toBe(expected);
        },
      ),
    );
  });
});
