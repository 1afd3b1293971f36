import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type BarInterval, type InstrumentJson, isBarInterval } from '@qtp/core';
import { createStrategy, createStrategyRegistry, exampleStrategies } from '@qtp/strategy';
import { loadStrategyClass, type SweepValue } from '../sweep/job.js';
import type { SweepObjectiveName } from '../sweep/objective.js';
import { type BacktestSpec, type BarFileSource, moduleUrl } from '../sweep/spec.js';
import { assignments, typeParams } from './params.js';
import { UsageError } from './usage-error.js';

/** The commands of the CLI. */
export type Command = 'backtest' | 'sweep' | 'walk-forward';

const COMMANDS: readonly Command[] = ['backtest', 'sweep', 'walk-forward'];

/** Returns true when the word is one of the CLI's commands. */
export function isCommand(word: string | undefined): word is Command {
  return COMMANDS.includes(word as Command);
}

/** A command line, checked and turned into a backtest spec and the command's own settings. */
export interface ParsedCommand {
  readonly command: Command;
  readonly spec: BacktestSpec;
  readonly grid: Readonly<Record<string, SweepValue[]>>;
  readonly json?: string;
  readonly report?: string;
  readonly workers?: number;
  readonly objective: SweepObjectiveName;
  readonly top: number;
  readonly trainBars: number;
  readonly testBars: number;
  readonly stepBars?: number;
  readonly anchored: boolean;
}

/** What the command line asks for: help, or a command to run. */
export type CommandLine =
  | { readonly kind: 'help'; readonly command?: Command }
  | { readonly kind: 'run'; readonly parsed: ParsedCommand };

const COMMON = {
  data: { type: 'string', multiple: true },
  strategy: { type: 'string' },
  param: { type: 'string', multiple: true },
  interval: { type: 'string' },
  balance: { type: 'string', multiple: true },
  fee: { type: 'string' },
  tick: { type: 'string' },
  lot: { type: 'string' },
  venue: { type: 'string' },
  'volume-cap': { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const PARALLEL = {
  grid: { type: 'string', multiple: true },
  workers: { type: 'string' },
  objective: { type: 'string' },
} as const;

const OPTIONS = {
  backtest: COMMON,
  sweep: { ...COMMON, ...PARALLEL, top: { type: 'string' } },
  'walk-forward': {
    ...COMMON,
    ...PARALLEL,
    train: { type: 'string' },
    test: { type: 'string' },
    step: { type: 'string' },
    anchored: { type: 'boolean' },
  },
} as const;

type Values = Partial<Record<string, string | boolean | string[]>>;

const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
const OBJECTIVES: readonly SweepObjectiveName[] = [
  'sharpe',
  'sortino',
  'calmar',
  'totalReturn',
  'cagr',
];
// Quote assets recognised at the end of a symbol, longest first so USDT wins over USD.
const QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'BTC',
  'ETH',
  'BNB',
  'DAI',
  'EUR',
  'USD',
  'TRY',
  'GBP',
  'JPY',
  'BRL',
  'AUD',
];

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : [];
}

const NEGATIVE = /^-(\d+\.?\d*|\.\d+)$/;

function decimal(flag: string, value: string | undefined, fallback: string, rule: string): string {
  if (value === undefined) return fallback;
  if (NEGATIVE.test(value)) throw new UsageError(flag, `must not be negative, got "${value}"`);
  if (!DECIMAL.test(value)) throw new UsageError(flag, `expected ${rule}, got "${value}"`);
  return value;
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(flag, `expected an integer of ${min} or more, got "${value}"`);
  }
  return number;
}

function splitSymbol(symbol: string): { base: string; quote: string } | undefined {
  for (const quote of QUOTES) {
    if (symbol.length > quote.length && symbol.endsWith(quote)) {
      return { base: symbol.slice(0, -quote.length), quote };
    }
  }
  return undefined;
}

interface DataFile {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly path: string;
}

// Bar files start with `open_time,open,high,low,close,volume`; trade files with
// `time,trade_id,side,price,qty,quote_qty` (examples/data/README.md).
const BAR_COLUMNS = ['open', 'high', 'low', 'close'];
const TRADE_COLUMNS = ['price', 'qty'];

