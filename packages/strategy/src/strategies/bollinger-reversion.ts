import { type Bar, Decimal } from '@qtp/core';
import { z } from 'zod';
import { Strategy, type StrategyOptions } from '../framework/strategy.js';
import { BollingerBands } from '../indicators/bollinger.js';
import { instrumentIdParam, periodParam, quantityParam } from './params.js';

/**
 * The parameters of {@link BollingerReversion}: `instrumentId` (`SYMBOL.VENUE`), `period` (an
 * integer >= 2, default 20), `k` (the band width in standard deviations, > 0, default 2),
 * `quantity` (a decimal string > 0) and `allowShort` (default false).
 */
export const bollingerReversionSchema = z.strictObject({
  instrumentId: instrumentIdParam,
  period: periodParam(2, 20),
  k: z.number().positive().default(2),
  quantity: quantityParam,
  allowShort: z.boolean().default(false),
});

/** The checked parameters of {@link BollingerReversion}. */
export type BollingerReversionParams = z.output<typeof bollingerReversionSchema>;

/**
 * Mean reversion on Bollinger Bands of the close. When flat, it goes long `quantity` on a close
 * below the lower band (and, with `allowShort`, short on a close above the upper band); it
 * returns to flat when the close comes back to the middle line (at or above it when long, at or
 * below it when short). Market orders through `targetPosition`, on closed bars.
 *
 * @example
 * ```ts
 * import { BollingerReversion } from '@qtp/strategy';
 * const strategy = new BollingerReversion({
 *   id: 'xrp-reversion',
 *   params: { instrumentId: 'XRPETH.BINANCE', period: 20, k: 2, quantity: '100' },
 * });
 * ```
 */
export class BollingerReversion extends Strategy<BollingerReversionParams> {
  readonly #bands = this.indicator(new BollingerBands(this.params.period, this.params.k), 'close', {
    instrumentId: this.params.instrumentId,
  });

  /**
   * Creates the strategy.
   * @throws {@link @qtp/core!ValidationError} naming `params.<field>` for a bad parameter
   */
  constructor(options: StrategyOptions) {
    super(options, { schema: bollingerReversionSchema });
  }

  /** Enters beyond a band, exits at the middle line. */
  protected override onBar(bar: Bar): void {
    const { instrumentId, quantity, allowShort } = this.params;
    if (bar.instrumentId !== instrumentId) return;
    const { upper, middle, lower } = this.#bands.value!;
    const held = this.position(instrumentId);
    const close = bar.close;
    if (held.gt(0)) {
      if (close >= middle) this.targetPosition(instrumentId, '0');
    } else if (held.lt(0)) {
      if (close <= middle) this.targetPosition(instrumentId, '0');
    } else if (close < lower) {
      this.targetPosition(instrumentId, quantity);
    } else if (allowShort && close > upper) {
      this.targetPosition(instrumentId, new Decimal(quantity).negated());
    }
  }
}
