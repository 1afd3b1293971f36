import * as z from 'zod';
import {
  compareDecimals,
  Decimal,
  type DecimalInput,
  formatDecimal,
  toDecimal,
} from './decimal.js';
import { isQtpError, ValidationError, type ValidationIssue } from './errors.js';
import { type InstrumentId, parseInstrumentId, symbolOf, venueOf } from './identifiers.js';
import { type IncrementRounding, isMultipleOf, roundToIncrement } from './increment.js';
import { checkCurrency } from './money.js';
import { ORDER_SIDES, type OrderSide } from './orders/order-types.js';
import { decimalStringSchema, parseWith } from './zod-errors.js';

/** The most significant digits a booked value may carry: the precision of {@link Decimal}. */
const MAX_SIGNIFICANT_DIGITS = 34;

/** The plain options an {@link Instrument} is built from. Decimals are `Decimal` or strings. */
export interface InstrumentOptions {
  /** The instrument id, `SYMBOL.VENUE`. */
  id: InstrumentId;
  /** The venue's symbol (default: the symbol part of `id`). */
  symbol?: string;
  /** The venue (default: the venue part of `id`, which it must equal). */
  venue?: string;
  /** The asset bought and sold, such as `BTC`. */
  baseAsset: string;
  /** The asset prices are quoted in, such as `USDT`. */
  quoteAsset: string;
  /** The tick: every price is a multiple of it. */
  priceIncrement: DecimalInput;
  /** The step (lot size): every quantity is a multiple of it. */
  sizeIncrement: DecimalInput;
  /** The smallest quantity (default: the step). */
  minQuantity?: DecimalInput;
  /** The largest quantity (default: no limit). */
  maxQuantity?: DecimalInput;
  /** The smallest price times quantity, in the quote asset (default 0). */
  minNotional?: DecimalInput;
  /** The lowest price the venue accepts (default: no limit). */
  minPrice?: DecimalInput;
  /** The highest price the venue accepts (default: no limit). */
  maxPrice?: DecimalInput;
  /** The maker fee as a rate, `'0.001'` for 0.1% (default 0; negative for a rebate). */
  makerFee?: DecimalInput;
  /** The taker fee as a rate, `'0.001'` for 0.1% (default 0). */
  takerFee?: DecimalInput;
  /** Decimal places of a price (default: those of the tick). */
  pricePrecision?: number;
  /** Decimal places of a quantity (default: those of the step). */
  sizePrecision?: number;
}

/** The JSON form of an {@link Instrument}: every decimal as a string. */
export interface InstrumentJson {
  /** The instrument id, `SYMBOL.VENUE`. */
  id: string;
  /** The venue's symbol. */
  symbol: string;
  /** The venue. */
  venue: string;
  /** The base asset. */
  baseAsset: string;
  /** The quote asset. */
  quoteAsset: string;
  /** The tick. */
  priceIncrement: string;
  /** The step. */
  sizeIncrement: string;
  /** The smallest quantity. */
  minQuantity?: string;
  /** The largest quantity, absent when unlimited. */
  maxQuantity?: string;
  /** The smallest notional. */
  minNotional?: string;
  /** The lowest price, absent when unlimited. */
  minPrice?: string;
  /** The highest price, absent when unlimited. */
  maxPrice?: string;
  /** The maker fee rate. */
  makerFee?: string;
  /** The taker fee rate. */
  takerFee?: string;
  /** Decimal places of a price. */
  pricePrecision?: number;
  /** Decimal places of a quantity. */
  sizePrecision?: number;
}

/** The name of one trading rule an order can break; see {@link Instrument.validateOrder}. */
export type InstrumentRule =
  | 'side'
  | 'finite'
  | 'positive'
  | 'precision'
  | 'tick'
  | 'step'
  | 'minPrice'
  | 'maxPrice'
  | 'minQuantity'
  | 'maxQuantity'
  | 'minNotional';

