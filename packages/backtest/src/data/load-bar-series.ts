import { BarSeries } from '@qtp/core';
import { type CsvBarsOptions, readCsvBars } from './csv-bars.js';

/**
 * Reads a CSV file of bars into a columnar {@link @qtp/core!BarSeries}, with the same parsing,
 * checks, gap policy and invalid-row policy as {@link readCsvBars}, whose options it takes. The
 * series grows by doubling as rows come in, so the file is never held twice as bar objects.
 *
 * @param path - the CSV file
 * @param options - as for {@link readCsvBars}
 * @returns the bars, with the instrument and the given or inferred interval
 * @throws {@link @qtp/core!ValidationError} as {@link readCsvBars} does, naming the file, line and column
 * @example
 * ```ts
 * import { loadBarSeries } from '@qtp/backtest';
 * import { instrumentId } from '@qtp/core';
 * import { rsi } from '@qtp/strategy';
 *
 * const series = await loadBarSeries('examples/data/XRPETH-5m.csv', {
 *   instrumentId: instrumentId('XRPETH', 'BINANCE'),
 * });
 * console.log(series.length, series.interval, rsi(series.close, 14).at(-1));
 * ```
 */
export async function loadBarSeries(path: string, options: CsvBarsOptions): Promise<BarSeries> {
  let series: BarSeries | undefined;
  for await (const bar of readCsvBars(path, options)) {
    series ??= new BarSeries({
      instrumentId: bar.instrumentId,
      interval: bar.interval,
      capacity: 4096,
    });
    series.appendValues(bar.openTimeMs, bar.open, bar.high, bar.low, bar.close, bar.volume);
  }
  // Rows may all be skipped by the invalid-row policy, which leaves an empty series.
  return (
    series ??
    new BarSeries({
      instrumentId: options.instrumentId,
      ...(options.interval === undefined ? {} : { interval: options.interval }),
      capacity: 0,
    })
  );
}
