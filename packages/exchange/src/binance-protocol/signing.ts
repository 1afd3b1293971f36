import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/**
 * Signs a payload with an HMAC-SHA256 secret, as Binance's HMAC keys do: lower-case hex, 64
 * characters.
 * @example
 * ```ts
 * import { signHmac } from '@qtp/exchange/binance-server';
 * signHmac('secret', 'symbol=BTCUSDT&timestamp=1700000000000');
 * ```
 */
export function signHmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * Signs a payload with an Ed25519 private key and returns the base64 signature (88 characters).
 * @example
 * ```ts
 * import { ed25519PrivateKeyFromSeed, signEd25519 } from '@qtp/exchange/binance-server';
 * const key = ed25519PrivateKeyFromSeed('a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda');
 * signEd25519(key, 'apiKey=k&timestamp=1700000000000');
 * ```
 */
export function signEd25519(privateKey: KeyObject, payload: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64');
}

/**
 * Returns true when `signature` (base64) is `publicKey`'s Ed25519 signature of `payload`.
 * @example
 * ```ts
 * import { verifyEd25519 } from '@qtp/exchange/binance-server';
 * import { createPublicKey } from 'node:crypto';
 * verifyEd25519(createPublicKey(pem), 'a=1', signature);
 * ```
 */
export function verifyEd25519(publicKey: KeyObject, payload: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(payload, 'utf8'), publicKey, bytes);
}

// The PKCS#8 DER prefix of an Ed25519 private key, before its 32-byte seed.
const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';
// The SPKI DER prefix of an Ed25519 public key, before its 32 bytes.
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

/**
 * Builds an Ed25519 private key from its 32-byte seed in hex.
 * @throws `RangeError` when the seed is not 64 hex digits
 * @example
 * ```ts
 * import { ed25519PrivateKeyFromSeed } from '@qtp/exchange/binance-server';
 * ed25519PrivateKeyFromSeed('a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda');
 * ```
 */
export function ed25519PrivateKeyFromSeed(seedHex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(seedHex)) throw new RangeError('seedHex: must be 64 hex digits');
  const der = Buffer.from(ED25519_PKCS8_PREFIX + seedHex, 'hex');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/**
 * Builds an Ed25519 public key from its 32 bytes in hex.
 * @throws `RangeError` when the key is not 64 hex digits
 * @example
 * ```ts
 * import { ed25519PublicKeyFromHex } from '@qtp/exchange/binance-server';
 * ed25519PublicKeyFromHex('a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13');
 * ```
 */
export function ed25519PublicKeyFromHex(publicHex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(publicHex))
    throw new RangeError('publicHex: must be 64 hex digits');
  return createPublicKey({
    key: Buffer.from(ED25519_SPKI_PREFIX + publicHex, 'hex'),
    format: 'der',
    type: 'spki',
  });
}

/**
 * Percent-encodes parameters for a signed REST request, in the order given, and joins them:
 * each name and value through `encodeURIComponent`, as Binance requires since January 2026.
 * @example
 * ```ts
 * import { encodeRestParams } from '@qtp/exchange/binance-server';
 * encodeRestParams([['symbol', '测试USDT'], ['timestamp', '1700000001000']]);
 * // 'symbol=%E6%B5%8B%E8%AF%95USDT&timestamp=1700000001000'
 * ```
 */
export function encodeRestParams(params: readonly (readonly [string, string])[]): string {
  return params
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

// Every character a percent-encoded query string or form body may hold: RFC 3986 unreserved
// characters, the ones encodeURIComponent leaves alone, `+` for a form space, and the separators.
const ENCODED_TEXT = /^[A-Za-z0-9\-_.~!'()*+%&=]*$/;

/**
 * Returns true when `text` is in percent-encoded form: no raw non-ASCII byte, space, quote,
 * bracket or other character that encoding would have replaced.
 * @example
 * ```ts
 * import { isPercentEncoded } from '@qtp/exchange/binance-server';
 * isPercentEncoded('symbols=%5B%22BTCUSDT%22%5D'); // true
 * isPercentEncoded('symbols=["BTCUSDT"]'); // false
 * ```
 */
export function isPercentEncoded(text: string): boolean {
  return ENCODED_TEXT.test(text);
}

/** A WebSocket API parameter value as it arrives in JSON. */
export type WsApiParamValue = string | number | boolean;

/**
 * Builds the WebSocket API signature payload: every parameter but `signature`, sorted by name,
 * joined as `name=value` with `&`, values as plain text, no percent-encoding.
 * @example
 * ```ts
 * import { wsApiSignaturePayload } from '@qtp/exchange/binance-server';
 * wsApiSignaturePayload({ timestamp: 1700000000000, apiKey: 'k' }); // 'apiKey=k&timestamp=1700000000000'
 * ```
 */
export function wsApiSignaturePayload(params: Readonly<Record<string, WsApiParamValue>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join('&');
}
