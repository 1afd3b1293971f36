import {
  BarSeries,
  type BarSeriesRow,
  instrumentId,
  isQtpError,
  type ValidationError,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const row = (i: number, close = 10 + i): BarSeriesRow => ({
  openTimeMs: i * 60_000,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: i,
});

function errorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('BarSeries', () => {
  it('appends bars past its initial capacity and keeps every value', () => {
    const series = new BarSeries({ capacity: 2 });
    for (let i = 0; i < 100; i++) series.append(row(i));
    expect(series.length).toBe(100);
    expect(series.close.length).toBe(100);
    expect(series.close[0]).toBe(10);
    expect(series.close[99]).toBe(109);
    expect(series.time[57]).toBe(57 * 60_000);
    expect(series.at(-1)).toEqual(row(99));
  });

  it('returns column views that share memory with the series', () => {
    const series = BarSeries.fromColumns({
      time: [0, 1, 2],
      open: [1, 2, 3],
      high: [2, 3, 4],
      low: [1, 2, 3],
      close: [2, 3, 4],
      volume: [0, 0, 0],
    });
    expect(series.close.buffer).toBe(series.slice(1).close.buffer);
    expect(Array.from(series.slice(1, 3).close)).toEqual([3, 4]);
    expect(Array.from(series.slice(-2).time)).toEqual([1, 2]);
    expect(series.slice(5).length).toBe(0);
  });

  it('copies a slice before appending to it, leaving the parent unchanged', () => {
    const series = new BarSeries();
    for (let i = 0; i < 5; i++) series.append(row(i));
    const head = series.slice(0, 2);
    head.append(row(2, 99));
    expect(head.length).toBe(3);
    expect(head.close[2]).toBe(99);
    expect(series.close[2]).toBe(12);
  });

  it('names the index and the field of a non-finite value', () => {
    const series = new BarSeries();
    series.append(row(0));
    const error = errorOf(() => series.append({ ...row(1), close: Number.NaN }));
    expect(error.field).toBe('close[1]');
    expect(error.message).toBe('close[1]: must be a finite number, was NaN');
    expect(series.length).toBe(1);
  });

  it('names the index of an open time out of order', () => {
    const error = errorOf(() => BarSeries.fromBars([row(3), row(2)].map(toBar)));
    expect(error.field).toBe('time[1]');
    expect(error.rule).toBe('be later than the previous open time 180000');
  });

  it('rejects a high below the close and columns of unequal length', () => {
    expect(errorOf(() => new BarSeries().append({ ...row(0), high: 9 })).field).toBe('high[0]');
    expect(errorOf(() => new BarSeries().append({ ...row(0), volume: -1 })).field).toBe(
      'volume[0]',
    );
    const uneven = { time: [0, 1], open: [1], high: [1], low: [1], close: [1], volume: [1] };
    expect(errorOf(() => BarSeries.fromColumns(uneven)).field).toBe('open.length');
  });

  it('rejects an index outside the series', () => {
    expect(errorOf(() => new BarSeries().at(0)).field).toBe('index');
  });

  it('takes the instrument and interval from the first bar', () => {
    const series = BarSeries.fromBars([row(0), row(1)].map(toBar));
    expect(series.instrumentId).toBe(id);
    expect(series.interval).toBe('1m');
    expect(series.slice(1).interval).toBe('1m');
  });

  it('holds what was appended, in order, for any valid sequence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 1e6, noNaN: true })),
          {
            maxLength: 300,
          },
        ),
        fc.integer({ min: 0, max: 8 }),
        (steps, capacity) => {
          const series = new BarSeries({ capacity });
          let time = 0;
          const rows: BarSeriesRow[] = [];
          for (const [gap, price] of steps) {
            time += gap;
            const bar = {
              openTimeMs: time,
              open: price,
              high: price,
              low: price,
              close: price,
              volume: 1,
            };
            rows.push(bar);
            series.append(bar);
          }
          expect(series.length).toBe(rows.length);
          for (const [i, bar] of rows.entries()) expect(series.at(i)).toEqual(bar);
        },
      ),
    );
  });
});

const id = instrumentId('ADABTC', 'BINANCE');

function toBar(r: BarSeriesRow) {
  return { ...r, instrumentId: id, interval: '1m' as const, closeTimeMs: r.openTimeMs + 59_999 };
}
