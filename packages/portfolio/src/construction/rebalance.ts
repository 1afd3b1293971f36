import {
  createOrderRequest,
  Decimal,
  type DecimalInput,
  type Instrument,
  type InstrumentId,
  type OrderRequest,
  toDecimal,
  ValidationError,
} from '@qtp/core';

/** One asset of a {@link planRebalance} call: what is held, what it is worth, what is wanted. */
export interface RebalanceAsset {
  /** The instrument traded against the portfolio's quote currency; its step rounds quantities. */
  readonly instrument: Instrument;
  /** The price used to value the position and size the order, in the quote currency; > 0. */
  readonly price: number;
  /** The quantity held now, in the base asset (0 or more). */
  readonly quantity: DecimalInput;
  /** The wanted weight of the asset in the portfolio's equity, in [0, 1]. */
  readonly targetWeight: number;
}

/** The input of {@link planRebalance}. */
export interface RebalanceOptions {
  /** Every asset held or wanted; an asset to sell out of has `targetWeight: 0`. */
  readonly assets: readonly RebalanceAsset[];
  /** The quote currency cash available, 0 or more. */
  readonly cash: DecimalInput;
  /**
   * The least absolute difference between an asset's weight and its target at which it is
   * traded; default 0 (always trade to the target, lot size permitting).
   */
  readonly driftThreshold?: number;
  /** The fee as a fraction of each order's notional, such as 0.001; default 0. */
  readonly feeRate?: number;
}

/** Why {@link planRebalance} left an asset alone. */
export type RebalanceSkipReason = 'within-drift' | 'below-lot' | 'below-minimum';

/** The orders that bring a portfolio to its target weights, with their estimated cost. */
export interface RebalancePlan {
  /** The equity the targets apply to: cash plus every position at its price. */
  readonly equity: number;
  /** Market orders, sells first so their proceeds pay for the buys. */
  readonly orders: OrderRequest[];
  /** The fees the orders are expected to cost, at `feeRate` of their notional. */
  readonly estimatedFees: number;
  /** The cash left once the orders fill at the given prices and the fees are paid. */
  readonly cashAfter: number;
  /** The assets not traded and why. */
  readonly skipped: readonly {
    readonly instrumentId: InstrumentId;
    readonly reason: RebalanceSkipReason;
  }[];
}

function check(options: RebalanceOptions): { cash: number; fee: number; drift: number } {
  const fee = options.feeRate ?? 0;
  if (!(fee >= 0 && fee < 1)) throw new ValidationError('feeRate', 'be in [0, 1)', fee);
  const drift = options.driftThreshold ?? 0;
  if (!(drift >= 0)) throw new ValidationError('driftThreshold', 'be 0 or more', drift);
  const cash = toDecimal(options.cash, 'cash');
  if (cash.isNegative()) throw new ValidationError('cash', 'be 0 or more', options.cash);
  let total = 0;
  options.assets.forEach((asset, i) => {
    if (!(Number.isFinite(asset.price) && asset.price > 0)) {
      throw new ValidationError(
        `assets[${i}].price`,
        'be a finite number greater than 0',
        asset.price,
      );
    }
    const w = asset.targetWeight;
    if (!(w >= 0 && w <= 1)) {
      throw new ValidationError(`assets[${i}].targetWeight`, 'be in [0, 1]', w);
    }
    total += w;
    if (toDecimal(asset.quantity, `assets[${i}].quantity`).isNegative()) {
      throw new ValidationError(`assets[${i}].quantity`, 'be 0 or more', asset.quantity);
    }
  });
  if (total > 1 + 1e-9)
    throw new ValidationError('assets', 'have target weights summing to at most 1', total);
  return { cash: cash.toNumber(), fee, drift };
}

