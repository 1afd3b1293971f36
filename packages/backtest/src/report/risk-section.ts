import { escapeHtml, formatDateTime, groupDigits } from './format.js';
import type { TearsheetRiskEvents } from './tearsheet-data.js';

function row(cells: readonly string[]): string {
  return `<tr>${cells.map((text) => `<td>${escapeHtml(text)}</td>`).join('')}</tr>`;
}

function table(head: readonly string[], rows: readonly string[]): string {
  const header = head.map((text) => `<th>${escapeHtml(text)}</th>`).join('');
  return `<table><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Returns whether there is anything to show of the risk events. */
export function hasRiskEvents(risk: TearsheetRiskEvents | undefined): risk is TearsheetRiskEvents {
  return (
    risk !== undefined &&
    (risk.stateChanges.length > 0 ||
      Object.keys(risk.refusals).length > 0 ||
      risk.stopsHit > 0 ||
      (risk.marginCalls?.length ?? 0) > 0)
  );
}

/**
 * Renders the risk events: trading state changes with who set them and why, refused orders by
 * code, stops hit and margin calls.
 */
export function renderRiskEvents(risk: TearsheetRiskEvents): string {
  const parts: string[] = [];
  if (risk.stateChanges.length > 0) {
    const rows = risk.stateChanges.map((change) =>
      row([
        `${formatDateTime(change.timeMs)}`,
        `${change.scope.kind} ${change.scope.id}`,
        `${change.from} → ${change.to}`,
        change.setBy,
        change.reason,
      ]),
    );
    parts.push(table(['Time (UTC)', 'Scope', 'State', 'Set by', 'Why'], rows));
  }
  const refusals = Object.entries(risk.refusals).sort((a, b) => b[1] - a[1]);
  if (refusals.length > 0) {
    const rows = refusals.map(([code, count]) => row([code, groupDigits(String(count))]));
    parts.push(table(['Refused orders by code', 'Count'], rows));
  }
  const margin = risk.marginCalls ?? [];
  if (margin.length > 0) {
    const rows = margin.map((call) =>
      row([
        formatDateTime(call.timeMs),
        `${call.from} → ${call.stage}`,
        Number.isFinite(call.marginLevel) ? call.marginLevel.toFixed(3) : '∞',
      ]),
    );
    parts.push(table(['Margin call (UTC)', 'Stage', 'Margin level'], rows));
  }
  parts.push(`<p>Stops hit: ${escapeHtml(groupDigits(String(risk.stopsHit)))}</p>`);
  return parts.join('\n');
}
