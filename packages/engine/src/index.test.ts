import * as engine from '@qtp/engine';
import { describe, expect, it } from 'vitest';

describe('@qtp/engine', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(engine).sort()).toEqual([
      'AccountViewToken',
      'MarketDataFeedToken',
      'TradingEngine',
      'TradingEngineToken',
      'circuitStateToSystemEvent',
      'engineErrorToSystemEvent',
      'registerQtpServices',
      'registerService',
      'resolveService',
      'venueHealthToSystemEvent',
    ]);
  });
});
