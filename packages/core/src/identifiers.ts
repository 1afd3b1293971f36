import { ValidationError } from './errors.js';

/**
 * An instrument's identity, written `SYMBOL.VENUE`, for example `BTCUSDT.BINANCE`.
 *
 * A branded string, so it can key a `Map` and travel in JSON as it is, while the type system
 * keeps plain strings out. Build one with {@link instrumentId} or {@link parseInstrumentId}.
 */
export type InstrumentId = string & { readonly __brand: 'InstrumentId' };

/** A client order id: 1 to 36 characters of `A-Z a-z 0-9 - _`, the rule Binance enforces. */
export type ClientOrderId = string;

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9_/-]*$/;
const VENUE = /^[A-Z0-9][A-Z0-9_]*$/;
const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,36}$/;

/**
 * Returns the {@link InstrumentId} for a symbol on a venue.
 * @throws {@link ValidationError} when the symbol or the venue is malformed
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * const id = instrumentId('BTCUSDT', 'BINANCE'); // 'BTCUSDT.BINANCE'
 * ```
 */
export function instrumentId(symbol: string, venue: string): InstrumentId {
  if (!SYMBOL.test(symbol)) {
    throw new ValidationError(
      'symbol',
      'be letters, digits, "_", "-" or "/", starting with a letter or digit',
      symbol,
    );
  }
  if (!VENUE.test(venue)) {
    throw new ValidationError('venue', 'be upper-case letters, digits or "_"', venue);
  }
  return `${symbol}.${venue}` as InstrumentId;
}

/**
 * Parses `SYMBOL.VENUE` into an {@link InstrumentId}; the venue is the part after the last dot.
 * @throws {@link ValidationError} naming `instrumentId` when the text is malformed
 * @example
 * ```ts
 * import { parseInstrumentId } from '@qtp/core';
 * parseInstrumentId('ETHUSDT.BINANCE');
 * ```
 */
export function parseInstrumentId(text: string): InstrumentId {
  if (typeof text !== 'string')
    throw new ValidationError('instrumentId', 'be a string SYMBOL.VENUE', text);
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) {
    throw new ValidationError('instrumentId', 'be written SYMBOL.VENUE', text);
  }
  const symbol = text.slice(0, dot);
  const venue = text.slice(dot + 1);
  if (!SYMBOL.test(symbol) || !VENUE.test(venue)) {
    throw new ValidationError('instrumentId', 'be written SYMBOL.VENUE', text);
  }
  return text as InstrumentId;
}

/** Returns the symbol part of an {@link InstrumentId} (`BTCUSDT` for `BTCUSDT.BINANCE`). */
export function symbolOf(id: InstrumentId): string {
  return id.slice(0, id.lastIndexOf('.'));
}

/** Returns the venue part of an {@link InstrumentId} (`BINANCE` for `BTCUSDT.BINANCE`). */
export function venueOf(id: InstrumentId): string {
  return id.slice(id.lastIndexOf('.') + 1);
}

/** Returns true when `value` satisfies the client order id rule (1 to 36 of `A-Z a-z 0-9 - _`). */
export function isClientOrderId(value: unknown): value is ClientOrderId {
  return typeof value === 'string' && CLIENT_ORDER_ID.test(value);
}

/**
 * Returns `value` as a {@link ClientOrderId}.
 * @throws {@link ValidationError} naming `clientOrderId` when it breaks the rule
 */
export function toClientOrderId(value: string): ClientOrderId {
  if (!isClientOrderId(value)) {
    throw new ValidationError('clientOrderId', 'be 1 to 36 characters of A-Z a-z 0-9 - _', value);
  }
  return value;
}

/**
 * A deterministic pseudo-random source (SplitMix32 steps over a 32-bit state). The same seed
 * always gives the same sequence, which keeps backtests and simulations reproducible.
 *
 * @example
 * ```ts
 * import { SeededRandom } from '@qtp/core';
 * const random = new SeededRandom(42);
 * random.next(); // a number in [0, 1), the same on every run
 * ```
 */
export class SeededRandom {
  private state: number;

  /** Creates a source from an integer seed (taken modulo 2^32). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValidationError('seed', 'be a finite number', seed);
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Returns the next number in `[0, 1)`. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns the next integer in `[0, maxExclusive)`. */
  nextInt(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
}

/** Generates ids; inject one so tests and backtests can make ids reproducible. */
export interface IdGenerator {
  /** Returns a new id, 1 to 36 characters of `A-Z a-z 0-9 - _`, starting with `prefix` when given. */
  next(prefix?: string): string;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Options of {@link SeededIdGenerator}. */
export interface SeededIdGeneratorOptions {
  /** The seed; the same seed yields the same ids in the same order. */
  seed: number;
  /** Prefix of every id (default `qtp`). */
  prefix?: string;
}

/**
 * An {@link IdGenerator} that is deterministic under a seed: ids look like `qtp-k3Jx9aQ2-1`, a
 * seeded random part followed by a counter, so they are unique within a run and reproducible
 * across runs. Ids satisfy the client order id rule.
 *
 * @example
 * ```ts
 * import { SeededIdGenerator } from '@qtp/core';
 * const ids = new SeededIdGenerator({ seed: 7 });
 * ids.next(); // the same value on every run with seed 7
 * ```
 */
export class SeededIdGenerator implements IdGenerator {
  private readonly random: SeededRandom;
  private readonly prefix: string;
  private counter = 0;

  /** Creates a generator from a seed and an optional prefix. */
  constructor(options: SeededIdGeneratorOptions) {
    this.random = new SeededRandom(options.seed);
    this.prefix = options.prefix ?? 'qtp';
    if (!/^[A-Za-z0-9_-]{0,16}$/.test(this.prefix)) {
      throw new ValidationError('prefix', 'be 0 to 16 characters of A-Z a-z 0-9 - _', this.prefix);
    }
  }

  /** Returns the next id. */
  next(prefix?: string): string {
    const head = prefix ?? this.prefix;
    // The constructor checked its own prefix; one given here is checked each time.
    if (head !== this.prefix && !/^[A-Za-z0-9_-]{0,16}$/.test(head)) {
      throw new ValidationError('prefix', 'be 0 to 16 characters of A-Z a-z 0-9 - _', head);
    }
    let body = '';
    for (let i = 0; i < 8; i++) body += ALPHABET[this.random.nextInt(ALPHABET.length)];
    this.counter += 1;
    const id = head === '' ? `${body}-${this.counter}` : `${head}-${body}-${this.counter}`;
    // Made of checked characters only: just the length can break the rule, past 10^10 ids.
    return id.length <= 36 ? (id as ClientOrderId) : toClientOrderId(id);
  }
}

/**
 * An {@link IdGenerator} backed by `crypto.getRandomValues`, for live trading where ids must not
 * repeat across restarts.
 */
export class RandomIdGenerator implements IdGenerator {
  private readonly prefix: string;

  /** Creates a generator whose ids start with `prefix` (default `qtp`). */
  constructor(options: { prefix?: string } = {}) {
    this.prefix = options.prefix ?? 'qtp';
    if (!/^[A-Za-z0-9_-]{0,16}$/.test(this.prefix)) {
      throw new ValidationError('prefix', 'be 0 to 16 characters of A-Z a-z 0-9 - _', this.prefix);
    }
  }

  /** Returns a new id with 16 random characters. */
  next(prefix?: string): string {
    const head = prefix ?? this.prefix;
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    let body = '';
    for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
    return toClientOrderId(head === '' ? body : `${head}-${body}`);
  }
}
