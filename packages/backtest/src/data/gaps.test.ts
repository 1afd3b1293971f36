import { fillGaps, findGaps, readCsvBars } from '@qtp/backtest';
import { type Bar, instrumentId, isQtpError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect, dataFile } from './test-files.js';

const ID = instrumentId('BTCUSDT', 'BINANCE');

function bar(openTimeMs: number, close = 10, id = ID): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs,
    closeTimeMs: openTimeMs + 59_999,
    open: 10,
    high: Math.max(10, close),
    low: Math.min(10, close),
    close,
    volume: 1,
  };
}

describe('findGaps', () => {
  it('returns each run of missing bars with its bounds and size', async () => {
    expect(await findGaps([bar(0), bar(60_000), bar(240_000), bar(360_000)])).toEqual([
      { instrumentId: ID, interval: '1m', startMs: 120_000, endMs: 240_000, missingBars: 2 },
      { instrumentId: ID, interval: '1m', startMs: 300_000, endMs: 360_000, missingBars: 1 },
    ]);
  });

  it('keeps the series of each instrument apart in a merged stream', async () => {
    const other = instrumentId('ETHUSDT', 'BINANCE');
    const gaps = await findGaps([bar(0), bar(0, 10, other), bar(60_000, 10, other), bar(120_000)]);
    expect(gaps.map((gap) => [gap.instrumentId, gap.missingBars])).toEqual([[ID, 1]]);
  });

  it('agrees with the gaps readCsvBars reports for ADABTC-1m', async () => {
    const bars = readCsvBars(dataFile('ADABTC-1m.csv'), { instrumentId: ID });
    expect(await findGaps(bars)).toEqual(bars.gaps);
    expect(bars.gaps).toHaveLength(14);
  });
});

describe('fillGaps', () => {
  it('inserts flat bars at the previous close, volume 0', async () => {
    const filled = await collect(fillGaps([bar(0, 12), bar(180_000)]));
    expect(filled.slice(1, 3)).toEqual([
      { ...bar(60_000, 12), open: 12, low: 12, volume: 0 },
      { ...bar(120_000, 12), open: 12, low: 12, volume: 0 },
    ]);
    expect(filled).toHaveLength(4);
  });

  it('refuses a second instrument, whose filled bars could not stay in time order', async () => {
    try {
      await collect(fillGaps([bar(0), bar(60_000, 10, instrumentId('ETHUSDT', 'BINANCE'))]));
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
    }
  });
});
