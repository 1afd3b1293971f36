import {
  createMoney,
  Decimal,
  type DecimalInput,
  formatDecimal,
  type Instrument,
  type LiquiditySide,
  type Money,
  type OrderSide,
  toDecimal,
  ValidationError,
} from '@qtp/core';

/** Which asset a fee is charged in: always the quote asset, or the asset the fill delivers. */
export type FeeAsset = 'quote' | 'received';

/** What a {@link FeeModel} needs to price one fill. */
export interface FeeContext {
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** The side of the order filled. */
  readonly side: OrderSide;
  /** The fill price. */
  readonly price: Decimal;
  /** The fill quantity in the base asset. */
  readonly quantity: Decimal;
  /** Whether the fill added or took liquidity. */
  readonly liquiditySide: LiquiditySide;
  /**
   * The notional, `price` times `quantity`, when the venue has it already; a model may use it
   * rather than multiply again, and must agree with the product when it does not.
   */
  readonly notional?: Decimal;
}

/** Prices the fee of each simulated fill. Plain data plus one pure function. */
export interface FeeModel {
  /** The model's name, such as `instrument-rates`. */
  readonly kind: string;
  /** The model's parameters as plain data, for {@link SimulatedExchange.assumptions}. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** One line saying what the model charges. */
  readonly description: string;
  /** Returns the fee of one fill; negative for a rebate. */
  fee(context: FeeContext): Money;
}

/** Options of {@link instrumentFees}. */
export interface InstrumentFeesOptions {
  /** The asset fees are charged in (default `quote`). */
  chargeIn?: FeeAsset;
}

/** Options of {@link fixedRateFees}. */
export interface FixedRateFeesOptions extends InstrumentFeesOptions {
  /** The maker rate, `'0.001'` for 0.1% (negative for a rebate). */
  maker: DecimalInput;
  /** The taker rate. */
  taker: DecimalInput;
}

function charge(context: FeeContext, rate: Decimal, chargeIn: FeeAsset): Money {
  const { instrument, side, price, quantity } = context;
  // The amounts are products of checked decimals and the assets an Instrument checked, so the
  // Money is built as it is rather than checked again by createMoney on every fill.
  // A buy delivers the base asset, so a fee "in the received asset" is a share of the quantity.
  if (chargeIn === 'received' && side === 'BUY') {
    return Object.freeze({ amount: quantity.times(rate), currency: instrument.baseAsset });
  }
  return Object.freeze({
    amount: (context.notional ?? price.times(quantity)).times(rate),
    currency: instrument.quoteAsset,
  });
}

function checkChargeIn(value: unknown): FeeAsset {
  if (value !== 'quote' && value !== 'received') {
    throw new ValidationError('chargeIn', 'be quote or received', value);
  }
  return value;
}

function checkRate(value: DecimalInput, field: string): Decimal {
  const rate = toDecimal(value, field);
  if (rate.abs().gte(1)) throw new ValidationError(field, 'be a rate between -1 and 1', value);
  return rate;
}

/**
 * Returns the default fee model: each instrument's own maker and taker rates
 * (`Instrument.makerFee`, `Instrument.takerFee`), charged in the quote asset unless told
 * otherwise. The fee is exact: price times quantity times rate, not rounded.
 *
 * @throws `ValidationError` when `chargeIn` is not `quote` or `received`
 * @example
 * ```ts
 * import { instrumentFees } from '@qtp/exchange';
 * const fees = instrumentFees({ chargeIn: 'received' }); // Binance's default: fee in the asset bought
 * ```
 */
export function instrumentFees(options: InstrumentFeesOptions = {}): FeeModel {
  const chargeIn = checkChargeIn(options.chargeIn ?? 'quote');
  return Object.freeze({
    kind: 'instrument-rates',
    parameters: Object.freeze({ chargeIn }),
    description: `fees: each instrument's maker and taker rates, charged in the ${chargeIn === 'quote' ? 'quote asset' : 'asset received'}`,
    fee: (context: FeeContext) =>
      charge(
        context,
        context.liquiditySide === 'MAKER'
          ? context.instrument.makerFee
          : context.instrument.takerFee,
        chargeIn,
      ),
  });
}

/**
 * Returns a fee model with the same maker and taker rates for every instrument.
 *
 * @throws `ValidationError` when a rate is not a decimal between -1 and 1
 * @example
 * ```ts
 * import { fixedRateFees } from '@qtp/exchange';
 * const fees = fixedRateFees({ maker: '0.0002', taker: '0.0005' });
 * ```
 */
export function fixedRateFees(options: FixedRateFeesOptions): FeeModel {
  const maker = checkRate(options.maker, 'maker');
  const taker = checkRate(options.taker, 'taker');
  const chargeIn = checkChargeIn(options.chargeIn ?? 'quote');
  return Object.freeze({
    kind: 'fixed-rates',
    parameters: Object.freeze({
      maker: formatDecimal(maker),
      taker: formatDecimal(taker),
      chargeIn,
    }),
    description: `fees: maker ${formatDecimal(maker.times(100))}%, taker ${formatDecimal(taker.times(100))}% on every instrument, charged in the ${chargeIn === 'quote' ? 'quote asset' : 'asset received'}`,
    fee: (context: FeeContext) =>
      charge(context, context.liquiditySide === 'MAKER' ? maker : taker, chargeIn),
  });
}

/**
 * Returns a fee model that charges nothing. Optimistic: use it only to isolate a strategy's
 * gross edge.
 *
 * @example
 * ```ts
 * import { noFees } from '@qtp/exchange';
 * const fees = noFees();
 * ```
 */
export function noFees(): FeeModel {
  return Object.freeze({
    kind: 'none',
    parameters: Object.freeze({}),
    description: 'fees: none (optimistic)',
    fee: (context: FeeContext) => createMoney(new Decimal(0), context.instrument.quoteAsset),
  });
}
