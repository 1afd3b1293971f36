import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTearsheet } from '@qtp/backtest';
import { CHART_CSS, renderEquityCharts } from '@qtp/backtest/charts';
import { computePerformance } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

const DAY = 86_400_000;
const here = dirname(fileURLToPath(import.meta.url));

// Every module the charts entry reaches through relative imports, with its import specifiers.
function reachable(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
    (match) => match[1]!,
  );
  seen.set(file, specifiers);
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) {
      reachable(join(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
    }
  }
  return seen;
}

describe('renderEquityCharts', () => {
  it('draws the tearsheet charts: the page carries exactly its equity and drawdown figures', () => {
    const times = [0, 1, 2, 3, 4].map((i) => Date.UTC(2024, 0, 1) + i * DAY);
    const values = [10_000, 10_500, 9_975, 10_200, 10_710];
    const performance = computePerformance({ times, values }, { trades: [] });
    const page = renderTearsheet({
      strategy: { name: 'Shared', parameters: {} },
      instruments: ['BTCUSDT.BINANCE'],
      currency: 'USDT',
      equity: { times, values },
      performance,
      trades: [],
    });
    const charts = renderEquityCharts({
      times,
      equity: values,
      drawdown: performance.drawdowns,
      currency: 'USDT',
    });
    expect(page).toContain(charts.equity);
    expect(page).toContain(charts.drawdown);
    expect(page).toContain(CHART_CSS);
    // Drawdown after the peak of 10 500: 9 975 is 5 % under it, drawn below zero.
    expect(charts.drawdown).toContain('"v":[0,0,-0.05,-0.02857142857,0]');
  });

  it('labels the equity axis in the currency and marks the starting equity', () => {
    const charts = renderEquityCharts({
      times: [0, DAY],
      equity: [100, 120],
      drawdown: [0, 0],
      currency: 'BTC',
    });
    expect(charts.equity).toContain('aria-label="Equity curve in BTC"');
    expect(charts.equity).toContain('<line class="reference"');
    expect(charts.drawdown).toContain('aria-label="Drawdown from the running peak"');
  });

  it('escapes the currency it is given', () => {
    const charts = renderEquityCharts({
      times: [0, DAY],
      equity: [1, 2],
      drawdown: [0, 0],
      currency: '<img onerror=x>',
    });
    expect(charts.equity).not.toContain('<img');
    expect(charts.equity).toContain('&lt;img onerror=x&gt;');
  });

  it('reaches no Node built-in and no other package, so a browser bundle can hold it', () => {
    const modules = reachable(join(here, 'index.ts'));
    expect(modules.size).toBeGreaterThanOrEqual(6);
    for (const [file, specifiers] of modules) {
      for (const specifier of specifiers) {
        expect(specifier.startsWith('.'), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
