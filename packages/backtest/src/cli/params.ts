import { isQtpError, type ValidationError } from '@qtp/core';
import type { SweepValue } from '../sweep/job.js';
import { UsageError } from './usage-error.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Returns `k=v` pairs as a map, refusing a pair without a name or `=`. */
export function assignments(flag: string, pairs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(flag, `expected NAME=VALUE, got "${pair}"`);
    const name = pair.slice(0, at).trim();
    if (map.has(name)) throw new UsageError(flag, `${name} is given twice`);
    map.set(name, pair.slice(at + 1));
  }
  return map;
}

/** Returns the value a command-line word stands for: a number, a boolean, `null`, or the text. */
export function typedValue(text: string): SweepValue {
  if (NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return text;
}

/** The parameters of a command line, typed: the fixed ones and the grid's. */
export interface TypedParams {
  readonly params: Record<string, SweepValue>;
  readonly grid: Record<string, SweepValue[]>;
}

/**
 * Types the words of `--param` and `--grid`. A word that looks like a number or a boolean
 * becomes one, unless the strategy's schema wants a string there: booked quantities are decimal
 * strings, so `quantity=100` must stay `"100"`. The schema is not reachable through the
 * registry, so the strategy is built once with trial parameters (`build`) and each name it
 * refuses with `must be a string` is kept as text.
 */
export function typeParams(
  build: (params: Record<string, unknown>) => void,
  defaults: Readonly<Record<string, unknown>>,
  raw: ReadonlyMap<string, string>,
  grid: ReadonlyMap<string, readonly string[]>,
): TypedParams {
  const asText = new Set<string>();
  const typed = (name: string, text: string): SweepValue =>
    asText.has(name) ? text : typedValue(text);
  const coerced = new Set(
    [...raw, ...[...grid].map(([name, values]) => [name, values[0]!] as const)]
      .filter(([, text]) => typedValue(text) !== text)
      .map(([name]) => name),
  );
  for (let attempt = 0; attempt <= coerced.size; attempt++) {
    const trial: Record<string, unknown> = { ...defaults };
    for (const [name, text] of raw) trial[name] = typed(name, text);
    for (const [name, values] of grid) trial[name] = typed(name, values[0]!);
    let refused: string[] = [];
    try {
      build(trial);
    } catch (error) {
      if (!isQtpError(error, 'VALIDATION')) throw error;
      refused = (error as ValidationError).issues
        .filter((issue) => issue.rule.startsWith('be a string'))
        .map((issue) => issue.field.replace(/^params\./, ''))
        .filter((name) => coerced.has(name) && !asText.has(name));
    }
    if (refused.length === 0) break;
    for (const name of refused) asText.add(name);
  }
  const params: Record<string, SweepValue> = {};
  for (const [name, text] of raw) params[name] = typed(name, text);
  const typedGrid: Record<string, SweepValue[]> = {};
  for (const [name, values] of grid) typedGrid[name] = values.map((text) => typed(name, text));
  return { params, grid: typedGrid };
}
