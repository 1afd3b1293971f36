// The same text the config module prints in place of a secret.
const REDACTED = '[REDACTED]';

/** Options of {@link redactSecrets}. */
export interface RedactSecretsOptions {
  /**
   * More key names to treat as secret, matched like the built-in ones: case-insensitive, ignoring
   * `-` and `_`, and also as the end of a longer key (`clientSecret`, `accessToken`).
   */
  keys?: readonly string[];
  /** How deep to walk nested values before cutting them off (default 12). */
  maxDepth?: number;
}

// Normalized (lower case, no "-" or "_"), so `api_key`, `API-KEY` and `apiKey` are one name.
const BUILT_IN_KEYS = [
  'apikey',
  'apisecret',
  'secret',
  'signature',
  'password',
  'token',
  'listenkey',
  'authorization',
  'xmbxapikey',
  // The config module's default secret keys, so both redact the same names.
  'passphrase',
  'privatekey',
  'secretkey',
  'accesskey',
  'cookie',
  // Venue signing headers: OK-ACCESS-SIGN, CB-ACCESS-SIGN, API-Sign (Kraken), X-BAPI-SIGN (Bybit).
  'accesssign',
  'apisign',
];

// Names so short or common that only the whole key counts: `key` and `sig` redact, `monkey` does not.
const EXACT_KEYS = ['key', 'sig', 'sign'];

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Matcher {
  readonly keys: readonly string[];
  readonly quoted: RegExp;
  readonly bare: RegExp;
}

function buildMatcher(extraKeys: readonly string[]): Matcher {
  const keys = [...BUILT_IN_KEYS, ...extraKeys.map(normalizeKey).filter((key) => key !== '')];
  // In free text a key may be written with "-" or "_" between any two letters (`X-MBX-APIKEY`,
  // `api_key`) and may end a longer word (`accessToken`), so each key becomes a loose pattern.
  const names = keys
    .map((key) => [...key].map(escapeForPattern).join('[-_]?'))
    .sort((a, b) => b.length - a.length)
    .join('|');
  const exact = EXACT_KEYS.join('|');
  const key = `((?<![A-Za-z0-9])[A-Za-z0-9_-]*?(?:${names})|(?<![A-Za-z0-9_-])(?:${exact}))`;
  // The separator tolerates the quotes of JSON (`"apiKey":`), escaped quotes of JSON inside
  // JSON (`\"apiKey\":`), query strings (`apiKey=`) and headers (`Authorization: `).
  const separator = String.raw`(\\?["']?\s*[=:]\s*)`;
  return {
    keys,
    // A quoted value runs to its closing quote, skipping escaped characters.
    quoted: new RegExp(String.raw`${key}${separator}(\\?)(["'])(?:\\.|[^\\])*?\3\4`, 'gi'),
    // A bare value runs to the next delimiter of a query string, a header list or JSON.
    bare: new RegExp(
      String.raw`${key}${separator}(?!\\?["'\s]|(?:(?:bearer|basic)\s+)?\[REDACTED\])((?:bearer|basic)\s+)?[^\s"'&,;#}\]\\]+`,
      'gi',
    ),
  };
}

const DEFAULT_MATCHER = buildMatcher([]);

function isSecretKey(key: string, matcher: Matcher): boolean {
  const normalized = normalizeKey(key);
  if (EXACT_KEYS.includes(normalized)) return true;
  return matcher.keys.some((secret) => normalized.endsWith(secret));
}

function redactText(text: string, matcher: Matcher): string {
  return text
    .replace(
      matcher.quoted,
      (_all, name: string, separator: string, backslash: string, quote: string) => {
        return `${name}${separator}${backslash}${quote}${REDACTED}${backslash}${quote}`;
      },
    )
    .replace(matcher.bare, (_all, name: string, separator: string, scheme: string | undefined) => {
      return `${name}${separator}${scheme ?? ''}${REDACTED}`;
    });
}

function errorToObject(error: Error): Record<string, unknown> {
  const plain: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack !== undefined) plain.stack = error.stack;
  // Own properties carry what a subclass or an HTTP client added: code, details, request config.
  for (const key of Object.keys(error)) {
    if (!(key in plain)) plain[key] = (error as unknown as Record<string, unknown>)[key];
  }
  if (error.cause !== undefined) plain.cause = error.cause;
  return plain;
}

