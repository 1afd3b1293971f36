import * as z from 'zod';
import {
  isPlainObject,
  itemOf,
  optionsOf,
  type PathSegment,
  shapeOf,
  unwrapChain,
} from './schema-walk.js';

/** The text printed in place of a secret value. */
export const REDACTED = '[REDACTED]';

/**
 * Keys treated as secret wherever they appear in a config, marked or not: `apiKey`, `apiSecret`,
 * `secret`, `secretKey`, `accessKey`, `password`, `passphrase`, `privateKey` and `token`.
 * Keys are matched case-insensitively, ignoring `-` and `_`, so `API_KEY` and `api-key` count.
 */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'apiKey',
  'apiSecret',
  'secret',
  'secretKey',
  'accessKey',
  'password',
  'passphrase',
  'privateKey',
  'token',
];

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Marks a schema as secret: its value never appears in the config's `toString`, JSON output,
 * `util.inspect` (and so `console.log`), change events or validation errors. The mark is zod
 * metadata (`.meta({ secret: true })`), so writing that by hand works too.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { secret } from '@qtp/core';
 * const schema = z.object({ webhookToken: secret(z.string().min(20)) });
 * ```
 */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ ...(schema.meta() ?? {}), secret: true });
}

/** Returns true when `schema`, or any wrapper around its core type, carries the secret mark. */
export function isSecretSchema(schema: z.core.$ZodType): boolean {
  return unwrapChain(schema).some((link) => z.globalRegistry.get(link)?.secret === true);
}

const ANY = Symbol('any');
type Pattern = readonly (string | typeof ANY)[];

/**
 * Decides which paths of a config hold secrets: the paths the schema marks with {@link secret},
 * everything below them, and every key named in the secret key list at any depth.
 */
export class SecretMatcher {
  private readonly patterns: Pattern[] = [];
  private readonly keys: ReadonlySet<string>;

  /** Collects the secret paths of `schema`. */
  constructor(schema: z.core.$ZodType, secretKeys: readonly string[] = DEFAULT_SECRET_KEYS) {
    this.keys = new Set(secretKeys.map(normalizeKey));
    this.collect(schema, [], 0);
  }

  /** Returns true when the value at `path` is a secret or lies inside one. */
  isSecret(path: readonly PropertyKey[]): boolean {
    for (const segment of path) {
      if (typeof segment === 'string' && this.keys.has(normalizeKey(segment))) return true;
    }
    return this.patterns.some(
      (pattern) =>
        pattern.length <= path.length &&
        pattern.every((segment, i) => segment === ANY || segment === String(path[i])),
    );
  }

  /** Returns a copy of `value`, found at `path`, with every secret inside replaced by {@link REDACTED}. */
  redact(value: unknown, path: readonly PropertyKey[] = []): unknown {
    if (value === undefined) return value;
    if (this.isSecret(path)) return REDACTED;
    if (Array.isArray(value)) return value.map((item, i) => this.redact(item, [...path, i]));
    if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value))
        copy[key] = this.redact(item, [...path, key]);
      return copy;
    }
    return value;
  }

  private collect(schema: z.core.$ZodType, prefix: Pattern, depth: number): void {
    // Recursive (lazy) schemas would recurse forever; config schemas are nowhere near this deep.
    if (depth > 16) return;
    if (isSecretSchema(schema)) {
      this.patterns.push(prefix);
      return;
    }
    const shape = shapeOf(schema);
    if (shape !== undefined) {
      for (const [key, child] of Object.entries(shape)) {
        if (!this.keys.has(normalizeKey(key))) this.collect(child, [...prefix, key], depth + 1);
      }
      return;
    }
    const item = itemOf(schema);
    if (item !== undefined) this.collect(item, [...prefix, ANY], depth + 1);
    for (const option of optionsOf(schema)) this.collect(option, prefix, depth + 1);
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Returns a deep-frozen copy of `value` in which every plain object and array prints with its
 * secrets redacted: `JSON.stringify`, `String()`, template strings and `util.inspect` all see
 * {@link REDACTED}, while property access still returns the real value for the code that needs it.
 */
export function protectSecrets<T>(value: T, matcher: SecretMatcher, path: PathSegment[] = []): T {
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  const copy: Record<PropertyKey, unknown> | unknown[] = Array.isArray(value)
    ? value.map((item, i) => protectSecrets(item, matcher, [...path, i]))
    : Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          protectSecrets(item, matcher, [...path, key]),
        ]),
      );
  const redacted = (): unknown => matcher.redact(copy, path);
  // Non-enumerable, so equality checks, spreading and Object.keys see only the config's own fields.
  Object.defineProperties(copy, {
    toJSON: { value: redacted },
    toString: { value: () => JSON.stringify(redacted()) },
    [INSPECT]: { value: redacted },
  });
  return Object.freeze(copy) as T;
}
