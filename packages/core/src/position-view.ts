import type { Decimal } from './decimal.js';
import type { InstrumentId } from './identifiers.js';

/**
 * A read-only view of positions: what risk checks need from a portfolio, which implements it.
 * Quantities are in the base asset and signed: positive long, negative short, zero flat.
 *
 * @example
 * ```ts
 * import { Decimal, type InstrumentId, type PositionView } from '@qtp/core';
 * function wouldExceed(positions: PositionView, id: InstrumentId, buy: Decimal, limit: Decimal) {
 *   return positions.netQuantity(id).plus(buy).abs().gt(limit);
 * }
 * ```
 */
export interface PositionView {
  /** Returns the net quantity held in the instrument, zero when flat or never traded. */
  netQuantity(instrumentId: InstrumentId): Decimal;
  /** Returns the net quantity of every instrument not flat. */
  netQuantities(): ReadonlyMap<InstrumentId, Decimal>;
}
