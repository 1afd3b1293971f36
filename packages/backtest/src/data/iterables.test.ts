import { readBars, readTrades } from '@qtp/backtest';
import {
  type Bar,
  instrumentId,
  isQtpError,
  type TradeTick,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect } from './test-files.js';

const ID = instrumentId('BTCUSDT', 'BINANCE');

function bar(openTimeMs: number, close = 10): Bar {
  return {
    instrumentId: ID,
    interval: '1m',
    openTimeMs,
    closeTimeMs: openTimeMs + 60_000,
    open: 10,
    high: Math.max(10, close),
    low: Math.min(10, close),
    close,
    volume: 1,
  };
}

function trade(timeMs: number, tradeId: string): TradeTick {
  return { instrumentId: ID, price: 10, size: 1, aggressorSide: 'BUY', tradeId, timeMs };
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

describe('readBars', () => {
  it('reads an array and an async generator alike', async () => {
    const bars = [bar(0), bar(60_000)];
    async function* generate() {
      yield* bars;
    }
    expect(await collect(readBars(bars))).toEqual(bars);
    expect(await collect(readBars(generate()))).toEqual(bars);
  });

  it("fills a gap with flat bars that keep the source's close-time offset", async () => {
    const stream = readBars([bar(0, 12), bar(180_000)], { gaps: 'fill' });
    const bars = await collect(stream);
    expect(
      bars.map((item) => [item.openTimeMs, item.closeTimeMs, item.close, item.volume]),
    ).toEqual([
      [0, 60_000, 12, 1],
      [60_000, 120_000, 12, 0],
      [120_000, 180_000, 12, 0],
      [180_000, 240_000, 10, 1],
    ]);
    expect(stream.gaps).toHaveLength(1);
  });

  it('names the item and the field of a bar that core refuses', async () => {
    const error = await errorOf(readBars([bar(0), { ...bar(60_000), volume: -1 }]));
    expect(error.field).toBe('bars:2 volume');
    expect(error.rule).toBe('be at least 0');
  });

  it('refuses a bar of another instrument, or skips it', async () => {
    const other = { ...bar(60_000), instrumentId: instrumentId('ETHUSDT', 'BINANCE') };
    const error = await errorOf(readBars([bar(0), other, bar(120_000)]));
    expect(error.field).toBe('bars:2 instrumentId');
    const kept = await collect(readBars([bar(0), other, bar(120_000)], { onInvalidRow: 'skip' }));
    expect(kept.map((item) => item.openTimeMs)).toEqual([0, 120_000]);
  });

  it('refuses bars whose open times go back', async () => {
    const error = await errorOf(readBars([bar(60_000), bar(0)], { sourceName: 'feed' }));
    expect(error.field).toBe('feed:2 openTimeMs');
  });
});

describe('readTrades', () => {
  it('reads trades that share a millisecond and refuses one that goes back in time', async () => {
    expect(await collect(readTrades([trade(5, 'a'), trade(5, 'b')]))).toHaveLength(2);
    const error = await errorOf(readTrades([trade(5, 'a'), trade(4, 'b')]));
    expect(error.field).toBe('trades:2 timeMs');
  });

  it('names the field of a trade that core refuses', async () => {
    const error = await errorOf(readTrades([{ ...trade(5, 'a'), price: Number.NaN }]));
    expect(error.field).toBe('trades:1 price');
  });
});
