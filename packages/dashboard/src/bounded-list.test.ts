import { BoundedList } from '@qtp/dashboard';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('BoundedList', () => {
  it('keeps the last capacity items, newest first, for any pushes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer(), { maxLength: 100 }),
        (capacity, items) => {
          const list = new BoundedList<number>(capacity);
          for (const item of items) list.push(item);
          const expected = items.slice(Math.max(0, items.length - capacity)).reverse();
          expect(list.newestFirst()).toEqual(expected);
          expect(list.size).toBe(expected.length);
        },
      ),
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedList(0)).toThrow(/capacity/);
    expect(() => new BoundedList(1.5)).toThrow(/capacity/);
  });
});
