import * as backtest from '@qtp/backtest';
import * as charts from '@qtp/backtest/charts';
import * as queue from '@qtp/backtest/queue';
import { describe, expect, it } from 'vitest';

describe('@qtp/backtest', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(backtest).sort()).toEqual([
      'barIntervalFromMs',
      'createProgressBar',
      'createSweepTaskRunner',
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

  it('exports exactly the documented names from @qtp/backtest/queue', () => {
    expect(Object.keys(queue).sort()).toEqual([
      'SWEEP_JOB_QUEUE',
      'openQueueBroker',
      'queueExecutor',
      'runSweepWorker',
    ]);
  });

  it('exports exactly the documented names from @qtp/backtest/charts', () => {
    expect(Object.keys(charts).sort()).toEqual([
      'CHART_CSS',
      'CHART_WIDTH',
      'renderEquityCharts',
      'renderLineChart',
    ]);
  });
});
