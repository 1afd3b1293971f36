import { type Bar, Decimal } from '@qtp/core';
import { z } from 'zod';
import { Strategy, type StrategyOptions } from '../framework/strategy.js';
import { SMA } from '../indicators/sma.js';
import { instrumentIdParam, periodParam, quantityParam } from './params.js';

/**
 * The parameters of {@link SmaCrossover}: `instrumentId` (`SYMBOL.VENUE`), `fastPeriod` (an
 * integer >= 1, default 10), `slowPeriod` (an integer above `fastPeriod`, default 30),
 * `quantity` (a decimal string > 0, in the base asset) and `allowShort` (default false).
 */
export const smaCrossoverSchema = z
  .strictObject({
    instrumentId: instrumentIdParam,
    fastPeriod: periodParam(1, 10),
    slowPeriod: periodParam(2, 30),
    quantity: quantityParam,
    allowShort: z.boolean().default(false),
  })
  .superRefine((params, context) => {
    if (params.slowPeriod <= params.fastPeriod) {
      context.addIssue({
        code: 'custom',
        path: ['slowPeriod'],
        input: params.slowPeriod,
        message: `be greater than fastPeriod ${params.fastPeriod}`,
      });
    }
  });

/** The checked parameters of {@link SmaCrossover}. */
export type SmaCrossoverParams = z.output<typeof smaCrossoverSchema>;

/**
 * Trend following on two simple moving averages of the close. When the fast average crosses
 * above the slow one (the difference goes from <= 0 to > 0) it targets a long position of
 * `quantity`; when it crosses below, it targets flat, or a short of `quantity` with
 * `allowShort`. It orders market orders through `targetPosition`, on closed bars.
 *
 * @example
 * ```ts
 * import { SmaCrossover } from '@qtp/strategy';
 * const strategy = new SmaCrossover({
 *   id: 'xrp-trend',
 *   params: { instrumentId: 'XRPETH.BINANCE', fastPeriod: 10, slowPeriod: 30, quantity: '100' },
 * });
 * ```
 */
export class SmaCrossover extends Strategy<SmaCrossoverParams> {
  readonly #fast = this.indicator(new SMA(this.params.fastPeriod), 'close', {
    instrumentId: this.params.instrumentId,
  });
  readonly #slow = this.indicator(new SMA(this.params.slowPeriod), 'close', {
    instrumentId: this.params.instrumentId,
  });
  #previous: number | undefined;

  /**
   * Creates the strategy.
   * @throws {@link @qtp/core!ValidationError} naming `params.<field>` for a bad parameter
   */
  constructor(options: StrategyOptions) {
    super(options, { schema: smaCrossoverSchema });
  }

  /** Orders on a crossing of the averages. */
  protected override onBar(bar: Bar): void {
    const { instrumentId, quantity, allowShort } = this.params;
    if (bar.instrumentId !== instrumentId) return;
    const difference = this.#fast.value! - this.#slow.value!;
    const previous = this.#previous;
    this.#previous = difference;
    if (previous === undefined) return;
    if (previous <= 0 && difference > 0) {
      this.targetPosition(instrumentId, quantity);
    } else if (previous >= 0 && difference < 0) {
      this.targetPosition(instrumentId, allowShort ? new Decimal(quantity).negated() : '0');
    }
  }
}
