import { PARENT_TAG_PREFIX, parentClientOrderIdOf, parentTag } from '@qtp/core';
import { describe, expect, it } from 'vitest';

describe('parent tag', () => {
  it('names the parent in a tag that reads back to the same id', () => {
    expect(parentTag('exec-P1-1')).toBe('parent:exec-P1-1');
    expect(parentClientOrderIdOf(['strategy:a', parentTag('exec-P1-1')])).toBe('exec-P1-1');
  });

  it('finds no parent on an order without the tag', () => {
    expect(parentClientOrderIdOf(['entry', 'parent'])).toBeUndefined();
    expect(parentClientOrderIdOf([])).toBeUndefined();
  });

  it('keeps colons inside the id', () => {
    expect(parentClientOrderIdOf([`${PARENT_TAG_PREFIX}a:b`])).toBe('a:b');
  });
});
