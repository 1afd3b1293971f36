import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Columns of a fixture CSV, as numbers. */
export interface Bars {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Reads `test/fixtures/<name>.csv` (open_time,open,high,low,close,volume). */
export function loadBars(name: string): Bars {
  const text = readFileSync(
    fileURLToPath(new URL(`./fixtures/${name}.csv`, import.meta.url)),
    'utf8',
  );
  const rows = text.trim().split('\n').slice(1);
  const column = () => new Float64Array(rows.length);
  const bars: Bars = {
    time: column(),
    open: column(),
    high: column(),
    low: column(),
    close: column(),
    volume: column(),
  };
  rows.forEach((row, i) => {
    const [time, open, high, low, close, volume] = row.split(',').map(Number);
    bars.time[i] = time!;
    bars.open[i] = open!;
    bars.high[i] = high!;
    bars.low[i] = low!;
    bars.close[i] = close!;
    bars.volume[i] = volume!;
  });
  return bars;
}

/** Reads the TTR outputs in `test/fixtures/<name>.reference.json`; null marks warm-up. */
export function loadReference(name: string): Record<string, (number | null)[]> {
  const path = fileURLToPath(new URL(`./fixtures/${name}.reference.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')).series;
}
