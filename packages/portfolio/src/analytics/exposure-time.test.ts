import { exposureTime } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('exposureTime', () => {
  it.each(loadReferenceCases())(
    'matches a bar-by-bar count in numpy for $name',
    ({ curve, trades, expected }) => {
      const span = { start: curve.times[0]!, end: curve.times[curve.times.length - 1]! };
      expectClose(exposureTime(trades, span), expected.exposureTime);
    },
  );

  it('counts overlapping trades once and clips trades to the span', () => {
    const trades = [
      { entryTime: -50, exitTime: 10, pnl: 1 },
      { entryTime: 40, exitTime: 70, pnl: 1 },
      { entryTime: 50, exitTime: 60, pnl: 1 },
      { entryTime: 60, exitTime: 80, pnl: 1 },
      { entryTime: 95, exitTime: 150, pnl: 1 },
    ];
    expect(exposureTime(trades, { start: 0, end: 100 })).toBe(0.55);
  });

  it('returns 0 without trades and null for an empty span', () => {
    expect(exposureTime([], { start: 0, end: 10 })).toBe(0);
    expect(exposureTime([{ entryTime: 0, exitTime: 5, pnl: 1 }], { start: 3, end: 3 })).toBeNull();
  });

  it('rejects a span that ends before it starts', () => {
    expect(catchValidationError(() => exposureTime([], { start: 5, end: 1 })).field).toBe(
      'span.end',
    );
  });
});
