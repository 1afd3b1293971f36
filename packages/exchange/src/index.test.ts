import * as exchange from '@qtp/exchange';
import * as testing from '@qtp/exchange/testing';
import { describe, expect, it } from 'vitest';

describe('@qtp/exchange', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(exchange).sort()).toMatchInlineSnapshot(`
      [
        "ExchangeManager",
        "MarketDataAggregator",
        "SimulatedExchange",
        "VenueHealth",
        "balanceJsonSchema",
        "balanceToJSON",
        "barFillModel",
        "bookFillModel",
        "describeFillModel",
        "fixedBpsSlippage",
        "fixedLatency",
        "fixedRateFees",
        "instrumentFees",
        "intrabarPath",
        "isMatchingVenue",
        "noFees",
        "noLatency",
        "noSlippage",
        "parseBalance",
        "spreadFractionSlippage",
        "tradeFillModel",
        "uniformLatency",
      ]
    `);
  });

  it('exports the conformance suite from @qtp/exchange/testing', () => {
    expect(Object.keys(testing).sort()).toEqual(['exchangeConformance']);
  });
});
