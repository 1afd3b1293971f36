import {
  type Bar,
  type Instrument,
  isQtpError,
  parseInstrument,
  QtpError,
  type QtpErrorCode,
  ValidationError,
  type ValidationIssue,
} from '@qtp/core';
import {
  barFillModel,
  fixedBpsSlippage,
  fixedLatency,
  fixedRateFees,
  uniformLatency,
} from '@qtp/exchange';
import type { Strategy, StrategyOptions } from '@qtp/strategy';
import { readCsvBars } from '../data/csv-bars.js';
import { eventTimeOf, mergeByTime } from '../data/merge.js';
import { type BacktestResult, type RunBacktestOptions, runBacktest } from '../run-backtest.js';
import type { ResolvedSpec } from './spec.js';

/** A plain value a swept parameter takes. */
export type SweepValue = string | number | boolean | null;

/** One set of parameters of a sweep: parameter name to value. */
export type SweepParams = Readonly<Record<string, SweepValue>>;

/**
 * A backtest result as it crosses a thread or process boundary: the same plain data as
 * {@link BacktestResult}.
 *
 * @deprecated Use {@link BacktestResult}; results no longer carry a method, so the two are one type.
 */
export type PlainBacktestResult = BacktestResult;

/** Why one run of a sweep failed, as plain data. */
export interface SweepRunError {
  /** The error's class name, such as `ValidationError` or `TypeError`. */
  readonly name: string;
  /** The `QtpError` code, such as `VALIDATION`; `null` for an error from outside QTP. */
  readonly code: string | null;
  /** The error's message. */
  readonly message: string;
}

/** One backtest to run: parameters and, for walk-forward, an inclusive span of event times. */
export interface Job {
  readonly params: SweepParams;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** The walk-forward window the job belongs to, for a runner that trains per window. */
  readonly window?: number;
}

/** What one job gave: a result or the error of its run. */
export type JobOutcome =
  | { readonly ok: true; readonly result: PlainBacktestResult }
  | { readonly ok: false; readonly error: SweepRunError };

type StrategyClass = new (options: StrategyOptions) => Strategy<object>;

/** A thrown error as plain data that a structured clone keeps whole. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly issues?: readonly ValidationIssue[];
}

/** Returns an error as plain data, keeping a QtpError's code and a ValidationError's issues. */
export function errorData(error: unknown): ErrorData {
  if (isQtpError(error)) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      retryable: error.retryable,
      ...(isQtpError(error, 'VALIDATION') ? { issues: (error as ValidationError).issues } : {}),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Rebuilds a thrown error from its plain data, as close to the original as the data allows. */
export function errorFromData(data: ErrorData): Error {
  if (data.code === 'VALIDATION' && data.issues !== undefined && data.issues.length > 0) {
    return new ValidationError(data.issues);
  }
  if (data.code !== undefined) {
    return new QtpError(data.code as QtpErrorCode, data.message, data.retryable ?? false, {
      details: { name: data.name },
    });
  }
  return new QtpError('INTERNAL', `${data.name}: ${data.message}`, false);
}

function isStrategyClass(value: unknown): value is StrategyClass {
  // Duck-typed rather than `instanceof`, which fails when the module holds another copy of
  // @qtp/strategy (a build next to the sources, say).
  return (
    typeof value === 'function' &&
    typeof (value as { prototype?: { handle?: unknown } }).prototype?.handle === 'function'
  );
}

async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION') {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ValidationError(
        'strategyModule',
        `be a module that can be imported (${reason})`,
        url,
        {
          cause: error,
        },
      );
    }
  }
  // A TypeScript module run from a JavaScript build: tsx, when installed, compiles it.
  try {
    // A variable specifier keeps bundlers from pulling tsx into the build.
    const specifier = 'tsx/esm/api';
    const tsx = (await import(specifier)) as { register: () => unknown };
    tsx.register();
  } catch (error) {
    throw new ValidationError(
      'strategyModule',
      'be JavaScript, or TypeScript with the tsx package installed',
      url,
      { cause: error },
    );
  }
  // Node remembers the failed load of the URL itself, so the retry asks for it under another.
  return (await import(`${url}${url.includes('?') ? '&' : '?'}tsx`)) as Record<string, unknown>;
}

/**
 * Imports a strategy module and returns its Strategy class: `exportName`, else the default
 * export, else its only Strategy class.
 * @throws ValidationError naming `strategyModule` or `strategyExport`
 */
export async function loadStrategyClass(url: string, exportName?: string): Promise<StrategyClass> {
  const module = await importModule(url);
  if (exportName !== undefined) {
    const value = module[exportName];
    if (!isStrategyClass(value)) {
      throw new ValidationError(
        'strategyExport',
        `name a Strategy class exported by ${url}`,
        exportName,
      );
    }
    return value;
  }
  if (isStrategyClass(module.default)) return module.default;
  const classes = Object.entries(module).filter(([, value]) => isStrategyClass(value));
  if (classes.length !== 1) {
    const rule =
      classes.length === 0
        ? 'export a Strategy subclass'
        : `export one Strategy subclass, or be given strategyExport (one of ${classes.map(([name]) => name).join(', ')})`;
    throw new ValidationError('strategyModule', rule, url);
  }
  return classes[0]![1] as StrategyClass;
}

