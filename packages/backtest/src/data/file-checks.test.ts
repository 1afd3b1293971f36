import { readCsvBars, readCsvTrades } from '@qtp/backtest';
import { instrumentId, isQtpError, type ValidationError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect, writeTempFile } from './test-files.js';

const ID = instrumentId('XRPETH', 'BINANCE');
const BARS = 'open_time,open,high,low,close,volume';
const TRADES = 'time,trade_id,side,price,qty,quote_qty';

async function errorOf(source: AsyncIterable<unknown>): Promise<ValidationError> {
  try {
    await collect(source);
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const loaders = {
  bars: (path: string) => readCsvBars(path, { instrumentId: ID, interval: '1m' }),
  trades: (path: string) => readCsvTrades(path, { instrumentId: ID }),
};

describe('data file checks', () => {
  it('refuses a 16-digit microsecond time, saying how to convert it', async () => {
    const bars = writeTempFile('us.csv', `${BARS}\n1735689600000000,1,2,0.5,1.5,10\n`);
    const error = await errorOf(loaders.bars(bars));
    expect(error.field).toBe(`${bars}:2 open_time`);
    expect(error.message).toContain('microseconds (16 digits) are not accepted');
    expect(error.message).toContain("time: 'us'");
    const trades = writeTempFile('us.csv', `${TRADES}\n1735689600000000,1,buy,1,1,1\n`);
    expect((await errorOf(loaders.trades(trades))).field).toBe(`${trades}:2 time`);
  });

  it.each([
    ['before 2000', '946684799999'],
    ['after 2100', '4102444800001'],
    ['beyond a safe integer', '90071992547409930'],
    ['in seconds read as milliseconds', '1735689600'],
  ])('refuses a time %s, naming file, line and column', async (_what, time) => {
    const path = writeTempFile(
      'range.csv',
      `${TRADES}\n1735689600000,1,buy,1,1,1\n${time},2,buy,1,1,1\n`,
    );
    const error = await errorOf(loaders.trades(path));
    expect(error.field).toBe(`${path}:3 time`);
    expect(error.value).toBe(time);
  });

  it('refuses a numbered trade id repeated in its millisecond, and skips it on request', async () => {
    const path = writeTempFile(
      'dupes.csv',
      `${TRADES}\n1735689600000,7,buy,1,1,1\n1735689600000,8,buy,1,1,1\n1735689600000,7,buy,1,1,1\n1735689600001,9,sell,1,1,1\n`,
    );
    const error = await errorOf(loaders.trades(path));
    expect(error.field).toBe(`${path}:4 trade_id`);
    expect(error.message).toContain('greater than the previous trade id 8');
    const kept = await collect(readCsvTrades(path, { instrumentId: ID, onInvalidRow: 'skip' }));
    expect(kept.map((trade) => trade.tradeId)).toEqual(['7', '8', '9']);
  });

  it('refuses a numbered trade id repeated a second later', async () => {
    const path = writeTempFile(
      'late-dupe.csv',
      `${TRADES}\n1735689600000,99,buy,1,1,1\n1735689601000,100,buy,1,1,1\n1735689602000,0099,buy,1,1,1\n`,
    );
    const error = await errorOf(loaders.trades(path));
    expect(error.field).toBe(`${path}:4 trade_id`);
    expect(error.value).toBe('0099');
  });

  it('compares numbered ids longer than a double holds by value', async () => {
    const path = writeTempFile(
      'long-ids.csv',
      `${TRADES}\n1735689600000,90071992547409931,buy,1,1,1\n1735689600001,90071992547409932,buy,1,1,1\n1735689600002,90071992547409931,buy,1,1,1\n`,
    );
    const error = await errorOf(loaders.trades(path));
    expect(error.field).toBe(`${path}:4 trade_id`);
  });

  it('refuses a named trade id seen anywhere earlier in the file', async () => {
    const path = writeTempFile(
      'named-dupe.csv',
      `${TRADES}\n1735689600000,a-1,buy,1,1,1\n1735689660000,b-2,buy,1,1,1\n1735689720000,a-1,sell,1,1,1\n`,
    );
    const error = await errorOf(loaders.trades(path));
    expect(error.field).toBe(`${path}:4 trade_id`);
    expect(error.message).toContain('appears twice');
  });

  for (const [name, header] of [
    ['bars', BARS],
    ['trades', TRADES],
  ] as const) {
    it(`refuses an empty ${name} file and one with a header but no rows`, async () => {
      const empty = writeTempFile('empty.csv', '');
      expect((await errorOf(loaders[name](empty))).field).toBe(`${empty}:1 (file)`);
      const headerOnly = writeTempFile('header.csv', `${header}\n\n`);
      const error = await errorOf(loaders[name](headerOnly));
      expect(error.field).toBe(`${headerOnly}:2 (file)`);
      expect(error.rule).toContain('rows');
    });

    it(`names the path of a missing ${name} file in a ValidationError`, async () => {
      const path = `${writeTempFile('x.csv', '')}-missing.csv`;
      const error = await errorOf(loaders[name](path));
      expect(error.field).toBe('path');
      expect(error.value).toBe(path);
      expect(error.message).toContain('ENOENT');
    });
  }
});
