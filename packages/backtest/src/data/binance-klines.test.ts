import { readBinanceKlines, readCsvBars } from '@qtp/backtest';
import { instrumentId, isQtpError, type ValidationError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect, dataFile, rawRows } from './test-files.js';

const ID = instrumentId('BTCUSDT', 'BINANCE');
// A minute in 2023: Binance's rows carry times of this era, and the loader refuses 1970.
const T0 = 1_699_999_980_000;
const SPEC_ROW = [
  1700000040000,
  '37590.01000000',
  '37612.40000000',
  '37588.00000000',
  '37600.00000000',
  '12.48210000',
  1700000099999,
  '469310.61734100',
  1833,
  '6.10020000',
  '229367.80010500',
  '0',
];

function row(openTimeMs: number, overrides: Record<number, unknown> = {}): unknown[] {
  const values: unknown[] = [
    openTimeMs,
    '10',
    '12',
    '9',
    '11',
    '5',
    openTimeMs + 59_999,
    '55',
    7,
    '2',
    '22',
    '0',
  ];
  for (const [index, value] of Object.entries(overrides)) values[Number(index)] = value;
  return values;
}

async function errorOf(source: AsyncIterable<unknown>): Promise<ValidationError> {
  try {
    await collect(source);
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('readBinanceKlines', () => {
  it('reads the REST row of the spec, taking the interval from its close time', async () => {
    const bars = await collect(readBinanceKlines([SPEC_ROW], { instrumentId: ID }));
    expect(bars).toEqual([
      {
        instrumentId: ID,
        interval: '1m',
        openTimeMs: 1_700_000_040_000,
        closeTimeMs: 1_700_000_099_999,
        open: 37590.01,
        high: 37612.4,
        low: 37588,
        close: 37600,
        volume: 12.4821,
        quoteVolume: 469310.617341,
        tradeCount: 1833,
        takerBuyBaseVolume: 6.1002,
        takerBuyQuoteVolume: 229367.800105,
      },
    ]);
  });

  it('gives the same bars as readCsvBars for XRPETH-5m written as Binance rows', async () => {
    const rows = rawRows(dataFile('XRPETH-5m.csv')).map((fields) => {
      const openTimeMs = Number(fields[0]);
      return [openTimeMs, ...fields.slice(1, 6), openTimeMs + 299_999, '0', 0, '0', '0', '0'];
    });
    async function* pages() {
      for (let i = 0; i < rows.length; i += 500) yield* rows.slice(i, i + 500);
    }
    const fromRows = await collect(
      readBinanceKlines(pages(), { instrumentId: ID, interval: '5m' }),
    );
    const fromCsv = await collect(readCsvBars(dataFile('XRPETH-5m.csv'), { instrumentId: ID }));
    expect(
      fromRows.map(
        ({ quoteVolume, tradeCount, takerBuyBaseVolume, takerBuyQuoteVolume, ...bar }) => bar,
      ),
    ).toEqual(fromCsv);
  });

  it('fills a missing kline with a flat bar whose Binance figures are 0', async () => {
    const stream = readBinanceKlines([row(T0), row(T0 + 120_000)], {
      instrumentId: ID,
      gaps: 'fill',
    });
    const bars = await collect(stream);
    expect(bars[1]).toEqual({
      instrumentId: ID,
      interval: '1m',
      openTimeMs: T0 + 60_000,
      closeTimeMs: T0 + 119_999,
      open: 11,
      high: 11,
      low: 11,
      close: 11,
      volume: 0,
      quoteVolume: 0,
      tradeCount: 0,
      takerBuyBaseVolume: 0,
      takerBuyQuoteVolume: 0,
    });
    expect(stream.gaps).toEqual([
      {
        instrumentId: ID,
        interval: '1m',
        startMs: T0 + 60_000,
        endMs: T0 + 120_000,
        missingBars: 1,
      },
    ]);
  });

  const CASES = [
    ['a row of 11 elements', row(T0 + 60_000).slice(0, 11), '(row)'],
    [
      'a close time that disagrees with the interval',
      row(T0 + 60_000, { 6: T0 + 60_000 + 299_999 }),
      'closeTime',
    ],
    ['a price that is not a decimal', row(T0 + 60_000, { 4: 'abc' }), 'close'],
    ['a negative quote volume', row(T0 + 60_000, { 7: '-1' }), 'quoteVolume'],
    ['high below low', row(T0 + 60_000, { 2: '8' }), 'high'],
    ['an open time out of order', row(T0), 'openTime'],
    ['an open time in microseconds', row(T0 + 60_000, { 0: (T0 + 60_000) * 1000 }), 'openTime'],
    ['an open time in seconds', row(T0 + 60_000, { 0: (T0 + 60_000) / 1000 }), 'openTime'],
    ['a close time past 2100', row(T0 + 60_000, { 6: 4_200_000_000_000 }), 'closeTime'],
  ] as const;

  it('says how to convert a microsecond open time', async () => {
    const rows = [row(T0, { 0: String(T0 * 1000) })];
    const error = await errorOf(readBinanceKlines(rows, { instrumentId: ID }));
    expect(error.message).toContain('microseconds (16 digits) are not accepted: divide by 1000');
    expect(error.message).not.toContain("time: 'us'");
  });

  for (const [what, bad, column] of CASES) {
    it(`throws a ValidationError naming row 2 and ${column} for ${what}, or skips it`, async () => {
      const rows = [row(T0), bad, row(T0 + 120_000)];
      const error = await errorOf(readBinanceKlines(rows, { instrumentId: ID }));
      expect(error.field).toBe(`binance klines:2 ${column}`);
      const kept = await collect(
        readBinanceKlines(rows, { instrumentId: ID, onInvalidRow: 'skip' }),
      );
      expect(kept.map((bar) => bar.openTimeMs)).toEqual([T0, T0 + 120_000]);
    });
  }
});
