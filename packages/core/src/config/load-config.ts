import { readFileSync } from 'node:fs';
import { ValidationError, type ValidationIssue } from '@qtp/core';
import type { z } from 'zod';
import { fromZodError } from '../zod-errors.js';
import { type EnvOptions, type EnvSource, readEnv } from './env.js';
import { isPlainObject } from './schema-walk.js';
import { DEFAULT_SECRET_KEYS, protectSecrets, SecretMatcher } from './secrets.js';

/** `T` with every field optional at every depth; arrays and dates are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[] | Date
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Options of {@link loadConfig}: the schema and the layers, lowest precedence first. */
export interface LoadConfigOptions<S extends z.ZodType> {
  /** The zod schema the merged config must satisfy; its output is the config. */
  schema: S;
  /** Values used when no other layer sets them (in addition to the schema's own `.default()`s). */
  defaults?: DeepPartial<z.input<S>>;
  /** A JSON file whose top level is an object; it overrides `defaults`. */
  file?: string;
  /** Environment variables; they override the file. */
  env?: EnvOptions;
  /** Explicit values, such as command-line flags; they override everything else. */
  overrides?: DeepPartial<z.input<S>>;
  /** Keys treated as secret at any depth (default {@link DEFAULT_SECRET_KEYS}). */
  secretKeys?: readonly string[];
}

/** The outcome of resolving the layers: the config, or the error listing every issue. */
export type ResolveConfigResult<T> =
  | { readonly ok: true; readonly config: T }
  | { readonly ok: false; readonly error: ValidationError };

function mergeInto(base: unknown, layer: unknown): unknown {
  if (layer === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(layer)) return layer;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(layer)) merged[key] = mergeInto(base[key], value);
  return merged;
}

function readJsonFile(file: string, issues: ValidationIssue[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    issues.push({ field: 'file', rule: `name a readable JSON file (${code})`, value: file });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the text around the fault, which may be a secret: leave it out.
    issues.push({ field: 'file', rule: 'contain valid JSON', value: file });
    return undefined;
  }
  if (!isPlainObject(parsed)) {
    issues.push({ field: 'file', rule: 'contain a JSON object at the top level', value: file });
    return undefined;
  }
  return parsed;
}

/**
 * Throws unless `options` is an object holding a zod schema and, when given, a file path string:
 * a mistake in the call itself, which no layer can fix.
 * @throws `ValidationError` naming `options`, `options.schema` or `options.file`
 */
export function checkConfigOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('options', 'be an object with a zod schema', options);
  }
  const { schema, file } = options as { schema?: unknown; file?: unknown };
  if (typeof (schema as { safeParse?: unknown } | undefined)?.safeParse !== 'function') {
    throw new ValidationError('options.schema', 'be a zod schema', schema);
  }
  if (file !== undefined && (typeof file !== 'string' || file === '')) {
    throw new ValidationError('options.file', 'be a non-empty file path', file);
  }
}

/**
 * Resolves the layers into a config without throwing for anything the layers hold; a malformed
 * `options` argument throws (see {@link checkConfigOptions}). {@link loadConfig} and
 * {@link ConfigWatcher} share it.
 */
export function resolveConfig<S extends z.ZodType>(
  options: LoadConfigOptions<S>,
  matcher?: SecretMatcher,
): ResolveConfigResult<z.output<S>> {
  checkConfigOptions(options);
  const secrets =
    matcher ?? new SecretMatcher(options.schema, options.secretKeys ?? DEFAULT_SECRET_KEYS);
  const issues: ValidationIssue[] = [];
  let merged: unknown = mergeInto({}, options.defaults);
  if (options.file !== undefined) merged = mergeInto(merged, readJsonFile(options.file, issues));
  if (options.env !== undefined) {
    const source: EnvSource = options.env.source ?? process.env;
    const layer = readEnv(options.schema, options.env, source);
    issues.push(...layer.issues);
    merged = mergeInto(merged, layer.value);
  }
  merged = mergeInto(merged, options.overrides);

  const parsed = options.schema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    const zodIssues = parsed.error.issues;
    fromZodError(parsed.error).issues.forEach((issue, i) => {
      const path = zodIssues[i]?.path ?? [];
      issues.push({ ...issue, value: secrets.redact(issue.value, path) });
    });
  }
  // The zod error is not kept as the cause: its issues hold the raw input, secrets included.
  if (issues.length > 0) return { ok: false, error: new ValidationError(issues) };
  return { ok: true, config: protectSecrets(parsed.data as z.output<S>, secrets) };
}

/**
 * Loads a config: `defaults` < JSON `file` < environment variables < `overrides`, each layer
 * merged deeply over the one before (arrays are replaced whole), then validated by `schema`.
 *
 * Environment variables start with the prefix and use `__` between levels:
 * `QTP_RISK__MAX_NOTIONAL=250000` sets `risk.maxNotional`. Each segment is matched against the
 * schema's keys by their SCREAMING_SNAKE spelling, and the text is converted to the field's type:
 * numbers, booleans (`true/false/1/0/yes/no/on/off`), arrays as JSON or comma lists, objects as
 * JSON.
 *
 * The result is deep-frozen. Secrets (fields marked with {@link secret} and keys such as `apiKey`
 * and `apiSecret`) read normally but print as `[REDACTED]` in `JSON.stringify`, `String()` and
 * `console.log`; spreading the config into a new object drops that protection.
 *
 * @throws `ValidationError` listing every issue at once (unreadable file, invalid JSON,
 * environment variables that name no field, every schema violation with its path); secret values
 * are shown as `[REDACTED]`
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { loadConfig } from '@qtp/core';
 *
 * const schema = z.object({
 *   venue: z.string().default('BINANCE'),
 *   risk: z.object({ maxNotional: z.number().positive(), killSwitch: z.boolean().default(false) }),
 *   binance: z.object({ apiKey: z.string(), apiSecret: z.string() }),
 * });
 * const config = loadConfig({
 *   schema,
 *   file: 'config.json',
 *   env: { prefix: 'QTP' }, // QTP_RISK__MAX_NOTIONAL=250000 sets risk.maxNotional
 * });
 * console.log(config.risk.maxNotional, JSON.stringify(config)); // apiKey prints as [REDACTED]
 * ```
 */
export function loadConfig<S extends z.ZodType>(options: LoadConfigOptions<S>): z.output<S> {
  const result = resolveConfig(options);
  if (!result.ok) throw result.error;
  return result.config;
}
