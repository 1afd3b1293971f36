import { Decimal, type OrderReport, SeededRandom } from '@qtp/core';
import * as z from 'zod';
import { ExecutionAlgorithmBase } from './execution-algorithm-base.js';
import {
  childPricingShape,
  jitter,
  parentShape,
  parseAlgorithmOptions,
  timeMs,
} from './options.js';

// The options' schema; `TwapOptions` is its input type.
const twapOptionsSchema = z.strictObject({
  ...parentShape,
  ...childPricingShape,
  /** When to begin, epoch ms; default: the first market data event the algorithm sees. */
  startTimeMs: timeMs.optional(),
  /** How long the schedule runs, ms. */
  durationMs: z.int().positive(),
  /** How many equal slices the quantity is cut into. */
  slices: z.int().min(1).max(100_000),
  /** Random change of each slice's size, as a share of it (0 to 0.5). */
  sizeJitter: jitter.default(0),
  /** Random shift of each slice's time, as a share of the interval (0 to 0.5). */
  timeJitter: jitter.default(0),
  /** The seed of the jitter, so a run can be repeated. */
  seed: z.int().default(1),
});

/** Options of {@link Twap}, as a caller writes them (decimals as strings, numbers or `Decimal`). */
export type TwapOptions = z.input<typeof twapOptionsSchema>;

/**
 * Time-weighted average price: cuts the quantity into `slices` equal parts sent at equal
 * intervals over `durationMs`, optionally jittered in size and time. A slice that finds the last
 * one's limit child unfilled cancels it and sends what is behind schedule at the new price
 * (catch-up); when the window ends, the rest goes as a market order unless told otherwise.
 *
 * @throws `ValidationError` naming the option and the rule when the options are invalid
 * @example
 * ```ts
 * import { Twap } from '@qtp/oms';
 * // in a strategy: buy 5,000 XRP over an hour in 12 slices
 * this.execute(new Twap({
 *   instrumentId: 'XRPETH.BINANCE', side: 'BUY', quantity: '5000', durationMs: 3_600_000, slices: 12,
 * }));
 * ```
 */
export class Twap extends ExecutionAlgorithmBase {
  readonly name = 'TWAP';
  readonly #options: z.output<typeof twapOptionsSchema>;
  /** Slice times, epoch ms, increasing. */
  #times: number[] = [];
  /** Cumulative quantity due by each slice. */
  #targets: Decimal[] = [];
  #next = 0;
  #endMs = 0;
  #finishing = false;

  constructor(options: TwapOptions) {
    const parsed = parseAlgorithmOptions(twapOptionsSchema, options);
    super(parsed);
    this.#options = parsed;
  }

  protected override startTimeMs(): number | undefined {
    return this.#options.startTimeMs;
  }

  protected override begin(nowMs: number): void {
    const { slices, durationMs, sizeJitter, timeJitter, seed, quantity } = this.#options;
    const random = new SeededRandom(seed);
    const start = this.#options.startTimeMs ?? nowMs;
    const interval = durationMs / slices;
    const portion = quantity.div(slices);
    let cumulative = new Decimal(0);
    for (let k = 0; k < slices; k++) {
      const shift = k === 0 ? 0 : (2 * random.next() - 1) * timeJitter * interval;
      this.#times.push(Math.round(start + k * interval + shift));
      const size = portion.times(1 + (2 * random.next() - 1) * sizeJitter);
      cumulative = k === slices - 1 ? quantity : Decimal.min(quantity, cumulative.plus(size));
      this.#targets.push(cumulative);
    }
    this.#endMs = start + durationMs;
    this.#slice(nowMs);
  }

  protected override onWake(nowMs: number): void {
    if (nowMs >= this.#endMs && !this.#finishing) {
      this.#finish();
      return;
    }
    this.#slice(nowMs);
  }

  protected override onMarket(): void {
    // A limit slice waits for a first price; a market with no live child may be behind.
    if (!this.book.hasLiveChildren) this.#send();
  }

  protected override onChildDone(_report: OrderReport): void {
    if (!this.book.hasLiveChildren) this.#send();
  }

  // Moves to every slice due by `nowMs`, replacing a limit child the schedule has passed.
  #slice(nowMs: number): void {
    let advanced = false;
    while (this.#next < this.#times.length && this.#times[this.#next]! <= nowMs) {
      this.#next++;
      advanced = true;
    }
    if (advanced && this.#options.childType === 'LIMIT' && this.book.hasLiveChildren) {
      this.cancelLiveChildren(); // the rest follows at the new price once they are done
    } else {
      this.#send();
    }
    const wake = this.#next < this.#times.length ? this.#times[this.#next]! : this.#endMs;
    if (!this.#finishing) this.context.wakeAt(wake);
  }

  #send(): void {
    if (!this.isActive) return;
    const due = this.#next === 0 ? new Decimal(0) : this.#targets[this.#next - 1]!;
    const target = this.#finishing ? this.#options.quantity : due;
    const behind = this.shortfall(target);
    if (behind.lte(0)) return;
    const asMarket =
      this.#options.childType === 'MARKET' || (this.#finishing && this.#options.finishWithMarket);
    this.sendPriced(behind, asMarket, this.#options.limitOffsetBps);
  }

  #finish(): void {
    this.#finishing = true;
    this.#next = this.#times.length;
    if (this.book.hasLiveChildren && this.#options.childType === 'LIMIT') this.cancelLiveChildren();
    else this.#send();
  }
}
