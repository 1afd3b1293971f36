import * as oms from '@qtp/oms';
import { describe, expect, it } from 'vitest';

describe('@qtp/oms', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(oms).sort()).toEqual([
      'InMemoryOrderJournal',
      'OrderManager',
      'approveAllGate',
      'roundOrderRequest',
    ]);
  });
});
