import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isQtpError } from '@qtp/core';
import { writeBacktestReport } from '../backtest-report.js';
import { writeTearsheet } from '../report/write-tearsheet.js';
import type { BacktestResult } from '../run-backtest.js';
import { runSweep } from '../sweep/run-sweep.js';
import { runWalkForward, type WalkForwardResult } from '../sweep/walk-forward.js';
import { isCommand, type ParsedCommand, parseCommandLine } from './args.js';
import { runBinanceServer } from './binance-server-command.js';
import { backtestSummary, paramsText, sweepSummary, walkForwardSummary } from './format.js';
import { helpText } from './help.js';
import { createProgressBar, type ProgressStream } from './progress-bar.js';
import { UsageError } from './usage-error.js';

/** Where the CLI writes: standard output for results, standard error for progress and errors. */
export interface CliStreams {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
}

/** A failed run, printed with its code like any other SDK error. */
class RunFailedError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'RunFailedError';
    this.code = code;
  }
}

// JSON has no typed arrays (the drawdown series is a Float64Array) and no Infinity.
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => (ArrayBuffer.isView(item) ? Array.from(item as Float64Array) : item),
    2,
  );
}

async function writeJson(path: string, value: unknown): Promise<string> {
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, `${toJson(value)}\n`);
  return absolute;
}

// The CLI makes the instruments up from its flags, so it says what it made.
function instrumentNotes(parsed: ParsedCommand): string[] {
  return parsed.spec.instruments.map((instrument) => {
    const json = 'toJSON' in instrument ? instrument.toJSON() : instrument;
    return `instrument ${json.id}: ${json.baseAsset}/${json.quoteAsset}, tick ${json.priceIncrement}, lot ${json.sizeIncrement}, maker fee ${json.makerFee ?? '0'}, taker fee ${json.takerFee ?? '0'}`;
  });
}

async function backtest(parsed: ParsedCommand, streams: CliStreams): Promise<void> {
  const sweep = await runSweep({ ...parsed.spec, grid: [{}], workers: 1 });
  const run = sweep.runs[0]!;
  if (!run.ok) throw new RunFailedError(run.error.code ?? run.error.name, run.error.message);
  streams.stdout.write(`${backtestSummary(run.result, instrumentNotes(parsed))}\n`);
  await writeOutputs(parsed, streams, run.result, run.result);
}

async function sweep(parsed: ParsedCommand, streams: CliStreams): Promise<void> {
  const result = await runSweep({
    ...parsed.spec,
    grid: parsed.grid,
    objective: parsed.objective,
    onProgress: createProgressBar({ stream: streams.stderr, label: 'sweep' }),
    ...(parsed.workers === undefined ? {} : { workers: parsed.workers }),
  });
  streams.stdout.write(`${sweepSummary(result, parsed.objective, parsed.top)}\n`);
  if (result.best !== null) {
    streams.stdout.write(`\nBest: ${paramsText(result.best.params)}\n`);
  }
  if (parsed.report !== undefined && result.best === null) {
    throw new RunFailedError('VALIDATION', 'no run finished, so there is no report to write');
  }
  await writeOutputs(parsed, streams, result, result.best?.result);
}

function walkForwardReport(analysis: WalkForwardResult, path: string): Promise<string> {
  const first = analysis.windows[0]!.outOfSample.result;
  const currency = first.reportingCurrency;
  const parameters: Record<string, string> = {};
  for (const window of analysis.windows) {
    parameters[`window ${window.index + 1}`] = paramsText(window.params);
  }
  return writeTearsheet(path, {
    title: `Walk-forward: ${first.strategy.name}, out of sample`,
    strategy: { name: first.strategy.name, parameters },
    instruments: first.instruments,
    currency,
    equity: analysis.outOfSample.equityCurve,
    performance: analysis.outOfSample.performance,
    trades: analysis.outOfSample.trades.map((trade) => ({
      instrument: trade.instrumentId,
      side: trade.side,
      entryTime: trade.entryTimeMs,
      exitTime: trade.exitTimeMs,
      quantity: trade.quantity,
      entryPrice: trade.entryPrice,
      exitPrice: trade.exitPrice,
      pnl: trade.currency === currency ? trade.pnl : String(trade.pnlInReportingCurrency),
      // Net of fees in the trade's own currency, so it holds when the P&L shown is converted.
      return: Number(trade.pnl) / (Number(trade.entryPrice) * Number(trade.quantity)),
    })),
    assumptions: [
      `walk-forward: ${analysis.windows.length} test windows of ${first.events} bars, each run with the parameters that scored best on the bars before it; equity chained across windows`,
      ...first.assumptions.lines,
    ],
  });
}

async function walkForward(parsed: ParsedCommand, streams: CliStreams): Promise<void> {
  const analysis = await runWalkForward({
    ...parsed.spec,
    grid: parsed.grid,
    objective: parsed.objective,
    trainBars: parsed.trainBars,
    testBars: parsed.testBars,
    anchored: parsed.anchored,
    onProgress: createProgressBar({ stream: streams.stderr, label: 'walk-forward' }),
    ...(parsed.workers === undefined ? {} : { workers: parsed.workers }),
    ...(parsed.stepBars === undefined ? {} : { stepBars: parsed.stepBars }),
  });
  streams.stdout.write(`${walkForwardSummary(analysis, parsed.objective)}\n`);
  if (parsed.json !== undefined) {
    streams.stdout.write(`\nJSON: ${await writeJson(parsed.json, analysis)}\n`);
  }
  if (parsed.report !== undefined) {
    streams.stdout.write(`Report: ${await walkForwardReport(analysis, parsed.report)}\n`);
  }
}

async function writeOutputs(
  parsed: ParsedCommand,
  streams: CliStreams,
  json: unknown,
  report: BacktestResult | undefined,
): Promise<void> {
  if (parsed.json !== undefined) {
    streams.stdout.write(`\nJSON: ${await writeJson(parsed.json, json)}\n`);
  }
  if (parsed.report !== undefined && report !== undefined) {
    streams.stdout.write(`Report: ${await writeBacktestReport(report, parsed.report)}\n`);
  }
}

/**
 * Runs the `qtp` command line and returns its exit code: 0 when done, 1 when the run failed
 * (the error is printed with its code), 2 for bad arguments (the message names the flag).
 */
export async function runCli(args: readonly string[], streams: CliStreams): Promise<number> {
  try {
    if (args[0] === 'binance-server') return await runBinanceServer(args.slice(1), streams);
    const line = await parseCommandLine(args);
    if (line.kind === 'help') {
      streams.stdout.write(`${helpText(line.command)}\n`);
      return 0;
    }
    const { parsed } = line;
    if (parsed.command === 'backtest') await backtest(parsed, streams);
    else if (parsed.command === 'sweep') await sweep(parsed, streams);
    else await walkForward(parsed, streams);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      const command = isCommand(args[0]) ? ` ${args[0]}` : '';
      streams.stderr.write(`qtp: ${error.message}\nRun 'qtp${command} --help' for usage.\n`);
      return 2;
    }
    if (isQtpError(error) || error instanceof RunFailedError) {
      streams.stderr.write(`qtp: error ${error.code}: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`qtp: ${message}\n`);
    return 1;
  }
}
