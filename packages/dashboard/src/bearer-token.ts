import { createHash, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@qtp/core';

/**
 * The shortest control token accepted, in characters.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { MIN_TOKEN_LENGTH } from '@qtp/dashboard';
 * const token = randomBytes(MIN_TOKEN_LENGTH).toString('base64url'); // 22 characters
 * ```
 */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Checks `Authorization: Bearer <token>` headers against one token in constant time. It keeps
 * only the token's SHA-256 digest, so the token itself is not held in memory after construction;
 * comparing digests of equal length lets `crypto.timingSafeEqual` run whatever the input's
 * length.
 *
 * @example
 * ```ts
 * import { BearerToken } from '@qtp/dashboard';
 * const token = new BearerToken('a-long-random-token-value');
 * token.matches('Bearer a-long-random-token-value'); // true
 * token.matches('Bearer guess'); // false
 * ```
 */
export class BearerToken {
  private readonly digest: Buffer;

  /**
   * Takes the token.
   * @throws `ValidationError` naming `token` when it is shorter than {@link MIN_TOKEN_LENGTH}
   * characters or holds a character outside printable ASCII (the value is not shown)
   */
  constructor(token: string) {
    if (
      typeof token !== 'string' ||
      token.length < MIN_TOKEN_LENGTH ||
      !/^[\x21-\x7e]+$/.test(token)
    ) {
      throw new ValidationError(
        'token',
        `be at least ${MIN_TOKEN_LENGTH} printable ASCII characters without spaces`,
        '[redacted]',
      );
    }
    this.digest = sha256(token);
  }

  /** Returns whether an `Authorization` header value carries the token. */
  matches(header: string | undefined): boolean {
    if (header === undefined) return false;
    const match = /^Bearer +(\S+) *$/i.exec(header);
    const presented = sha256(match?.[1] ?? '');
    // Compared even when the header is malformed, so the answer takes the same time either way.
    return timingSafeEqual(presented, this.digest) && match !== null;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
