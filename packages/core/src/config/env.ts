import type { ValidationIssue } from '@qtp/core';
import * as z from 'zod';
import { itemOf, kindOf, literalValuesOf, optionsOf, shapeOf } from './schema-walk.js';

/** Where environment variables come from: `process.env` or any record like it. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Options of the environment layer of {@link loadConfig}. */
export interface EnvOptions {
  /** The prefix every variable starts with, such as `QTP`; a trailing `_` is optional. */
  prefix: string;
  /** The variables to read (default `process.env`). */
  source?: EnvSource;
  /**
   * Skips variables with the prefix that name no config field (default false: each one is
   * reported as an issue, so a typo such as `QTP_RISK__MAX_NOTINAL` does not pass unnoticed).
   */
  ignoreUnknown?: boolean;
}

/** The environment layer read from the variables: a partial config and the problems found. */
export interface EnvLayer {
  /** The values found, nested like the config. */
  readonly value: Record<string, unknown>;
  /** Variables that name no field or hold text the schema's type cannot take. */
  readonly issues: ValidationIssue[];
}

/** Returns `maxNotional` as `MAX_NOTIONAL`: an underscore before each capital and digit run. */
export function toScreamingSnake(key: string): string {
  return key
    .replace(/([a-z])([A-Z0-9])/g, '$1_$2')
    .replace(/([0-9])([A-Za-z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function squash(text: string): string {
  return text.replace(/_/g, '').toUpperCase();
}

// A segment matches the key whose SCREAMING_SNAKE spelling it is; failing that, the one key that
// is equal ignoring case and underscores (so `HTTP2_PORT` finds `http2Port` as well).
function matchKey(segment: string, keys: readonly string[]): string | undefined {
  const exact = keys.find((key) => toScreamingSnake(key) === segment);
  if (exact !== undefined) return exact;
  const loose = keys.filter((key) => squash(key) === squash(segment));
  return loose.length === 1 ? loose[0] : undefined;
}

function toCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Converts the text of one variable to what `schema` takes. Text that cannot be converted is
 * returned unchanged, so the schema reports it with the field's path and rule.
 */
export function coerceEnvValue(text: string, schema: z.core.$ZodType): unknown {
  const trimmed = text.trim();
  switch (kindOf(schema)) {
    case 'number': {
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value) ? value : text;
    }
    case 'bigint':
      return /^[+-]?\d+$/.test(trimmed) ? BigInt(trimmed) : text;
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (TRUE.has(lower)) return true;
      return FALSE.has(lower) ? false : text;
    }
    case 'null':
      return trimmed === 'null' ? null : text;
    case 'literal': {
      const hit = literalValuesOf(schema).find((literal) => String(literal) === trimmed);
      return hit === undefined ? text : hit;
    }
    case 'array': {
      if (trimmed.startsWith('[')) return parseJson(text);
      const item = itemOf(schema);
      if (trimmed === '') return [];
      return trimmed
        .split(',')
        .map((part) => part.trim())
        .map((part) => (item === undefined ? part : coerceEnvValue(part, item)));
    }
    case 'object':
    case 'record':
      return trimmed.startsWith('{') ? parseJson(text) : text;
    case 'union': {
      // The first option that converts the text to a value it accepts wins.
      for (const option of optionsOf(schema)) {
        const value = coerceEnvValue(text, option);
        if (value !== text && z.safeParse(option, value).success) return value;
      }
      return text;
    }
    default:
      return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const child: Record<string, unknown> = {};
      node[key] = child;
      node = child;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/**
 * Reads the variables that start with the prefix into a nested partial config.
 *
 * The name after the prefix is split on `__` into one segment per level. At each level the
 * segment is matched against the keys of the schema's object shape: first the key whose
 * SCREAMING_SNAKE spelling equals it (`MAX_NOTIONAL` is `maxNotional`, `API_KEY` is `apiKey`),
 * failing that the single key equal to it ignoring case and underscores. Below a record, where
 * the schema lists no keys, the segment is turned into camelCase. The value is then converted to
 * the field's type with {@link coerceEnvValue}.
 */
export function readEnv(schema: z.core.$ZodType, options: EnvOptions, source: EnvSource): EnvLayer {
  const prefix = options.prefix.endsWith('_') ? options.prefix : `${options.prefix}_`;
  const value: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(source).sort()) {
    const text = source[name];
    if (!name.startsWith(prefix) || text === undefined) continue;
    const segments = name.slice(prefix.length).split('__');
    const path: string[] = [];
    let node: z.core.$ZodType | undefined = schema;
    for (const segment of segments) {
      if (node === undefined || segment === '') {
        node = undefined;
        break;
      }
      const shape = shapeOf(node);
      if (shape !== undefined) {
        const key = matchKey(segment, Object.keys(shape));
        node = key === undefined ? undefined : shape[key];
        if (key !== undefined) path.push(key);
      } else if (kindOf(node) === 'record') {
        path.push(toCamel(segment));
        node = itemOf(node);
      } else {
        node = undefined;
      }
    }
    if (node === undefined) {
      if (!options.ignoreUnknown) {
        issues.push({ field: name, rule: 'name a config field', value: name });
      }
      continue;
    }
    setPath(value, path, coerceEnvValue(text, node));
  }
  return { value, issues };
}