/**
 * Returns the market orders that move a long-only portfolio to its target weights: each asset
 * whose weight is off its target by more than `driftThreshold` is traded to the target, the
 * quantity rounded down to the instrument's step (so no order grows by rounding), and orders
 * below the instrument's minimum quantity or notional are dropped. Fees are counted: the targets
 * apply to the equity net of the fees of the trades, and buys are scaled down when the cash after
 * sells and fees would not pay for them. A pure function: it reads numbers and returns requests,
 * for a strategy to submit.
 *
 * @throws {@link @qtp/core!ValidationError} naming the field for a bad price, weight, quantity,
 *   cash, fee rate or threshold
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * import { planRebalance } from '@qtp/portfolio';
 * const btc = new Instrument({ id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC',
 *   quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.0001' });
 * const plan = planRebalance({
 *   assets: [{ instrument: btc, price: 40_000, quantity: '0', targetWeight: 0.5 }],
 *   cash: '10000', feeRate: 0.001,
 * });
 * plan.orders[0]?.quantity.toString(); // '0.1249': half of the equity net of the fee, 10000 / 1.0005 / 2 / 40000
 * ```
 */
export function planRebalance(options: RebalanceOptions): RebalancePlan {
  const { cash, fee, drift } = check(options);
  const assets = options.assets;
  const held = assets.map((a) => toDecimal(a.quantity, 'quantity').toNumber());
  const values = assets.map((a, i) => held[i]! * a.price);
  const equity = cash + values.reduce((s, v) => s + v, 0);
  const skipped: { instrumentId: InstrumentId; reason: RebalanceSkipReason }[] = [];
  const traded = assets.map((a, i) => {
    const weight = equity > 0 ? values[i]! / equity : 0;
    const inDrift = Math.abs(weight - a.targetWeight) <= drift;
    if (inDrift) skipped.push({ instrumentId: a.instrument.id, reason: 'within-drift' });
    return !inDrift;
  });
  // The fees shrink the equity the targets apply to; a fixed point, reached in a few rounds.
  let net = equity;
  let trades = assets.map(() => 0);
  for (let round = 0; round < 8; round++) {
    trades = assets.map((a, i) => (traded[i] ? a.targetWeight * net - values[i]! : 0));
    const fees = fee * trades.reduce((s, t) => s + Math.abs(t), 0);
    const next = equity - fees;
    if (Math.abs(next - net) <= 1e-12 * equity) break;
    net = next;
  }
  const sells = trades.reduce((s, t) => s + (t < 0 ? -t : 0), 0);
  const buys = trades.reduce((s, t) => s + Math.max(t, 0), 0);
  const available = cash + sells * (1 - fee);
  const scale = buys * (1 + fee) > available ? available / (buys * (1 + fee)) : 1;
  const orders: OrderRequest[] = [];
  let notionalSold = 0;
  let notionalBought = 0;
  const order = (i: number): void => {
    const a = assets[i]!;
    const t = trades[i]!;
    if (!traded[i] || t === 0) return;
    const side = t > 0 ? 'BUY' : 'SELL';
    const wanted = side === 'BUY' ? (t * scale) / a.price : Math.min(-t / a.price, held[i]!);
    const quantity = a.instrument.roundQuantity(new Decimal(wanted.toPrecision(15)));
    if (quantity.isZero()) {
      skipped.push({ instrumentId: a.instrument.id, reason: 'below-lot' });
      return;
    }
    const notional = quantity.toNumber() * a.price;
    if (
      quantity.lt(a.instrument.minQuantity) ||
      new Decimal(notional).lt(a.instrument.minNotional)
    ) {
      skipped.push({ instrumentId: a.instrument.id, reason: 'below-minimum' });
      return;
    }
    if (side === 'BUY') notionalBought += notional;
    else notionalSold += notional;
    orders.push(
      createOrderRequest({ instrumentId: a.instrument.id, side, type: 'MARKET', quantity }),
    );
  };
  for (let i = 0; i < assets.length; i++) if (trades[i]! < 0) order(i);
  for (let i = 0; i < assets.length; i++) if (trades[i]! > 0) order(i);
  const estimatedFees = fee * (notionalSold + notionalBought);
  return {
    equity,
    orders,
    estimatedFees,
    cashAfter: cash + notionalSold - notionalBought - estimatedFees,
    skipped,
  };
}
