import { BarSeries, instrumentId } from '@qtp/core';
import { loadBars } from './bars.js';

/** Reads a kline fixture into a core BarSeries. */
export function fixtureSeries(name: string, symbol: string): BarSeries {
  const columns = loadBars(name);
  return BarSeries.fromColumns(columns, { instrumentId: instrumentId(symbol, 'BINANCE') });
}
