import {
  Decimal,
  type DecimalInput,
  formatDecimal,
  type Instrument,
  type OrderSide,
  toDecimal,
  ValidationError,
} from '@qtp/core';

/** What a {@link SlippageModel} sees of one taker fill. */
export interface SlippageContext {
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** The side of the taker order. */
  readonly side: OrderSide;
  /** The price the fill model chose, before slippage. */
  readonly price: Decimal;
  /** The fill quantity. */
  readonly quantity: Decimal;
  /** The last known spread (best ask minus best bid), when quotes or a book were fed in. */
  readonly spread: Decimal | undefined;
}

/**
 * Moves taker fill prices against the taker. Plain data plus one pure function; the exchange
 * rounds the moved price to the tick against the taker and never past a limit price.
 */
export interface SlippageModel {
  /** The model's name, such as `fixed-bps`. */
  readonly kind: string;
  /** The model's parameters as plain data, for {@link SimulatedExchange.assumptions}. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** One line saying how far the model moves prices. */
  readonly description: string;
  /** Returns how far to move the price against the taker, in quote units (0 or more). */
  slippage(context: SlippageContext): Decimal;
}

/**
 * Returns a model that fills takers at the price the fill model chose.
 *
 * @example
 * ```ts
 * import { noSlippage } from '@qtp/exchange';
 * const slippage = noSlippage();
 * ```
 */
export function noSlippage(): SlippageModel {
  return Object.freeze({
    kind: 'none',
    parameters: Object.freeze({}),
    description: 'slippage: none beyond the fill model; taker fills at the modelled price',
    slippage: () => new Decimal(0),
  });
}

/**
 * Returns a model that moves each taker fill `bps` basis points (hundredths of a percent) of
 * its price against the taker.
 *
 * @throws `ValidationError` when `bps` is not a decimal of 0 or more
 * @example
 * ```ts
 * import { fixedBpsSlippage } from '@qtp/exchange';
 * const slippage = fixedBpsSlippage('5'); // 0.05% worse on every taker fill
 * ```
 */
export function fixedBpsSlippage(bps: DecimalInput): SlippageModel {
  const value = toDecimal(bps, 'bps');
  if (value.isNegative()) throw new ValidationError('bps', 'be 0 or more', bps);
  const fraction = value.div(10_000);
  return Object.freeze({
    kind: 'fixed-bps',
    parameters: Object.freeze({ bps: formatDecimal(value) }),
    description: `slippage: taker fills move ${formatDecimal(value)} bps against the taker, rounded to the tick`,
    slippage: (context: SlippageContext) => context.price.times(fraction),
  });
}

/**
 * Returns a model that moves each taker fill a fraction of the last known spread against the
 * taker (`0.5` is half the spread: a fill at the mid becomes a fill at the touch). Without a
 * known spread (no quotes or book fed in) it moves nothing, and says so.
 *
 * @throws `ValidationError` when `fraction` is not a decimal of 0 or more
 * @example
 * ```ts
 * import { spreadFractionSlippage } from '@qtp/exchange';
 * const slippage = spreadFractionSlippage('0.5');
 * ```
 */
export function spreadFractionSlippage(fraction: DecimalInput): SlippageModel {
  const value = toDecimal(fraction, 'fraction');
  if (value.isNegative()) throw new ValidationError('fraction', 'be 0 or more', fraction);
  return Object.freeze({
    kind: 'spread-fraction',
    parameters: Object.freeze({ fraction: formatDecimal(value) }),
    description: `slippage: taker fills move ${formatDecimal(value)} of the last known spread against the taker, rounded to the tick; none while no spread is known`,
    slippage: (context: SlippageContext) =>
      context.spread === undefined || context.spread.isNegative()
        ? new Decimal(0)
        : context.spread.times(value),
  });
}