/** A {@link ValidationIssue} that also names the trading rule it broke. */
export interface InstrumentRuleIssue extends ValidationIssue {
  /** The rule broken, such as `tick` or `minNotional`. */
  readonly check: InstrumentRule;
}

/** The order terms {@link Instrument.validateOrder} checks. */
export interface OrderTerms {
  /** The side. */
  side: OrderSide;
  /** The limit price; give the expected price of a market order to check its notional. */
  price?: DecimalInput;
  /** The quantity in the base asset. */
  quantity: DecimalInput;
}

/** Terms rounded by {@link Instrument.roundOrder}. */
export interface RoundedOrderTerms {
  /** The side, unchanged. */
  side: OrderSide;
  /** The price on the tick, when a price was given. */
  price?: Decimal;
  /** The quantity on the step. */
  quantity: Decimal;
}

type Collected<T> = { ok: true; value: T } | { ok: false };

function collect<T>(issues: ValidationIssue[], read: () => T): Collected<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    issues.push(...(error as ValidationError).issues);
    return { ok: false };
  }
}

function precisionOption(
  issues: ValidationIssue[],
  field: string,
  given: number | undefined,
  increment: Decimal | undefined,
): number {
  const derived = increment?.decimalPlaces() ?? 0;
  if (given === undefined) return derived;
  if (!Number.isSafeInteger(given) || given < derived || given > MAX_SIGNIFICANT_DIGITS) {
    issues.push({
      field,
      rule: `be an integer from ${derived} (the increment's decimal places) to ${MAX_SIGNIFICANT_DIGITS}`,
      value: given,
    });
  }
  return given;
}

/**
 * A tradable instrument and its trading rules: tick, step, quantity and notional limits, fees
 * and precision. Immutable. It rounds prices and quantities to its rules and reports every rule
 * an order breaks.
 *
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * const btc = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'),
 *   baseAsset: 'BTC',
 *   quoteAsset: 'USDT',
 *   priceIncrement: '0.01',
 *   sizeIncrement: '0.00001',
 *   minNotional: '5',
 *   takerFee: '0.001',
 * });
 * btc.roundPrice('27123.456', 'down').toString(); // '27123.45'
 * btc.validateOrder({ side: 'BUY', price: '27123.455', quantity: '0.0001' });
 * // [{ check: 'tick', ... }, { check: 'minNotional', ... }]
 * ```
 */
export class Instrument {
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly id: InstrumentId;
  /** The venue's symbol. */
  readonly symbol: string;
  /** The venue. */
  readonly venue: string;
  /** The asset bought and sold. */
  readonly baseAsset: string;
  /** The asset prices are quoted in. */
  readonly quoteAsset: string;
  /** The tick: every price is a multiple of it. */
  readonly priceIncrement: Decimal;
  /** The step: every quantity is a multiple of it. */
  readonly sizeIncrement: Decimal;
  /** The smallest quantity. */
  readonly minQuantity: Decimal;
  /** The largest quantity, `undefined` when unlimited. */
  readonly maxQuantity: Decimal | undefined;
  /** The smallest notional (price times quantity) in the quote asset. */
  readonly minNotional: Decimal;
  /** The lowest price, `undefined` when unlimited. */
  readonly minPrice: Decimal | undefined;
  /** The highest price, `undefined` when unlimited. */
  readonly maxPrice: Decimal | undefined;
  /** The maker fee rate (negative for a rebate). */
  readonly makerFee: Decimal;
  /** The taker fee rate. */
  readonly takerFee: Decimal;
  /** Decimal places of a price. */
  readonly pricePrecision: number;
  /** Decimal places of a quantity. */
  readonly sizePrecision: number;

