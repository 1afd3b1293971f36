import { type Bar, Decimal } from '@qtp/core';
import { z } from 'zod';
import { Strategy, type StrategyOptions } from '../framework/strategy.js';
import { RSI } from '../indicators/rsi.js';
import { instrumentIdParam, periodParam, quantityParam } from './params.js';

/**
 * The parameters of {@link RsiReversal}: `instrumentId` (`SYMBOL.VENUE`), `period` (an integer
 * >= 1, default 14), `oversold` and `overbought` (levels with 0 < oversold < overbought < 100,
 * default 30 and 70), `quantity` (a decimal string > 0) and `allowShort` (default false).
 */
export const rsiReversalSchema = z
  .strictObject({
    instrumentId: instrumentIdParam,
    period: periodParam(1, 14),
    oversold: z.number().gt(0).lt(100).default(30),
    overbought: z.number().gt(0).lt(100).default(70),
    quantity: quantityParam,
    allowShort: z.boolean().default(false),
  })
  .superRefine((params, context) => {
    if (params.overbought <= params.oversold) {
      context.addIssue({
        code: 'custom',
        path: ['overbought'],
        input: params.overbought,
        message: `be greater than oversold ${params.oversold}`,
      });
    }
  });

/** The checked parameters of {@link RsiReversal}. */
export type RsiReversalParams = z.output<typeof rsiReversalSchema>;

/**
 * Counter-trend on Wilder's RSI of the close. When flat, it goes long `quantity` when the RSI is
 * below `oversold` (and, with `allowShort`, short when it is above `overbought`). A long is
 * closed when the RSI rises above `overbought` (reversed to a short with `allowShort`); a short
 * is reversed to a long when the RSI falls below `oversold`. Market orders through
 * `targetPosition`, on closed bars.
 *
 * @example
 * ```ts
 * import { RsiReversal } from '@qtp/strategy';
 * const strategy = new RsiReversal({
 *   id: 'xrp-rsi',
 *   params: { instrumentId: 'XRPETH.BINANCE', period: 14, oversold: 30, overbought: 70, quantity: '100' },
 * });
 * ```
 */
export class RsiReversal extends Strategy<RsiReversalParams> {
  readonly #rsi = this.indicator(new RSI(this.params.period), 'close', {
    instrumentId: this.params.instrumentId,
  });

  /**
   * Creates the strategy.
   * @throws {@link @qtp/core!ValidationError} naming `params.<field>` for a bad parameter
   */
  constructor(options: StrategyOptions) {
    super(options, { schema: rsiReversalSchema });
  }

  /** Buys oversold, sells overbought. */
  protected override onBar(bar: Bar): void {
    const { instrumentId, quantity, allowShort, oversold, overbought } = this.params;
    if (bar.instrumentId !== instrumentId) return;
    const rsi = this.#rsi.value!;
    const held = this.position(instrumentId);
    const short = new Decimal(quantity).negated();
    if (held.gt(0)) {
      if (rsi > overbought) this.targetPosition(instrumentId, allowShort ? short : '0');
    } else if (held.lt(0)) {
      if (rsi < oversold) this.targetPosition(instrumentId, quantity);
    } else if (rsi < oversold) {
      this.targetPosition(instrumentId, quantity);
    } else if (allowShort && rsi > overbought) {
      this.targetPosition(instrumentId, short);
    }
  }
}