/** Returns the first line of a file, read without loading the whole file. */
function firstLine(path: string): string {
  const buffer = Buffer.alloc(4096);
  const handle = openSync(path, 'r');
  try {
    const length = readSync(handle, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(handle);
  }
}

/** Refuses a path that is no file, or a CSV file of trades where bars are expected. */
function checkBarFile(path: string): void {
  if (!existsSync(path)) throw new UsageError('--data', `no such file "${path}"`);
  if (!statSync(path).isFile()) throw new UsageError('--data', `"${path}" is not a file`);
  if (!/\.csv$/i.test(path)) return;
  const columns = firstLine(path)
    .toLowerCase()
    .split(',')
    .map((column) => column.trim());
  const isBars = BAR_COLUMNS.every((column) => columns.includes(column));
  if (!isBars && TRADE_COLUMNS.every((column) => columns.includes(column))) {
    throw new UsageError(
      '--data',
      `"${path}" holds trades (columns ${columns.join(', ')}); qtp reads bars, with the columns open_time, open, high, low, close, volume`,
    );
  }
}

/** Reads `--data [SYMBOL=|BASE/QUOTE=]FILE`. */
function dataFile(value: string): DataFile {
  const at = value.indexOf('=');
  const path = at < 0 ? value : value.slice(at + 1);
  if (path === '') throw new UsageError('--data', `expected a file after "=", got "${value}"`);
  checkBarFile(path);
  const named = at < 0 ? undefined : value.slice(0, at).toUpperCase();
  if (named?.includes('/')) {
    const [base, quote] = named.split('/');
    if (!base || !quote) {
      throw new UsageError('--data', `expected BASE/QUOTE=FILE, got "${value}"`);
    }
    return { symbol: `${base}${quote}`, base, quote, path };
  }
  const symbol = named ?? basename(path).split(/[-_.]/)[0]!.toUpperCase();
  const assets = splitSymbol(symbol);
  if (assets === undefined) {
    throw new UsageError(
      '--data',
      `cannot tell the base and quote assets of "${symbol}"; write --data BASE/QUOTE=${path}`,
    );
  }
  return { symbol, ...assets, path };
}

function balancesOf(values: Values, quote: string): Record<string, string> {
  const given = assignments('--balance', list(values, 'balance'));
  if (given.size === 0) return { [quote]: '10000' };
  const balances: Record<string, string> = {};
  for (const [asset, amount] of given) {
    if (NEGATIVE.test(amount)) {
      throw new UsageError(
        '--balance',
        `the amount must not be negative, got "${asset}=${amount}"`,
      );
    }
    if (!DECIMAL.test(amount)) {
      throw new UsageError(
        '--balance',
        `expected ASSET=AMOUNT with a decimal amount, got "${asset}=${amount}"`,
      );
    }
    balances[asset.toUpperCase()] = amount;
  }
  return balances;
}

function gridOf(values: Values): Map<string, string[]> {
  const grid = new Map<string, string[]>();
  for (const [name, joined] of assignments('--grid', list(values, 'grid'))) {
    const words = joined.split(',').map((word) => word.trim());
    if (words.some((word) => word === '')) {
      throw new UsageError(
        '--grid',
        `expected NAME=V1,V2,... without empty values, got "${name}=${joined}"`,
      );
    }
    grid.set(name, words);
  }
  return grid;
}

/** The names an object schema reads, or undefined when the schema is not an object's. */
function parameterNames(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape).sort() : undefined;
}

/** Refuses a `--param` or `--grid` name that the strategy does not read, listing those it does. */
function checkParameterNames(
  strategy: string,
  known: readonly string[],
  flag: string,
  names: Iterable<string>,
): void {
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(
        flag,
        `"${name}" is not a parameter of ${strategy}; its parameters are ${known.join(', ')}`,
      );
    }
  }
}

