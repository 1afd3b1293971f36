import * as core from '@qtp/core';
import { describe, expect, it } from 'vitest';

describe('@qtp/core public entry', () => {
  // A changed list is a changed public API: review it and add a changeset.
  it('exports exactly the reviewed names', () => {
    expect(Object.keys(core).sort()).toMatchSnapshot();
  });
});
