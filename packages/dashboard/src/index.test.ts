import * as dashboard from '@qtp/dashboard';
import { describe, expect, it } from 'vitest';

describe('@qtp/dashboard', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(dashboard).sort()).toMatchSnapshot();
  });
});
