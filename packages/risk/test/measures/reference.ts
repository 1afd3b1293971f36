// Loads the scipy reference (scripts/var-reference.py) and the closes it was computed from, for
// the measure tests to compare against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isQtpError, type ValidationError } from '@qtp/core';
import { expect } from 'vitest';

const HERE = import.meta.dirname;

/** The relative tolerance every comparison with the reference uses. */
export const RELATIVE_TOLERANCE = 1e-9;

export interface SingleMeasures {
  confidence: number;
  historicalVaR: number;
  parametricVaR: number;
  cornishFisherVaR: number;
  historicalExpectedShortfall: number;
  parametricExpectedShortfall: number;
}

export interface PortfolioMeasures {
  confidence: number;
  historicalVaR: number;
  parametricVaR: number;
  marginalVaR: number[];
  componentVaR: number[];
}

export interface Reference {
  assets: string[];
  single: Record<
    string,
    {
      mean: number;
      standardDeviation: number;
      skewness: number;
      excessKurtosis: number;
      measures: SingleMeasures[];
    }
  >;
  portfolio: {
    sharedBars: number;
    firstTime: number;
    lastTime: number;
    lastCloses: number[];
    weights: Record<string, number>;
    positions: Record<string, number>;
    exposures: number[];
    byWeights: PortfolioMeasures[];
    byPositions: PortfolioMeasures[];
  };
  worstWindows: {
    durationMs: number;
    startTime: number;
    endTime: number;
    pnl: number;
    priceChanges: number[];
  }[];
  normalQuantile: { p: number; z: number }[];
}

/** Returns the reference document. */
export function loadReference(): Reference {
  return JSON.parse(readFileSync(join(HERE, 'var-reference.json'), 'utf8')) as Reference;
}

/** The repository's bundled Binance data, which the reference script reads too. */
const DATA = join(HERE, '..', '..', '..', '..', 'examples', 'data');

/** Returns the open times and closes of an asset's 5-minute bars quoted in BTC. */
export function loadCloses(asset: string): { times: Float64Array; closes: Float64Array } {
  const [header, ...lines] = readFileSync(join(DATA, `${asset}BTC-5m.csv`), 'utf8')
    .trim()
    .split('\n');
  const columns = header!.split(',');
  const timeColumn = columns.indexOf('open_time');
  const closeColumn = columns.indexOf('close');
  const times = new Float64Array(lines.length);
  const closes = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const fields = line.split(',');
    times[i] = Number(fields[timeColumn]);
    closes[i] = Number(fields[closeColumn]);
  });
  return { times, closes };
}

/** Returns the four assets' closes aligned on their shared times. */
export function loadAlignedHistories(): Record<
  string,
  { times: Float64Array; prices: Float64Array }
> {
  return Object.fromEntries(
    loadReference().assets.map((asset) => {
      const { times, closes } = loadCloses(asset);
      return [asset, { times, prices: closes }];
    }),
  );
}

/** Returns the simple returns close[t] / close[t - 1] - 1 of a series of closes. */
export function simpleReturnsOf(closes: ArrayLike<number>): Float64Array {
  const returns = new Float64Array(closes.length - 1);
  for (let i = 1; i < closes.length; i++) returns[i - 1] = closes[i]! / closes[i - 1]! - 1;
  return returns;
}

/** Expects `actual` within `tolerance` of `expected`, relative (absolute when `expected` is 0). */
export function expectClose(
  actual: number,
  expected: number,
  tolerance = RELATIVE_TOLERANCE,
): void {
  const bound = expected === 0 ? tolerance : tolerance * Math.abs(expected);
  expect(Math.abs(actual - expected), `${actual} against ${expected}`).toBeLessThanOrEqual(bound);
}

/** Returns the ValidationError `action` throws, failing the test when it throws none. */
export function catchValidationError(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError, none was thrown');
}
