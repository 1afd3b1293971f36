import { RsiReversal } from '@qtp/strategy';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import {
  adabtc,
  fixtureBars,
  ordersAt,
  ordersFromTargets,
  xrpeth,
} from '../../test/strategy-fixtures.js';

// Wilder's RSI written out: seed averages of the first `period` changes, then smoothing by 1/period.
function wilderRsi(closes: readonly number[], period: number): number[] {
  const out = closes.map(() => Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i]! - closes[i - 1]!;
    const up = Math.max(change, 0);
    const down = change < 0 ? -change : 0;
    if (i <= period) {
      gain += up / period;
      loss += down / period;
      if (i < period) continue;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    out[i] = gain + loss === 0 ? 50 : (100 * gain) / (gain + loss);
  }
  return out;
}

function expectedTargets(
  closes: number[],
  period: number,
  oversold: number,
  overbought: number,
  allowShort: boolean,
) {
  const rsi = wilderRsi(closes, period);
  const targets: (number | undefined)[] = closes.map(() => undefined);
  const ambiguous: number[] = [];
  let held = 0;
  for (let i = period; i < closes.length; i++) {
    const value = rsi[i]!;
    if (Math.abs(value - oversold) < 1e-9 || Math.abs(value - overbought) < 1e-9) {
      ambiguous.push(i);
    }
    let target: number | undefined;
    if (held > 0) target = value > overbought ? (allowShort ? -1 : 0) : undefined;
    else if (held < 0) target = value < oversold ? 1 : undefined;
    else if (value < oversold) target = 1;
    else if (allowShort && value > overbought) target = -1;
    if (target === undefined) continue;
    held = target;
    targets[i] = target;
  }
  return { targets, ambiguous };
}

describe('RsiReversal', () => {
  it('buys oversold and sells overbought on exactly the bars the RSI says', () => {
    const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
    const strategy = new RsiReversal({
      id: 'rsi',
      params: { instrumentId: xrpeth.id, period: 7, oversold: 30, overbought: 70, quantity: '100' },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const { targets, ambiguous } = expectedTargets(
      bars.map((bar) => bar.close),
      7,
      30,
      70,
      false,
    );
    expect(ambiguous).toEqual([]);
    const expected = ordersFromTargets(targets, 100);
    expect(expected.length).toBeGreaterThan(4);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('reverses between long and short when shorts are allowed', () => {
    const bars = fixtureBars('ADABTC-1m-first1500', adabtc, '1m');
    const strategy = new RsiReversal({
      id: 'rsi-short',
      params: {
        instrumentId: adabtc.id,
        period: 7,
        oversold: 25,
        overbought: 75,
        quantity: '500',
        allowShort: true,
      },
    });
    const run = runStrategy(strategy, bars, { instruments: [adabtc] });
    const { targets, ambiguous } = expectedTargets(
      bars.map((bar) => bar.close),
      7,
      25,
      75,
      true,
    );
    expect(ambiguous).toEqual([]);
    const expected = ordersFromTargets(targets, 500);
    expect(expected.some((order) => order.quantity === '1000')).toBe(true);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('rejects levels out of order and out of range', () => {
    expect(
      () =>
        new RsiReversal({
          id: 'bad',
          params: { instrumentId: xrpeth.id, oversold: 70, overbought: 30, quantity: '1' },
        }),
    ).toThrow('params.overbought: must be greater than oversold 70, was 30');
    expect(
      () =>
        new RsiReversal({
          id: 'bad',
          params: { instrumentId: xrpeth.id, oversold: 0, quantity: '1' },
        }),
    ).toThrow('params.oversold: must be more than 0, was 0');
  });
});
