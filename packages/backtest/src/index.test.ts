import * as backtest from '@qtp/backtest';
import { describe, expect, it } from 'vitest';

describe('@qtp/backtest', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(backtest).sort()).toEqual([
      'barIntervalFromMs',
      'createProgressBar',
      'eventTimeOf',
      'expandGrid',
      'fillGaps',
      'findGaps',
      'loadBarSeries',
      'mergeByTime',
      'readBars',
      'readBinanceKlines',
      'readCsvBars',
      'readCsvTrades',
      'readTrades',
      'renderTearsheet',
      'runBacktest',
      'runSweep',
      'runWalkForward',
      'toTearsheetData',
      'writeBacktestReport',
      'writeTearsheet',
    ]);
  });
});
