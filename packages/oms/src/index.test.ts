import * as oms from '@qtp/oms';
import { describe, expect, it } from 'vitest';

describe('@qtp/oms', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(oms).sort()).toEqual([
      'EXTERNAL_TAG',
      'ExecutionAlgorithmBase',
      'Iceberg',
      'InMemoryOrderJournal',
      'JournaledExecution',
      'LiveRouter',
      'OrderManager',
      'ParentOrder',
      'Pov',
      'Twap',
      'Vwap',
      'approveAllGate',
      'createExecution',
      'profileShare',
      'recoverParents',
      'roundOrderRequest',
      'routeOrder',
      'transactionCosts',
      'volumeProfile',
    ]);
  });
});