/** Returns how to build the strategy for trial parameters, and the spec's strategy fields. */
async function strategyOf(value: string): Promise<{
  fields: Partial<BacktestSpec>;
  build: (params: Record<string, unknown>) => void;
  parameters?: string[];
}> {
  const isPath = /[/\\]/.test(value) || /\.[cm]?[jt]s(#|$)/.test(value);
  if (!isPath) {
    const registry = createStrategyRegistry();
    if (!registry.has(value)) {
      const names = [...registry.keys()].sort().join(', ');
      throw new UsageError(
        '--strategy',
        `"${value}" is neither a strategy (${names}) nor a module path`,
      );
    }
    const entry = Object.hasOwn(exampleStrategies, value)
      ? exampleStrategies[value as keyof typeof exampleStrategies]
      : undefined;
    const parameters = parameterNames(entry?.schema);
    return {
      fields: { strategy: value },
      build: (params) => createStrategy(registry, value, { id: value, params }),
      ...(parameters === undefined ? {} : { parameters }),
    };
  }
  const hash = value.lastIndexOf('#');
  const path = hash < 0 ? value : value.slice(0, hash);
  const exportName = hash < 0 ? undefined : value.slice(hash + 1);
  if (!existsSync(path)) throw new UsageError('--strategy', `no such module file "${path}"`);
  const Class = await loadStrategyClass(moduleUrl(path), exportName);
  return {
    fields: {
      strategyModule: path,
      ...(exportName === undefined ? {} : { strategyExport: exportName }),
    },
    build: (params) => new Class({ id: 'strategy', params }),
  };
}

/**
 * Joins a flag that takes a value and a following negative number (`--fee -0.1`) into
 * `--fee=-0.1`, which node:util would otherwise read as a flag without its value; the value is
 * then refused for what it is.
 */
function joinNegativeValues(command: Command, args: readonly string[]): string[] {
  const options: Readonly<Record<string, { readonly type: string }>> = OPTIONS[command];
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const next = args[index + 1];
    const option = word.startsWith('--') ? options[word.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(`${word}=${next}`);
      index++;
    } else {
      joined.push(word);
    }
  }
  return joined;
}

