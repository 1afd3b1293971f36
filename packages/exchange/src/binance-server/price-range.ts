import { type Decimal, type DecimalInput, toPositiveDecimal } from '@qtp/core';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';

/**
 * A symbol's PRICE_RANGE execution rule: multipliers of the reference price that bound where a
 * taker may trade, buys in `[ref × bidLimitMultDown, ref × bidLimitMultUp]`, sells in
 * `[ref × askLimitMultDown, ref × askLimitMultUp]`. A missing multiplier lifts that bound.
 */
export interface PriceRangeRule {
  /** The top of the buy band as a multiple of the reference price. */
  bidLimitMultUp?: DecimalInput;
  /** The bottom of the buy band as a multiple of the reference price. */
  bidLimitMultDown?: DecimalInput;
  /** The top of the sell band as a multiple of the reference price. */
  askLimitMultUp?: DecimalInput;
  /** The bottom of the sell band as a multiple of the reference price. */
  askLimitMultDown?: DecimalInput;
}

const KEYS = ['bidLimitMultUp', 'bidLimitMultDown', 'askLimitMultUp', 'askLimitMultDown'] as const;

/** A rule with its multipliers checked and exact. */
export type CheckedPriceRange = Partial<Record<(typeof KEYS)[number], Decimal>>;

/**
 * Checks a rule's multipliers (each a decimal above 0).
 * @throws `ValidationError` naming the multiplier when one is not above 0
 */
export function checkPriceRange(rule: PriceRangeRule): CheckedPriceRange {
  const checked: CheckedPriceRange = {};
  for (const key of KEYS) {
    const value = rule[key];
    if (value !== undefined) checked[key] = toPositiveDecimal(value, `priceRange.${key}`);
  }
  return checked;
}

/** The rule as `executionRules` lists it. */
export function priceRangeJson(rule: CheckedPriceRange): Record<string, string> {
  const json: Record<string, string> = { ruleType: 'PRICE_RANGE' };
  for (const key of KEYS) {
    const value = rule[key];
    if (value !== undefined) json[key] = toBinanceDecimal(value);
  }
  return json;
}

/** The inclusive band a taker of `side` may trade in around `reference`; an open end is undefined. */
export function priceBand(
  rule: CheckedPriceRange,
  side: 'BUY' | 'SELL',
  reference: Decimal,
): { low: Decimal | undefined; high: Decimal | undefined } {
  const up = side === 'BUY' ? rule.bidLimitMultUp : rule.askLimitMultUp;
  const down = side === 'BUY' ? rule.bidLimitMultDown : rule.askLimitMultDown;
  return { low: down?.times(reference), high: up?.times(reference) };
}

/** How the matching engine takes an order once the PRICE_RANGE rule is applied to it. */
export type TakerTerms =
  | {
      readonly kind: 'AS_IS';
    }
  | {
      /** Trade as an IOC limit at the band's edge: what lies beyond would breach the rule. */
      readonly kind: 'CAPPED';
      readonly price: Decimal;
    }
  | {
      /** The first trade would already be outside the band: expire without trading. */
      readonly kind: 'OUTSIDE';
    };

/**
 * Applies the rule to a taker: a buy may not trade above the band's top, so one whose limit (or
 * market order) reaches past it is capped there as IOC; a buy whose best ask is under the band's
 * bottom would breach on its first trade. Sells mirror this.
 */
export function takerTerms(
  band: { low: Decimal | undefined; high: Decimal | undefined },
  side: 'BUY' | 'SELL',
  limit: Decimal | undefined,
  best: Decimal | undefined,
): TakerTerms {
  if (side === 'BUY') {
    if (best !== undefined && band.low !== undefined && best.lt(band.low))
      return { kind: 'OUTSIDE' };
    if (band.high !== undefined && (limit === undefined || limit.gt(band.high)))
      return { kind: 'CAPPED', price: band.high };
    return { kind: 'AS_IS' };
  }
  if (best !== undefined && band.high !== undefined && best.gt(band.high))
    return { kind: 'OUTSIDE' };
  if (band.low !== undefined && (limit === undefined || limit.lt(band.low)))
    return { kind: 'CAPPED', price: band.low };
  return { kind: 'AS_IS' };
}
