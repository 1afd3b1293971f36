import * as testing from '@qtp/strategy/testing';
import { expect, it } from 'vitest';

it('exports exactly the public testing API', () => {
  expect(Object.keys(testing).sort()).toEqual([
    'createBarSeries',
    'createTestContext',
    'runStrategy',
  ]);
});
