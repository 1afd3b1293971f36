import { accessSync, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BarInterval, type Instrument, type InstrumentJson, ValidationError } from '@qtp/core';
import type { BarFillModelOptions } from '@qtp/exchange';
import { createStrategyRegistry } from '@qtp/strategy';
import type { CsvBarColumns } from '../data/csv-bars.js';
import type { GapPolicy } from '../data/gaps.js';
import type { InvalidRowPolicy } from '../data/rows.js';

/**
 * A CSV file of bars that each sweep worker reads by itself, with `readCsvBars`. Only plain
 * data: it is copied to worker threads, so a loader callback such as `onGap` cannot be given.
 */
export interface BarFileSource {
  /** The file, absolute or relative to the working directory. */
  readonly path: string;
  /** The instrument the file describes, `SYMBOL.VENUE`; one of the spec's instruments. */
  readonly instrumentId: string;
  /** The bar interval, such as `5m` (default: inferred from the file). */
  readonly interval?: BarInterval;
  /** `leave` (default) or `fill` missing bars with flat ones. */
  readonly gaps?: GapPolicy;
  /** `throw` (default) at an invalid row, or `skip` it. */
  readonly onInvalidRow?: InvalidRowPolicy;
  /** Where the fields are, for files whose columns are named otherwise. */
  readonly columns?: Partial<CsvBarColumns>;
  /** Whether the first line names the columns (default true). */
  readonly header?: boolean;
  /** The field separator (default `,`). */
  readonly delimiter?: string;
  /** How the time column is written (default `ms`). */
  readonly time?: 'ms' | 's' | 'us' | 'iso';
}

/** Maker and taker rates that replace the instruments' own, as decimal strings. */
export interface BacktestFeeRates {
  /** The maker rate, `'0.001'` for 0.1 %. */
  readonly maker: string;
  /** The taker rate. */
  readonly taker: string;
}

/** A latency model as plain data: a fixed delay, or a seeded uniform one. */
export type BacktestLatency =
  | {
      /** The delay of an order placement, in milliseconds. */
      readonly submitMs: number;
      /** The delay of a cancel request, in milliseconds (default `submitMs`). */
      readonly cancelMs?: number;
    }
  | {
      /** The shortest delay, in milliseconds. */
      readonly minMs: number;
      /** The longest delay, in milliseconds. */
      readonly maxMs: number;
    };

/**
 * A backtest described by plain data only, so that it can be copied to worker threads: the
 * instruments, CSV files to read, a strategy named in the registry or exported by a module, its
 * parameters, balances and the simulation's models as options. Functions, class instances of
 * strategies and in-memory data cannot cross a thread boundary; a user strategy lives in a
 * module instead (`strategyModule`), which every worker imports.
 */
export interface BacktestSpec {
  /** The instruments traded: `Instrument`s, or their JSON form (`Instrument.toJSON()`). */
  readonly instruments: readonly (Instrument | InstrumentJson)[];
  /** The bar files, merged in time order when there are several. */
  readonly data: readonly BarFileSource[];
  /**
   * The name of a strategy of `createStrategyRegistry()` from `@qtp/strategy`, such as
   * `sma-crossover`. Give this or `strategyModule`.
   */
  readonly strategy?: string;
  /**
   * A module exporting a `Strategy` subclass: a path (relative to the working directory) or a
   * `file:` URL. Each worker imports it; a `.ts` module needs `tsx` installed.
   */
  readonly strategyModule?: string;
  /** The export of `strategyModule` to use (default: `default`, or its only Strategy class). */
  readonly strategyExport?: string;
  /** The strategy's id (default: the registry name or `strategy`). */
  readonly strategyId?: string;
  /** The parameters shared by every run; a run's own parameters override them. Plain data. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The starting balance of each asset as a decimal string, such as `{ USDT: '10000' }`. */
  readonly balances: Readonly<Record<string, string>>;
  /** The currency equity is reported in (default the first instrument's quote asset). */
  readonly reportingCurrency?: string;
  /** Options of the bar fill model (default `barFillModel()`: volume cap 1). */
  readonly fillModel?: BarFillModelOptions;
  /** Fee rates for every instrument (default each instrument's own rates). */
  readonly fees?: BacktestFeeRates;
  /** How long placements and cancels take (default none). */
  readonly latency?: BacktestLatency;
  /** Slippage of taker fills in basis points, a decimal string (default none). */
  readonly slippageBps?: string;
  /** The seed of every random draw and of the client order ids (default 0). */
  readonly seed?: number;
}

