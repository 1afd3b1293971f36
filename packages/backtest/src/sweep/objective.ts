import { ValidationError } from '@qtp/core';
import type { PerformanceReport } from '@qtp/portfolio';
import type { BacktestResult } from '../run-backtest.js';

/** A metric of the `PerformanceReport` a sweep can rank runs by, higher being better. */
export type SweepObjectiveName = 'sharpe' | 'sortino' | 'calmar' | 'totalReturn' | 'cagr';

/**
 * How a sweep or a walk-forward ranks runs, higher being better: a metric by name, or a
 * function of a run's performance report (and its whole result). A metric that is `null` or a
 * score that is `NaN` ranks last.
 */
export type SweepObjective =
  | SweepObjectiveName
  | ((performance: PerformanceReport, result: BacktestResult) => number);

const METRICS: Readonly<Record<SweepObjectiveName, (report: PerformanceReport) => number | null>> =
  {
    sharpe: (report) => report.sharpeRatio,
    sortino: (report) => report.sortinoRatio,
    calmar: (report) => report.calmarRatio,
    totalReturn: (report) => report.totalReturn,
    cagr: (report) => report.cagr,
  };

/**
 * Returns the scoring function of an objective.
 * @throws ValidationError naming `objective` for an unknown name
 */
export function scorerOf(objective: SweepObjective): (result: BacktestResult) => number {
  if (typeof objective === 'function') {
    return (result) => finite(objective(result.performance, result));
  }
  const metric = METRICS[objective];
  if (metric === undefined) {
    throw new ValidationError(
      'objective',
      `be one of ${Object.keys(METRICS).join(', ')}`,
      objective,
    );
  }
  return (result) => finite(metric(result.performance));
}

// A run whose score cannot be defined (no trades, a flat curve) must never win the ranking.
function finite(score: number | null): number {
  return typeof score === 'number' && !Number.isNaN(score) ? score : Number.NEGATIVE_INFINITY;
}

/** Returns the objective's name as the CLI and reports show it. */
export function objectiveLabel(objective: SweepObjective): string {
  return typeof objective === 'function' ? 'custom' : objective;
}
