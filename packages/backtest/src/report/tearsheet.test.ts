import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { renderTearsheet, type TearsheetData, writeTearsheet } from '@qtp/backtest';
import { isQtpError, ValidationError } from '@qtp/core';
import { computePerformance } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { crossoverBacktest, randomWalkCloses } from '../../test/tearsheet-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function sample(): TearsheetData {
  const walk = randomWalkCloses({
    seed: 27,
    count: 24 * 365 * 2 + 24 * 120,
    start: Date.UTC(2022, 0, 1),
    intervalMs: HOUR,
    price: 30_000,
  });
  return crossoverBacktest(walk, {
    instrument: 'BTCUSDT.BINANCE',
    currency: 'USDT',
    cash: '10000',
    fast: 48,
    slow: 240,
    feeRate: '0.001',
    lotDecimals: 5,
    moneyDecimals: 2,
    shorts: true,
  });
}

/** A small hand-made backtest: four daily points and two trades. */
function small(overrides: Partial<TearsheetData> = {}): TearsheetData {
  const times = [0, 1, 2, 3].map((i) => Date.UTC(2024, 2, 30) + i * DAY);
  const values = [10_000, 10_400, 10_100, 10_600];
  const trades = [
    {
      side: 'LONG' as const,
      entryTime: times[0]!,
      exitTime: times[1]!,
      quantity: '0.5',
      entryPrice: '20000',
      exitPrice: '20800',
      pnl: '400',
    },
    {
      side: 'SHORT' as const,
      entryTime: times[1]!,
      exitTime: times[3]!,
      quantity: '0.25',
      entryPrice: '20800',
      exitPrice: '19760',
      pnl: '260.5',
    },
  ];
  return {
    strategy: { name: 'Tiny', parameters: { length: 3 } },
    instruments: ['BTCUSDT.BINANCE'],
    currency: 'USDT',
    equity: { times, values },
    performance: computePerformance(
      { times, values },
      {
        trades: trades.map((t) => ({
          entryTime: t.entryTime,
          exitTime: t.exitTime,
          pnl: Number(t.pnl),
        })),
      },
    ),
    trades,
    ...overrides,
  };
}

/** The JSON points a chart carries for its hover readout. */
function chartData(html: string, name: string): { t: number[]; v: number[] } {
  const figure = new RegExp(
    `<figure class="chart" data-chart="${name}">.*?<script type="application/json" class="chart-data">(.*?)</script>`,
    's',
  ).exec(html);
  if (figure === null) throw new Error(`no ${name} chart`);
  return JSON.parse(figure[1]!);
}

function polylinePoints(html: string, name: string): number {
  const figure = new RegExp(
    `data-chart="${name}">.*?<polyline class="line" points="([^"]*)"`,
    's',
  ).exec(html);
  if (figure === null) throw new Error(`no ${name} polyline`);
  return figure[1]!.split(' ').length;
}

