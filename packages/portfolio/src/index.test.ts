import * as portfolio from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

describe('@qtp/portfolio', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(portfolio).sort()).toEqual([
      'CAGR_YEAR_MS',
      'annualizedVolatility',
      'bestPeriod',
      'cagr',
      'calmarRatio',
      'compoundReturns',
      'computePerformance',
      'downsideDeviation',
      'drawdownPeriods',
      'drawdownSeries',
      'exposureTime',
      'inferBarIntervalMs',
      'inferPeriodsPerYear',
      'maxDrawdown',
      'maxDrawdownPeriod',
      'perPeriodRate',
      'periodReturns',
      'periodsPerYearForInterval',
      'returnStandardDeviation',
      'sharpeRatio',
      'simpleReturns',
      'sortinoRatio',
      'totalReturn',
      'tradeStatistics',
      'worstPeriod',
    ]);
  });
});
