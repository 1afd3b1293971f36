/**
 * The styles of the charts {@link renderLineChart} draws: grid, frame, axis labels, line, area,
 * reference line, cursor and readout, in the colours both the tearsheet and the dashboard show
 * (equity in blue, drawdown in red). The colours are custom properties on `.chart`
 * (`--chart-accent`, `--chart-neg`, ...), so a page with a dark scheme sets them once.
 *
 * @example
 * ```ts
 * import { CHART_CSS } from '@qtp/backtest/charts';
 * const sheet = new CSSStyleSheet();
 * sheet.replaceSync(CHART_CSS);
 * document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
 * ```
 */
export const CHART_CSS = `.chart{--chart-grid:#edf0f4;--chart-frame:#e3e7ed;--chart-label:#8a96a6;--chart-accent:#2563eb;--chart-accent-fill:rgba(37,99,235,.10);--chart-neg:#c0262d;--chart-neg-fill:rgba(220,38,38,.16);--chart-dot:#fff;--chart-tip:#1c2430;--chart-tip-text:#fff}
.chart{margin:0;position:relative}.chart svg{display:block;width:100%;height:auto;touch-action:none}
.chart .grid line{stroke:var(--chart-grid);stroke-width:1}.chart .frame{fill:none;stroke:var(--chart-frame)}
.chart .labels text{fill:var(--chart-label);font-size:12px;font-variant-numeric:tabular-nums}
.chart .labels.y text{text-anchor:end}.chart .labels.x text{text-anchor:middle}
.chart .line{fill:none;stroke:var(--chart-accent);stroke-width:1.6;stroke-linejoin:round;vector-effect:non-scaling-stroke}
.chart .area{fill:var(--chart-accent-fill);stroke:none}
.chart[data-chart=drawdown] .line{stroke:var(--chart-neg)}.chart[data-chart=drawdown] .area{fill:var(--chart-neg-fill)}
.chart .reference{stroke:var(--chart-label);stroke-dasharray:4 4;stroke-width:1}
.chart .cursor line{stroke:var(--chart-label);stroke-width:1}.chart .cursor circle{fill:var(--chart-dot);stroke:var(--chart-accent);stroke-width:2}
.chart[data-chart=drawdown] .cursor circle{stroke:var(--chart-neg)}
.chart .tip{position:absolute;top:8px;pointer-events:none;background:var(--chart-tip);color:var(--chart-tip-text);padding:5px 8px;border-radius:6px;font-size:12px;white-space:nowrap;font-variant-numeric:tabular-nums;box-shadow:0 2px 8px rgba(0,0,0,.18)}
.chart .tip b{font-weight:640;margin-left:8px}
.chart-empty p{color:var(--chart-label);margin:4px 0}
`;