describe('renderTearsheet', () => {
  const data = sample();
  const html = renderTearsheet(data);

  it('renders one HTML document with every section', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const id of [
      'equity',
      'drawdown',
      'metrics',
      'parameters',
      'assumptions',
      'monthly-returns',
      'trades',
    ]) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html).toContain('<title>Backtest: SMA crossover</title>');
    expect(html).toContain('BTCUSDT.BINANCE');
    expect(html).toContain('2022-01-01 00:00 → 2024-04-29 23:00 UTC');
    expect(html.match(/<polyline class="line"/g)).toHaveLength(2);
  });

  it('shows the metrics of the performance report', () => {
    const report = data.performance;
    const percent = (value: number): string => `${(value * 100).toFixed(2)}%`;
    expect(html).toContain(
      `<th scope="row">Total return</th><td class="pos">+${percent(report.totalReturn!)}</td>`,
    );
    expect(html).toContain(
      `<th scope="row">Sharpe ratio</th><td class="pos">${report.sharpeRatio!.toFixed(2)}</td>`,
    );
    expect(html).toContain(
      `<th scope="row">Max drawdown</th><td class="neg">${percent(report.maxDrawdown)}</td>`,
    );
    expect(html).toContain(
      `<th scope="row">Win rate</th><td>${percent(report.trades.winRate!)}</td>`,
    );
    expect(html).toContain(`<th scope="row">Trades</th><td>${report.trades.numberOfTrades}</td>`);
    expect(html).toContain(
      `<th scope="row">Profit factor</th><td>${report.trades.profitFactor!.toFixed(2)}</td>`,
    );
  });

  it('lists every trade with its decimal strings as given', () => {
    const rows = html.match(/<table class="trades">.*?<tbody>(.*?)<\/tbody>/s)![1]!.match(/<tr>/g)!;
    expect(rows).toHaveLength(data.trades.length);
    const first = data.trades[0]!;
    expect(html).toContain(`<td>${first.quantity}</td>`);
    expect(html).toContain(`<td>${first.entryPrice.replace(/\B(?=(\d{3})+(?!\d))/, ',')}</td>`);
  });

  it("shows each trade's return net of fees, like its P&L", () => {
    // Worked by hand: 400 / (20000 × 0.5) = 4 %; 260.5 / (20800 × 0.25) = 5.0096 %, where the
    // gross price return of the short, 1 - 19760 / 20800, would be 5.00 %.
    const table = renderTearsheet(small()).match(/<table class="trades">.*?<\/table>/s)![0];
    expect(table).toContain(
      '<th scope="col">Net P&amp;L (USDT)</th><th scope="col">Net return</th>',
    );
    const returns = [...table.matchAll(/<td class="[^"]*">([+-][\d.]+%)<\/td><\/tr>/g)].map(
      (match) => match[1],
    );
    expect(returns).toEqual(['+4.00%', '+5.01%']);
  });

  it('shows a return given with the trade as it is', () => {
    const given = small();
    const page = renderTearsheet({
      ...given,
      trades: [{ ...given.trades[0]!, return: -0.125 }],
    });
    expect(page).toMatch(/>-12\.50%<\/td><\/tr>/);
  });

  it('lays out monthly returns as a year by month table with a compounded year column', () => {
    const table = html.match(/<table class="monthly">.*?<\/table>/s)![0];
    const years = [...table.matchAll(/<th scope="row">(\d{4})<\/th>/g)].map((m) => m[1]);
    expect(years).toEqual(['2022', '2023', '2024']);
    const [january] = data.performance.monthly;
    const sign = january!.return > 0 ? '+' : '';
    expect(table).toContain(`>${sign}${(january!.return * 100).toFixed(1)}%</td>`);
    const year2022 = data.performance.monthly
      .filter((period) => new Date(period.start).getUTCFullYear() === 2022)
      .reduce((growth, period) => growth * (1 + period.return), 1);
    expect(table).toMatch(
      new RegExp(`class="year"[^>]*>[+-]?${Math.abs((year2022 - 1) * 100).toFixed(1)}%`),
    );
  });

  it('renders a script in strategy names, parameters, assumptions and instruments inert', () => {
    const evil = '<script>alert("x")</script>';
    const page = renderTearsheet(
      small({
        title: `Title ${evil}`,
        strategy: { name: `Name ${evil}`, parameters: { [`key ${evil}`]: evil, list: [evil, 1] } },
        instruments: [`BTC${evil}`],
        currency: `U${evil}`,
        assumptions: [evil, { name: evil, value: `"quoted" & 'single' ${evil}` }],
        trades: [{ ...small().trades[0]!, instrument: evil }],
      }),
    );
    expect(page).not.toContain(evil);
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    // Only the page's own script and the two charts' JSON data.
    expect(page.match(/<script/g)).toHaveLength(3);
  });

  it('references nothing on the network and allows only its own script', () => {
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(/i);
    const script = /<script>(.*?)<\/script>/s.exec(html)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it('renders the same bytes for the same input', () => {
    expect(renderTearsheet(sample())).toBe(html);
    expect(renderTearsheet(small())).toBe(renderTearsheet(small()));
  });

  it('downsamples a long curve by min/max buckets and keeps its spikes', () => {
    const n = 100_000;
    const times = Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * 60_000);
    const values = Array.from({ length: n }, (_, i) => 1_000 + Math.sin(i / 500) * 20);
    values[54_321] = 1_500;
    values[77_777] = 700;
    const page = renderTearsheet({
      strategy: { name: 'Spiky' },
      instruments: ['X'],
      equity: { times, values },
      performance: computePerformance({ times, values }),
      trades: [],
    });
    expect(polylinePoints(page, 'equity')).toBeLessThanOrEqual(2000);
    expect(polylinePoints(page, 'drawdown')).toBeLessThanOrEqual(2000);
    const equity = chartData(page, 'equity');
    expect(equity.v).toContain(1_500);
    expect(equity.v).toContain(700);
    expect(equity.t[0]).toBe(times[0]);
    expect(equity.t.at(-1)).toBe(times.at(-1));
    const drawdown = chartData(page, 'drawdown');
    expect(Math.min(...drawdown.v)).toBeCloseTo(700 / 1_500 - 1, 9);
    expect(polylinePoints(renderTearsheet(small()), 'equity')).toBe(4);
  });

  it('draws at most maxChartPoints points and lists at most maxTrades trades', () => {
    const page = renderTearsheet(data, { maxChartPoints: 100, maxTrades: 5 });
    expect(polylinePoints(page, 'equity')).toBeLessThanOrEqual(100);
    expect(
      page.match(/<table class="trades">.*?<tbody>(.*?)<\/tbody>/s)![1]!.match(/<tr>/g),
    ).toHaveLength(5);
    expect(page).toContain(`Showing the first 5 of ${data.trades.length} trades.`);
  });

  it('takes assumptions as sentences, named values or a record', () => {
    const sentences = renderTearsheet(
      small({ assumptions: ['Fills at the next open', { name: 'Fees', value: '0.1 %' }] }),
    );
    expect(sentences).toContain('<li>Fills at the next open</li><li><b>Fees:</b> 0.1 %</li>');
    const record = renderTearsheet(
      small({ assumptions: { Latency: '50 ms', 'Volume cap': '10 % of bar volume' } }),
    );
    expect(record).toContain('<tr><th scope="row">Latency</th><td>50 ms</td></tr>');
    expect(record).toContain('<tr><th scope="row">Volume cap</th><td>10 % of bar volume</td></tr>');
    expect(renderTearsheet(small())).toContain('No assumptions were recorded.');
  });

  it('labels a short trade and colors its P&L by sign', () => {
    const page = renderTearsheet(small());
    expect(page).toContain('<td class="pos">260.5</td>');
    expect(page).toContain('<td class="text side-short">Short</td>');
  });

  it('renders an empty backtest with placeholders instead of charts', () => {
    const page = renderTearsheet({
      strategy: { name: 'Idle' },
      instruments: [],
      equity: { times: [], values: [] },
      performance: computePerformance({ times: [], values: [] }),
      trades: [],
    });
    expect(page).toContain('Not enough points to draw a chart.');
    expect(page).toContain('No closed trades.');
    expect(page).toContain('No monthly returns');
    expect(page).not.toContain('<polyline');
  });

  it('rejects invalid data with a ValidationError naming the field', () => {
    const badPnl = small();
    const cases: [TearsheetData, string][] = [
      [{ ...badPnl, trades: [{ ...badPnl.trades[0]!, pnl: '12,5' }] }, 'trades[0].pnl'],
      [{ ...badPnl, trades: [{ ...badPnl.trades[0]!, quantity: '0' }] }, 'trades[0].quantity'],
      [{ ...badPnl, equity: { times: [1, 2], values: [1] } }, 'equity.values'],
      [{ ...badPnl, equity: { times: [2, 1], values: [1, 1] } }, 'equity.times[1]'],
      [{ ...badPnl, equity: { times: [1, 2], values: [1, Number.NaN] } }, 'equity.values[1]'],
    ];
    for (const [input, field] of cases) {
      expect(() => renderTearsheet(input)).toThrow(ValidationError);
      try {
        renderTearsheet(input);
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION') && (error as ValidationError).field).toBe(field);
      }
    }
    expect(() => renderTearsheet(small(), { maxChartPoints: 3 })).toThrow(/maxChartPoints/);
  });
});

describe('writeTearsheet', () => {
  it('creates missing folders and writes the rendered page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qtp-tearsheet-'));
    try {
      const file = await writeTearsheet(join(dir, 'a', 'b', 'report.html'), small());
      expect(isAbsolute(file)).toBe(true);
      expect(file).toBe(join(dir, 'a', 'b', 'report.html'));
      expect(await readFile(file, 'utf8')).toBe(renderTearsheet(small()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
