// Reads the returns fixture and the scipy references that scripts/make-construction-reference.py wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface ConstructionCase {
  name: string;
  kind: 'minimumVariance' | 'maximumSharpe' | 'targetReturn' | 'riskParity' | 'inverseVolatility';
  options: {
    longOnly?: boolean;
    lower?: number;
    upper?: number;
    riskFreeRate?: number;
    target?: number;
    budgets?: number[];
  };
  weights: number[];
  variance: number;
  expectedReturn: number;
}

export interface ConstructionReference {
  assets: string[];
  observations: number;
  expectedReturns: number[];
  covariance: {
    sample: number[][];
    ewma: { lambda: number; matrix: number[][] };
    ledoitWolf: { shrinkage: number; matrix: number[][] };
  };
  cases: ConstructionCase[];
}

/** The scipy/pandas reference values. */
export function loadConstructionReference(): ConstructionReference {
  return JSON.parse(readFileSync(join(FIXTURES, 'construction-reference.json'), 'utf8'));
}

/** The hourly returns of the fixture, one series per asset (column order of the CSV). */
export function loadHourlyReturns(): number[][] {
  const lines = readFileSync(join(FIXTURES, 'btc-quoted-1h-returns.csv'), 'utf8')
    .trim()
    .split('\n');
  const assets = lines[0]!.split(',').length - 1;
  const series = Array.from({ length: assets }, () => [] as number[]);
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    for (let i = 0; i < assets; i++) series[i]!.push(Number(fields[i + 1]));
  }
  return series;
}
