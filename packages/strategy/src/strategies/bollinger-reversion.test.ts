import { BollingerReversion } from '@qtp/strategy';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { fixtureBars, ordersAt, ordersFromTargets, xrpeth } from '../../test/strategy-fixtures.js';

// Bands by a two-pass mean and population deviation over each window, independent of the class.
function bands(closes: readonly number[], end: number, period: number, k: number) {
  let sum = 0;
  for (let j = end - period + 1; j <= end; j++) sum += closes[j]!;
  const middle = sum / period;
  let squares = 0;
  for (let j = end - period + 1; j <= end; j++) squares += (closes[j]! - middle) ** 2;
  const width = k * Math.sqrt(squares / period);
  return { upper: middle + width, middle, lower: middle - width };
}

function expectedTargets(closes: number[], period: number, k: number, allowShort: boolean) {
  const targets: (number | undefined)[] = closes.map(() => undefined);
  const ambiguous: number[] = [];
  let held = 0;
  for (let i = period - 1; i < closes.length; i++) {
    const { upper, middle, lower } = bands(closes, i, period, k);
    const close = closes[i]!;
    const near = (level: number) => Math.abs(close - level) < 1e-15;
    if (near(upper) || near(middle) || near(lower)) ambiguous.push(i);
    let target: number | undefined;
    if (held > 0) target = close >= middle ? 0 : undefined;
    else if (held < 0) target = close <= middle ? 0 : undefined;
    else if (close < lower) target = 1;
    else if (allowShort && close > upper) target = -1;
    if (target === undefined) continue;
    held = target;
    targets[i] = target;
  }
  return { targets, ambiguous };
}

describe('BollingerReversion', () => {
  const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
  const closes = bars.map((bar) => bar.close);

  it('buys below the lower band and sells back at the middle line, on exactly those bars', () => {
    const strategy = new BollingerReversion({
      id: 'bb',
      params: { instrumentId: xrpeth.id, period: 20, k: 2, quantity: '100' },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const { targets, ambiguous } = expectedTargets(closes, 20, 2, false);
    const expected = ordersFromTargets(targets, 100);
    expect(ambiguous.filter((i) => expected.some((order) => order.index === i))).toEqual([]);
    expect(expected.length).toBeGreaterThan(6);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('also sells short above the upper band when shorts are allowed', () => {
    const strategy = new BollingerReversion({
      id: 'bb-short',
      params: { instrumentId: xrpeth.id, period: 14, k: 1.5, quantity: '30', allowShort: true },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const { targets } = expectedTargets(closes, 14, 1.5, true);
    const expected = ordersFromTargets(targets, 30);
    expect(targets.includes(-1)).toBe(true);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('rejects a band width that is not positive and a period below 2', () => {
    expect(
      () =>
        new BollingerReversion({
          id: 'bad',
          params: { instrumentId: xrpeth.id, k: 0, quantity: '1' },
        }),
    ).toThrow('params.k: must be more than 0, was 0');
    expect(
      () =>
        new BollingerReversion({
          id: 'bad',
          params: { instrumentId: xrpeth.id, period: 1, quantity: '1' },
        }),
    ).toThrow('params.period: must be at least 2, was 1');
  });
});
