import type { InstrumentId } from './identifiers.js';
import type { Instrument } from './instrument.js';

/**
 * Looks instruments up by id: the trading rules (tick size, lot size, minimum notional) a
 * component needs to round and check an order.
 *
 * @example
 * ```ts
 * import type { Instrument, InstrumentProvider } from '@qtp/core';
 * const listed: Instrument[] = [];
 * const provider: InstrumentProvider = { get: (id) => listed.find((i) => i.id === id) };
 * ```
 */
export interface InstrumentProvider {
  /** Returns the instrument with the id `id`, or `undefined` when none is listed. */
  get(id: InstrumentId): Instrument | undefined;
}
