import {
  type Decimal,
  type Instrument,
  type OrderSide,
  toDecimal,
  ValidationError,
} from '@qtp/core';

function finiteText(value: number, field: string, allowZero: boolean): string {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    const rule = allowZero ? 'be a finite number, 0 or more' : 'be a finite number greater than 0';
    throw new ValidationError(field, rule, value);
  }
  // String(n) prints the shortest decimal that reads back as n, so no binary noise is booked.
  return String(value);
}

/**
 * Returns a quantity computed as a `number` (from a signal, a volatility target, an equity
 * fraction) as a booked {@link @qtp/core!Decimal}, rounded down to the instrument's step so an
 * order never grows by rounding. The result may be zero or below the instrument's minimum
 * quantity: check it before ordering.
 *
 * @param value - the quantity in the base asset, a finite number of 0 or more
 * @param instrument - the instrument whose step applies
 * @throws {@link @qtp/core!ValidationError} naming `quantity` when the value is negative, NaN or infinite
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * import { toOrderQuantity } from '@qtp/strategy';
 * const btc = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT',
 *   priceIncrement: '0.01', sizeIncrement: '0.001',
 * });
 * toOrderQuantity(1_000 / 27_123.45, btc).toString(); // '0.036'
 * ```
 */
export function toOrderQuantity(value: number, instrument: Instrument): Decimal {
  return instrument.roundQuantity(toDecimal(finiteText(value, 'quantity', true), 'quantity'));
}

/**
 * Returns a price computed as a `number` (a band, a moving average) as a booked
 * {@link @qtp/core!Decimal} on the instrument's tick, rounded in the order's favour: a buy price
 * down, a sell price up.
 *
 * @param value - the price, a finite number greater than 0
 * @param instrument - the instrument whose tick applies
 * @param side - the side of the order the price is for
 * @throws {@link @qtp/core!ValidationError} naming `price` when the value is not a finite number greater than 0
 * @example
 * ```ts
 * import { toOrderPrice } from '@qtp/strategy';
 * toOrderPrice(27_123.456, btc, 'BUY').toString(); // '27123.45' with a tick of 0.01
 * ```
 */
export function toOrderPrice(value: number, instrument: Instrument, side: OrderSide): Decimal {
  const price = toDecimal(finiteText(value, 'price', false), 'price');
  return instrument.roundPrice(price, side === 'BUY' ? 'down' : 'up');
}
