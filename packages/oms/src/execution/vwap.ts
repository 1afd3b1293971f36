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
import { profileShare } from './volume-profile.js';

// The options' schema; `VwapOptions` is its input type.
const vwapOptionsSchema = z
  .strictObject({
    ...parentShape,
    ...childPricingShape,
    /** When to begin, epoch ms; default: the first market data event the algorithm sees. */
    startTimeMs: timeMs.optional(),
    /** How long the schedule runs, ms. */
    durationMs: z.int().positive(),
    /** The expected volume by time of day, from `volumeProfile`. */
    profile: z.strictObject({
      bucketMs: z.int().positive(),
      weights: z.array(z.number().nonnegative()).min(1).readonly(),
    }),
    /** How often the schedule is checked, ms (default: a tenth of a bucket). */
    checkIntervalMs: z.int().positive().optional(),
    /** The most of the volume seen since the start it may have done, 0 to 1 (default no cap). */
    maxParticipation: z.number().gt(0).max(1).optional(),
    /**
     * The smallest child worth sending (default the instrument's minimum): the schedule waits
     * until it is this far behind, except for the last piece and when the window ends.
     */
    minChildQuantity: positiveDecimal.optional(),
  })
  .refine((options) => options.profile.weights.length * options.profile.bucketMs === 86_400_000, {
    message: 'must have one weight per bucket of a day',
    path: ['profile', 'weights'],
  });

/** Options of {@link Vwap}, as a caller writes them. */
export type VwapOptions = z.input<typeof vwapOptionsSchema>;

/**
 * Volume-weighted average price: follows a volume profile over the window, so the quantity done
 * by each moment is the profile's share of the window's volume up to it. `maxParticipation`
 * caps what is done at that share of the volume actually traded since the start. A profile with
 * no volume in the window falls back to an even schedule. When the window ends the rest goes as a
 * market order unless told otherwise.
 *
 * @throws `ValidationError` naming the option and the rule when the options are invalid
 * @example
 * ```ts
 * import { Vwap, volumeProfile } from '@qtp/oms';
 * const profile = volumeProfile(lastMonthBars, { bucketMs: 15 * 60_000 });
 * this.execute(new Vwap({
 *   instrumentId: 'XRPETH.BINANCE', side: 'SELL', quantity: '20000', durationMs: 4 * 3_600_000,
 *   profile, maxParticipation: 0.1,
 * }));
 * ```
 */
export class Vwap extends ExecutionAlgorithmBase {
  readonly name = 'VWAP';
  readonly #options: z.output<typeof vwapOptionsSchema>;
  #startMs = 0;
  #endMs = 0;
  #windowShare = 0;
  #finishing = false;

  constructor(options: VwapOptions) {
    const parsed = parseAlgorithmOptions(vwapOptionsSchema, options);
    super(parsed);
    this.#options = parsed;
  }

  protected override startTimeMs(): number | undefined {
    return this.#options.startTimeMs;
  }

  /** The quantity the schedule wants done by `nowMs`. */
  targetAt(nowMs: number): Decimal {
    const { quantity, maxParticipation } = this.#options;
    if (nowMs >= this.#endMs) return quantity;
    const share =
      this.#windowShare > 0
        ? profileShare(this.#options.profile, this.#startMs, nowMs) / this.#windowShare
        : (nowMs - this.#startMs) / (this.#endMs - this.#startMs);
    let target = quantity.times(new Decimal(String(Math.min(1, Math.max(0, share)))));
    if (maxParticipation !== undefined) {
      target = Decimal.min(target, new Decimal(String(maxParticipation * this.market.volume)));
    }
    return target;
  }

  protected override begin(nowMs: number): void {
    this.#startMs = this.#options.startTimeMs ?? nowMs;
    this.#endMs = this.#startMs + this.#options.durationMs;
    this.#windowShare = profileShare(this.#options.profile, this.#startMs, this.#endMs);
    this.#check(nowMs);
  }

  protected override onWake(nowMs: number): void {
    this.#check(nowMs);
  }

  protected override onMarket(): void {
    if (!this.book.hasLiveChildren) this.#send(this.context.now());
  }

  protected override onChildDone(_report: OrderReport): void {
    if (!this.book.hasLiveChildren) this.#send(this.context.now());
  }

  #check(nowMs: number): void {
    if (nowMs >= this.#endMs && !this.#finishing) {
      this.#finishing = true;
      if (this.book.hasLiveChildren && this.#options.childType === 'LIMIT') {
        this.cancelLiveChildren();
      } else this.#send(nowMs);
      return;
    }
    if (this.#options.childType === 'LIMIT' && this.book.hasLiveChildren) {
      // A resting child the schedule has moved past is replaced at the new price.
      this.cancelLiveChildren();
    } else this.#send(nowMs);
    const interval =
      this.#options.checkIntervalMs ?? Math.max(1, Math.floor(this.#options.profile.bucketMs / 10));
    this.context.wakeAt(Math.min(nowMs + interval, this.#endMs));
  }

  #send(nowMs: number): void {
    if (!this.isActive) return;
    const target = this.#finishing ? this.#options.quantity : this.targetAt(nowMs);
    const behind = this.shortfall(target);
    if (behind.lte(0)) return;
    const min = this.#options.minChildQuantity;
    if (
      !this.#finishing &&
      min !== undefined &&
      behind.lt(min) &&
      behind.lt(this.book.remainingQuantity)
    ) {
      return;
    }
    const asMarket =
      this.#options.childType === 'MARKET' || (this.#finishing && this.#options.finishWithMarket);
    this.sendPriced(behind, asMarket, this.#options.limitOffsetBps);
  }
}
