import * as testing from '@qtp/core/testing';
import { describe, expect, it } from 'vitest';

describe('@qtp/core/testing entry', () => {
  it('exports exactly the reviewed names', () => {
    expect(Object.keys(testing).sort()).toMatchSnapshot();
  });
});