  /**
   * Creates an instrument from plain options, checking every one.
   * @throws {@link ValidationError} listing every bad option: options that are not an object, a
   * tick or step that is not positive, a minimum or maximum quantity that is not a multiple of the
   * step, a minimum or maximum price that is not a multiple of the tick, a minimum above its
   * maximum, a fee rate outside (-1, 1), an unknown venue
   */
  constructor(options: InstrumentOptions) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new ValidationError('(root)', 'be an instrument options object', options);
    }
    const issues: ValidationIssue[] = [];
    const id = collect(issues, () => parseInstrumentId(options.id));
    this.id = id.ok ? id.value : options.id;
    this.symbol = options.symbol ?? (id.ok ? symbolOf(id.value) : '');
    if (typeof this.symbol !== 'string' || this.symbol === '') {
      issues.push({ field: 'symbol', rule: 'be a non-empty string', value: options.symbol });
    }
    this.venue = options.venue ?? (id.ok ? venueOf(id.value) : '');
    if (id.ok && this.venue !== venueOf(id.value)) {
      issues.push({ field: 'venue', rule: `equal the venue of ${id.value}`, value: options.venue });
    }
    this.baseAsset = options.baseAsset;
    this.quoteAsset = options.quoteAsset;
    collect(issues, () => checkCurrency(options.baseAsset, 'baseAsset'));
    collect(issues, () => checkCurrency(options.quoteAsset, 'quoteAsset'));
    if (options.baseAsset === options.quoteAsset) {
      issues.push({
        field: 'quoteAsset',
        rule: 'differ from the base asset',
        value: options.quoteAsset,
      });
    }

    const decimal = (
      field: keyof InstrumentOptions,
      value: DecimalInput | undefined,
      fallback?: Decimal,
    ) => {
      if (value === undefined) return fallback;
      const result = collect(issues, () => toDecimal(value, field));
      return result.ok ? result.value : undefined;
    };
    const positive = (field: keyof InstrumentOptions, value: Decimal | undefined, raw: unknown) => {
      if (value?.lte(0)) issues.push({ field, rule: 'be greater than 0', value: raw });
    };
    const notAbove = (
      field: keyof InstrumentOptions,
      value: Decimal | undefined,
      bound: Decimal | undefined,
      what: string,
      raw: unknown,
    ) => {
      if (value !== undefined && bound !== undefined && value.gt(bound)) {
        issues.push({ field, rule: `be at most ${what} ${formatDecimal(bound)}`, value: raw });
      }
    };

    const tick = decimal('priceIncrement', options.priceIncrement);
    const step = decimal('sizeIncrement', options.sizeIncrement);
    if (options.priceIncrement === undefined)
      issues.push({ field: 'priceIncrement', rule: 'be present', value: undefined });
    if (options.sizeIncrement === undefined)
      issues.push({ field: 'sizeIncrement', rule: 'be present', value: undefined });
    positive('priceIncrement', tick, options.priceIncrement);
    positive('sizeIncrement', step, options.sizeIncrement);
    const minQuantity = decimal('minQuantity', options.minQuantity, step);
    const maxQuantity = decimal('maxQuantity', options.maxQuantity);
    if (minQuantity?.isNegative())
      issues.push({ field: 'minQuantity', rule: 'be 0 or more', value: options.minQuantity });
    positive('maxQuantity', maxQuantity, options.maxQuantity);
    notAbove('minQuantity', minQuantity, maxQuantity, 'the maximum quantity', options.minQuantity);
    const minNotional = decimal('minNotional', options.minNotional, new Decimal(0));
    if (minNotional?.isNegative())
      issues.push({ field: 'minNotional', rule: 'be 0 or more', value: options.minNotional });
    const minPrice = decimal('minPrice', options.minPrice);
    const maxPrice = decimal('maxPrice', options.maxPrice);
    positive('minPrice', minPrice, options.minPrice);
    positive('maxPrice', maxPrice, options.maxPrice);
    notAbove('minPrice', minPrice, maxPrice, 'the maximum price', options.minPrice);
    // A bound off the grid can never be met exactly: the venue's filters would contradict each other.
    const onGrid = (
      field: keyof InstrumentOptions,
      value: Decimal | undefined,
      increment: Decimal | undefined,
      what: string,
    ) => {
      if (value === undefined || increment === undefined || !increment.gt(0)) return;
      if (!isMultipleOf(value, increment)) {
        const rule = `be a multiple of the ${what} ${formatDecimal(increment)}`;
        issues.push({ field, rule, value: options[field] });
      }
    };
    if (options.minQuantity !== undefined)
      onGrid('minQuantity', minQuantity, step, 'size increment');
    onGrid('maxQuantity', maxQuantity, step, 'size increment');
    onGrid('minPrice', minPrice, tick, 'price increment');
    onGrid('maxPrice', maxPrice, tick, 'price increment');
    const zero = new Decimal(0);
    const makerFee = decimal('makerFee', options.makerFee, zero);
    const takerFee = decimal('takerFee', options.takerFee, zero);
    for (const [field, fee] of [
      ['makerFee', makerFee],
      ['takerFee', takerFee],
    ] as const) {
      if (fee?.abs().gte(1)) {
        issues.push({ field, rule: 'be a rate between -1 and 1', value: options[field] });
      }
    }
    this.pricePrecision = precisionOption(issues, 'pricePrecision', options.pricePrecision, tick);
    this.sizePrecision = precisionOption(issues, 'sizePrecision', options.sizePrecision, step);
    if (issues.length > 0) throw new ValidationError(issues);

    // Every value below was read above without an issue, so none is undefined.
    this.priceIncrement = tick!;
    this.sizeIncrement = step!;
    this.minQuantity = minQuantity!;
    this.maxQuantity = maxQuantity;
    this.minNotional = minNotional!;
    this.minPrice = minPrice;
    this.maxPrice = maxPrice;
    this.makerFee = makerFee!;
    this.takerFee = takerFee!;
    Object.freeze(this);
  }

  /**
   * Returns `price` rounded to the tick, `'nearest'` (ties to the even tick), `'up'` or `'down'`.
   * @throws {@link ValidationError} naming `price` when it is not a finite decimal
   * @example
   * ```ts
   * // with a tick of 0.05
   * instrument.roundPrice('101.37', 'nearest').toString(); // '101.35'
   * ```
   */
  roundPrice(price: DecimalInput, mode: IncrementRounding = 'nearest'): Decimal {
    return roundToIncrement(toDecimal(price, 'price'), this.priceIncrement, mode);
  }

  /**
   * Returns `quantity` rounded down to the step, so an order never grows by rounding.
   * @throws {@link ValidationError} naming `quantity` when it is not a finite decimal or is negative
   */
  roundQuantity(quantity: DecimalInput): Decimal {
    const value = toDecimal(quantity, 'quantity');
    if (value.isNegative()) throw new ValidationError('quantity', 'be 0 or more', quantity);
    return roundToIncrement(value, this.sizeIncrement, 'down');
  }

  /**
   * Returns the terms rounded in the order's favour: a buy price down to the tick, a sell price
   * up, the quantity down to the step. Check the result with {@link Instrument.validateOrder}:
   * rounding down can take a quantity below the minimum.
   *
   * @throws {@link ValidationError} when a value is not a finite decimal
   * @example
   * ```ts
   * instrument.roundOrder({ side: 'SELL', price: '27123.456', quantity: '0.123456' });
   * // { side: 'SELL', price: 27123.46, quantity: 0.12345 } with tick 0.01 and step 0.00001
   * ```
   */
  roundOrder(terms: OrderTerms): RoundedOrderTerms {
    const quantity = this.roundQuantity(terms.quantity);
    if (terms.price === undefined) return { side: terms.side, quantity };
    const price = this.roundPrice(terms.price, terms.side === 'BUY' ? 'down' : 'up');
    return { side: terms.side, price, quantity };
  }

  /**
   * Returns every rule the order breaks, or an empty list. Each issue names the field, the
   * rule in words, the value and the rule's name in `check`. The notional is checked only when
   * a price is given.
   *
   * @example
   * ```ts
   * const issues = instrument.validateOrder({ side: 'BUY', price: '0.015', quantity: '0.0015' });
   * issues.map((issue) => issue.check); // ['tick', 'step', 'minNotional']
   * ```
   */
  validateOrder(terms: OrderTerms): InstrumentRuleIssue[] {
    const issues: InstrumentRuleIssue[] = [];
    if (!(ORDER_SIDES as readonly unknown[]).includes(terms.side)) {
      issues.push({
        field: 'side',
        rule: `be one of ${ORDER_SIDES.join(', ')}`,
        value: terms.side,
        check: 'side',
      });
    }
    const price =
      terms.price === undefined ? undefined : this.checkNumber(issues, 'price', terms.price);
    const quantity = this.checkNumber(issues, 'quantity', terms.quantity);
    if (price !== undefined) {
      if (!isMultipleOf(price, this.priceIncrement)) {
        const rule = `be a multiple of the tick ${formatDecimal(this.priceIncrement)}`;
        issues.push({ field: 'price', rule, value: terms.price, check: 'tick' });
      }
      if (this.minPrice !== undefined && compareDecimals(price, this.minPrice) < 0) {
        const rule = `be at least the minimum price ${formatDecimal(this.minPrice)}`;
        issues.push({ field: 'price', rule, value: terms.price, check: 'minPrice' });
      }
      if (this.maxPrice !== undefined && compareDecimals(price, this.maxPrice) > 0) {
        const rule = `be at most the maximum price ${formatDecimal(this.maxPrice)}`;
        issues.push({ field: 'price', rule, value: terms.price, check: 'maxPrice' });
      }
    }
    if (quantity !== undefined) {
      if (!isMultipleOf(quantity, this.sizeIncrement)) {
        const rule = `be a multiple of the step ${formatDecimal(this.sizeIncrement)}`;
        issues.push({ field: 'quantity', rule, value: terms.quantity, check: 'step' });
      }
      if (compareDecimals(quantity, this.minQuantity) < 0) {
        const rule = `be at least the minimum quantity ${formatDecimal(this.minQuantity)}`;
        issues.push({ field: 'quantity', rule, value: terms.quantity, check: 'minQuantity' });
      }
      if (this.maxQuantity !== undefined && compareDecimals(quantity, this.maxQuantity) > 0) {
        const rule = `be at most the maximum quantity ${formatDecimal(this.maxQuantity)}`;
        issues.push({ field: 'quantity', rule, value: terms.quantity, check: 'maxQuantity' });
      }
    }
    if (price !== undefined && quantity !== undefined) {
      const notional = price.times(quantity);
      if (compareDecimals(notional, this.minNotional) < 0) {
        issues.push({
          field: 'notional',
          rule: `be at least the minimum notional ${formatDecimal(this.minNotional)} ${this.quoteAsset}`,
          value: formatDecimal(notional),
          check: 'minNotional',
        });
      }
    }
    return issues;
  }

  /**
   * Throws when the order breaks any rule, listing them all in one error.
   * @throws {@link ValidationError} whose `issues` are those of {@link Instrument.validateOrder}
   */
  assertValidOrder(terms: OrderTerms): void {
    const issues = this.validateOrder(terms);
    if (issues.length > 0)
      throw new ValidationError(issues, undefined, undefined, {
        details: { instrumentId: this.id },
      });
  }

  /** Returns the JSON form, with every decimal as a plain string. */
  toJSON(): InstrumentJson {
    const json: InstrumentJson = {
      id: this.id,
      symbol: this.symbol,
      venue: this.venue,
      baseAsset: this.baseAsset,
      quoteAsset: this.quoteAsset,
      priceIncrement: formatDecimal(this.priceIncrement),
      sizeIncrement: formatDecimal(this.sizeIncrement),
      minQuantity: formatDecimal(this.minQuantity),
      minNotional: formatDecimal(this.minNotional),
      makerFee: formatDecimal(this.makerFee),
      takerFee: formatDecimal(this.takerFee),
      pricePrecision: this.pricePrecision,
      sizePrecision: this.sizePrecision,
    };
    if (this.maxQuantity !== undefined) json.maxQuantity = formatDecimal(this.maxQuantity);
    if (this.minPrice !== undefined) json.minPrice = formatDecimal(this.minPrice);
    if (this.maxPrice !== undefined) json.maxPrice = formatDecimal(this.maxPrice);
    return json;
  }

  // A value that fails to parse or is not positive makes the other checks on it meaningless, so
  // it yields one issue and `undefined`.
  private checkNumber(
    issues: InstrumentRuleIssue[],
    field: 'price' | 'quantity',
    raw: DecimalInput,
  ): Decimal | undefined {
    let value: Decimal;
    try {
      value = toDecimal(raw, field);
    } catch (error) {
      if (!isQtpError(error, 'VALIDATION')) throw error;
      const rule = (error as ValidationError).rule;
      let check: InstrumentRule = 'finite';
      if (rule === 'not be -0') check = 'positive';
      else if (rule.includes('significant digits')) check = 'precision';
      issues.push({ field, rule, value: raw, check });
      return undefined;
    }
    // Sign and zero read in place: `lte(0)` would parse the 0 into a Decimal on every order.
    if (value.s !== 1 || value.isZero()) {
      issues.push({ field, rule: 'be greater than 0', value: raw, check: 'positive' });
      return undefined;
    }
    if (value.precision(true) > MAX_SIGNIFICANT_DIGITS) {
      const rule = `have at most ${MAX_SIGNIFICANT_DIGITS} significant digits`;
      issues.push({ field, rule, value: raw, check: 'precision' });
    }
    return value;
  }
}

