import { renderLineChart } from '../report/svg-chart.js';

/** The series {@link renderEquityCharts} draws. */
export interface EquityChartsInput {
  /** Times in epoch milliseconds, increasing. */
  readonly times: ArrayLike<number>;
  /** Equity at each time. */
  readonly equity: ArrayLike<number>;
  /** Drawdown at each time: a positive fraction below the running peak, 0 at a peak. */
  readonly drawdown: ArrayLike<number>;
  /** The currency of the equity, named in the chart's label (default none). */
  readonly currency?: string;
  /** The most points each chart keeps; longer series are downsampled (default 2000). */
  readonly maxPoints?: number;
}

/** The two charts as markup: a `<figure class="chart">` each. */
export interface EquityCharts {
  /** The equity curve, with the starting equity as a dashed reference line. */
  readonly equity: string;
  /** The drawdown, drawn below zero (under water) with percent labels. */
  readonly drawdown: string;
}

/**
 * Renders the equity and drawdown charts of an account as inline SVG: the one renderer behind
 * both the backtest tearsheet and the live dashboard, so a backtest's report and a live run
 * look alike (same colours with {@link CHART_CSS}, axes, ticks and number formats). Every text
 * it writes is escaped; it uses no Node built-in, so it runs in a page as on a server.
 *
 * @example
 * ```ts
 * import { renderEquityCharts } from '@qtp/backtest/charts';
 * const charts = renderEquityCharts({
 *   times: [0, 86_400_000, 172_800_000],
 *   equity: [10_000, 10_400, 9_880],
 *   drawdown: [0, 0, 0.05],
 *   currency: 'USDT',
 * });
 * charts.equity; // '<figure class="chart" data-chart="equity">…'
 * ```
 */
export function renderEquityCharts(input: EquityChartsInput): EquityCharts {
  const { times, equity, drawdown } = input;
  const currency = input.currency ?? '';
  const maxPoints = input.maxPoints ?? 2000;
  const underwater = Float64Array.from(drawdown, (value) => (value === 0 ? 0 : -value));
  return {
    equity: renderLineChart(times, equity, {
      name: 'equity',
      label: `Equity curve${currency === '' ? '' : ` in ${currency}`}`,
      height: 340,
      maxPoints,
      format: 'number',
      fill: 'below',
      ...(equity.length > 0 ? { reference: equity[0]! } : {}),
    }),
    drawdown: renderLineChart(times, underwater, {
      name: 'drawdown',
      label: 'Drawdown from the running peak',
      height: 180,
      maxPoints,
      format: 'percent',
      fill: 'above',
      ceiling: 0,
    }),
  };
}
