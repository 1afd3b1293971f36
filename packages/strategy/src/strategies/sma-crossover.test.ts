import { isQtpError } from '@qtp/core';
import { SmaCrossover } from '@qtp/strategy';
import { runStrategy } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import {
  adabtc,
  fixtureBars,
  ordersAt,
  ordersFromTargets,
  xrpeth,
} from '../../test/strategy-fixtures.js';

// The averages by plain summation over each window, independent of the SMA class.
function mean(values: readonly number[], end: number, period: number): number {
  let sum = 0;
  for (let j = end - period + 1; j <= end; j++) sum += values[j]!;
  return sum / period;
}

function expectedTargets(closes: number[], fast: number, slow: number, allowShort: boolean) {
  const targets: (number | undefined)[] = closes.map(() => undefined);
  const ambiguous: number[] = [];
  let held = 0;
  for (let i = slow; i < closes.length; i++) {
    const previous = mean(closes, i - 1, fast) - mean(closes, i - 1, slow);
    const current = mean(closes, i, fast) - mean(closes, i, slow);
    // A difference this close to zero could take either sign under a different summation order.
    if (Math.abs(current) < 1e-15) ambiguous.push(i);
    if (previous <= 0 && current > 0) held = 1;
    else if (previous >= 0 && current < 0) held = allowShort ? -1 : 0;
    else continue;
    targets[i] = held;
  }
  return { targets, ambiguous };
}

describe('SmaCrossover', () => {
  const bars = fixtureBars('XRPETH-5m', xrpeth, '5m');
  const closes = bars.map((bar) => bar.close);

  it('orders long-only exactly on the bars where the averages cross', () => {
    const strategy = new SmaCrossover({
      id: 'sma',
      params: { instrumentId: xrpeth.id, fastPeriod: 10, slowPeriod: 30, quantity: '100' },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const { targets, ambiguous } = expectedTargets(closes, 10, 30, false);
    expect(ambiguous).toEqual([]);
    const expected = ordersFromTargets(targets, 100);
    expect(expected.length).toBeGreaterThan(10);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
    expect(run.orders.every((order) => order.request.type === 'MARKET')).toBe(true);
  });

  it('reverses to a short on a cross down when shorts are allowed', () => {
    const strategy = new SmaCrossover({
      id: 'sma-short',
      params: {
        instrumentId: xrpeth.id,
        fastPeriod: 5,
        slowPeriod: 20,
        quantity: '50',
        allowShort: true,
      },
    });
    const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
    const { targets, ambiguous } = expectedTargets(closes, 5, 20, true);
    expect(ambiguous).toEqual([]);
    const expected = ordersFromTargets(targets, 50);
    expect(expected.some((order) => order.quantity === '100')).toBe(true);
    expect(ordersAt(bars, run.orders)).toEqual(expected);
  });

  it('matches the independent computation on one-minute ADA/BTC bars', () => {
    const ada = fixtureBars('ADABTC-1m-first1500', adabtc, '1m');
    const strategy = new SmaCrossover({
      id: 'ada',
      params: { instrumentId: adabtc.id, fastPeriod: 12, slowPeriod: 26, quantity: '1000' },
    });
    const run = runStrategy(strategy, ada, { instruments: [adabtc] });
    const { targets, ambiguous } = expectedTargets(
      ada.map((bar) => bar.close),
      12,
      26,
      false,
    );
    // Flat stretches make exact ties: those bars are left out of the comparison.
    const expected = ordersFromTargets(targets, 1000).filter(
      (order) => !ambiguous.includes(order.index) && !ambiguous.includes(order.index - 1),
    );
    const actual = ordersAt(ada, run.orders).filter(
      (order) => !ambiguous.includes(order.index) && !ambiguous.includes(order.index - 1),
    );
    expect(actual).toEqual(expected);
  });

  it('rejects a slow period not above the fast one, naming the parameter', () => {
    const build = () =>
      new SmaCrossover({
        id: 'bad',
        params: { instrumentId: xrpeth.id, fastPeriod: 20, slowPeriod: 20, quantity: '1' },
      });
    expect(build).toThrow('params.slowPeriod: must be greater than fastPeriod 20, was 20');
  });

  it('rejects a zero fast period, a numeric quantity and an unknown key', () => {
    try {
      new SmaCrossover({
        id: 'bad',
        params: { instrumentId: xrpeth.id, fastPeriod: 0, quantity: 5, fast: 3 },
      });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      const fields = (error as { issues: { field: string; rule: string }[] }).issues;
      expect(fields).toContainEqual(
        expect.objectContaining({ field: 'params.fastPeriod', rule: 'be at least 1' }),
      );
      expect(fields).toContainEqual(
        expect.objectContaining({ field: 'params.quantity', rule: 'be a string' }),
      );
      expect(fields.map((issue) => issue.field)).toContain('params');
    }
  });

  it('rejects a malformed instrument id and a zero quantity', () => {
    expect(
      () => new SmaCrossover({ id: 'bad', params: { instrumentId: 'XRPETH', quantity: '1' } }),
    ).toThrow('params.instrumentId: must be written SYMBOL.VENUE, was "XRPETH"');
    expect(
      () => new SmaCrossover({ id: 'bad', params: { instrumentId: xrpeth.id, quantity: '0' } }),
    ).toThrow('params.quantity: must be greater than 0, was "0"');
  });
});
