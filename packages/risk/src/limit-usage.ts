import type { InstrumentId } from '@qtp/core';
import type { LimitSet } from './risk-config.js';

/**
 * A configured limit and how much of it is in use now, in the limit's own unit: the figures a
 * monitoring view shows beside each limit.
 */
export interface LimitUsage {
  /** The limit's path, as refusals name it, such as `account.maxPosition` or `strategy:sma.maxOpenOrders`. */
  readonly name: string;
  /** The configured limit. */
  readonly limit: number;
  /** How much of it is used now. */
  readonly used: number;
  /** The unit, for the limits whose unit the risk engine knows: `orders`, `orders/s`, `x` (times equity) or `fraction` (of the equity peak). */
  readonly unit?: string;
}

/** The figures of one scope that its usage is read from. */
export interface ScopeFigures {
  /** The scope's name, such as `account` or `instrument:BTCUSDT.BINANCE`. */
  readonly name: string;
  /** The scope's positions, in the base asset. */
  readonly positions: ReadonlyMap<InstrumentId, number>;
  /** The last price or mid of each instrument. */
  readonly marks: ReadonlyMap<InstrumentId, number>;
  /** The scope's open orders, when an order manager is known. */
  readonly openOrders: number | undefined;
  /** The orders of the scope within the last second, when it has an order-rate limit. */
  readonly ordersLastSecond: number | undefined;
  /** The account's equity. */
  readonly equity: () => number;
}

/**
 * Returns the usage of the limits of `limits` that hold between orders: position, gross and net
 * exposure of the positions held (valued at their marks; an instrument without a mark counts
 * nothing), leverage (when equity is above 0), open orders and order rate. The limits that apply
 * to one order at a time (quantity, notional, price band) have no usage and are left out.
 *
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { limitUsage } from '@qtp/risk';
 * const btc = instrumentId('BTCUSDT', 'BINANCE');
 * limitUsage({ maxPosition: 2 }, {
 *   name: 'account', positions: new Map([[btc, -0.5]]), marks: new Map(),
 *   openOrders: undefined, ordersLastSecond: undefined, equity: () => 0,
 * });
 * // [{ name: 'account.maxPosition', limit: 2, used: 0.5 }]
 * ```
 */
export function limitUsage(limits: LimitSet, figures: ScopeFigures): LimitUsage[] {
  const rows: LimitUsage[] = [];
  const name = (limit: string) => `${figures.name}.${limit}`;
  if (limits.maxPosition !== undefined) {
    let largest = 0;
    for (const quantity of figures.positions.values())
      largest = Math.max(largest, Math.abs(quantity));
    rows.push({ name: name('maxPosition'), limit: limits.maxPosition, used: largest });
  }
  let gross = 0;
  let net = 0;
  for (const [id, quantity] of figures.positions) {
    const mark = figures.marks.get(id);
    if (mark === undefined) continue;
    gross += Math.abs(quantity * mark);
    net += quantity * mark;
  }
  if (limits.maxGrossExposure !== undefined) {
    rows.push({ name: name('maxGrossExposure'), limit: limits.maxGrossExposure, used: gross });
  }
  if (limits.maxNetExposure !== undefined) {
    rows.push({ name: name('maxNetExposure'), limit: limits.maxNetExposure, used: Math.abs(net) });
  }
  if (limits.maxLeverage !== undefined) {
    const equity = figures.equity();
    if (equity > 0) {
      rows.push({
        name: name('maxLeverage'),
        limit: limits.maxLeverage,
        used: gross / equity,
        unit: 'x',
      });
    }
  }
  if (limits.maxOpenOrders !== undefined && figures.openOrders !== undefined) {
    rows.push({
      name: name('maxOpenOrders'),
      limit: limits.maxOpenOrders,
      used: figures.openOrders,
      unit: 'orders',
    });
  }
  if (limits.maxOrdersPerSecond !== undefined && figures.ordersLastSecond !== undefined) {
    rows.push({
      name: name('maxOrdersPerSecond'),
      limit: limits.maxOrdersPerSecond,
      used: figures.ordersLastSecond,
      unit: 'orders/s',
    });
  }
  return rows;
}