// exactOptional: an absent key stays absent rather than becoming `undefined`.
const optionalDecimal = decimalStringSchema.exactOptional();

/** The zod schema of {@link InstrumentJson}; unknown keys are refused so a typo never passes. */
export const instrumentJsonSchema: z.ZodType<InstrumentJson> = z.strictObject({
  id: z.string(),
  symbol: z.string(),
  venue: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  priceIncrement: decimalStringSchema,
  sizeIncrement: decimalStringSchema,
  minQuantity: optionalDecimal,
  maxQuantity: optionalDecimal,
  minNotional: optionalDecimal,
  minPrice: optionalDecimal,
  maxPrice: optionalDecimal,
  makerFee: optionalDecimal,
  takerFee: optionalDecimal,
  pricePrecision: z.number().int().exactOptional(),
  sizePrecision: z.number().int().exactOptional(),
});

/**
 * Parses the JSON form of an instrument, as written by {@link Instrument.toJSON} or by hand in a
 * config file.
 *
 * @throws {@link ValidationError} with the path of every malformed field, or every broken rule
 * @example
 * ```ts
 * import { parseInstrument } from '@qtp/core';
 * const eth = parseInstrument({
 *   id: 'ETHUSDT.BINANCE', symbol: 'ETHUSDT', venue: 'BINANCE', baseAsset: 'ETH',
 *   quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.0001',
 * });
 * ```
 */
export function parseInstrument(input: unknown): Instrument {
  const json = parseWith(instrumentJsonSchema, input);
  const options: InstrumentOptions = {
    id: json.id as InstrumentId,
    symbol: json.symbol,
    venue: json.venue,
    baseAsset: json.baseAsset,
    quoteAsset: json.quoteAsset,
    priceIncrement: json.priceIncrement,
    sizeIncrement: json.sizeIncrement,
  };
  // Copy only the keys present: with exact optional types an absent option is not `undefined`.
  const optional = [
    'minQuantity',
    'maxQuantity',
    'minNotional',
    'minPrice',
    'maxPrice',
    'makerFee',
    'takerFee',
  ] as const;
  for (const key of optional) {
    const value = json[key];
    if (value !== undefined) options[key] = value;
  }
  if (json.pricePrecision !== undefined) options.pricePrecision = json.pricePrecision;
  if (json.sizePrecision !== undefined) options.sizePrecision = json.sizePrecision;
  return new Instrument(options);
}
