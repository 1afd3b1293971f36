import { Decimal } from '@qtp/core';
import { BINANCE_DECIMAL_PATTERN } from '../binance-protocol/decimal-text.js';
import { BinanceRequestError, requestError } from './request-error.js';

/**
 * The parameters of one request, by name, with what the handler read: Binance answers `-1104`
 * when a request carries parameters the endpoint never reads.
 */
export class RequestParams {
  private readonly read = new Set<string>();

  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Builds params from a plain record (WebSocket API params, already typed as JSON). */
  static fromRecord(record: Readonly<Record<string, string | number | boolean>>): RequestParams {
    const values = new Map<string, string>();
    for (const [name, value] of Object.entries(record)) values.set(name, String(value));
    return new RequestParams(values);
  }

  /** Marks names as read without using them (signature fields). */
  consume(...names: readonly string[]): void {
    for (const name of names) this.read.add(name);
  }

  /** The raw text of a parameter without marking it read (for weights that depend on it). */
  peek(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The raw text of an optional parameter; `-1105` when sent empty. */
  optional(name: string): string | undefined {
    this.read.add(name);
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (value === '') throw requestError(-1105, name);
    return value;
  }

  /** The raw text of a mandatory parameter; `-1102` when missing or empty. */
  required(name: string): string {
    this.read.add(name);
    const value = this.values.get(name);
    if (value === undefined || value === '') throw requestError(-1102, name);
    return value;
  }

  /** A decimal parameter checked against Binance's syntax (`-1100`). */
  decimal(name: string, mandatory: true): Decimal;
  decimal(name: string, mandatory?: false): Decimal | undefined;
  decimal(name: string, mandatory = false): Decimal | undefined {
    const text = mandatory ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    if (!BINANCE_DECIMAL_PATTERN.test(text)) {
      throw requestError(-1100, name, '^([0-9]{1,20})(\\.[0-9]{1,20})?$');
    }
    return new Decimal(text);
  }

  /** An integer parameter (`-1100` unless `^[0-9]{1,20}$`, `-1108` past 2^53). */
  integer(name: string, mandatory: true): number;
  integer(name: string, mandatory?: false): number | undefined;
  integer(name: string, mandatory = false): number | undefined {
    const text = mandatory ? this.required(name) : this.optional(name);
    if (text === undefined) return undefined;
    if (!/^-?[0-9]{1,20}$/.test(text)) throw requestError(-1100, name, '^[0-9]{1,20}$');
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw requestError(-1108, name);
    return value;
  }

  /** A boolean parameter, `true` or `false`. */
  boolean(name: string): boolean | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw requestError(-1130, name);
    return text === 'true';
  }

  /** A JSON array of strings, such as `symbols=["BTCUSDT","ETHUSDT"]`. */
  stringArray(name: string): string[] | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
    } catch {
      // falls through to the Binance error below
    }
    throw requestError(-1100, name, '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$');
  }

  /** `-1104` when the request carried a parameter no one read. */
  assertAllRead(): void {
    const unread = [...this.values.keys()].filter((name) => !this.read.has(name));
    if (unread.length > 0) {
      throw requestError(-1104, this.values.size - unread.length, this.values.size);
    }
  }

  /** Every name sent. */
  names(): string[] {
    return [...this.values.keys()];
  }
}

/** Splits a raw query or form body into pairs, decoding `+` and percent escapes. */
export function parsePairs(raw: string): [string, string][] {
  if (raw === '') return [];
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      pairs.push([decode(name), decode(value)]);
    } catch {
      throw new BinanceRequestError(-1100, `Illegal characters found in parameter '${name}'.`);
    }
  }
  return pairs;
}

const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

/**
 * Merges query and body parameters; the query wins a name both carry, and a name repeated
 * within one part is `-1101`.
 */
export function mergeParams(
  query: readonly [string, string][],
  body: readonly [string, string][],
): Map<string, string> {
  const merged = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of query) {
    if (seen.has(name))
      throw new BinanceRequestError(-1101, `Duplicate values for a parameter detected.`);
    seen.add(name);
    merged.set(name, value);
  }
  const bodySeen = new Set<string>();
  for (const [name, value] of body) {
    if (bodySeen.has(name))
      throw new BinanceRequestError(-1101, `Duplicate values for a parameter detected.`);
    bodySeen.add(name);
    if (!merged.has(name)) merged.set(name, value);
  }
  return merged;
}

/** Removes the `signature=...` pair (and its `&`) from a raw query or body. */
export function stripSignature(raw: string): { payload: string; signature: string | undefined } {
  const parts = raw.split('&');
  let signature: string | undefined;
  const kept: string[] = [];
  for (const part of parts) {
    if (part.startsWith('signature=')) signature = part.slice('signature='.length);
    else kept.push(part);
  }
  return { payload: kept.join('&'), signature };
}
