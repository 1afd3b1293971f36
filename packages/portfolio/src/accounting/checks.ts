import {
  Decimal,
  type DecimalInput,
  type Fill,
  type InstrumentId,
  ORDER_SIDES,
  toPositiveDecimal,
  ValidationError,
} from '@qtp/core';

const ASSET = /^[A-Za-z0-9]{1,20}$/;
const VENUE = /^[A-Z0-9][A-Z0-9_]*$/;

/** Returns `value` when it is an asset code (1 to 20 letters or digits), else throws naming `field`. */
export function checkAsset(value: unknown, field = 'asset'): string {
  if (typeof value !== 'string' || !ASSET.test(value)) {
    throw new ValidationError(field, 'be an asset code of 1 to 20 letters or digits', value);
  }
  return value;
}

/** Returns `value` when it is a venue name as instrument ids spell it, else throws. */
export function checkVenue(value: unknown, field = 'venue'): string {
  if (typeof value !== 'string' || !VENUE.test(value)) {
    throw new ValidationError(field, 'be upper-case letters, digits or "_"', value);
  }
  return value;
}

/** Returns a positive booked amount; a `number` is refused, as booked inputs never are numbers. */
export function checkAmount(value: DecimalInput, field: string): Decimal {
  if (typeof value !== 'string' && !Decimal.isDecimal(value)) {
    throw new ValidationError(field, 'be a Decimal or a decimal string', value);
  }
  return toPositiveDecimal(value, field);
}

/** Returns `value` when it is epoch milliseconds, else throws naming `field`. */
export function checkTime(value: unknown, field = 'timeMs'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(field, 'be epoch milliseconds (an integer, 0 or more)', value);
  }
  return value + 0;
}

/** Returns `value` when it is a finite number greater than 0, else throws naming `field`. */
export function checkPrice(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a finite number greater than 0', value);
  }
  return value;
}

// Sign and zero tests rather than `gt(0)`, which would build a Decimal of 0 on every call.
function isPositiveDecimal(value: unknown): boolean {
  if (!Decimal.isDecimal(value)) return false;
  const decimal = value as Decimal;
  return decimal.isFinite() && decimal.s === 1 && !decimal.isZero();
}

/**
 * Checks the fields booking reads. `createFill` already guarantees them; a fill built by hand
 * (or cast from JSON) may not, and a bad one must fail before anything changes.
 */
export function checkFill(fill: Fill): void {
  if (typeof fill !== 'object' || fill === null) {
    throw new ValidationError('fill', 'be a Fill', fill);
  }
  if (typeof fill.tradeId !== 'string' || fill.tradeId === '') {
    throw new ValidationError('tradeId', 'be a non-empty string', fill.tradeId);
  }
  if (!(ORDER_SIDES as readonly string[]).includes(fill.side)) {
    throw new ValidationError('side', `be one of ${ORDER_SIDES.join(', ')}`, fill.side);
  }
  if (!isPositiveDecimal(fill.quantity)) {
    throw new ValidationError(
      'quantity',
      'be a finite Decimal greater than 0',
      String(fill.quantity),
    );
  }
  if (!isPositiveDecimal(fill.price)) {
    throw new ValidationError('price', 'be a finite Decimal greater than 0', String(fill.price));
  }
  const fee = fill.fee;
  if (
    typeof fee !== 'object' ||
    fee === null ||
    !Decimal.isDecimal(fee.amount) ||
    !fee.amount.isFinite()
  ) {
    throw new ValidationError('fee', 'be a Money with a finite Decimal amount', fee);
  }
  checkAsset(fee.currency, 'fee.currency');
  checkTime(fill.timeMs);
}

/** Returns the key a fill is deduplicated by: trade ids are unique per instrument. */
export function fillKey(instrumentId: InstrumentId, tradeId: string): string {
  return `${instrumentId} ${tradeId}`;
}

/**
 * Returns an observed price as a Decimal: the shortest decimal that round-trips to the same
 * double, which is what `String(price)` prints, so a mark of 0.1 is exactly 0.1.
 */
export function markToDecimal(price: number): Decimal {
  return new Decimal(price);
}
