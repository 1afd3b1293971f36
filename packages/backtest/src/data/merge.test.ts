import { eventTimeOf, mergeByTime, readCsvBars, type TimedMarketData } from '@qtp/backtest';
import { type Bar, instrumentId, isQtpError, type TradeTick } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collect, dataFile, rawRows } from './test-files.js';

const IDS = ['AAA.BINANCE', 'BBB.BINANCE', 'CCC.BINANCE'].map((text) => {
  const [symbol, venue] = text.split('.') as [string, string];
  return instrumentId(symbol, venue);
});

function trade(source: number, index: number, timeMs: number, id = IDS[0]!): TradeTick {
  return {
    instrumentId: id,
    price: 1,
    size: 1,
    aggressorSide: 'BUY',
    tradeId: `${source}:${index}`,
    timeMs,
  };
}

function bar(openTimeMs: number, id = IDS[0]!): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs,
    closeTimeMs: openTimeMs + 59_999,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 0,
  };
}

async function* asAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

// A source: one of three instruments, its times drawn as non-negative steps so ties are common.
const sourceArbitrary = fc.record({
  id: fc.integer({ min: 0, max: 2 }),
  steps: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
});

describe('mergeByTime', () => {
  it('yields a permutation of the inputs sorted by time, then instrument, then source, stably', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sourceArbitrary, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (drawn, async) => {
          const sources = drawn.map(({ id, steps }, source) => {
            let timeMs = 0;
            return steps.map((step, index) => {
              timeMs += step;
              return trade(source, index, timeMs, IDS[id]);
            });
          });
          const merged = await collect(
            mergeByTime(sources.map((items, i) => (async && i % 2 === 0 ? asAsync(items) : items))),
          );
          // The reference: all items in source order, then a stable sort by time and instrument.
          const expected = sources
            .flat()
            .sort((a, b) =>
              a.timeMs !== b.timeMs
                ? a.timeMs - b.timeMs
                : a.instrumentId < b.instrumentId
                  ? -1
                  : a.instrumentId > b.instrumentId
                    ? 1
                    : 0,
            );
          expect(merged.map((item) => item.tradeId)).toEqual(expected.map((item) => item.tradeId));
          expect(merged.map((item) => item.tradeId).sort()).toEqual(
            sources
              .flat()
              .map((item) => item.tradeId)
              .sort(),
          );
          for (const [source, items] of sources.entries()) {
            const order = merged.filter((item) => item.tradeId.startsWith(`${source}:`));
            expect(order).toEqual(items);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('orders a bar by its close time, after a tick that came before its close', async () => {
    const hourly: Bar = { ...bar(0, IDS[0]), interval: '1h', closeTimeMs: 3_599_999 };
    const tick = trade(1, 0, 1_800_000, IDS[1]);
    const merged = await collect(mergeByTime<TimedMarketData>([[hourly], [tick]]));
    expect(merged).toEqual([tick, hourly]);
    expect(merged.map(eventTimeOf)).toEqual([1_800_000, 3_599_999]);
  });

  it('breaks a tie by instrument id before the order of the sources', async () => {
    const late = bar(0, IDS[2]);
    const early = bar(0, IDS[0]);
    const alsoEarly = bar(0, IDS[0]);
    const merged = await collect(mergeByTime([[late], [alsoEarly], [early]]));
    expect(merged[0]).toBe(alsoEarly);
    expect(merged[1]).toBe(early);
    expect(merged[2]).toBe(late);
  });

  it('throws a ValidationError naming the source that goes back in time', async () => {
    try {
      await collect(mergeByTime([[bar(0)], [bar(120_000), bar(60_000)]]));
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect((error as { field: string }).field).toBe('sources[1]');
    }
  });

  it('closes every source when the loop stops early', async () => {
    const closed: number[] = [];
    function* source(index: number) {
      try {
        for (let i = 0; i < 10; i++) yield bar(i * 60_000, IDS[index]);
      } finally {
        closed.push(index);
      }
    }
    for await (const item of mergeByTime([source(0), source(1)])) {
      if (item.openTimeMs === 120_000) break;
    }
    expect(closed.sort()).toEqual([0, 1]);
  });

  it('merges the four 5m files of the BTC universe into one stream ordered by close time', async () => {
    const symbols = ['DASHBTC', 'LTCBTC', 'XLMBTC', 'ZECBTC'];
    const merged = await collect(
      mergeByTime(
        symbols.map((symbol) =>
          readCsvBars(dataFile(`${symbol}-5m.csv`), {
            instrumentId: instrumentId(symbol, 'BINANCE'),
          }),
        ),
      ),
    );
    const total = symbols.reduce(
      (sum, symbol) => sum + rawRows(dataFile(`${symbol}-5m.csv`)).length,
      0,
    );
    expect(merged).toHaveLength(total);
    for (let i = 1; i < merged.length; i++) {
      const previous = merged[i - 1]!;
      const current = merged[i]!;
      expect(
        previous.closeTimeMs < current.closeTimeMs ||
          (previous.closeTimeMs === current.closeTimeMs &&
            previous.instrumentId < current.instrumentId),
      ).toBe(true);
    }
  });
});
