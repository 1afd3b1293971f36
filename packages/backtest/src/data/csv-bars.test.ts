import { type BarGap, readCsvBars } from '@qtp/backtest';
import {
  type Bar,
  barIntervalToMs,
  instrumentId,
  isQtpError,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect, dataFile, rawRows, writeTempFile } from './test-files.js';

const KLINE_FILES = [
  ['ADABTC-1m.csv', '1m'],
  ['DASHBTC-5m.csv', '5m'],
  ['LTCBTC-5m.csv', '5m'],
  ['XLMBTC-5m.csv', '5m'],
  ['XRPETH-1m.csv', '1m'],
  ['XRPETH-5m.csv', '5m'],
  ['ZECBTC-5m.csv', '5m'],
] as const;

const ID = instrumentId('TEST', 'BINANCE');
const HEADER = 'open_time,open,high,low,close,volume';

function barOf(fields: readonly string[], interval: '1m' | '5m', id = ID): Bar {
  const openTimeMs = Number(fields[0]);
  return {
    instrumentId: id,
    interval,
    openTimeMs,
    closeTimeMs: openTimeMs + barIntervalToMs(interval) - 1,
    open: Number(fields[1]),
    high: Number(fields[2]),
    low: Number(fields[3]),
    close: Number(fields[4]),
    volume: Number(fields[5]),
  };
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

describe('readCsvBars on the real data', () => {
  for (const [name, interval] of KLINE_FILES) {
    it(`reads every row of ${name} with its first and last values exact`, async () => {
      const rows = rawRows(dataFile(name));
      const bars = await collect(readCsvBars(dataFile(name), { instrumentId: ID }));
      expect(bars).toHaveLength(rows.length);
      expect(bars[0]).toEqual(barOf(rows[0]!, interval));
      expect(bars.at(-1)).toEqual(barOf(rows.at(-1)!, interval));
      expect(bars[0]!.interval).toBe(interval);
    });
  }

  it('reads the first XRPETH-1m bar as the file writes it, closing 1 ms before the next opens', async () => {
    const bars = readCsvBars(dataFile('XRPETH-1m.csv'), { instrumentId: ID, interval: '1m' });
    for await (const bar of bars) {
      expect(bar).toEqual({
        instrumentId: ID,
        interval: '1m',
        openTimeMs: 1_570_752_000_000,
        closeTimeMs: 1_570_752_059_999,
        open: 0.00141342,
        high: 0.00141557,
        low: 0.00141266,
        close: 0.00141418,
        volume: 1482,
      });
      break;
    }
  });

  it('reads the file again on each iteration', async () => {
    const bars = readCsvBars(dataFile('XRPETH-5m.csv'), { instrumentId: ID });
    expect((await collect(bars)).length).toBe(712);
    expect((await collect(bars)).length).toBe(712);
  });
});

describe('readCsvBars gaps', () => {
  // The test's own count: consecutive open times further apart than one interval.
  function gapsByLoop(name: string, intervalMs: number): { gaps: number; missing: number } {
    const times = rawRows(dataFile(name)).map((fields) => Number(fields[0]));
    let gaps = 0;
    let missing = 0;
    for (let i = 1; i < times.length; i++) {
      const step = times[i]! - times[i - 1]!;
      if (step > intervalMs) {
        gaps += 1;
        missing += step / intervalMs - 1;
      }
    }
    return { gaps, missing };
  }

  it('finds in XRPETH-1m the gaps a plain loop over the raw lines counts', async () => {
    const expected = gapsByLoop('XRPETH-1m.csv', 60_000);
    const bars = readCsvBars(dataFile('XRPETH-1m.csv'), { instrumentId: ID });
    await collect(bars);
    expect(bars.gaps.length).toBe(expected.gaps);
    expect(bars.gaps.reduce((sum, gap) => sum + gap.missingBars, 0)).toBe(expected.missing);
  });

  it('finds in ADABTC-1m the gaps a plain loop counts, and reports each to onGap', async () => {
    const expected = gapsByLoop('ADABTC-1m.csv', 60_000);
    expect(expected.gaps).toBeGreaterThan(0);
    const reported: BarGap[] = [];
    const bars = readCsvBars(dataFile('ADABTC-1m.csv'), {
      instrumentId: ID,
      onGap: (gap) => reported.push(gap),
    });
    const read = await collect(bars);
    expect(bars.gaps.length).toBe(expected.gaps);
    expect(reported).toEqual(bars.gaps);
    expect(bars.gaps.reduce((sum, gap) => sum + gap.missingBars, 0)).toBe(expected.missing);
    for (const gap of bars.gaps) {
      expect(gap.endMs - gap.startMs).toBe(gap.missingBars * 60_000);
      expect(read.some((bar) => bar.openTimeMs === gap.startMs - 60_000)).toBe(true);
      expect(read.some((bar) => bar.openTimeMs === gap.endMs)).toBe(true);
    }
  });

  it('fills each missing ADABTC-1m minute with a flat bar at the previous close', async () => {
    const rows = rawRows(dataFile('ADABTC-1m.csv'));
    const first = Number(rows[0]![0]);
    const last = Number(rows.at(-1)![0]);
    const bars = readCsvBars(dataFile('ADABTC-1m.csv'), { instrumentId: ID, gaps: 'fill' });
    const filled = await collect(bars);
    expect(filled).toHaveLength((last - first) / 60_000 + 1);
    const real = new Set(rows.map((fields) => Number(fields[0])));
    for (let i = 1; i < filled.length; i++) {
      const bar = filled[i]!;
      expect(bar.openTimeMs - filled[i - 1]!.openTimeMs).toBe(60_000);
      if (!real.has(bar.openTimeMs)) {
        const price = filled[i - 1]!.close;
        expect(bar).toMatchObject({
          open: price,
          high: price,
          low: price,
          close: price,
          volume: 0,
        });
        expect(bar.closeTimeMs).toBe(bar.openTimeMs + 59_999);
      }
    }
    expect(filled.length - rows.length).toBe(
      bars.gaps.reduce((sum, gap) => sum + gap.missingBars, 0),
    );
  });

  it('infers 5m from the modal spacing of DASHBTC-5m, whose gaps are 10 minutes wide', async () => {
    const bars = readCsvBars(dataFile('DASHBTC-5m.csv'), { instrumentId: ID });
    const read = await collect(bars);
    expect(read[0]!.interval).toBe('5m');
    expect(bars.gaps.map((gap) => gap.missingBars)).toEqual([1, 1]);
  });
});

describe('readCsvBars layouts', () => {
  it('reads renamed and reordered columns through a header map, ignoring extra columns', async () => {
    const path = writeTempFile(
      'renamed.csv',
      'v,c,extra,timestamp,o,h,l\n' +
        '10,1.5,x,1700000001000,1,2,0.5\n' +
        '20,1.6,y,1700000002000,1.5,1.7,1.4\n',
    );
    const bars = await collect(
      readCsvBars(path, {
        instrumentId: ID,
        columns: { openTime: 'timestamp', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
      }),
    );
    expect(bars).toEqual([
      {
        instrumentId: ID,
        interval: '1s',
        openTimeMs: 1_700_000_001_000,
        closeTimeMs: 1_700_000_001_999,
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: 10,
      },
      {
        instrumentId: ID,
        interval: '1s',
        openTimeMs: 1_700_000_002_000,
        closeTimeMs: 1_700_000_002_999,
        open: 1.5,
        high: 1.7,
        low: 1.4,
        close: 1.6,
        volume: 20,
      },
    ]);
  });

  it('reads times in seconds, microseconds and ISO 8601 (UTC without a zone)', async () => {
    const rows = ['1,2,0.5,1.5,10', '1.5,1.7,1.4,1.6,20'];
    const layouts = [
      ['s', ['1570752000', '1570752060']],
      ['us', ['1570752000000000', '1570752060000000']],
      ['iso', ['2019-10-11T00:00:00Z', '2019-10-11 00:01:00']],
    ] as const;
    for (const [time, stamps] of layouts) {
      const path = writeTempFile(
        `${time}.csv`,
        `${HEADER}\n${stamps[0]},${rows[0]}\n${stamps[1]},${rows[1]}\n`,
      );
      const bars = await collect(readCsvBars(path, { instrumentId: ID, time }));
      expect(bars.map((bar) => [bar.openTimeMs, bar.interval])).toEqual([
        [1_570_752_000_000, '1m'],
        [1_570_752_060_000, '1m'],
      ]);
    }
  });

  it('reads a headerless file by column indexes, as Binance public files are laid out', async () => {
    const path = writeTempFile(
      'binance.csv',
      '1570752000000,0.00141342,0.00141557,0.00141266,0.00141418,1482,1570752059999,2.09,9,700,0.99,0\n',
    );
    const bars = await collect(
      readCsvBars(path, {
        instrumentId: ID,
        interval: '1m',
        header: false,
        columns: { openTime: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 },
      }),
    );
    expect(bars[0]).toMatchObject({ closeTimeMs: 1_570_752_059_999, close: 0.00141418 });
  });

  it('reads CRLF line endings, a byte order mark and blank lines', async () => {
    const path = writeTempFile(
      'crlf.csv',
      `\uFEFF${HEADER}\r\n1700000040000,1,2,0.5,1.5,10\r\n\r\n1700000100000,1.5,1.7,1.4,1.6,20`,
    );
    const bars = await collect(readCsvBars(path, { instrumentId: ID }));
    expect(bars.map((bar) => bar.volume)).toEqual([10, 20]);
  });

  it('refuses a header map naming a column the file lacks', async () => {
    const path = writeTempFile('missing.csv', `${HEADER}\n1700000040000,1,2,0.5,1.5,10\n`);
    const error = await errorOf(
      readCsvBars(path, { instrumentId: ID, columns: { openTime: 'timestamp' } }),
    );
    expect(error.field).toBe(`${path}:1 openTime`);
    expect(error.rule).toContain('name a column of the header');
  });

  it('refuses to infer the interval from a single row', async () => {
    const path = writeTempFile('one.csv', `${HEADER}\n1700000040000,1,2,0.5,1.5,10\n`);
    const error = await errorOf(readCsvBars(path, { instrumentId: ID }));
    expect(error.field).toBe(`${path} interval`);
  });
});

describe('readCsvBars invalid rows', () => {
  const GOOD = ['1700000040000,1,2,0.5,1.5,10', '1700000100000,1.5,1.7,1.4,1.6,20'];
  const CASES = [
    ['NaN', '1700000160000,NaN,2,0.5,1.5,10', 'open', 'be a decimal number greater than 0', 'NaN'],
    [
      'an empty field',
      '1700000160000,1,,0.5,1.5,10',
      'high',
      'be a decimal number greater than 0',
      '',
    ],
    [
      'a negative volume',
      '1700000160000,1,2,0.5,1.5,-3',
      'volume',
      'be a decimal number, 0 or more',
      '-3',
    ],
    ['high below low', '1700000160000,1,0.4,0.5,1.5,10', 'high', 'be at least low 0.5', 0.4],
    [
      'high below the close',
      '1700000160000,1,1.2,0.5,1.5,10',
      'high',
      'be at least max(open, close) 1.5',
      1.2,
    ],
    [
      'an open time out of order',
      '1700000040000,1,2,0.5,1.5,10',
      'open_time',
      'be later than the previous open time 1700000100000',
      1700000040000,
    ],
    [
      'an open time off the interval grid',
      '1700000130000,1,2,0.5,1.5,10',
      'open_time',
      'be a whole number of 1m intervals after the previous open time 1700000100000',
      1700000130000,
    ],
    [
      'an unreadable time',
      '18e4,1,2,0.5,1.5,10',
      'open_time',
      'be a time, a whole number of epoch milliseconds',
      '18e4',
    ],
    ['too few columns', '1700000160000,1,2,0.5,1.5', '(row)', 'have 6 fields like the header', 5],
    [
      'too many columns',
      '1700000160000,1,2,0.5,1.5,10,7',
      '(row)',
      'have 6 fields like the header',
      7,
    ],
  ] as const;

  for (const [what, line, column, rule, value] of CASES) {
    it(`throws a ValidationError naming the file, line 4 and ${column} for ${what}`, async () => {
      const path = writeTempFile(
        'bad.csv',
        [HEADER, ...GOOD, line, '1700000220000,1,2,0.5,1.5,10'].join('\n'),
      );
      const error = await errorOf(readCsvBars(path, { instrumentId: ID, interval: '1m' }));
      expect(error.name).toBe('ValidationError');
      expect(error.field).toBe(`${path}:4 ${column}`);
      expect(error.rule).toBe(rule);
      expect(error.value).toBe(value);
      expect(error.details).toEqual({ source: path, line: 4, column });
      expect(error.message).toContain(`${path}:4 ${column}: must ${rule}`);
    });

    it(`skips the row with ${what} under onInvalidRow: 'skip' and reports it`, async () => {
      const path = writeTempFile(
        'bad.csv',
        [HEADER, ...GOOD, line, '1700000220000,1,2,0.5,1.5,10'].join('\n'),
      );
      const skipped: ValidationError[] = [];
      const bars = await collect(
        readCsvBars(path, {
          instrumentId: ID,
          interval: '1m',
          onInvalidRow: 'skip',
          onRowSkipped: (error) => skipped.push(error),
        }),
      );
      expect(bars.map((bar) => bar.openTimeMs)).toEqual([
        1_700_000_040_000, 1_700_000_100_000, 1_700_000_220_000,
      ]);
      expect(skipped.map((error) => error.field)).toEqual([`${path}:4 ${column}`]);
    });
  }
});