/** A {@link BacktestSpec} checked and made absolute, as it travels to the workers. */
export interface ResolvedSpec {
  readonly instruments: readonly InstrumentJson[];
  readonly data: readonly BarFileSource[];
  readonly strategy:
    | { readonly name: string }
    | { readonly url: string; readonly exportName?: string };
  readonly strategyId: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly balances: Readonly<Record<string, string>>;
  readonly reportingCurrency?: string;
  readonly fillModel?: BarFillModelOptions;
  readonly fees?: BacktestFeeRates;
  readonly latency?: BacktestLatency;
  readonly slippageBps?: string;
  readonly seed: number;
}

function toJson(instrument: Instrument | InstrumentJson): InstrumentJson {
  // An Instrument is a class instance; its JSON form is what survives a structured clone.
  return 'toJSON' in instrument && typeof instrument.toJSON === 'function'
    ? instrument.toJSON()
    : (instrument as InstrumentJson);
}

/** Returns a `file:` URL for a module given as a path relative to the working directory. */
export function moduleUrl(module: string): string {
  if (module.startsWith('file:')) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/**
 * Checks a spec and returns its plain, absolute form. With `strategy: 'built'` the caller builds
 * each run's strategy itself (walk-forward training), so the spec must name none.
 * @throws ValidationError naming the offending field
 */
export function resolveSpec(
  spec: BacktestSpec,
  strategy: 'named' | 'built' = 'named',
): ResolvedSpec {
  if (strategy === 'built') {
    if (spec.strategy !== undefined || spec.strategyModule !== undefined) {
      throw new ValidationError(
        'strategy',
        "be left out when training builds the strategy from each window's model",
        spec.strategy ?? spec.strategyModule,
      );
    }
  }
  if (spec.instruments.length === 0) {
    throw new ValidationError('instruments', 'list at least one instrument', spec.instruments);
  }
  const instruments = spec.instruments.map(toJson);
  const ids = new Set(instruments.map((instrument) => instrument.id));
  if (spec.data.length === 0) {
    throw new ValidationError('data', 'list at least one bar file', spec.data);
  }
  const data = spec.data.map((source, index) => {
    if (typeof source.path !== 'string' || source.path === '') {
      throw new ValidationError(`data[${index}].path`, 'be a file path', source.path);
    }
    if (!ids.has(source.instrumentId)) {
      const known = [...ids].join(', ');
      throw new ValidationError(
        `data[${index}].instrumentId`,
        `be one of the instruments (${known})`,
        source.instrumentId,
      );
    }
    const path = resolve(source.path);
    // Checked here so that a missing file fails the same way with or without workers.
    try {
      accessSync(path, constants.R_OK);
    } catch (error) {
      throw new ValidationError(`data[${index}].path`, 'be a readable file', source.path, {
        cause: error,
      });
    }
    return { ...source, path };
  });
  if (
    strategy === 'named' &&
    (spec.strategy === undefined) === (spec.strategyModule === undefined)
  ) {
    throw new ValidationError(
      'strategy',
      'be given as a registry name (strategy) or a module (strategyModule), not both or neither',
      spec.strategy ?? spec.strategyModule,
    );
  }
  if (spec.strategy !== undefined && !createStrategyRegistry().has(spec.strategy)) {
    const names = [...createStrategyRegistry().keys()].sort().join(', ');
    throw new ValidationError(
      'strategy',
      `be one of ${names}, or use strategyModule`,
      spec.strategy,
    );
  }
  const named =
    strategy === 'built'
      ? { name: '' }
      : spec.strategy !== undefined
        ? { name: spec.strategy }
        : {
            url: moduleUrl(spec.strategyModule!),
            ...(spec.strategyExport === undefined ? {} : { exportName: spec.strategyExport }),
          };
  const seed = spec.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValidationError('seed', 'be an integer', seed);
  return {
    instruments,
    data,
    strategy: named,
    strategyId: spec.strategyId ?? spec.strategy ?? 'strategy',
    params: spec.params ?? {},
    balances: spec.balances,
    seed,
    ...(spec.reportingCurrency === undefined ? {} : { reportingCurrency: spec.reportingCurrency }),
    ...(spec.fillModel === undefined ? {} : { fillModel: spec.fillModel }),
    ...(spec.fees === undefined ? {} : { fees: spec.fees }),
    ...(spec.latency === undefined ? {} : { latency: spec.latency }),
    ...(spec.slippageBps === undefined ? {} : { slippageBps: spec.slippageBps }),
  };
}
