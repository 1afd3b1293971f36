import * as backtest from '@qtp/backtest';
import { describe, expect, it } from 'vitest';

describe('@qtp/backtest', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(backtest).sort()).toEqual([
      'barIntervalFromMs',
      'eventTimeOf',
      'fillGaps',
      'findGaps',
      'mergeByTime',
      'readBars',
      'readBinanceKlines',
      'readCsvBars',
      'readCsvTrades',
      'readTrades',
      'renderTearsheet',
      'runBacktest',
      'toTearsheetData',
      'writeBacktestReport',
      'writeTearsheet',
    ]);
  });
});
