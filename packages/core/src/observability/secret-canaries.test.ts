import { randomBytes } from 'node:crypto';
import { EventBus, QtpError, SimulatedClock } from '@qtp/core';
import { loadConfig } from '@qtp/core/config';
import { createLogger } from '@qtp/core/observability';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// A unique random string per secret, so a leak anywhere in the output is found by a plain search.
function canary(): string {
  return `canary${randomBytes(12).toString('hex')}`;
}

describe('secrets never reach the log output', () => {
  it('redacts canaries logged through errors, configs, request lines and bus events', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => lines.push(line) },
    });
    const secrets: string[] = [];
    const next = (): string => {
      const value = canary();
      secrets.push(value);
      return value;
    };

    // An error whose cause chain and details carry secrets.
    const cause = new Error(`request failed: https://api.test/order?symbol=X&signature=${next()}`);
    const error = new QtpError('NETWORK', 'placing the order failed', true, {
      cause,
      details: { apiKey: next(), headers: { 'X-MBX-APIKEY': next() } },
    });
    logger.error('order failed', { err: error });

    // A loaded config, logged whole.
    const config = loadConfig({
      schema: z.object({
        venue: z.string(),
        binance: z.object({ apiKey: z.string(), apiSecret: z.string() }),
      }),
      overrides: { venue: 'BINANCE', binance: { apiKey: next(), apiSecret: next() } },
    });
    logger.info('config loaded', { config });
    logger.info(`config ${String(config)} ${JSON.stringify(config)}`);

    // An HTTP request line: URL with a query, headers as an object, a Headers and a Map.
    const url = new URL(`https://www.okx.test/api/v5/trade/order?ts=1&sig=${next()}&key=${next()}`);
    logger.debug('http request', {
      method: 'POST',
      url,
      headers: new Headers({ 'OK-ACCESS-KEY': next(), 'OK-ACCESS-SIGN': next() }),
      extra: new Map([
        ['CB-ACCESS-SIGN', next()],
        ['X-BAPI-SIGN', next()],
        ['API-Sign', next()],
        ['Cookie', `session=${next()}`],
      ]),
      signed: { secretKey: next(), accessKey: next(), passphrase: next(), password: next() },
      auth: { authorization: `Bearer ${next()}`, token: next(), privateKey: next() },
    });
    logger.info(
      `GET /api/v3/account?timestamp=1&signature=${next()} Authorization: Bearer ${next()}`,
    );

    // An event published on the bus and logged by a subscriber.
    const bus = new EventBus<{ 'venue.request': { body: string; secret: string } }>({
      clock: new SimulatedClock(),
    });
    bus.subscribe('venue.request', (event) => logger.info('venue request', { event }));
    bus.publish('venue.request', { body: `{"apiKey":"${next()}","qty":"1"}`, secret: next() });

    const output = lines.join('');
    expect(lines.length).toBe(6);
    expect(secrets.length).toBe(24);
    for (const value of secrets) expect(output).not.toContain(value);
    expect(output).toContain('[REDACTED]');
    expect(output).not.toContain('[REDACTED]]');
    expect(output).not.toContain('[REDACTED] [REDACTED]');
  });
});
