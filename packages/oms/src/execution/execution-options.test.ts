import { type Bar, instrumentId, isQtpError, type ValidationError } from '@qtp/core';
import { Iceberg, Pov, profileShare, Twap, Vwap, volumeProfile } from '@qtp/oms';
import { describe, expect, it } from 'vitest';

const id = instrumentId('XRPETH', 'BINANCE');
const HOUR = 3_600_000;

function refusal(make: () => unknown): ValidationError {
  try {
    make();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function bar(openTimeMs: number, volume: number): Bar {
  return {
    instrumentId: id,
    interval: '1h',
    openTimeMs,
    closeTimeMs: openTimeMs + HOUR - 1,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume,
  };
}

describe('execution algorithm options', () => {
  const twap = {
    instrumentId: id,
    side: 'BUY',
    quantity: '100',
    durationMs: HOUR,
    slices: 4,
  } as const;

  it.each([
    ['a negative quantity', { ...twap, quantity: '-5' }, 'quantity'],
    ['a NaN quantity', { ...twap, quantity: Number.NaN }, 'quantity'],
    ['a misspelt key', { ...twap, slice: 4 }, 'slice'],
    ['zero slices', { ...twap, slices: 0 }, 'slices'],
    ['a jitter above one half', { ...twap, sizeJitter: 0.9 }, 'sizeJitter'],
    ['an unknown child type', { ...twap, childType: 'STOP' }, 'childType'],
  ])('refuses a TWAP with %s, naming the field', (_what, options, field) => {
    const error = refusal(() => new Twap(options as never));
    // A misspelt key is reported at the root, as a key it must not have.
    expect(error.message).toContain(field);
  });

  it('refuses an iceberg showing more than its quantity, and one without a limit price', () => {
    const base = { instrumentId: id, side: 'SELL', quantity: '10', displayQuantity: '20' } as const;
    expect(refusal(() => new Iceberg({ ...base, limitPrice: '1' })).field).toBe('displayQuantity');
    expect(refusal(() => new Iceberg(base as never)).field).toBe('limitPrice');
  });

  it('refuses a POV rate of 1 and a minimum child above the maximum', () => {
    const base = { instrumentId: id, side: 'BUY', quantity: '10' } as const;
    expect(refusal(() => new Pov({ ...base, participationRate: 1 })).field).toBe(
      'participationRate',
    );
    const error = refusal(
      () =>
        new Pov({ ...base, participationRate: 0.1, minChildQuantity: '5', maxChildQuantity: '2' }),
    );
    expect(error.field).toBe('minChildQuantity');
  });

  it('refuses a VWAP profile that does not cover a day', () => {
    const error = refusal(
      () =>
        new Vwap({
          instrumentId: id,
          side: 'BUY',
          quantity: '10',
          durationMs: HOUR,
          profile: { bucketMs: HOUR, weights: [0.5, 0.5] },
        }),
    );
    expect(error.field).toBe('profile.weights');
  });
});

describe('volume profiles', () => {
  it('spreads historical volume over the hours of the day, worked by hand', () => {
    const day = Date.UTC(2024, 0, 1);
    // Two days: hour 0 trades 10 then 30, hour 1 trades 60 then 0, the rest nothing.
    const profile = volumeProfile(
      [bar(day, 10), bar(day + HOUR, 60), bar(day + 24 * HOUR, 30), bar(day + 25 * HOUR, 0)],
      { bucketMs: HOUR },
    );
    expect(profile.weights).toHaveLength(24);
    expect(profile.weights[0]).toBeCloseTo(0.4, 15); // 40 of 100
    expect(profile.weights[1]).toBeCloseTo(0.6, 15); // 60 of 100
    expect(profile.weights.slice(2).every((weight) => weight === 0)).toBe(true);
    // Half of hour 0 and all of hour 1: 0.2 + 0.6.
    expect(profileShare(profile, day + HOUR / 2, day + 2 * HOUR)).toBeCloseTo(0.8, 15);
  });

  it('refuses a bucket that does not divide a day, and history without volume', () => {
    expect(refusal(() => volumeProfile([bar(0, 1)], { bucketMs: 7 * 60_000 })).field).toBe(
      'bucketMs',
    );
    expect(refusal(() => volumeProfile([], { bucketMs: HOUR })).field).toBe('bars');
    expect(refusal(() => volumeProfile([bar(0, 0)], { bucketMs: HOUR })).field).toBe('bars');
  });
});
