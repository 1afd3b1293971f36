import * as backtest from '@qtp/backtest';
import { describe, expect, it } from 'vitest';

describe('@qtp/backtest', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(backtest).sort()).toEqual(['renderTearsheet', 'writeTearsheet']);
  });
});
