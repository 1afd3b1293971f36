import { type ClosedTrade, tradeStatistics } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('tradeStatistics', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ trades, expected }) => {
    const actual = tradeStatistics(trades);
    for (const key of Object.keys(expected.trades) as (keyof typeof expected.trades)[]) {
      expectClose(actual[key], expected.trades[key], key);
    }
  });

  it('counts a zero P&L as a trade that neither wins nor loses', () => {
    const stats = tradeStatistics([
      { entryTime: 0, exitTime: 1, pnl: 30 },
      { entryTime: 1, exitTime: 2, pnl: 0 },
      { entryTime: 2, exitTime: 3, pnl: -10 },
      { entryTime: 3, exitTime: 4, pnl: -20 },
    ]);
    expect(stats).toEqual({
      numberOfTrades: 4,
      winningTrades: 1,
      losingTrades: 2,
      winRate: 0.25,
      grossProfit: 30,
      grossLoss: 30,
      profitFactor: 1,
      expectancy: 0,
      averageWin: 30,
      averageLoss: -15,
      largestWin: 30,
      largestLoss: -20,
    });
  });

  it('gives a null profit factor when no trade lost, and nulls for what there is nothing to measure', () => {
    const stats = tradeStatistics([{ entryTime: 0, exitTime: 1, pnl: 5 }]);
    expect(stats.profitFactor).toBeNull();
    expect(stats.averageLoss).toBeNull();
    expect(stats.largestLoss).toBeNull();
    expect(stats.grossLoss).toBe(0);
    expect(tradeStatistics([])).toEqual({
      numberOfTrades: 0,
      winningTrades: 0,
      losingTrades: 0,
      winRate: null,
      grossProfit: 0,
      grossLoss: 0,
      profitFactor: null,
      expectancy: null,
      averageWin: null,
      averageLoss: null,
      largestWin: null,
      largestLoss: null,
    });
  });

  it('rejects a NaN P&L and an exit before its entry, naming the trade', () => {
    const good: ClosedTrade = { entryTime: 0, exitTime: 1, pnl: 1 };
    expect(
      catchValidationError(() => tradeStatistics([good, { ...good, pnl: Number.NaN }])).field,
    ).toBe('trades[1].pnl');
    expect(catchValidationError(() => tradeStatistics([{ ...good, exitTime: -1 }])).message).toBe(
      'trades[0].exitTime: must not be before entryTime (0), was -1',
    );
  });
});
