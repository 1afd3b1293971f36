/**
 * The charts of the backtest tearsheet, for any page: equity and drawdown as inline SVG with
 * their styles. Imports no Node built-in, so a browser bundle (the dashboard's web app) draws
 * with the same code the tearsheet renders on a server.
 *
 * @packageDocumentation
 */

export {
  CHART_WIDTH,
  type ChartValueFormat,
  type LineChartOptions,
  renderLineChart,
} from '../report/svg-chart.js';
export { CHART_CSS } from './chart-styles.js';
export { type EquityCharts, type EquityChartsInput, renderEquityCharts } from './equity-charts.js';
