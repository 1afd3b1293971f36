import * as oms from '@qtp/oms';
import { describe, expect, it } from 'vitest';

describe('@qtp/oms', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(oms).sort()).toEqual([
      'EXTERNAL_TAG',
      'ExecutionAlgorithmBase',
      'Iceberg',
      'InMemoryOrderJournal',
      'OrderManager',
      'ParentOrder',
      'Pov',
      'Twap',
      'Vwap',
      'approveAllGate',
      'profileShare',
      'roundOrderRequest',
      'routeOrder',
      'transactionCosts',
      'volumeProfile',
    ]);
  });
});
