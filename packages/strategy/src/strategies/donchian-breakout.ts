import { type Bar, Decimal } from '@qtp/core';
import { z } from 'zod';
import { Strategy, type StrategyOptions } from '../framework/strategy.js';
import { Donchian } from '../indicators/donchian.js';
import { instrumentIdParam, periodParam, quantityParam } from './params.js';

/**
 * The parameters of {@link DonchianBreakout}: `instrumentId` (`SYMBOL.VENUE`), `entryPeriod`
 * (an integer >= 1, default 20), `exitPeriod` (an integer >= 1, default 10), `quantity` (a
 * decimal string > 0) and `allowShort` (default false).
 */
export const donchianBreakoutSchema = z.strictObject({
  instrumentId: instrumentIdParam,
  entryPeriod: periodParam(1, 20),
  exitPeriod: periodParam(1, 10),
  quantity: quantityParam,
  allowShort: z.boolean().default(false),
});

/** The checked parameters of {@link DonchianBreakout}. */
export type DonchianBreakoutParams = z.output<typeof donchianBreakoutSchema>;

interface Channel {
  upper: number;
  lower: number;
}

/**
 * A channel breakout in the manner of the Turtle rules. The channels are those of the bars
 * before the current one (a bar never closes outside its own channel). When flat, it goes long
 * `quantity` on a close above the highest high of the previous `entryPeriod` bars (and, with
 * `allowShort`, short on a close below their lowest low); it exits a long on a close below the
 * lowest low of the previous `exitPeriod` bars, and a short on a close above their highest
 * high. Market orders through `targetPosition`, on closed bars.
 *
 * @example
 * ```ts
 * import { DonchianBreakout } from '@qtp/strategy';
 * const strategy = new DonchianBreakout({
 *   id: 'xrp-breakout',
 *   params: { instrumentId: 'XRPETH.BINANCE', entryPeriod: 20, exitPeriod: 10, quantity: '100' },
 * });
 * ```
 */
export class DonchianBreakout extends Strategy<DonchianBreakoutParams> {
  readonly #entry = this.indicator(
    new Donchian(this.params.entryPeriod),
    (bar) => [bar.high, bar.low],
    { instrumentId: this.params.instrumentId },
  );
  readonly #exit = this.indicator(
    new Donchian(this.params.exitPeriod),
    (bar) => [bar.high, bar.low],
    { instrumentId: this.params.instrumentId },
  );
  // Copies: the indicators overwrite their value objects on every update.
  #previousEntry: Channel | undefined;
  #previousExit: Channel | undefined;

  /**
   * Creates the strategy.
   * @throws {@link @qtp/core!ValidationError} naming `params.<field>` for a bad parameter
   */
  constructor(options: StrategyOptions) {
    super(options, { schema: donchianBreakoutSchema });
  }

  /** Enters on a break of the entry channel, exits on a break of the exit channel. */
  protected override onBar(bar: Bar): void {
    const { instrumentId, quantity, allowShort } = this.params;
    if (bar.instrumentId !== instrumentId) return;
    const entry = this.#previousEntry;
    const exit = this.#previousExit;
    const { upper, lower } = this.#entry.value!;
    this.#previousEntry = { upper, lower };
    this.#previousExit = { upper: this.#exit.value!.upper, lower: this.#exit.value!.lower };
    if (entry === undefined || exit === undefined) return;
    const held = this.position(instrumentId);
    const close = bar.close;
    if (held.gt(0)) {
      if (close < exit.lower) this.targetPosition(instrumentId, '0');
    } else if (held.lt(0)) {
      if (close > exit.upper) this.targetPosition(instrumentId, '0');
    } else if (close > entry.upper) {
      this.targetPosition(instrumentId, quantity);
    } else if (allowShort && close < entry.lower) {
      this.targetPosition(instrumentId, new Decimal(quantity).negated());
    }
  }
}
