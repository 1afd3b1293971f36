import { purgedKFoldSplits, walkForwardSplits } from '@qtp/strategy/ml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('walkForwardSplits', () => {
  it('rolls a training window ahead of each test block', () => {
    const splits = walkForwardSplits(10, { trainSize: 4, testSize: 2 });
    expect(splits.map((s) => [Array.from(s.train), Array.from(s.test)])).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5],
      ],
      [
        [2, 3, 4, 5],
        [6, 7],
      ],
      [
        [4, 5, 6, 7],
        [8, 9],
      ],
    ]);
  });

  it('purges training rows whose labels reach the test block', () => {
    const labelEnd = Array.from({ length: 10 }, (_, t) => t + 2);
    const [first] = walkForwardSplits(10, { trainSize: 5, testSize: 3, labelEnd, expanding: true });
    // Rows 3 and 4 have labels ending at 5 and 6, inside the test block 5..7.
    expect(Array.from(first!.train)).toEqual([0, 1, 2]);
  });

  it('never trains on a label that overlaps its test block, for any label lengths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 30, maxLength: 120 }),
        fc.integer({ min: 0, max: 5 }),
        (spans, embargo) => {
          const labelEnd = spans.map((s, t) => t + s);
          for (const options of [
            walkForwardSplits(spans.length, { trainSize: 10, testSize: 5, labelEnd, embargo }),
            purgedKFoldSplits(spans.length, { folds: 4, labelEnd, embargo }),
          ]) {
            for (const { train, test } of options) {
              const start = test[0]!;
              const end = test[test.length - 1]!;
              for (const i of train) {
                expect(i >= start && i <= end).toBe(false);
                if (i < start) expect(labelEnd[i]!).toBeLessThan(start);
                if (i > end) expect(i).toBeGreaterThan(end + embargo);
              }
            }
          }
        },
      ),
    );
  });
});

describe('purgedKFoldSplits', () => {
  it('leaves the embargo after each test fold out of training', () => {
    const splits = purgedKFoldSplits(12, { folds: 3, embargo: 2 });
    expect(Array.from(splits[0]!.test)).toEqual([0, 1, 2, 3]);
    expect(Array.from(splits[0]!.train)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(Array.from(splits[1]!.train)).toEqual([0, 1, 2, 3, 10, 11]);
  });

  it('rejects fewer than two folds', () => {
    expect(() => purgedKFoldSplits(10, { folds: 1 })).toThrow(/folds: must be an integer >= 2/);
  });
});
