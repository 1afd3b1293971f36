import type { Decimal, DecimalInput, Fill, InstrumentId, PositionView } from '@qtp/core';

/** The assets of an instrument, as a {@link PortfolioView} needs to know them. */
export interface PortfolioInstrument {
  /** The instrument. */
  readonly id: InstrumentId;
  /** The asset bought and sold. */
  readonly baseAsset: string;
  /** The asset prices are in. */
  readonly quoteAsset: string;
}

/**
 * What the engine needs of a portfolio: register instruments, deposit starting cash, book fills,
 * take marks, and report positions and balances. `Portfolio` from `@qtp/portfolio` is the
 * default; a host may plug its own (a ledger of its own, a remote book) with this shape.
 *
 * @example
 * ```ts
 * import { Portfolio } from '@qtp/portfolio';
 * import type { PortfolioView } from '@qtp/engine';
 * const view: PortfolioView = new Portfolio({ reportingCurrency: 'USDT' });
 * ```
 */
export interface PortfolioView extends PositionView {
  /** The currency equity is reported in, such as `USDT`. */
  readonly reportingCurrency: string;
  /** Registers an instrument so its fills and marks can be booked; the engine calls it once per instrument. */
  addInstrument(instrument: PortfolioInstrument): void;
  /** Adds `amount` of `asset` to the venue's account at `timeMs`. */
  deposit(venue: string, asset: string, amount: DecimalInput, timeMs: number): unknown;
  /**
   * Books a fill once (a repeated trade id is ignored).
   * @throws a QTP error when the fill cannot be booked; the engine reports it on `engine.error`
   */
  bookFill(fill: Fill): unknown;
  /** Records the price of an instrument at `timeMs`. */
  mark(instrumentId: InstrumentId, price: number, timeMs: number): void;
  /** Returns the last mark of an instrument, or `undefined` before the first. */
  markOf(instrumentId: InstrumentId): number | undefined;
  /** Returns the amount held of each asset, across venues, free and locked together. */
  balancesByAsset(): ReadonlyMap<string, Decimal>;
  /**
   * Returns the amount held of one asset across venues, free and locked together: zero when
   * none. The engine reads the assets a fill moved, rather than every balance, after each fill.
   */
  assetTotal(asset: string): Decimal;
}
