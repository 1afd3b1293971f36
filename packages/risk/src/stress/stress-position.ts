import { ValidationError } from '@qtp/core';

/** A holding as a stress test sees it: what it is, how much, and at what price. */
export interface StressPosition {
  /** The instrument held, such as `BTCUSDT.BINANCE`. */
  readonly instrumentId: string;
  /** Its base asset, such as `BTC`: asset and group shocks select by it. */
  readonly asset: string;
  /** The signed quantity in the base asset: positive long, negative short. */
  readonly quantity: number;
  /** The mark price, greater than 0, in the currency the report totals in. */
  readonly price: number;
  /**
   * The bid-ask spread as a fraction of the price (0.001 for 10 basis points), at least 0
   * (default 0). Closing the position costs half the (stressed) spread on its value.
   */
  readonly spread?: number;
}

/** Throws unless every position is well formed; returns them. */
export function checkPositions(positions: readonly StressPosition[]): readonly StressPosition[] {
  if (!Array.isArray(positions)) {
    throw new ValidationError('positions', 'be an array of positions', positions);
  }
  positions.forEach((position, i) => {
    const field = `positions[${i}]`;
    if (typeof position !== 'object' || position === null) {
      throw new ValidationError(field, 'be an object', position);
    }
    if (typeof position.instrumentId !== 'string' || position.instrumentId === '') {
      throw new ValidationError(
        `${field}.instrumentId`,
        'be a non-empty string',
        position.instrumentId,
      );
    }
    if (typeof position.asset !== 'string' || position.asset === '') {
      throw new ValidationError(`${field}.asset`, 'be a non-empty string', position.asset);
    }
    if (!Number.isFinite(position.quantity)) {
      throw new ValidationError(`${field}.quantity`, 'be a finite number', position.quantity);
    }
    if (!Number.isFinite(position.price) || position.price <= 0) {
      throw new ValidationError(`${field}.price`, 'be a finite number above 0', position.price);
    }
    const spread = position.spread;
    if (spread !== undefined && (!Number.isFinite(spread) || spread < 0)) {
      throw new ValidationError(`${field}.spread`, 'be a finite number of at least 0', spread);
    }
  });
  return positions;
}
