import { ValidationError } from '@qtp/core';
import { sampleStandardDeviation } from 'simple-statistics';

/**
 * A range indicator a stop can read: one update per bar with its high, low and close, returning
 * the value or `undefined` during warm-up. `ATR` from `@qtp/strategy` is one.
 */
export interface RangeIndicator {
  /** Adds a bar and returns the value, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): number | undefined;
}

/** Where a distance stop is measured from: the entry price, or the best price since entry. */
export type StopAnchor = 'entry' | 'extreme';

/**
 * One exit rule of a protected position. Prices are in the quote currency, percents are
 * fractions (0.02 = 2 %).
 *
 * - `fixed`: a stop at `price`, or `percent` away from the entry.
 * - `trailing`: a stop `percent` or `distance` behind the best price since entry; it only ever
 *   moves in the position's favour.
 * - `atr`: a stop `multiple` × the indicator (such as `new ATR(14)` from `@qtp/strategy`) from the
 *   entry or the best price, ratcheting like a trailing stop; none until the indicator is ready.
 * - `volatility`: a stop `multiple` × the sample standard deviation of the last `period` closes,
 *   from the entry or the best price, ratcheting; none until `period` closes are seen.
 * - `time`: an exit at the close of the first bar, or the first tick, `afterMs` after the entry.
 * - `takeProfit`: an exit at `price`, or `percent` beyond the entry.
 */
export type StopRule =
  | { readonly kind: 'fixed'; readonly price: number }
  | { readonly kind: 'fixed'; readonly percent: number }
  | { readonly kind: 'trailing'; readonly percent: number }
  | { readonly kind: 'trailing'; readonly distance: number }
  | {
      readonly kind: 'atr';
      readonly multiple: number;
      readonly indicator: RangeIndicator;
      readonly from: StopAnchor;
    }
  | {
      readonly kind: 'volatility';
      readonly multiple: number;
      readonly period: number;
      readonly from: StopAnchor;
    }
  | { readonly kind: 'time'; readonly afterMs: number }
  | { readonly kind: 'takeProfit'; readonly price: number }
  | { readonly kind: 'takeProfit'; readonly percent: number };

/** The kind of a {@link StopRule}. */
export type StopRuleKind = StopRule['kind'];

function positive(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a finite number greater than 0', value);
  }
}

/**
 * Checks a rule's numbers.
 * @throws `ValidationError` naming `rules[i].<field>` when one is not valid
 */
export function checkStopRule(rule: StopRule, index: number): void {
  const at = `rules[${index}]`;
  switch (rule.kind) {
    case 'fixed':
    case 'takeProfit':
      if ('price' in rule) positive(`${at}.price`, rule.price);
      else positive(`${at}.percent`, rule.percent);
      if ('percent' in rule && rule.kind === 'fixed' && rule.percent >= 1) {
        throw new ValidationError(`${at}.percent`, 'be below 1', rule.percent);
      }
      return;
    case 'trailing':
      if ('percent' in rule) {
        positive(`${at}.percent`, rule.percent);
        if (rule.percent >= 1)
          throw new ValidationError(`${at}.percent`, 'be below 1', rule.percent);
      } else positive(`${at}.distance`, rule.distance);
      return;
    case 'atr':
      positive(`${at}.multiple`, rule.multiple);
      if (typeof rule.indicator?.update !== 'function') {
        throw new ValidationError(
          `${at}.indicator`,
          'have an update(high, low, close) method',
          rule.indicator,
        );
      }
      return;
    case 'volatility':
      positive(`${at}.multiple`, rule.multiple);
      if (!Number.isInteger(rule.period) || rule.period < 2) {
        throw new ValidationError(`${at}.period`, 'be an integer of at least 2', rule.period);
      }
      return;
    case 'time':
      positive(`${at}.afterMs`, rule.afterMs);
      return;
    default:
      throw new ValidationError(
        `${at}.kind`,
        'be fixed, trailing, atr, volatility, time or takeProfit',
        (rule as { kind: unknown }).kind,
      );
  }
}

/** The rolling sample standard deviation of the last `period` closes. */
export class RollingCloses {
  readonly #values: number[] = [];
  constructor(readonly period: number) {}

  /** Adds a close and returns the standard deviation, or `undefined` until `period` are seen. */
  update(close: number): number | undefined {
    this.#values.push(close);
    if (this.#values.length > this.period) this.#values.shift();
    return this.#values.length < this.period ? undefined : sampleStandardDeviation(this.#values);
  }
}
