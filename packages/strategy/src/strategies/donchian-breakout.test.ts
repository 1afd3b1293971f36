import { DonchianBreakout } from '@qtp/strategy';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { fixtureBars, ordersAt, ordersFromTargets, xrpeth } from '../../test/strategy-fixtures.js';

// The extremes of the `period` bars before bar `i`, by a plain scan.
function channel(highs: number[], lows: number[], i: number, period: number) {
  let upper = Number.NEGATIVE_INFINITY;
  let lower = Number.POSITIVE_INFINITY;
  for (let j = i - period; j < i; j++) {
    upper = Math.max(upper, highs[j]!);
    lower = Math.min(lower, lows[j]!);
  }
  return { upper, lower };
}

function expectedTargets(
  bars: { high: number; low: number; close: number }[],
  entryPeriod: number,
  exitPeriod: number,
  allowShort: boolean,
) {
  const highs = bars.map((bar) => bar.high);
  const lows = bars.map((bar) => bar.low);
  const targets: (number | undefined)[] = bars.map(() => undefined);
  let held = 0;
  // The first decision comes one bar after both channels are full.
  for (let i = Math.max(entryPeriod, exitPeriod); i < bars.length; i++) {
    const entry = channel(highs, lows, i, entryPeriod);
    const exit = channel(highs, lows, i, exitPeriod);
    const close = bars[i]!.close;
    let target: number | undefined;
    if (held > 0) target = close < exit.lower ? 0 : undefined;
    else if (held < 0) target = close > exit.upper ? 0 : undefined;
    else if (close > entry.upper) target = 1;
    else if (allowShort && close < entry.lower) target = -1;
    if (target === undefined) continue;
    held = target;
    targets[i] = target;
  }
  return targets;
}

describe('DonchianBreakout', () => {
  const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');

  it('buys a close above the prior high and exits below the prior exit low, on exactly those bars', () => {
    const strategy = new DonchianBreakout({
      id: 'donchian',
      params: { instrumentId: xrpeth.id, entryPeriod: 20, exitPeriod: 10, quantity: '100' },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const expected = ordersFromTargets(expectedTargets(bars, 20, 10, false), 100);
    expect(expected.length).toBeGreaterThan(6);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('trades both breakouts when shorts are allowed, with an exit channel longer than the entry', () => {
    const strategy = new DonchianBreakout({
      id: 'donchian-short',
      params: {
        instrumentId: xrpeth.id,
        entryPeriod: 12,
        exitPeriod: 24,
        quantity: '10',
        allowShort: true,
      },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const targets = expectedTargets(bars, 12, 24, true);
    expect(targets.includes(-1)).toBe(true);
    expect(ordersAt(bars, run.orders)).toEqual(ordersFromTargets(targets, 10));
  });

  it('rejects a fractional period, naming it', () => {
    expect(
      () =>
        new DonchianBreakout({
          id: 'bad',
          params: { instrumentId: xrpeth.id, entryPeriod: 2.5, quantity: '1' },
        }),
    ).toThrow(/^params\.entryPeriod: must be an int/);
  });
});
