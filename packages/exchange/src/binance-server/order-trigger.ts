import { Decimal } from '@qtp/core';

/** Which way the last price must move for a conditional order to trigger. */
export type TriggerDirection = 'RISE' | 'FALL';

/**
 * Returns the way a conditional order triggers: `STOP_LOSS*` BUY and `TAKE_PROFIT*` SELL on a
 * rise to their stop price, `STOP_LOSS*` SELL and `TAKE_PROFIT*` BUY on a fall.
 * @example
 * ```ts
 * triggerDirection('TAKE_PROFIT', 'SELL'); // 'RISE'
 * ```
 */
export function triggerDirection(type: string, side: 'BUY' | 'SELL'): TriggerDirection {
  const stopLoss = type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT';
  return stopLoss === (side === 'BUY') ? 'RISE' : 'FALL';
}

/** True when `price` has reached `stopPrice` moving the given way. */
export const hasReached = (price: Decimal, stopPrice: Decimal, direction: TriggerDirection) =>
  direction === 'RISE' ? price.gte(stopPrice) : price.lte(stopPrice);

/** What one observed price did to a conditional order. */
export type TriggerStep = 'NONE' | 'ACTIVATED' | 'TRIGGERED';

/** The definition of one conditional order's trigger. */
export interface OrderTriggerOptions {
  readonly side: 'BUY' | 'SELL';
  readonly direction: TriggerDirection;
  /** The stop price: the trigger of a plain stop, the activation price of a trailing one. */
  readonly stopPrice: Decimal | undefined;
  /** The trailing distance in basis points. */
  readonly trailingDelta: number | undefined;
  /** The last price when the order was placed; a trailing stop without a stop price trails from it. */
  readonly lastPrice: Decimal;
}

const BIPS = new Decimal(10_000);

/**
 * The trigger of one conditional order, fed every last price the market prints.
 *
 * A plain stop triggers once the price reaches its stop price in its direction. A trailing stop
 * first activates (at placement without a stop price, else once the price reaches it), then
 * follows the best price since activation: a SELL the highest, a BUY the lowest. It triggers
 * when the price moves back by `trailingDelta` basis points from that extreme: a SELL at or below
 * `highest × (1 − δ/10000)`, a BUY at or above `lowest × (1 + δ/10000)`.
 *
 * @example
 * ```ts
 * const trigger = new OrderTrigger({ side: 'SELL', direction: 'FALL', stopPrice: undefined,
 *   trailingDelta: 100, lastPrice: new Decimal(100) });
 * trigger.observe(new Decimal(110)); // 'NONE': the peak is now 110
 * trigger.observe(new Decimal('108.9')); // 'TRIGGERED': 1% below the peak
 * ```
 */
export class OrderTrigger {
  private extreme: Decimal | undefined;

  constructor(private readonly options: OrderTriggerOptions) {
    if (options.trailingDelta !== undefined && options.stopPrice === undefined)
      this.extreme = options.lastPrice;
  }

  /** True once a trailing stop follows the price (always false for a plain stop). */
  get isTrailing(): boolean {
    return this.extreme !== undefined;
  }

  /** The price at which the order triggers now, if known. */
  get triggerPrice(): Decimal | undefined {
    const { trailingDelta, side, stopPrice } = this.options;
    if (trailingDelta === undefined) return stopPrice;
    if (this.extreme === undefined) return undefined;
    const move = this.extreme.times(trailingDelta).div(BIPS);
    return side === 'SELL' ? this.extreme.minus(move) : this.extreme.plus(move);
  }

  /** Takes one last price and says whether the order activated or triggered on it. */
  observe(price: Decimal): TriggerStep {
    const { trailingDelta, stopPrice, direction, side } = this.options;
    if (trailingDelta === undefined) {
      return stopPrice !== undefined && hasReached(price, stopPrice, direction)
        ? 'TRIGGERED'
        : 'NONE';
    }
    let step: TriggerStep = 'NONE';
    if (this.extreme === undefined) {
      if (stopPrice === undefined || !hasReached(price, stopPrice, direction)) return 'NONE';
      this.extreme = price;
      step = 'ACTIVATED';
    }
    this.extreme =
      side === 'SELL' ? Decimal.max(this.extreme, price) : Decimal.min(this.extreme, price);
    const trigger = this.triggerPrice!;
    const reached = side === 'SELL' ? price.lte(trigger) : price.gte(trigger);
    return reached ? 'TRIGGERED' : step;
  }
}
