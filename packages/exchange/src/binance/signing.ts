import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ValidationError } from '@qtp/core';
import { ed25519PrivateKeyFromSeed, signEd25519, signHmac } from '../binance-protocol/signing.js';

/**
 * The credentials of a Binance API key: an HMAC-SHA256 secret, or an Ed25519 private key (the
 * only kind that can log a WebSocket API session on). They stay in memory; nothing here writes
 * them anywhere.
 */
export type BinanceCredentials =
  | {
      /** Always `hmac`. */
      readonly kind: 'hmac';
      /** The API key, sent as `X-MBX-APIKEY`. */
      readonly apiKey: string;
      /** The secret Binance issued with the key. */
      readonly secret: string;
    }
  | {
      /** Always `ed25519`. */
      readonly kind: 'ed25519';
      /** The API key Binance gave the registered public key. */
      readonly apiKey: string;
      /** The private key: a PKCS#8 PEM text, or the 32-byte seed as 64 hex digits. */
      readonly privateKey: string;
    };

/** Signs Binance payloads with one key; see {@link createBinanceSigner}. */
export interface BinanceSigner {
  /** The API key the signatures belong to. */
  readonly apiKey: string;
  /** The key's kind. */
  readonly kind: BinanceCredentials['kind'];
  /** Returns the signature of `payload`: lower-case hex for HMAC, base64 for Ed25519. */
  sign(payload: string): string;
}

function ed25519Key(privateKey: string): KeyObject {
  const text = privateKey.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return ed25519PrivateKeyFromSeed(text);
  if (text.includes('PRIVATE KEY')) return createPrivateKey({ key: text, format: 'pem' });
  // The value itself is never echoed: it is a secret.
  throw new ValidationError(
    'credentials.privateKey',
    'be a PKCS#8 PEM text or a 64-digit hex seed',
    '[redacted]',
  );
}

/**
 * Returns a signer for `credentials`. HMAC signs with HMAC-SHA256 and returns lower-case hex;
 * Ed25519 signs the payload's UTF-8 bytes and returns base64.
 * @throws {@link @qtp/core!ValidationError} when the API key is empty or the Ed25519 key cannot be read
 * @example
 * ```ts
 * import { createBinanceSigner } from '@qtp/exchange/binance';
 * const signer = createBinanceSigner({ kind: 'hmac', apiKey: 'key', secret: 'secret' });
 * signer.sign('symbol=BTCUSDT&timestamp=1700000000000');
 * ```
 */
export function createBinanceSigner(credentials: BinanceCredentials): BinanceSigner {
  if (credentials.apiKey.length === 0) {
    throw new ValidationError('credentials.apiKey', 'be a non-empty text', '');
  }
  if (credentials.kind === 'hmac') {
    const secret = credentials.secret;
    return {
      apiKey: credentials.apiKey,
      kind: 'hmac',
      sign: (payload) => signHmac(secret, payload),
    };
  }
  const key = ed25519Key(credentials.privateKey);
  return {
    apiKey: credentials.apiKey,
    kind: 'ed25519',
    sign: (payload) => signEd25519(key, payload),
  };
}

/** A request parameter value as the adapter sends it. */
export type BinanceParamValue = string | number | boolean;

/**
 * Returns the REST form of `params`: `name=value` pairs in insertion order, each name and value
 * percent-encoded with `encodeURIComponent` (Binance rejects signatures over un-encoded text).
 * Undefined values are left out.
 * @example
 * ```ts
 * import { encodeRestParams } from '@qtp/exchange/binance';
 * encodeRestParams({ symbol: '测试USDT', quantity: '2' }); // 'symbol=%E6%B5%8B%E8%AF%95USDT&quantity=2'
 * ```
 */
export function encodeRestParams(
  params: Readonly<Record<string, BinanceParamValue | undefined>>,
): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/**
 * Returns the signed REST text: the encoded payload followed by `&signature=…`, the signature
 * percent-encoded (base64 carries `+`, `/` and `=`).
 * @example
 * ```ts
 * import { createBinanceSigner, signRestPayload } from '@qtp/exchange/binance';
 * const signer = createBinanceSigner({ kind: 'hmac', apiKey: 'key', secret: 'secret' });
 * signRestPayload(signer, 'symbol=BTCUSDT&timestamp=1700000000000');
 * ```
 */
export function signRestPayload(signer: BinanceSigner, payload: string): string {
  const signature = encodeURIComponent(signer.sign(payload));
  return payload.length === 0 ? `signature=${signature}` : `${payload}&signature=${signature}`;
}

/**
 * Returns the WebSocket API signature payload of `params`: every parameter but `signature`,
 * sorted by name, joined as `name=value` with `&`, values as plain text, not percent-encoded.
 * @example
 * ```ts
 * import { wsApiSignaturePayload } from '@qtp/exchange/binance';
 * wsApiSignaturePayload({ timestamp: 1700000000000, apiKey: 'key' }); // 'apiKey=key&timestamp=1700000000000'
 * ```
 */
export function wsApiSignaturePayload(
  params: Readonly<Record<string, BinanceParamValue | undefined>>,
): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature' && params[name] !== undefined)
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join('&');
}

/**
 * Returns `params` with `apiKey` and `signature` added, signed as the WebSocket API wants.
 * @example
 * ```ts
 * import { createBinanceSigner, signWsApiParams } from '@qtp/exchange/binance';
 * const signer = createBinanceSigner({ kind: 'hmac', apiKey: 'key', secret: 'secret' });
 * signWsApiParams(signer, { symbol: 'BTCUSDT', timestamp: 1700000000000 });
 * ```
 */
export function signWsApiParams(
  signer: BinanceSigner,
  params: Readonly<Record<string, BinanceParamValue | undefined>>,
): Record<string, BinanceParamValue> {
  const withKey: Record<string, BinanceParamValue> = {};
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) withKey[name] = value;
  withKey.apiKey = signer.apiKey;
  withKey.signature = signer.sign(wsApiSignaturePayload(withKey));
  return withKey;
}
