import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderTearsheet, type TearsheetOptions } from './tearsheet.js';
import type { TearsheetData } from './tearsheet-data.js';

/**
 * Renders a tearsheet (see {@link renderTearsheet}) and writes it to `path` as UTF-8, creating
 * missing folders and replacing an existing file.
 *
 * @param path - where to write the HTML file, absolute or relative to the working directory
 * @param data - the equity curve, performance report, trades, assumptions and metadata
 * @param options - chart resolution and how many trades to list
 * @returns the absolute path of the written file
 * @throws ValidationError when the data or an option is invalid, before anything is written
 * @throws the file system's error when the folder cannot be created or the file written
 * @example
 * ```ts
 * import { writeTearsheet } from '@qtp/backtest';
 * import { computePerformance } from '@qtp/portfolio';
 *
 * const hour = 3_600_000;
 * const times = [0, 1, 2, 3].map((i) => Date.UTC(2024, 0, 1) + i * hour);
 * const values = [1_000, 1_012, 1_004, 1_021];
 * const file = await writeTearsheet('reports/sma.html', {
 *   strategy: { name: 'SMA crossover' },
 *   instruments: ['ETHUSDT.BINANCE'],
 *   equity: { times, values },
 *   performance: computePerformance({ times, values }),
 *   trades: [],
 * });
 * console.log(`open file://${file}`);
 * ```
 */
export async function writeTearsheet(
  path: string,
  data: TearsheetData,
  options: TearsheetOptions = {},
): Promise<string> {
  const html = renderTearsheet(data, options);
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, html, 'utf8');
  return target;
}
