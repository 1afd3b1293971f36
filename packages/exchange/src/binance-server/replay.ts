import { type Bar, Decimal, symbolOf, type TradeTick } from '@qtp/core';
import type { BinanceServer } from './binance-server.js';

/** Options of {@link replayMarketData}. */
export interface ReplayOptions {
  /**
   * How many milliseconds of history pass per millisecond of the server's clock (default
   * `Infinity`: every item at once, without waiting). `60` replays an hour in a minute.
   */
  speed?: number;
  /** Stops the replay before the next item once aborted. */
  signal?: AbortSignal;
}

/** What {@link replayMarketData} replayed. */
export interface ReplayResult {
  /** Bars replayed. */
  readonly bars: number;
  /** Trades replayed. */
  readonly trades: number;
}

const isBar = (item: Bar | TradeTick): item is Bar => 'openTimeMs' in item;
const decimal = (value: number) => new Decimal(String(value));

// The order a bar's prices are assumed to have traded in: the extreme nearer the open first.
function barPath(bar: Bar): number[] {
  const highFirst = bar.high - bar.open <= bar.open - bar.low;
  return highFirst
    ? [bar.open, bar.high, bar.low, bar.close]
    : [bar.open, bar.low, bar.high, bar.close];
}

/**
 * Replays history into a running server: each trade goes on the symbol's tape (trade, aggTrade
 * and kline streams, resting orders it crosses fill) and moves the synthetic book to its price;
 * each bar moves the book along open, the nearer extreme, the other extreme and close, then
 * closes its kline. Items are core `Bar`s and `TradeTick`s, as the CSV loaders of
 * `@qtp/backtest` read them; the symbol is the instrument id's symbol. Times in payloads are the
 * history's own.
 *
 * @throws `RangeError` when an item's symbol is not listed by the server
 * @example
 * ```ts
 * import { readCsvTrades } from '@qtp/backtest';
 * import { replayMarketData } from '@qtp/exchange/binance-server';
 * await replayMarketData(server, readCsvTrades('XRPETH-trades.csv', { instrumentId }), { speed: 60 });
 * ```
 */
export async function replayMarketData(
  server: BinanceServer,
  source: Iterable<Bar | TradeTick> | AsyncIterable<Bar | TradeTick>,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const speed = options.speed ?? Number.POSITIVE_INFINITY;
  const clock = server.clock;
  let firstHistoryMs: number | undefined;
  const startMs = clock.now();
  let bars = 0;
  let trades = 0;
  for await (const item of source) {
    if (options.signal?.aborted === true) break;
    const timeMs = isBar(item) ? item.closeTimeMs : item.timeMs;
    firstHistoryMs ??= timeMs;
    if (Number.isFinite(speed)) {
      const dueMs = startMs + (timeMs - firstHistoryMs) / speed;
      const waitMs = dueMs - clock.now();
      if (waitMs > 0)
        await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), waitMs));
    }
    const symbol = symbolOf(item.instrumentId);
    if (isBar(item)) {
      for (const price of barPath(item)) server.setPrice(symbol, decimal(price));
      server.closeBar(item);
      bars += 1;
    } else {
      server.trade(
        symbol,
        decimal(item.price),
        decimal(item.size),
        item.aggressorSide === 'SELL',
        item.timeMs,
      );
      server.setPrice(symbol, decimal(item.price));
      trades += 1;
    }
  }
  return Object.freeze({ bars, trades });
}