function parseFlags(command: Command, args: readonly string[]): Values {
  try {
    return parseArgs({
      args: joinNegativeValues(command, args),
      options: OPTIONS[command],
      strict: true,
      allowPositionals: false,
    }).values as Values;
  } catch (error) {
    // node:util reports bad arguments as TypeErrors with a code; the message names the option.
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? command;
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(flag, `is not an option of qtp ${command}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(flag, 'needs a value');
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(command, `takes no bare arguments: ${message}`);
    }
    throw error;
  }
}

/**
 * Reads a command line into a backtest spec and the command's settings.
 * @throws UsageError naming the flag at fault
 * @throws ValidationError from loading a strategy module
 */
export async function parseCommandLine(args: readonly string[]): Promise<CommandLine> {
  const [first, ...rest] = args;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { kind: 'help' };
  }
  if (!isCommand(first)) {
    throw new UsageError('command', `expected one of ${COMMANDS.join(', ')}, got "${first}"`);
  }
  const command = first;
  const values = parseFlags(command, rest);
  if (values.help === true) return { kind: 'help', command };

  const files = list(values, 'data').map(dataFile);
  if (files.length === 0) throw new UsageError('--data', 'is required: give at least one bar file');
  const strategyFlag = text(values, 'strategy');
  if (strategyFlag === undefined) throw new UsageError('--strategy', 'is required');

  const venue = (text(values, 'venue') ?? 'BINANCE').toUpperCase();
  const fee = decimal('--fee', text(values, 'fee'), '0.001', 'a decimal rate such as 0.001');
  if (Number(fee) >= 1) throw new UsageError('--fee', `expected a rate below 1, got "${fee}"`);
  const tick = decimal('--tick', text(values, 'tick'), '0.00000001', 'a decimal such as 0.01');
  const lot = decimal('--lot', text(values, 'lot'), '0.00000001', 'a decimal such as 0.001');
  if (Number(tick) <= 0) throw new UsageError('--tick', `expected more than 0, got "${tick}"`);
  if (Number(lot) <= 0) throw new UsageError('--lot', `expected more than 0, got "${lot}"`);
  const interval = text(values, 'interval');
  if (interval !== undefined && !isBarInterval(interval)) {
    throw new UsageError(
      '--interval',
      `expected an interval such as 1m, 5m, 1h or 1d, got "${interval}"`,
    );
  }
  const instruments: InstrumentJson[] = [];
  const data: BarFileSource[] = [];
  for (const file of files) {
    const id = `${file.symbol}.${venue}`;
    if (!instruments.some((instrument) => instrument.id === id)) {
      instruments.push({
        id,
        symbol: file.symbol,
        venue,
        baseAsset: file.base,
        quoteAsset: file.quote,
        priceIncrement: tick,
        sizeIncrement: lot,
        makerFee: fee,
        takerFee: fee,
      });
    }
    data.push({
      path: file.path,
      instrumentId: id,
      ...(interval === undefined ? {} : { interval: interval as BarInterval }),
    });
  }

  const volumeCapText = text(values, 'volume-cap');
  let volumeCap: number | undefined;
  if (volumeCapText !== undefined) {
    volumeCap = volumeCapText === 'none' ? Number.POSITIVE_INFINITY : Number(volumeCapText);
    if (volumeCapText !== 'none' && (!DECIMAL.test(volumeCapText) || !(volumeCap > 0))) {
      throw new UsageError(
        '--volume-cap',
        `expected a share above 0 or none, got "${volumeCapText}"`,
      );
    }
  }
  const seed = integer('--seed', text(values, 'seed'), 0) ?? 0;
  const workers = integer('--workers', text(values, 'workers'), 1);
  const objective = (text(values, 'objective') ?? 'sharpe') as SweepObjectiveName;
  if (!OBJECTIVES.includes(objective)) {
    throw new UsageError(
      '--objective',
      `expected one of ${OBJECTIVES.join(', ')}, got "${objective}"`,
    );
  }

  const rawGrid = gridOf(values);
  if (command !== 'backtest' && rawGrid.size === 0) {
    throw new UsageError('--grid', 'is required: give at least one NAME=V1,V2,...');
  }
  let trainBars = 0;
  let testBars = 0;
  if (command === 'walk-forward') {
    trainBars = integer('--train', text(values, 'train'), 1) ?? 0;
    testBars = integer('--test', text(values, 'test'), 1) ?? 0;
    if (trainBars === 0)
      throw new UsageError('--train', 'is required: the bars of each training window');
    if (testBars === 0) throw new UsageError('--test', 'is required: the bars of each test window');
  }
  const stepBars = integer('--step', text(values, 'step'), 1);
  if (stepBars !== undefined && stepBars < testBars) {
    throw new UsageError('--step', `expected at least --test ${testBars}, got ${stepBars}`);
  }

  const rawParams = assignments('--param', list(values, 'param'));
  for (const name of rawGrid.keys()) {
    if (rawParams.has(name)) throw new UsageError('--grid', `${name} is also given by --param`);
  }
  const strategy = await strategyOf(strategyFlag);
  if (strategy.parameters !== undefined) {
    checkParameterNames(strategyFlag, strategy.parameters, '--param', rawParams.keys());
    checkParameterNames(strategyFlag, strategy.parameters, '--grid', rawGrid.keys());
  }
  // The registry's strategies all trade one instrument, named by this parameter.
  const defaults: Record<string, unknown> =
    strategy.fields.strategy !== undefined &&
    !rawParams.has('instrumentId') &&
    !rawGrid.has('instrumentId')
      ? { instrumentId: instruments[0]!.id }
      : {};
  const typed = typeParams(strategy.build, defaults, rawParams, rawGrid);

  const spec: BacktestSpec = {
    instruments,
    data,
    ...strategy.fields,
    params: { ...defaults, ...typed.params },
    balances: balancesOf(values, instruments[0]!.quoteAsset),
    seed,
    ...(volumeCap === undefined ? {} : { fillModel: { volumeCap } }),
  };
  const json = text(values, 'json');
  const report = text(values, 'report');
  return {
    kind: 'run',
    parsed: {
      command,
      spec,
      grid: typed.grid,
      objective,
      top: integer('--top', text(values, 'top'), 1) ?? 10,
      trainBars,
      testBars,
      anchored: values.anchored === true,
      ...(json === undefined ? {} : { json }),
      ...(report === undefined ? {} : { report }),
      ...(workers === undefined ? {} : { workers }),
      ...(stepBars === undefined ? {} : { stepBars }),
    },
  };
}
