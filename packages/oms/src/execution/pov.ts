import { Decimal, type OrderReport } from '@qtp/core';
import * as z from 'zod';
import { ExecutionAlgorithmBase } from './execution-algorithm-base.js';
import {
  childPricingShape,
  parentShape,
  parseAlgorithmOptions,
  positiveDecimal,
  timeMs,
} from './options.js';

// The options' schema; `PovOptions` is its input type.
const povOptionsSchema = z
  .strictObject({
    ...parentShape,
    childType: childPricingShape.childType,
    limitOffsetBps: childPricingShape.limitOffsetBps,
    /** When to begin, epoch ms; default: the first market data event the algorithm sees. */
    startTimeMs: timeMs.optional(),
    /** The share of the traded volume to take, above 0 and below 1. */
    participationRate: z.number().gt(0).lt(1),
    /** The smallest child worth sending (default the instrument's minimum). */
    minChildQuantity: positiveDecimal.optional(),
    /** The largest child (default no limit). */
    maxChildQuantity: positiveDecimal.optional(),
  })
  .refine(
    (options) =>
      options.minChildQuantity === undefined ||
      options.maxChildQuantity === undefined ||
      options.minChildQuantity.lte(options.maxChildQuantity),
    { message: 'must not exceed maxChildQuantity', path: ['minChildQuantity'] },
  );

/** Options of {@link Pov}, as a caller writes them. */
export type PovOptions = z.input<typeof povOptionsSchema>;

/**
 * Percentage of volume: keeps what is done at `participationRate` of the volume traded since it
 * began (trades' sizes, or bars' volumes, as the feed shows them), one child at a time, each
 * between the minimum and maximum child sizes. It trades only as the market trades, so it has no
 * end time: cancel it to stop.
 *
 * @throws `ValidationError` naming the option and the rule when the options are invalid
 * @example
 * ```ts
 * import { Pov } from '@qtp/oms';
 * this.execute(new Pov({
 *   instrumentId: 'XRPETH.BINANCE', side: 'BUY', quantity: '3000', participationRate: 0.1,
 *   minChildQuantity: '50',
 * }));
 * ```
 */
export class Pov extends ExecutionAlgorithmBase {
  readonly name = 'POV';
  readonly #options: z.output<typeof povOptionsSchema>;

  constructor(options: PovOptions) {
    const parsed = parseAlgorithmOptions(povOptionsSchema, options);
    super(parsed);
    this.#options = parsed;
  }

  protected override startTimeMs(): number | undefined {
    return this.#options.startTimeMs;
  }

  protected override begin(): void {}

  protected override onMarket(): void {
    this.#send();
  }

  protected override onChildDone(_report: OrderReport): void {
    this.#send();
  }

  #send(): void {
    if (!this.isActive || this.book.hasLiveChildren) return;
    const target = Decimal.min(
      this.#options.quantity,
      new Decimal(String(this.#options.participationRate * this.market.volume)),
    );
    let size = this.shortfall(target);
    const left = this.book.remainingQuantity;
    const min = this.#options.minChildQuantity ?? this.context.instrument.minQuantity;
    // The last piece may be smaller than the minimum child; anything else waits until it is not.
    if (size.lt(min) && !(size.gte(left) && left.gt(0))) return;
    if (this.#options.maxChildQuantity !== undefined) {
      size = Decimal.min(size, this.#options.maxChildQuantity);
    }
    this.sendPriced(size, this.#options.childType === 'MARKET', this.#options.limitOffsetBps);
  }
}
