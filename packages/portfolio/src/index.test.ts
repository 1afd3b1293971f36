import * as portfolio from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

describe('@qtp/portfolio', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(portfolio).sort()).toEqual([
      'Account',
      'DEFAULT_YEAR_LENGTH_DAYS',
      'Portfolio',
      'Position',
      'annualizedVolatility',
      'bestPeriod',
      'cagr',
      'calmarRatio',
      'compoundReturns',
      'computePerformance',
      'convertAmount',
      'convertMoney',
      'downsideDeviation',
      'drawdownPeriods',
      'drawdownSeries',
      'exposureTime',
      'fillBalanceChanges',
      'inferBarIntervalMs',
      'inferPeriodsPerYear',
      'maxDrawdown',
      'maxDrawdownPeriod',
      'perPeriodRate',
      'periodReturns',
      'periodsPerYearForInterval',
      'rateOf',
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
