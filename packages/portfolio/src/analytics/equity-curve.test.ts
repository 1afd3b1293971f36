import { compoundReturns, simpleReturns } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectAllClose, loadReferenceCases } from '../../test/reference.js';

const fieldOf = (run: () => unknown): string => catchValidationError(run).field;

describe('simpleReturns', () => {
  it('returns one fewer value than the curve: each value over the one before, minus 1', () => {
    expect(Array.from(simpleReturns([100, 110, 99]))).toEqual([110 / 100 - 1, 99 / 110 - 1]);
    expect(simpleReturns([100]).length).toBe(0);
    expect(simpleReturns([]).length).toBe(0);
  });

  it('rejects NaN, zero and negative equity, naming the index', () => {
    expect(fieldOf(() => simpleReturns([100, Number.NaN]))).toBe('values[1]');
    expect(fieldOf(() => simpleReturns([100, 0]))).toBe('values[1]');
    expect(fieldOf(() => simpleReturns([-5, 10]))).toBe('values[0]');
  });
});

describe('compoundReturns', () => {
  it('rebuilds a reference equity curve from its returns', () => {
    const { curve } = loadReferenceCases()[0]!;
    const returns = simpleReturns(curve.values);
    const rebuilt = compoundReturns(
      { times: curve.times.subarray(1), returns },
      { initialValue: curve.values[0]!, startTime: curve.times[0]! },
    );
    expect(Array.from(rebuilt.times)).toEqual(Array.from(curve.times));
    expectAllClose(rebuilt.values, Array.from(curve.values), 'values');
  });

  it('starts one bar interval before the first end time when no start time is given', () => {
    const curve = compoundReturns({ times: [300, 600, 900, 1500], returns: [0.1, -0.5, 1, 0] });
    expect(Array.from(curve.times)).toEqual([0, 300, 600, 900, 1500]);
    expect(Array.from(curve.values)).toEqual([1, 1.1, 0.55, 1.1, 1.1]);
  });

  it('needs a start time for a series of fewer than two returns', () => {
    expect(fieldOf(() => compoundReturns({ times: [5], returns: [0.1] }))).toBe('startTime');
    const curve = compoundReturns(
      { times: [5], returns: [0.1] },
      { startTime: 0, initialValue: 10 },
    );
    expect(Array.from(curve.values)).toEqual([10, 11]);
  });

  it('rejects a return of -100 % or worse, unsorted times and mismatched lengths', () => {
    expect(fieldOf(() => compoundReturns({ times: [1, 2], returns: [0.1, -1] }))).toBe(
      'returns[1]',
    );
    expect(fieldOf(() => compoundReturns({ times: [2, 1], returns: [0.1, 0.1] }))).toBe('times[1]');
    expect(fieldOf(() => compoundReturns({ times: [1, 2, 3], returns: [0.1, 0.1] }))).toBe(
      'returns',
    );
    expect(
      fieldOf(() => compoundReturns({ times: [1, 2], returns: [0.1, 0.1] }, { startTime: 1 })),
    ).toBe('startTime');
  });
});
