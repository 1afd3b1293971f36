import * as risk from '@qtp/risk';
import { describe, expect, it } from 'vitest';

describe('@qtp/risk', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(risk).sort()).toMatchSnapshot();
  });
});