function walk(
  value: unknown,
  matcher: Matcher,
  depth: number,
  maxDepth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return redactText(value, matcher);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= maxDepth) return '[Truncated]';
  seen.add(value);
  try {
    const next = (child: unknown): unknown => walk(child, matcher, depth + 1, maxDepth, seen);
    if (value instanceof Error) return walkObject(errorToObject(value), matcher, next);
    if (value instanceof URLSearchParams) return redactText(value.toString(), matcher);
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (value instanceof Map) return walkObject(Object.fromEntries(value), matcher, next);
    if (value instanceof Set) return [...value].map(next);
    if (Array.isArray(value)) return value.map(next);
    if (typeof Headers !== 'undefined' && value instanceof Headers) {
      return walkObject(Object.fromEntries(value.entries()), matcher, next);
    }
    // Dates, URLs and Decimals say how they want to be written; a URL's query is then redacted.
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return next(toJson.call(value));
    return walkObject(value as Record<string, unknown>, matcher, next);
  } finally {
    seen.delete(value);
  }
}

function walkObject(
  source: Record<string, unknown>,
  matcher: Matcher,
  next: (child: unknown) => unknown,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(source)) {
    copy[key] =
      isSecretKey(key, matcher) && child !== undefined && child !== null ? REDACTED : next(child);
  }
  return copy;
}

/**
 * Returns a copy of `value` with every secret replaced by `[REDACTED]`; the input is not changed.
 *
 * A value is secret when its key names a secret (`apiKey`, `apiSecret`, `secret`, `secretKey`,
 * `accessKey`, `signature`, `password`, `token`, `listenKey`, `authorization`, `cookie`,
 * `X-MBX-APIKEY`, `OK-ACCESS-KEY`, `OK-ACCESS-SIGN`, `CB-ACCESS-SIGN`, `API-Sign`,
 * `X-BAPI-SIGN`, `passphrase`, `privateKey`, case-insensitive, ignoring `-` and `_`, also at the
 * end of a longer key such as `accessToken`; `key`, `sig` and `sign` only as the whole key), at
 * any depth, in plain objects, Maps and `Headers`. A value already `[REDACTED]` keeps one mark.
 * Errors become
 * plain objects (name, message, stack, own fields such as `code` and `details`, and the `cause`
 * chain), redacted the same way. In every string, `key=value` pairs of query strings and forms,
 * `"key":"value"` pairs of embedded JSON and `Key: value` headers have their values redacted, so
 * `https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=abc` keeps its shape and loses
 * only `abc`. Cycles become `[Circular]`; values nested deeper than `maxDepth` become
 * `[Truncated]`.
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@qtp/core';
 * redactSecrets({ apiKey: 'k', url: 'https://x.test/order?signature=abc&timestamp=1' });
 * // { apiKey: '[REDACTED]', url: 'https://x.test/order?signature=[REDACTED]&timestamp=1' }
 * ```
 */
export function redactSecrets(value: unknown, options: RedactSecretsOptions = {}): unknown {
  const matcher =
    options.keys === undefined || options.keys.length === 0
      ? DEFAULT_MATCHER
      : buildMatcher(options.keys);
  return walk(value, matcher, 0, options.maxDepth ?? 12, new WeakSet());
}

/**
 * Returns `text` with the values of secret `key=value`, `"key":"value"` and `Key: value` pairs
 * replaced by `[REDACTED]`, as {@link redactSecrets} does for every string it meets.
 *
 * @example
 * ```ts
 * import { redactSecretsInText } from '@qtp/core';
 * redactSecretsInText('GET /api/v3/account?timestamp=1&signature=abc'); // '...&signature=[REDACTED]'
 * ```
 */
export function redactSecretsInText(
  text: string,
  options: Pick<RedactSecretsOptions, 'keys'> = {},
): string {
  const matcher =
    options.keys === undefined || options.keys.length === 0
      ? DEFAULT_MATCHER
      : buildMatcher(options.keys);
  return redactText(text, matcher);
}
