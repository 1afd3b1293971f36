import { NetworkError } from '@qtp/core';
import { createLogger, redactSecrets, redactSecretsInText } from '@qtp/core/observability';
import { describe, expect, it } from 'vitest';

const CANARY = 'CANARY-7f3a9c1e-do-not-log';

function capture(): { lines: string[]; destination: { write(line: string): void } } {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => lines.push(line) } };
}

describe('redactSecrets', () => {
  it('redacts secret keys at any depth, whatever their case or separators', () => {
    const value = {
      apiKey: CANARY,
      nested: {
        deeper: [
          { API_SECRET: CANARY, 'X-MBX-APIKEY': CANARY, listenKey: CANARY, symbol: 'BTCUSDT' },
        ],
      },
      headers: { Authorization: `Bearer ${CANARY}` },
      accessToken: CANARY,
      credentials: { password: { value: CANARY } },
    };
    const redacted = redactSecrets(value);
    expect(JSON.stringify(redacted)).not.toContain(CANARY);
    expect(redacted).toMatchObject({
      nested: { deeper: [{ symbol: 'BTCUSDT', API_SECRET: '[REDACTED]' }] },
    });
    expect(value.apiKey).toBe(CANARY);
  });

  it('keeps a URL and its other parameters but redacts the signature in its query string', () => {
    expect(
      redactSecretsInText(
        `https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=${CANARY}&timestamp=1`,
      ),
    ).toBe('https://api.binance.com/api/v3/order?symbol=BTCUSDT&signature=[REDACTED]&timestamp=1');
    expect(
      redactSecrets({ url: new URL(`https://x.test/a?timestamp=1&signature=${CANARY}`) }),
    ).toEqual({
      url: 'https://x.test/a?timestamp=1&signature=[REDACTED]',
    });
  });

  it('redacts JSON pairs and headers inside free text', () => {
    const text = `body {"apiKey":"${CANARY}","qty":"1"} header X-MBX-APIKEY: ${CANARY}`;
    const redacted = redactSecretsInText(text);
    expect(redacted).not.toContain(CANARY);
    expect(redacted).toContain('"qty":"1"');
  });

  it('turns errors into plain objects with message, details and cause chain redacted', () => {
    const root = new Error(`socket closed while sending ?signature=${CANARY}`);
    const error = new NetworkError(`POST /api/v3/order?timestamp=1&signature=${CANARY} failed`, {
      cause: root,
      details: { apiKey: CANARY, venue: 'BINANCE' },
    });
    const redacted = redactSecrets(error) as Record<string, unknown>;
    expect(JSON.stringify(redacted)).not.toContain(CANARY);
    expect(redacted).toMatchObject({
      name: 'NetworkError',
      code: 'NETWORK',
      details: { venue: 'BINANCE' },
    });
    expect((redacted.cause as Record<string, unknown>).message).toBe(
      'socket closed while sending ?signature=[REDACTED]',
    );
  });

  it('survives cycles and redacts extra key names when asked', () => {
    const value: Record<string, unknown> = { passphrase: CANARY };
    value.self = value;
    expect(redactSecrets(value, { keys: ['passphrase'] })).toEqual({
      passphrase: '[REDACTED]',
      self: '[Circular]',
    });
  });
});

describe('logger redaction', () => {
  it('never writes a canary secret planted in fields, bindings, errors, causes, URLs and the message', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'trace', destination, bindings: { apiKey: CANARY } });
    const child = logger.child({
      session: { listenKey: CANARY },
      endpoint: `wss://x.test/ws?token=${CANARY}`,
    });
    const cause = new Error(`upstream said {"signature":"${CANARY}"}`);
    const error = new NetworkError(
      `GET https://api.binance.com/api/v3/account?timestamp=1&signature=${CANARY}`,
      {
        cause: new Error('wrapped', { cause }),
        details: { request: { headers: { 'x-mbx-apikey': CANARY } } },
      },
    );
    child.error(`request failed: /api/v3/account?signature=${CANARY}`, {
      err: error,
      config: { venue: 'BINANCE', credentials: { apiSecret: CANARY, password: CANARY } },
      urls: [`https://x.test/?apiKey=${CANARY}&b=2`],
    });
    child.info('plain', { secret: CANARY, nested: { deeper: { deepest: { token: CANARY } } } });
    for (const level of ['trace', 'debug', 'warn', 'fatal'] as const)
      child[level](`signature=${CANARY}`, { password: CANARY });

    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toContain(CANARY);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'error',
      config: { venue: 'BINANCE' },
      err: { code: 'NETWORK' },
    });
  });
});
