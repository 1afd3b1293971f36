import { Decimal, instrumentId } from '@qtp/core';
import { type RouteVenue, routeOrder } from '@qtp/oms';
import { describe, expect, it } from 'vitest';

const d = (value: string | number) => new Decimal(value);
const A = instrumentId('BTCUSDT', 'ALPHA');
const B = instrumentId('BTCUSDT', 'BETA');

function venue(
  id: typeof A,
  fee: string,
  levels: [number, number][],
  extra: Partial<RouteVenue> = {},
): RouteVenue {
  return {
    instrumentId: id,
    levels: levels.map(([price, size]) => ({ price: d(price), size: d(size) })),
    takerFee: d(fee),
    healthy: true,
    breakerOpen: false,
    sizeIncrement: d('0.001'),
    ...extra,
  };
}

const alpha = venue(A, '0.001', [
  [100, 1],
  [101, 2],
]);
const beta = venue(B, '0.0005', [
  [100.05, 1],
  [100.5, 5],
]);

const plain = (plan: ReturnType<typeof routeOrder>) =>
  plan.slices.map((slice) => [
    slice.instrumentId,
    slice.quantity.toString(),
    slice.limitPrice.toString(),
    slice.averagePrice.toString(),
  ]);

describe('routeOrder', () => {
  it('takes the best prices after fees across venues, worked by hand', () => {
    // After fees: ALPHA 100 → 100.1, BETA 100.05 → 100.100025, BETA 100.5 → 100.55025, ALPHA 101
    // → 101.101. Three units: ALPHA 1 @ 100, BETA 1 @ 100.05, BETA 1 @ 100.5.
    const plan = routeOrder('BUY', d(3), [alpha, beta]);
    expect(plain(plan)).toEqual([
      [A, '1', '100', '100'],
      [B, '2', '100.5', '100.275'],
    ]);
    expect(plan.unrouted.toString()).toBe('0');
  });

  it('sends nothing to a venue whose breaker is open or that is unhealthy, and says why', () => {
    const plan = routeOrder('BUY', d(3), [alpha, { ...beta, breakerOpen: true }]);
    // ALPHA alone: 1 @ 100 and 2 @ 101, average 302 / 3.
    expect(
      plan.slices.map((slice) => [
        slice.instrumentId,
        slice.quantity.toString(),
        slice.limitPrice.toString(),
      ]),
    ).toEqual([[A, '3', '101']]);
    expect(plan.slices[0]!.averagePrice.toNumber()).toBeCloseTo(302 / 3, 12);
    expect(plan.skipped).toEqual([{ instrumentId: B, reason: 'its breaker is open' }]);
    const sick = routeOrder('BUY', d(1), [{ ...alpha, healthy: false }, beta]);
    expect(sick.skipped).toEqual([{ instrumentId: A, reason: 'it is not healthy' }]);
    expect(plain(sick)).toEqual([[B, '1', '100.05', '100.05']]);
  });

  it('sells into the highest bids after fees', () => {
    // Bids after fees: ALPHA 100 × 0.999 = 99.9, BETA 99.95 × 0.9995 = 99.900025: BETA first.
    const bids = routeOrder('SELL', d('1.5'), [
      venue(A, '0.001', [[100, 1]]),
      venue(B, '0.0005', [[99.95, 1]]),
    ]);
    expect(plain(bids)).toEqual([
      [B, '1', '99.95', '99.95'],
      [A, '0.5', '100', '100'],
    ]);
  });

  it('reports what the visible books cannot take, and rounds each venue to its lot', () => {
    const plan = routeOrder('BUY', d(10), [alpha, { ...beta, sizeIncrement: d(2) }]);
    // BETA's lot is 2: its 1 @ 100.05 is not a lot, then 1 + 5 of its book gives 6 → 6 @ ≤ 100.5.
    const total = plan.slices.reduce((sum, slice) => sum.plus(slice.quantity), d(0));
    expect(total.plus(plan.unrouted).toString()).toBe('10');
    const betaSlice = plan.slices.find((slice) => slice.instrumentId === B)!;
    expect(betaSlice.quantity.mod(2).isZero()).toBe(true);
    expect(plan.unrouted.gt(0)).toBe(true);
  });

  it('refuses a quantity that is not above zero', () => {
    expect(() => routeOrder('BUY', d(0), [alpha])).toThrow(/quantity/);
  });
});