async function loadBars(spec: ResolvedSpec): Promise<Bar[]> {
  const streams = spec.data.map((source) =>
    readCsvBars(source.path, {
      instrumentId: source.instrumentId as Bar['instrumentId'],
      ...(source.interval === undefined ? {} : { interval: source.interval }),
      ...(source.gaps === undefined ? {} : { gaps: source.gaps }),
      ...(source.onInvalidRow === undefined ? {} : { onInvalidRow: source.onInvalidRow }),
      ...(source.columns === undefined ? {} : { columns: source.columns }),
      ...(source.header === undefined ? {} : { header: source.header }),
      ...(source.delimiter === undefined ? {} : { delimiter: source.delimiter }),
      ...(source.time === undefined ? {} : { time: source.time }),
    }),
  );
  const bars: Bar[] = [];
  for await (const bar of streams.length === 1 ? streams[0]! : mergeByTime(streams)) {
    bars.push(bar);
  }
  return bars;
}

/** Returns the index of the first bar whose event time is at least `timeMs`. */
function firstAtOrAfter(bars: readonly Bar[], timeMs: number): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (eventTimeOf(bars[middle]!) < timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** What the jobs of one spec share: its bars, instruments and strategy class, loaded once. */
export interface Prepared {
  readonly bars: readonly Bar[];
  readonly instruments: readonly Instrument[];
  readonly strategyClass: StrategyClass | undefined;
}

/**
 * Loads what every job of a spec needs, once per thread.
 * @throws ValidationError for a bad instrument, an unreadable bar file or strategy module
 */
export async function prepare(spec: ResolvedSpec): Promise<Prepared> {
  const instruments = spec.instruments.map((json, index) => {
    try {
      return parseInstrument(json);
    } catch (error) {
      if (!isQtpError(error, 'VALIDATION')) throw error;
      const issues = (error as ValidationError).issues.map((issue) => ({
        ...issue,
        field: `instruments[${index}].${issue.field}`,
      }));
      throw new ValidationError(issues, undefined, undefined, { cause: error });
    }
  });
  const strategyClass =
    'url' in spec.strategy
      ? await loadStrategyClass(spec.strategy.url, spec.strategy.exportName)
      : undefined;
  return { bars: await loadBars(spec), instruments, strategyClass };
}

/** Returns the distinct event times of the bars, in order: the timeline windows are cut from. */
export function timelineOf(bars: readonly Bar[]): number[] {
  const times: number[] = [];
  for (const bar of bars) {
    const time = eventTimeOf(bar);
    if (times.at(-1) !== time) times.push(time);
  }
  return times;
}

/** Builds one run's strategy from its merged parameters, in place of the spec's named one. */
export type StrategyBuilder = (
  id: string,
  params: Readonly<Record<string, unknown>>,
) => Strategy<object>;

function optionsOf(
  spec: ResolvedSpec,
  prepared: Prepared,
  job: Job,
  build?: StrategyBuilder,
): RunBacktestOptions {
  let data = prepared.bars;
  if (job.fromMs !== undefined && job.toMs !== undefined) {
    data = data.slice(firstAtOrAfter(data, job.fromMs), firstAtOrAfter(data, job.toMs + 1));
  }
  const params = { ...spec.params, ...job.params };
  const strategy =
    build !== undefined
      ? build(spec.strategyId, params)
      : prepared.strategyClass === undefined
        ? { name: (spec.strategy as { name: string }).name, id: spec.strategyId, params }
        : new prepared.strategyClass({ id: spec.strategyId, params });
  const latency = spec.latency;
  return {
    instruments: prepared.instruments,
    data,
    strategy,
    balances: spec.balances,
    seed: spec.seed,
    fillModel: barFillModel(spec.fillModel ?? {}),
    ...(spec.reportingCurrency === undefined ? {} : { reportingCurrency: spec.reportingCurrency }),
    ...(spec.fees === undefined ? {} : { feeModel: fixedRateFees(spec.fees) }),
    ...(latency === undefined
      ? {}
      : { latency: 'submitMs' in latency ? fixedLatency(latency) : uniformLatency(latency) }),
    ...(spec.slippageBps === undefined ? {} : { slippage: fixedBpsSlippage(spec.slippageBps) }),
  };
}

// Parameters are shown and compared as plain data; a Decimal would not survive a structured
// clone as a Decimal, so every value is reduced to its JSON form in both the serial and the
// threaded path alike.
function plainParameters(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    plain[key] =
      typeof value === 'object' && value !== null && 'toJSON' in value
        ? (value as { toJSON: () => unknown }).toJSON()
        : value;
  }
  return plain;
}

/**
 * Runs one job. A failure of the run itself (bad parameters, a strategy that threw) is returned
 * as the outcome, so one bad set of parameters does not stop a sweep.
 */
export async function runJob(
  spec: ResolvedSpec,
  prepared: Prepared,
  job: Job,
  build?: StrategyBuilder,
): Promise<JobOutcome> {
  try {
    const result = await runBacktest(optionsOf(spec, prepared, job, build));
    return {
      ok: true,
      result: {
        ...result,
        strategy: { ...result.strategy, parameters: plainParameters(result.strategy.parameters) },
      },
    };
  } catch (error) {
    const data = errorData(error);
    return {
      ok: false,
      error: { name: data.name, code: data.code ?? null, message: data.message },
    };
  }
}
