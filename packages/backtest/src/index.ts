/**
 * QTP backtest: runs strategies over history and reports the results. The report is a
 * self-contained HTML tearsheet (equity and drawdown charts, metrics, monthly returns, trades
 * and the simulation's assumptions) that opens offline in any browser.
 *
 * @module
 */

// report
export type {
  TearsheetAssumption,
  TearsheetAssumptions,
  TearsheetData,
  TearsheetParameterValue,
  TearsheetPeriod,
  TearsheetStrategy,
  TearsheetTrade,
} from './report/tearsheet-data.js';
export type { TearsheetOptions } from './report/tearsheet.js';
export { renderTearsheet } from './report/tearsheet.js';
export { writeTearsheet } from './report/write-tearsheet.js';
