import { readCsvTrades } from '@qtp/backtest';
import { instrumentId, isQtpError, type TradeTick, type ValidationError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { collect, dataFile, rawRows, writeTempFile } from './test-files.js';

const ID = instrumentId('XRPETH', 'BINANCE');
const HEADER = 'time,trade_id,side,price,qty,quote_qty';

function tradeOf(fields: readonly string[]): TradeTick {
  return {
    instrumentId: ID,
    price: Number(fields[3]),
    size: Number(fields[4]),
    aggressorSide: fields[2] === 'buy' ? 'BUY' : 'SELL',
    tradeId: fields[1]!,
    timeMs: Number(fields[0]),
  };
}

describe('readCsvTrades', () => {
  it('reads every trade of XRPETH-trades with its first and last values exact', async () => {
    const rows = rawRows(dataFile('XRPETH-trades.csv'));
    const trades = await collect(
      readCsvTrades(dataFile('XRPETH-trades.csv'), { instrumentId: ID }),
    );
    expect(trades).toHaveLength(rows.length);
    expect(trades[0]).toEqual({
      instrumentId: ID,
      price: 0.00141342,
      size: 23,
      aggressorSide: 'SELL',
      tradeId: '13519807',
      timeMs: 1_570_752_011_620,
    });
    expect(trades.at(-1)).toEqual(tradeOf(rows.at(-1)!));
    const buys = rows.filter((fields) => fields[2] === 'buy').length;
    expect(trades.filter((trade) => trade.aggressorSide === 'BUY')).toHaveLength(buys);
  });

  it('sums the quantities of each minute to the volume of the XRPETH-1m bar', async () => {
    const volumes = new Map<number, number>();
    for await (const trade of readCsvTrades(dataFile('XRPETH-trades.csv'), { instrumentId: ID })) {
      const minute = trade.timeMs - (trade.timeMs % 60_000);
      volumes.set(minute, (volumes.get(minute) ?? 0) + trade.size);
    }
    for (const fields of rawRows(dataFile('XRPETH-1m.csv'))) {
      expect(volumes.get(Number(fields[0])) ?? 0).toBe(Number(fields[5]));
    }
  });

  it('reads renamed columns and upper-case sides through a header map', async () => {
    const path = writeTempFile(
      'trades.csv',
      'ts,id,taker,px,amount\n1700000001000,a1,BUY,10.5,2\n1700000001000,a2,SELL,10.4,1\n',
    );
    const trades = await collect(
      readCsvTrades(path, {
        instrumentId: ID,
        columns: { time: 'ts', tradeId: 'id', side: 'taker', price: 'px', quantity: 'amount' },
      }),
    );
    expect(trades.map((trade) => [trade.tradeId, trade.aggressorSide, trade.price])).toEqual([
      ['a1', 'BUY', 10.5],
      ['a2', 'SELL', 10.4],
    ]);
  });

  const CASES = [
    [
      'a time earlier than the previous trade',
      '1700000000999,3,buy,1,1,1',
      'time',
      "be no earlier than the previous trade's time 1700000001000",
    ],
    ['an unknown side', '1700000001001,3,hold,1,1,1', 'side', 'be buy or sell'],
    ['a zero quantity', '1700000001001,3,buy,1,0,0', 'qty', 'be a decimal number greater than 0'],
    ['a NaN price', '1700000001001,3,buy,NaN,1,1', 'price', 'be a decimal number greater than 0'],
    ['a missing column', '1700000001001,3,buy,1,1', '(row)', 'have 6 fields like the header'],
  ] as const;

  for (const [what, line, column, rule] of CASES) {
    it(`throws a ValidationError naming line 3 and ${column} for ${what}, or skips the row`, async () => {
      const path = writeTempFile(
        'bad-trades.csv',
        `${HEADER}\n1700000001000,1,buy,1,1,1\n${line}\n1700000001002,4,sell,1,1,1\n`,
      );
      let error: ValidationError | undefined;
      try {
        await collect(readCsvTrades(path, { instrumentId: ID }));
      } catch (caught) {
        if (isQtpError(caught, 'VALIDATION')) error = caught as ValidationError;
      }
      expect(error?.field).toBe(`${path}:3 ${column}`);
      expect(error?.rule).toBe(rule);
      const kept = await collect(readCsvTrades(path, { instrumentId: ID, onInvalidRow: 'skip' }));
      expect(kept.map((trade) => trade.tradeId)).toEqual(['1', '4']);
    });
  }
});
