import { escapeHtml } from './format.js';
import type { TimeTick } from './ticks.js';

/** Where a chart's plot sits inside its SVG, in SVG units. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** The SVG's full height: the time labels sit just above its bottom edge. */
  readonly svgHeight: number;
}

/** What {@link renderAxes} draws: the ticks, their labels and the scales that place them. */
export interface AxesSpec {
  readonly area: PlotArea;
  readonly valueTicks: readonly number[];
  readonly valueLabel: (value: number) => string;
  readonly timeTicks: readonly TimeTick[];
  readonly x: (timeMs: number) => number;
  readonly y: (value: number) => number;
}

// Two decimals of an SVG unit are far below a pixel at any sensible zoom and keep the file small.
export const coord = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * Renders the grid lines and the value and time labels of a chart, the part every chart of the
 * tearsheet draws the same way, as SVG elements.
 */
export function renderAxes(spec: AxesSpec): string {
  const { area, x, y } = spec;
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const parts: string[] = ['<g class="grid">'];
  for (const tick of spec.valueTicks) {
    const ty = coord(y(tick));
    parts.push(`<line x1="${area.left}" y1="${ty}" x2="${right}" y2="${ty}"/>`);
  }
  for (const tick of spec.timeTicks) {
    const tx = coord(x(tick.time));
    parts.push(`<line class="v" x1="${tx}" y1="${area.top}" x2="${tx}" y2="${bottom}"/>`);
  }
  parts.push('</g><g class="labels y">');
  for (const tick of spec.valueTicks) {
    parts.push(
      `<text x="${area.left - 8}" y="${coord(y(tick) + 4)}">${escapeHtml(spec.valueLabel(tick))}</text>`,
    );
  }
  parts.push('</g><g class="labels x">');
  for (const tick of spec.timeTicks) {
    parts.push(
      `<text x="${coord(x(tick.time))}" y="${area.svgHeight - 9}">${escapeHtml(tick.label)}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}
