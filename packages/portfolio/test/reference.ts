// Loads the pandas reference fixture and rebuilds each case's equity curve from the kline CSV,
// exactly as scripts/make-analytics-reference.py does, for the analytics tests to compare against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isQtpError, type ValidationError } from '@qtp/core';
import type {
  ClosedTrade,
  DrawdownPeriod,
  MarketCalendar,
  PeriodReturn,
  TradeStatistics,
} from '@qtp/portfolio';
import { expect } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const DAY_MS = 86_400_000;

/** The relative tolerance every comparison with the reference uses. */
export const RELATIVE_TOLERANCE = 1e-9;

export interface ReferenceExpected {
  start: number;
  end: number;
  numberOfReturns: number;
  periodsPerYear: number;
  yearBasis: 'calendar' | 'periods';
  yearLengthDays: number | null;
  totalReturn: number;
  cagr: number;
  annualizedVolatility: number;
  sharpeRatio: number;
  sortinoRatio: number;
  calmarRatio: number;
  maxDrawdown: number;
  maxDrawdownPeriod: DrawdownPeriod;
  longestDrawdownMs: number;
  longestDrawdownPeriods: number;
  drawdownPeriodCount: number;
  bestPeriod: PeriodReturn;
  worstPeriod: PeriodReturn;
  monthly: PeriodReturn[];
  yearly: PeriodReturn[];
  trades: TradeStatistics;
  exposureTime: number;
  daily?: PeriodReturn[];
  drawdowns?: number[];
}

export interface ReferenceCase {
  name: string;
  file: string;
  timing: 'kline' | 'weekdays';
  options: { market?: MarketCalendar; riskFreeRate?: number; yearLengthDays?: number };
  trades: ClosedTrade[];
  expected: ReferenceExpected;
  /** The equity curve built from the CSV closes. */
  curve: { times: Float64Array; values: Float64Array };
}

interface ReferenceDocument {
  initialEquity: number;
  weekdayStart: string;
  cases: Omit<ReferenceCase, 'curve'>[];
}

function weekdayTimes(count: number, start: string): Float64Array {
  const times = new Float64Array(count);
  let time = Date.parse(`${start}T00:00:00Z`);
  for (let i = 0; i < count; time += DAY_MS) {
    const weekday = new Date(time).getUTCDay();
    if (weekday !== 0 && weekday !== 6) times[i++] = time;
  }
  return times;
}

function buildCurve(
  file: string,
  timing: ReferenceCase['timing'],
  document: ReferenceDocument,
): ReferenceCase['curve'] {
  const rows = readFileSync(join(FIXTURES, file), 'utf8').trim().split('\n').slice(1);
  const closes = rows.map((row) => Number(row.split(',')[4]));
  const times =
    timing === 'weekdays'
      ? weekdayTimes(rows.length, document.weekdayStart)
      : Float64Array.from(rows, (row) => Number(row.split(',')[0]));
  // The same two operations as the Python script, so both sides hold bit-identical values.
  const units = document.initialEquity / closes[0]!;
  return { times, values: Float64Array.from(closes, (close) => close * units) };
}

/** Returns the CAGR options that state a case's year, as the reference counted it. */
export function yearOf(expected: ReferenceExpected) {
  return expected.yearBasis === 'periods'
    ? { yearBasis: 'periods' as const, periodsPerYear: expected.periodsPerYear }
    : { yearBasis: 'calendar' as const, yearLengthDays: expected.yearLengthDays ?? undefined };
}

/** Returns every reference case with its equity curve rebuilt from the CSV. */
export function loadReferenceCases(): ReferenceCase[] {
  const document = JSON.parse(
    readFileSync(join(FIXTURES, 'analytics-reference.json'), 'utf8'),
  ) as ReferenceDocument;
  return document.cases.map((c) => ({ ...c, curve: buildCurve(c.file, c.timing, document) }));
}

function isClose(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.abs(expected);
}

/**
 * Asserts that `actual` is within the relative tolerance of `expected` (exactly equal when the
 * reference is 0), or that both are null.
 */
export function expectClose(actual: number | null, expected: number | null, label = 'value'): void {
  if (expected === null || actual === null) {
    expect(actual, label).toBe(expected);
    return;
  }
  if (!isClose(actual, expected)) {
    expect.fail(
      `${label}: ${actual} differs from the reference ${expected} by more than 1e-9 relative`,
    );
  }
}

/** Asserts that every element of `actual` is close to `expected` (see {@link expectClose}). */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: readonly number[],
  label: string,
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!isClose(actual[i]!, expected[i]!)) expectClose(actual[i]!, expected[i]!, `${label}[${i}]`);
  }
}

/** Asserts that a period table has the reference's starts and returns close to the reference's. */
export function expectPeriodsClose(
  actual: readonly PeriodReturn[],
  expected: readonly PeriodReturn[],
  label: string,
): void {
  expect(
    actual.map((p) => p.start),
    `${label} starts`,
  ).toEqual(expected.map((p) => p.start));
  expectAllClose(
    actual.map((p) => p.return),
    expected.map((p) => p.return),
    label,
  );
}

/** Runs `run` and returns the ValidationError it throws; fails the test when it throws nothing else. */
export function catchValidationError(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  return expect.fail('expected a ValidationError, but nothing was thrown');
}
