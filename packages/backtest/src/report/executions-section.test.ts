import { renderTearsheet, type TearsheetData, type TearsheetExecution } from '@qtp/backtest';
import { computePerformance } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

const START = Date.UTC(2024, 2, 30, 12);
const MINUTE = 60_000;

/** A buy worked over ten minutes: three fills, arrival 100, VWAP 100.5, IS 52.3 bps by hand. */
const execution: TearsheetExecution = {
  parentClientOrderId: 'exec-P1-1',
  algorithm: 'TWAP',
  instrumentId: 'BTCUSDT.BINANCE',
  side: 'BUY',
  status: 'FILLED',
  quantity: '3',
  filledQuantity: '3',
  startTimeMs: START,
  endTimeMs: START + 10 * MINUTE,
  costs: {
    parentClientOrderId: 'exec-P1-1',
    algorithm: 'TWAP',
    filledQuantity: 3,
    averagePrice: 100.5,
    arrivalPrice: 100,
    intervalVwap: 100.4,
    closePrice: 101,
    implementationShortfallBps: 52.3,
    slippageVsVwapBps: 9.96,
    slippageVsCloseBps: -49.5,
    participation: 0.125,
    fees: 0.3015,
    estimatedImpactBps: 31.6,
  },
  fills: [
    { timeMs: START + 1 * MINUTE, price: 100.2, quantity: 1 },
    { timeMs: START + 5 * MINUTE, price: 100.5, quantity: 1 },
    { timeMs: START + 9 * MINUTE, price: 100.8, quantity: 1 },
  ],
  market: {
    times: [0, 2, 4, 6, 8, 10, 12].map((m) => START - MINUTE + m * MINUTE),
    prices: [99.9, 100, 100.3, 100.6, 100.7, 100.9, 101],
  },
};

function data(executions?: readonly TearsheetExecution[]): TearsheetData {
  const times = [0, 1, 2].map((i) => START + i * 86_400_000);
  const values = [10_000, 10_100, 10_050];
  return {
    strategy: { name: 'Exec', parameters: {} },
    instruments: ['BTCUSDT.BINANCE'],
    currency: 'USDT',
    equity: { times, values },
    performance: computePerformance({ times, values }),
    trades: [],
    ...(executions === undefined ? {} : { executions }),
  };
}

describe('tearsheet executions section', () => {
  it('lists each parent with its costs and draws its fills against the market', () => {
    const html = renderTearsheet(data([execution]));
    const section = html.slice(html.indexOf('<section id="executions">'));
    expect(section).toContain('Executions (1)');
    // The table: shortfall, slippages, the estimate beside them, participation and fees.
    for (const cell of ['52.3', '10.0', '-49.5', '31.6', '12.50%', '0.3015', '3 / 3']) {
      expect(section).toContain(`>${cell}<`);
    }
    // One dot per child fill, the market line, and the arrival and VWAP lines.
    const chart = section.slice(section.indexOf('data-execution="exec-P1-1"'));
    expect(chart.match(/<circle class="fill-buy"/g)).toHaveLength(3);
    expect(chart).toContain('<polyline class="market"');
    expect(chart).toContain('<line class="arrival"');
    expect(chart).toContain('<line class="vwap"');
  });

  it('places the fills in time and price inside the plot, the latest and dearest right and high', () => {
    const html = renderTearsheet(data([execution]));
    const dots = [...html.matchAll(/<circle class="fill-buy" cx="([\d.]+)" cy="([\d.]+)"/g)].map(
      (match) => ({ x: Number(match[1]), y: Number(match[2]) }),
    );
    expect(dots).toHaveLength(3);
    // Plot from x 86 to 942 over the ten minutes: fills at 1, 5 and 9 minutes.
    const x = (minutes: number) => 86 + (minutes / 10) * (960 - 86 - 18);
    expect(dots.map((dot) => dot.x)).toEqual(
      [x(1), x(5), x(9)].map((v) => Math.round(v * 100) / 100),
    );
    // Rising prices draw higher, so lower y.
    expect(dots[0]!.y).toBeGreaterThan(dots[1]!.y);
    expect(dots[1]!.y).toBeGreaterThan(dots[2]!.y);
  });

  it('shows dashes for a parent that filled nothing', () => {
    const none: TearsheetExecution = {
      ...execution,
      status: 'CANCELED',
      filledQuantity: '0',
      costs: null,
      fills: [],
    };
    const html = renderTearsheet(data([none]));
    expect(html).toContain('0 / 3');
    expect(html).not.toContain('class="fill-buy"');
  });

  it('leaves the section out without parents', () => {
    expect(renderTearsheet(data())).not.toContain('id="executions"');
    expect(renderTearsheet(data([]))).not.toContain('id="executions"');
  });

  it('escapes a parent id that holds markup', () => {
    const html = renderTearsheet(data([{ ...execution, parentClientOrderId: '<b>x</b>' }]));
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
