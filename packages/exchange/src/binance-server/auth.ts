import { createPublicKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { DecimalInput } from '@qtp/core';
import { BINANCE_ENGINE_MESSAGES } from '../binance-protocol/error-codes.js';
import { ed25519PublicKeyFromHex, signHmac, verifyEd25519 } from '../binance-protocol/signing.js';
import { BinanceRequestError } from './request-error.js';
import type { RequestParams } from './request-params.js';

/** One account the server serves, reached through one API key. */
export interface BinanceServerAccount {
  /** The API key clients send in `X-MBX-APIKEY` (any length; Binance's real keys are 64 characters). */
  apiKey: string;
  /** The HMAC-SHA256 secret of the key; give this or `ed25519PublicKey`. */
  secret?: string;
  /** The Ed25519 public key: 64 hex digits, a PEM (SPKI) text, or a `KeyObject`. */
  ed25519PublicKey?: string | KeyObject;
  /** The starting free balance of each asset, such as `{ USDT: '10000' }`. */
  balances?: Readonly<Record<string, DecimalInput>>;
  /** Whether the key may trade (default true); a key that may not gets `-2015` on trading endpoints. */
  canTrade?: boolean;
}

/** How one key signs. */
export type KeyCheck =
  | { readonly kind: 'hmac'; readonly secret: string }
  | { readonly kind: 'ed25519'; readonly publicKey: KeyObject };

/** Reads the key type of an account definition. */
export function keyCheckOf(account: BinanceServerAccount): KeyCheck {
  if (account.secret !== undefined) return { kind: 'hmac', secret: account.secret };
  const key = account.ed25519PublicKey;
  if (key === undefined)
    throw new RangeError(`accounts: key ${account.apiKey} needs a secret or an ed25519PublicKey`);
  if (typeof key !== 'string') return { kind: 'ed25519', publicKey: key };
  if (/^[0-9a-fA-F]{64}$/.test(key))
    return { kind: 'ed25519', publicKey: ed25519PublicKeyFromHex(key) };
  return { kind: 'ed25519', publicKey: createPublicKey(key) };
}

/** Returns true when `signature` signs `payload` under the key. */
export function signatureMatches(check: KeyCheck, payload: string, signature: string): boolean {
  if (check.kind === 'hmac') {
    const expected = Buffer.from(signHmac(check.secret, payload), 'utf8');
    const given = Buffer.from(signature.toLowerCase(), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
  try {
    return verifyEd25519(check.publicKey, payload, signature);
  } catch {
    return false;
  }
}

// Timestamps before 2017-01-01 are rejected, as Binance does since December 2024.
const EARLIEST_TIMESTAMP_MS = 1_483_228_800_000;

/**
 * Checks `timestamp` and `recvWindow` against the server's time (spec §1.5): `-1021` when the
 * request is a second or more ahead, outside its window, or older than 2017; `-1102` for a window
 * above 60 000 ms. Microsecond timestamps are told apart by their size.
 */
export function checkTimestamp(params: RequestParams, serverTimeMs: number): void {
  const raw = params.integer('timestamp', true);
  const timestampMs = raw > 1e14 ? raw / 1000 : raw;
  const window = params.decimal('recvWindow');
  if (window !== undefined && window.decimalPlaces() > 3) {
    throw new BinanceRequestError(
      -1100,
      "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,5}(\\.[0-9]{1,3})?$'.",
    );
  }
  if (window?.gt(60_000)) {
    throw new BinanceRequestError(
      -1102,
      "'recvWindow' contains unexpected value. Cannot be greater than 60000.",
    );
  }
  const recvWindowMs = window === undefined ? 5000 : window.toNumber();
  if (timestampMs >= serverTimeMs + 1000) {
    throw new BinanceRequestError(-1021, BINANCE_ENGINE_MESSAGES.timestampAhead);
  }
  if (serverTimeMs - timestampMs > recvWindowMs || timestampMs < EARLIEST_TIMESTAMP_MS) {
    throw new BinanceRequestError(-1021, BINANCE_ENGINE_MESSAGES.outsideRecvWindow);
  }
}
