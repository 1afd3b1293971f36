import { coord, renderAxes } from './chart-axes.js';
import { downsampleMinMax } from './downsample.js';
import { escapeHtml, formatNumber, formatPercent } from './format.js';
import { stepDecimals, timeTicks, valueTicks } from './ticks.js';

/** How a chart's values read: account-currency amounts or fractions shown as percentages. */
export type ChartValueFormat = 'number' | 'percent';

/** What to draw and how. */
export interface LineChartOptions {
  /** The chart's name, used for its `data-chart` attribute. */
  readonly name: string;
  /** The accessible description of the chart. */
  readonly label: string;
  /** The height of the drawing in SVG units; the width is always {@link CHART_WIDTH}. */
  readonly height: number;
  /** The most points the line keeps; longer series are downsampled. */
  readonly maxPoints: number;
  /** How the axis labels and the hover readout show values. */
  readonly format: ChartValueFormat;
  /** Where the shaded area under the line ends: the bottom of the plot, or the top (for drawdowns). */
  readonly fill: 'below' | 'above';
  /** A value marked with a dashed line (the starting equity), if any. */
  readonly reference?: number;
  /** The upper end of the value axis, when it must not go higher (0 for drawdowns). */
  readonly ceiling?: number;
}

/** The width of every chart in SVG units; the page scales it to the column width. */
export const CHART_WIDTH = 960;
const MARGIN = { top: 14, right: 18, bottom: 30, left: 76 } as const;

// Ten significant digits are more than the readout shows; the rest would only bloat the page.
const compact = (value: number): number => Number(value.toPrecision(10));

function tickLabel(value: number, format: ChartValueFormat, step: number): string {
  if (format === 'percent') return formatPercent(value, Math.max(0, stepDecimals(step * 100)));
  return formatNumber(value, stepDecimals(step));
}

/**
 * Renders a time series as an inline SVG line chart with a shaded area, grid, value and time
 * axes, plus the downsampled points as JSON for the hover readout of the page script.
 */
export function renderLineChart(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  options: LineChartOptions,
): string {
  const name = escapeHtml(options.name);
  if (values.length < 2) {
    return `<figure class="chart chart-empty" data-chart="${name}"><p>Not enough points to draw a chart.</p></figure>`;
  }
  const series = downsampleMinMax(times, values, options.maxPoints);
  const t0 = series.times[0]!;
  const t1 = series.times[series.times.length - 1]!;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of series.values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (options.reference !== undefined) {
    low = Math.min(low, options.reference);
    high = Math.max(high, options.reference);
  }
  if (options.ceiling !== undefined && low >= options.ceiling) low = options.ceiling - 0.01;
  const axis = valueTicks(low, high, 5);
  const v0 = axis.min;
  const v1 = options.ceiling === undefined ? axis.max : Math.min(axis.max, options.ceiling);

  const width = CHART_WIDTH;
  const height = options.height;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const x = (t: number): number => MARGIN.left + ((t - t0) / (t1 - t0)) * plotWidth;
  const y = (v: number): number => MARGIN.top + (1 - (v - v0) / (v1 - v0)) * plotHeight;
  const bottom = MARGIN.top + plotHeight;
  const right = MARGIN.left + plotWidth;

  const parts: string[] = [
    renderAxes({
      area: {
        left: MARGIN.left,
        top: MARGIN.top,
        width: plotWidth,
        height: plotHeight,
        svgHeight: height,
      },
      // A ceiling can cut the axis short of its last tick.
      valueTicks: axis.ticks.filter((tick) => tick <= v1 + axis.step / 2),
      valueLabel: (tick) => tickLabel(tick, options.format, axis.step),
      timeTicks: timeTicks(t0, t1, 6),
      x,
      y,
    }),
  ];

  const points = series.times.map((t, i) => `${coord(x(t))},${coord(y(series.values[i]!))}`);
  const edge = coord(options.fill === 'below' ? bottom : MARGIN.top);
  parts.push(
    `<polygon class="area" points="${coord(x(t0))},${edge} ${points.join(' ')} ${coord(x(t1))},${edge}"/>`,
  );
  if (options.reference !== undefined) {
    const ry = coord(y(options.reference));
    parts.push(`<line class="reference" x1="${MARGIN.left}" y1="${ry}" x2="${right}" y2="${ry}"/>`);
  }
  parts.push(`<polyline class="line" points="${points.join(' ')}"/>`);
  parts.push(
    `<rect class="frame" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}"/>`,
  );
  parts.push(
    `<g class="cursor" visibility="hidden"><line y1="${MARGIN.top}" y2="${bottom}"/><circle r="4"/></g>`,
  );

  const data = {
    format: options.format,
    // The readout shows two decimals more than the axis labels need, and at least two.
    decimals: Math.max(2, stepDecimals(axis.step) + 2),
    plot: [MARGIN.left, MARGIN.top, plotWidth, plotHeight],
    domain: [t0, t1, v0, v1],
    t: series.times,
    v: series.values.map(compact),
  };
  // `<` is escaped so no value can ever close the script element early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return (
    `<figure class="chart" data-chart="${name}">` +
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.label)}">${parts.join('')}</svg>` +
    '<div class="tip" hidden></div>' +
    `<script type="application/json" class="chart-data">${json}</script>` +
    '</figure>'
  );
}
