import { loadBarSeries } from '@qtp/backtest';
import { instrumentId } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { dataFile, rawRows, writeTempFile } from './test-files.js';

const ID = instrumentId('XRPETH', 'BINANCE');

describe('loadBarSeries', () => {
  it('holds every row of a real file in its columns, in file order', async () => {
    const path = dataFile('XRPETH-5m.csv');
    const rows = rawRows(path);
    const series = await loadBarSeries(path, { instrumentId: ID, gaps: 'leave' });
    expect(series.length).toBe(rows.length);
    expect(series.interval).toBe('5m');
    expect(series.instrumentId).toBe(ID);
    for (const [i, fields] of rows.entries()) {
      expect(series.at(i)).toEqual({
        openTimeMs: Number(fields[0]),
        open: Number(fields[1]),
        high: Number(fields[2]),
        low: Number(fields[3]),
        close: Number(fields[4]),
        volume: Number(fields[5]),
      });
    }
  });

  it('applies the gap policy of readCsvBars', async () => {
    const t0 = 1_570_752_000_000;
    const text = `open_time,open,high,low,close,volume\n${t0},1,2,1,2,5\n${t0 + 120_000},2,3,2,3,6\n`;
    const path = writeTempFile('gap.csv', text);
    const filled = await loadBarSeries(path, { instrumentId: ID, interval: '1m', gaps: 'fill' });
    expect(Array.from(filled.time)).toEqual([t0, t0 + 60_000, t0 + 120_000]);
    expect(filled.at(1).close).toBe(2);
    expect(filled.at(1).volume).toBe(0);
  });

  it('rejects a file with a header only, as readCsvBars does', async () => {
    const path = writeTempFile('empty.csv', 'open_time,open,high,low,close,volume\n');
    await expect(loadBarSeries(path, { instrumentId: ID, interval: '1m' })).rejects.toThrow(
      /must hold rows of bars after the header/,
    );
  });
});
