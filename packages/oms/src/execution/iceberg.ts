import { Decimal, type OrderReport, SeededRandom } from '@qtp/core';
import * as z from 'zod';
import { ExecutionAlgorithmBase } from './execution-algorithm-base.js';
import { jitter, parentShape, parseAlgorithmOptions, positiveDecimal } from './options.js';

// The options' schema; `IcebergOptions` is its input type.
const icebergOptionsSchema = z
  .strictObject({
    ...parentShape,
    limitPrice: positiveDecimal,
    /** The quantity shown on the book at a time. */
    displayQuantity: positiveDecimal,
    /** Random change of each shown quantity, as a share of it (0 to 0.5). */
    displayJitter: jitter.default(0),
    /** The seed of the jitter. */
    seed: z.int().default(1),
  })
  .refine((options) => options.displayQuantity.lte(options.quantity), {
    message: 'must not exceed quantity',
    path: ['displayQuantity'],
  });

/** Options of {@link Iceberg}, as a caller writes them. */
export type IcebergOptions = z.input<typeof icebergOptionsSchema>;

/**
 * Iceberg: rests one limit child of `displayQuantity` (optionally jittered) at `limitPrice` and,
 * each time it fills or ends, shows the next, until the quantity is done.
 *
 * @throws `ValidationError` naming the option and the rule when the options are invalid
 * @example
 * ```ts
 * import { Iceberg } from '@qtp/oms';
 * this.execute(new Iceberg({
 *   instrumentId: 'XRPETH.BINANCE', side: 'SELL', quantity: '10000', limitPrice: '0.00145',
 *   displayQuantity: '500',
 * }));
 * ```
 */
export class Iceberg extends ExecutionAlgorithmBase {
  readonly name = 'ICEBERG';
  readonly #options: z.output<typeof icebergOptionsSchema>;
  readonly #random: SeededRandom;

  constructor(options: IcebergOptions) {
    const parsed = parseAlgorithmOptions(icebergOptionsSchema, options);
    super(parsed);
    this.#options = parsed;
    this.#random = new SeededRandom(parsed.seed);
  }

  protected override begin(): void {
    this.#show();
  }

  protected override onChildDone(_report: OrderReport): void {
    this.#show();
  }

  #show(): void {
    if (!this.isActive || this.book.hasLiveChildren) return;
    const { displayQuantity, displayJitter } = this.#options;
    const factor = 1 + (2 * this.#random.next() - 1) * displayJitter;
    const shown = displayQuantity.times(new Decimal(String(factor)));
    if (this.sendChild(shown, this.#options.limitPrice) !== undefined) return;
    // A jittered size under the lot minimum: show the plain size, or the last piece.
    if (this.sendChild(displayQuantity, this.#options.limitPrice) !== undefined) return;
    const left = this.book.remainingQuantity;
    if (left.gt(0)) this.stop(`the rest, ${left}, is below the instrument's minimum quantity`);
  }
}
