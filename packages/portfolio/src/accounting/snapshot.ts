import type { Decimal, InstrumentId, Money } from '@qtp/core';
import type { Balance } from './account.js';
import type { PositionSide } from './position.js';

/** A {@link Balance} with the venue of the account that holds it. */
export interface AccountBalance extends Balance {
  /** The venue of the account. */
  readonly venue: string;
}

/** A position at one moment; see {@link PortfolioSnapshot}. */
export interface PositionSnapshot {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The direction, or `FLAT`. */
  readonly side: PositionSide | 'FLAT';
  /** The signed quantity: positive long, negative short. */
  readonly quantity: Decimal;
  /** The mean entry price of the open lots, or `null` when flat. */
  readonly averageEntryPrice: Decimal | null;
  /** The last mark, or `null` when the instrument was never marked. */
  readonly mark: number | null;
  /** The unrealized P&L at the last mark in the quote asset, before fees, or `null` without a mark. */
  readonly unrealizedPnl: Money | null;
  /** The realized P&L in the quote asset, before fees. */
  readonly realizedPnl: Money;
  /** The fees paid, one total per currency. */
  readonly fees: readonly Money[];
}

/** The state of a portfolio at one moment, as {@link Portfolio.snapshot} records it. */
export interface PortfolioSnapshot {
  /** When the snapshot was taken, epoch milliseconds. */
  readonly timeMs: number;
  /** The currency `equity` is in. */
  readonly reportingCurrency: string;
  /** Every balance of every account, valued at the rates in force, summed. */
  readonly equity: number;
  /** Every balance held, by venue then asset. */
  readonly balances: readonly AccountBalance[];
  /** Every position that has booked a fill, flat ones included, by instrument id. */
  readonly positions: readonly PositionSnapshot[];
}

/** An equity curve recorded by a portfolio; pass it straight to `computePerformance`. */
export interface RecordedEquityCurve {
  /** Recording times, epoch milliseconds, strictly increasing. */
  readonly times: Float64Array;
  /** Equity in the reporting currency at each time. */
  readonly values: Float64Array;
}
