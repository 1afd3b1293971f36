import type { Decimal, Fill } from '@qtp/core';
import type { Balance } from './account.js';
import type { PositionChange } from './position.js';

/** What {@link Portfolio.bookFill} did with one fill. */
export interface FillBooking extends PositionChange {
  /** `booked` the first time a trade id is seen; `duplicate` (nothing changed) after that. */
  readonly status: 'booked' | 'duplicate';
  /** The fill. */
  readonly fill: Fill;
  /** The venue whose account the fill was booked in. */
  readonly venue: string;
  /** The balances the fill changed, sorted by asset; empty for a duplicate. */
  readonly balances: readonly Balance[];
}

/** Published when a fill is booked (never for a duplicate). */
export interface FillBookedEvent extends FillBooking {
  /** Always `portfolio.fillBooked`. */
  readonly type: 'portfolio.fillBooked';
  /** Always `booked`. */
  readonly status: 'booked';
}

/** Published when an asset is deposited to or withdrawn from an account. */
export interface TransferEvent {
  /** Always `portfolio.transfer`. */
  readonly type: 'portfolio.transfer';
  /** `deposit` adds to the account, `withdrawal` takes from it. */
  readonly direction: 'deposit' | 'withdrawal';
  /** The venue of the account. */
  readonly venue: string;
  /** The asset moved. */
  readonly asset: string;
  /** The amount moved, greater than 0. */
  readonly amount: Decimal;
  /** The balance after the transfer. */
  readonly balance: Balance;
  /** When the transfer happened, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events a {@link Portfolio} publishes, by topic; give it an `EventBus` from `@qtp/core` to hear them. */
export interface PortfolioEvents {
  /** A fill was booked. */
  'portfolio.fillBooked': FillBookedEvent;
  /** An asset was deposited or withdrawn. */
  'portfolio.transfer': TransferEvent;
}
