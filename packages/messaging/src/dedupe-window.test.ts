import { DedupeWindow } from '@qtp/messaging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('DedupeWindow', () => {
  it('accepts an id once while it is among the last `size` distinct ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 200 }),
        (size, ids) => {
          const window = new DedupeWindow(size);
          // The reference: a list of the last `size` distinct ids accepted, oldest first.
          const recent: number[] = [];
          for (const id of ids) {
            const fresh = !recent.includes(id);
            expect(window.add(String(id))).toBe(fresh);
            if (fresh) {
              recent.push(id);
              if (recent.length > size) recent.shift();
            }
          }
        },
      ),
    );
  });
});
