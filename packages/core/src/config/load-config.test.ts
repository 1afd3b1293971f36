import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { isQtpError, ValidationError } from '@qtp/core';
import { ConfigWatcher, loadConfig, REDACTED, secret } from '@qtp/core/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({
  venue: z.string().default('BINANCE'),
  dryRun: z.boolean().default(true),
  symbols: z.array(z.string()).default([]),
  risk: z.object({
    maxNotional: z.number().positive(),
    maxOrdersPerSecond: z.number().int().default(10),
  }),
  binance: z
    .object({
      apiKey: z.string().min(8),
      apiSecret: z.string().min(8),
      recvWindowMs: z.number().default(5000),
    })
    .optional(),
  webhook: z.object({ url: z.string(), token: secret(z.string().min(16)) }).optional(),
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qtp-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

function catchError(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('loadConfig layers', () => {
  it('applies defaults < file < environment < overrides', () => {
    const file = writeJson('config.json', {
      venue: 'FILE',
      risk: { maxNotional: 1, maxOrdersPerSecond: 2 },
    });
    const config = loadConfig({
      schema,
      defaults: { venue: 'DEFAULT', dryRun: false, risk: { maxNotional: 0.5 } },
      file,
      env: { prefix: 'QTP', source: { QTP_RISK__MAX_NOTIONAL: '250000', QTP_VENUE: 'ENV' } },
      overrides: { venue: 'OVERRIDE' },
    });
    expect(config.venue).toBe('OVERRIDE');
    expect(config.dryRun).toBe(false);
    expect(config.risk).toEqual({ maxNotional: 250000, maxOrdersPerSecond: 2 });
  });

  it('uses the schema defaults when no layer sets a field', () => {
    const config = loadConfig({ schema, overrides: { risk: { maxNotional: 5 } } });
    expect(config).toEqual({
      venue: 'BINANCE',
      dryRun: true,
      symbols: [],
      risk: { maxNotional: 5, maxOrdersPerSecond: 10 },
    });
  });

  it('returns a deep-frozen config', () => {
    const config = loadConfig({ schema, overrides: { risk: { maxNotional: 5 } } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.risk)).toBe(true);
  });
});

describe('loadConfig environment variables', () => {
  it('maps SCREAMING_SNAKE segments split by __ onto camelCase keys', () => {
    const config = loadConfig({
      schema,
      env: {
        prefix: 'QTP_',
        source: {
          QTP_RISK__MAX_NOTIONAL: '1000',
          QTP_RISK__MAX_ORDERS_PER_SECOND: '3',
          QTP_BINANCE__API_KEY: 'key-12345',
          QTP_BINANCE__API_SECRET: 'secret-12345',
          QTP_BINANCE__RECV_WINDOW_MS: '7000',
        },
      },
    });
    expect(config.risk).toEqual({ maxNotional: 1000, maxOrdersPerSecond: 3 });
    expect(config.binance?.recvWindowMs).toBe(7000);
    expect(config.binance?.apiKey).toBe('key-12345');
  });

  it('coerces booleans and arrays given as comma lists or JSON', () => {
    const base = { QTP_RISK__MAX_NOTIONAL: '1' };
    const commas = loadConfig({
      schema,
      env: {
        prefix: 'QTP',
        source: { ...base, QTP_DRY_RUN: 'no', QTP_SYMBOLS: 'BTCUSDT, ETHUSDT' },
      },
    });
    expect(commas.dryRun).toBe(false);
    expect(commas.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    const json = loadConfig({
      schema,
      env: { prefix: 'QTP', source: { ...base, QTP_DRY_RUN: 'TRUE', QTP_SYMBOLS: '["A","B,C"]' } },
    });
    expect(json.dryRun).toBe(true);
    expect(json.symbols).toEqual(['A', 'B,C']);
  });

  it('coerces array items and union members per the schema', () => {
    const config = loadConfig({
      schema: z.object({
        levels: z.array(z.number()),
        limit: z.union([z.number(), z.literal('off')]),
        http2Port: z.number(),
      }),
      env: {
        prefix: 'APP',
        source: { APP_LEVELS: '1, 2.5,3', APP_LIMIT: '12', APP_HTTP2_PORT: '8443' },
      },
    });
    expect(config).toEqual({ levels: [1, 2.5, 3], limit: 12, http2Port: 8443 });
  });

  it('turns segments below a record into camelCase keys', () => {
    const config = loadConfig({
      schema: z.object({ venues: z.record(z.string(), z.object({ weight: z.number() })) }),
      env: { prefix: 'QTP', source: { QTP_VENUES__BINANCE_US__WEIGHT: '2' } },
    });
    expect(config.venues).toEqual({ binanceUs: { weight: 2 } });
  });

  it('reports a variable that names no field', () => {
    const error = catchError(() =>
      loadConfig({
        schema,
        env: { prefix: 'QTP', source: { QTP_RISK__MAX_NOTIONAL: '1', QTP_RISK__MAX_NOTINAL: '2' } },
      }),
    );
    expect(error.issues).toEqual([
      {
        field: 'QTP_RISK__MAX_NOTINAL',
        rule: 'name a config field',
        value: 'QTP_RISK__MAX_NOTINAL',
      },
    ]);
  });

  it('skips unknown variables when asked to', () => {
    const config = loadConfig({
      schema,
      env: {
        prefix: 'QTP',
        source: { QTP_RISK__MAX_NOTIONAL: '1', QTP_HOME: '/opt' },
        ignoreUnknown: true,
      },
    });
    expect(config.risk.maxNotional).toBe(1);
  });

  it('leaves text that is not a number for the schema to reject with its path', () => {
    const error = catchError(() =>
      loadConfig({ schema, env: { prefix: 'QTP', source: { QTP_RISK__MAX_NOTIONAL: 'lots' } } }),
    );
    expect(error.field).toBe('risk.maxNotional');
    expect(error.rule).toBe('be a number');
    expect(error.value).toBe('lots');
  });
});

describe('loadConfig validation', () => {
  it('lists every bad path and rule at once', () => {
    const file = writeJson('config.json', {
      dryRun: 'maybe',
      risk: { maxNotional: -5, maxOrdersPerSecond: 1.5 },
    });
    const error = catchError(() => loadConfig({ schema, file }));
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    expect(error.issues.map((issue) => issue.field)).toEqual([
      'dryRun',
      'risk.maxNotional',
      'risk.maxOrdersPerSecond',
    ]);
    expect(error.message).toContain('risk.maxNotional: must be more than 0, was -5');
  });

  it('reports a missing file and invalid JSON as issues naming the file', () => {
    const missing = catchError(() =>
      loadConfig({
        schema,
        file: join(dir, 'absent.json'),
        overrides: { risk: { maxNotional: 1 } },
      }),
    );
    expect(missing.issues[0]?.field).toBe('file');
    expect(missing.issues[0]?.rule).toContain('ENOENT');
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"binance": {"apiKey": "sk-live-123456"');
    const broken = catchError(() => loadConfig({ schema, file }));
    expect(broken.issues[0]).toEqual({ field: 'file', rule: 'contain valid JSON', value: file });
    expect(broken.message).not.toContain('sk-live-123456');
  });
});

describe('loadConfig secrets', () => {
  const secrets = {
    risk: { maxNotional: 1 },
    binance: { apiKey: 'AKIA-super-secret', apiSecret: 'shh-very-secret' },
    webhook: { url: 'https://example.test/hook', token: 'tok-0123456789abcdef' },
  };

  it('reads secrets normally but never prints them', () => {
    const config = loadConfig({ schema, overrides: secrets });
    expect(config.binance?.apiKey).toBe('AKIA-super-secret');
    expect(config.webhook?.token).toBe('tok-0123456789abcdef');
    for (const text of [
      JSON.stringify(config),
      String(config),
      `${config.binance}`,
      inspect(config, { depth: 9 }),
    ]) {
      expect(text).not.toContain('AKIA-super-secret');
      expect(text).not.toContain('shh-very-secret');
      expect(text).not.toContain('tok-0123456789abcdef');
    }
    expect(JSON.parse(JSON.stringify(config))).toMatchObject({
      binance: { apiKey: REDACTED, apiSecret: REDACTED },
      webhook: { url: 'https://example.test/hook', token: REDACTED },
    });
  });

  it('redacts a secret value in a validation error', () => {
    const error = catchError(() =>
      loadConfig({
        schema,
        overrides: {
          ...secrets,
          binance: { apiKey: 'short', apiSecret: 'x' },
          webhook: { url: 'u', token: 'tok-short' },
        },
      }),
    );
    expect(error.issues.map((issue) => [issue.field, issue.value])).toEqual([
      ['binance.apiKey', REDACTED],
      ['binance.apiSecret', REDACTED],
      ['webhook.token', REDACTED],
    ]);
    const printed = `${error.message} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(printed).not.toContain('short');
    expect(printed).not.toContain('tok-short');
    expect(error.cause).toBeUndefined();
  });

  it('honours a secret mark written with .meta and custom secret keys', () => {
    const config = loadConfig({
      schema: z.object({ dsn: z.string().meta({ secret: true }), sessionCookie: z.string() }),
      overrides: { dsn: 'postgres://user:pw@host/db', sessionCookie: 'cookie-value' },
      secretKeys: ['sessionCookie'],
    });
    const text = JSON.stringify(config);
    expect(text).not.toContain('pw@host');
    expect(text).not.toContain('cookie-value');
  });
});

describe('loadConfig input checks', () => {
  it('names the path of a missing config file', () => {
    const file = join(tmpdir(), `qtp-missing-${process.pid}`, 'config.json');
    const schema = z.object({ venue: z.string().default('BINANCE') });
    expect(() => loadConfig({ schema, file })).toThrow(
      `file: must name a readable JSON file (ENOENT), was "${file}"`,
    );
    expect(() => new ConfigWatcher({ schema, file })).toThrow(file);
  });

  it.each([
    null,
    undefined,
    5,
    'config.json',
    {},
    { schema: 'z.object' },
    { schema: z.object({}), file: 3 },
  ])('refuses the options %j with a ValidationError', (options) => {
    for (const run of [
      () => loadConfig(options as never),
      () => new ConfigWatcher(options as never),
    ]) {
      try {
        run();
        expect.unreachable();
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION')).toBe(true);
        expect((error as ValidationError).field).toMatch(/^options/);
      }
    }
  });

  it('never prints a secret value in a validation error', () => {
    const schema = z.object({
      webhookToken: secret(z.string().min(40)),
      apiKey: z.string().min(40),
    });
    const canaries = ['canary-webhook-3f9a1c', 'canary-apikey-77b2e0'];
    try {
      loadConfig({ schema, overrides: { webhookToken: canaries[0]!, apiKey: canaries[1]! } });
      expect.unreachable();
    } catch (error) {
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as ValidationError).issues.map((i) => String(i.value)).join()}`;
      for (const value of canaries) expect(text).not.toContain(value);
      expect(text).toContain('[REDACTED]');
    }
  });
});

describe('secret keys', () => {
  it('redacts venue secrets and tokens by key name in any case when the config is printed', () => {
    const values = ['canary-okx-secret-91d2', 'canary-okx-pass-1a7c', 'canary-bot-token-55e0'];
    const config = loadConfig({
      schema: z.object({
        okx: z.object({ SECRET_KEY: z.string(), passphrase: z.string() }),
        telegram: z.object({ token: z.string() }),
      }),
      overrides: {
        okx: { SECRET_KEY: values[0]!, passphrase: values[1]! },
        telegram: { token: values[2]! },
      },
    });
    expect(config.telegram.token).toBe(values[2]);
    const printed = `${String(config)} ${JSON.stringify(config)} ${inspect(config, { depth: 5 })}`;
    for (const value of values) expect(printed).not.toContain(value);
  });
});
