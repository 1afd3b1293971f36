import { max, mean, min, sum } from 'simple-statistics';
import { checkTrades } from './validate.js';

/**
 * A closed round trip, reduced to what the trade statistics read: when it was opened and closed
 * and what it earned.
 *
 * The accounting part of the portfolio produces these from fills; any source works.
 */
export interface ClosedTrade {
  /** When the position was opened, epoch milliseconds. */
  readonly entryTime: number;
  /** When the position was closed, epoch milliseconds; not before `entryTime`. */
  readonly exitTime: number;
  /**
   * The realized profit or loss in the account currency, net of fees: positive is a win,
   * negative a loss, zero a scratch.
   */
  readonly pnl: number;
}

/** Statistics of a list of closed trades; see {@link tradeStatistics}. */
export interface TradeStatistics {
  /** How many trades there are, scratches (zero P&L) included. */
  readonly numberOfTrades: number;
  /** How many trades had a positive P&L. */
  readonly winningTrades: number;
  /** How many trades had a negative P&L. */
  readonly losingTrades: number;
  /** Winning trades / all trades, or `null` when there are no trades. */
  readonly winRate: number | null;
  /** The sum of positive P&Ls; 0 when there are none. */
  readonly grossProfit: number;
  /** The sum of negative P&Ls, as a positive number; 0 when there are none. */
  readonly grossLoss: number;
  /** Gross profit / gross loss, or `null` when there are no losing trades (a zero divisor). */
  readonly profitFactor: number | null;
  /** The mean P&L per trade, scratches included, or `null` when there are no trades. */
  readonly expectancy: number | null;
  /** The mean P&L of winning trades, or `null` when there are none. */
  readonly averageWin: number | null;
  /** The mean P&L of losing trades, a negative number, or `null` when there are none. */
  readonly averageLoss: number | null;
  /** The highest P&L of a winning trade, or `null` when there are none. */
  readonly largestWin: number | null;
  /** The lowest P&L of a losing trade, a negative number, or `null` when there are none. */
  readonly largestLoss: number | null;
}

/**
 * Returns the statistics of closed trades: counts, win rate, gross profit and loss, profit
 * factor, expectancy, average and largest win and loss (see {@link TradeStatistics}).
 *
 * A trade with a positive P&L is a win, a negative one a loss; a zero P&L (a scratch) counts as
 * a trade but neither a win nor a loss. A statistic with nothing to measure is `null`, never
 * `Infinity` or `NaN`, so a report survives `JSON.stringify`.
 *
 * @param trades - closed trades; their order does not matter
 * @throws ValidationError when a time or a P&L is not finite or an exit is before its entry
 * @example
 * ```ts
 * import { tradeStatistics } from '@qtp/portfolio';
 * const stats = tradeStatistics([
 *   { entryTime: 0, exitTime: 60_000, pnl: 30 },
 *   { entryTime: 60_000, exitTime: 120_000, pnl: -10 },
 * ]);
 * stats.profitFactor; // 3
 * stats.expectancy; // 10
 * ```
 */
export function tradeStatistics(trades: readonly ClosedTrade[]): TradeStatistics {
  checkTrades(trades);
  const pnls = trades.map((trade) => trade.pnl);
  const wins = pnls.filter((pnl) => pnl > 0);
  const losses = pnls.filter((pnl) => pnl < 0);
  const grossProfit = sum(wins);
  // Written this way so that no losses give 0, not -0.
  const grossLoss = losses.length === 0 ? 0 : -sum(losses);
  return {
    numberOfTrades: pnls.length,
    winningTrades: wins.length,
    losingTrades: losses.length,
    winRate: pnls.length === 0 ? null : wins.length / pnls.length,
    grossProfit,
    grossLoss,
    profitFactor: losses.length === 0 ? null : grossProfit / grossLoss,
    expectancy: pnls.length === 0 ? null : mean(pnls),
    averageWin: wins.length === 0 ? null : mean(wins),
    averageLoss: losses.length === 0 ? null : mean(losses),
    largestWin: wins.length === 0 ? null : max(wins),
    largestLoss: losses.length === 0 ? null : min(losses),
  };
}
