import {
  type Decimal,
  type Instrument,
  type LiquiditySide,
  type Money,
  type Order,
  roundToIncrement,
  ValidationError,
} from '@qtp/core';
import type { CashAccount } from './cash-account.js';
import { compare, isPositive, max, min, ZERO } from './decimal-ops.js';
import type { FeeModel } from './fee-model.js';
import type { MatchingEngine, WorkingOrder } from './matching-engine.js';
import type { SlippageModel } from './slippage-model.js';

const BOTH_SIDES: readonly LiquiditySide[] = ['MAKER', 'TAKER'];
const TAKER_ONLY: readonly LiquiditySide[] = ['TAKER'];

/** What one fill came to once funded: its price after slippage, its quantity and its fee. */
export interface FundedFill {
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly fee: Money;
}

/**
 * The money side of the simulated venue: what an order locks when it arrives, how far a taker
 * fill slips, and paying for each fill out of the order's lock and the free balance, exactly.
 */
export class Funding {
  constructor(
    private readonly cash: CashAccount,
    private readonly feeModel: FeeModel,
    private readonly slippage: SlippageModel,
  ) {}

  // A sell locks its quantity; a buy locks its notional at the limit (or trigger, or reference)
  // price plus the larger of the maker and taker fee when fees are paid in the quote asset.
  lockAmount(instrument: Instrument, engine: MatchingEngine, order: Order): Decimal {
    if (order.side === 'SELL') return order.quantity;
    const price = order.price ?? order.triggerPrice ?? engine.referencePrice('BUY');
    if (price === undefined) return ZERO;
    let fee = ZERO;
    const notional = price.times(order.quantity);
    // A market order only ever takes, so only the taker fee can apply to it.
    const sides = order.type === 'MARKET' ? TAKER_ONLY : BOTH_SIDES;
    for (const liquiditySide of sides) {
      const charged = this.feeModel.fee({
        instrument,
        side: 'BUY',
        price,
        quantity: order.quantity,
        liquiditySide,
        notional,
      });
      if (charged.currency === instrument.quoteAsset) fee = max(fee, charged.amount);
    }
    return notional.plus(fee);
  }

  /**
   * Prices one fill (slippage for takers, the fee) and pays for it: a buy spends quote from its
   * lock first, then from free, and receives base; a sell spends its locked base and receives
   * quote. Returns `undefined` when a buy without a full lock (a market buy) cannot afford a
   * single lot; the quantity comes back smaller when it can afford only part.
   * @throws ValidationError when the fee model charges an asset the fill neither pays nor receives
   */
  settle(
    work: WorkingOrder,
    engine: MatchingEngine,
    basePrice: Decimal,
    asked: Decimal,
    liquiditySide: LiquiditySide,
  ): FundedFill | undefined {
    const instrument = engine.instrument;
    const { baseAsset, quoteAsset } = instrument;
    const side = work.order.side;
    const price =
      liquiditySide === 'TAKER' ? this.slipped(work, engine, basePrice, asked) : basePrice;
    let quantity = asked;
    // Multiplied out once: the fee, a buy's cost and a sell's proceeds all start from it.
    const notional = price.times(quantity);
    let fee = this.feeModel.fee({ instrument, side, price, quantity, liquiditySide, notional });
    if (fee.currency !== quoteAsset && !(side === 'BUY' && fee.currency === baseAsset)) {
      throw new ValidationError(
        'fee.currency',
        `be ${quoteAsset}, or ${baseAsset} on a buy`,
        fee.currency,
      );
    }
    if (side === 'BUY') {
      let cost = fee.currency === quoteAsset ? notional.plus(fee.amount) : notional;
      // Only a buy whose lock falls short needs the free balance looked at.
      if (compare(cost, work.locked) > 0) {
        const available = work.locked.plus(this.cash.free(quoteAsset));
        if (compare(cost, available) > 0) {
          quantity = roundToIncrement(
            available.div(cost.div(quantity)),
            instrument.sizeIncrement,
            'down',
          );
          if (!isPositive(quantity)) return undefined;
          fee = this.feeModel.fee({ instrument, side, price, quantity, liquiditySide });
          cost = this.costOf(price, quantity, fee, quoteAsset);
        }
      }
      const fromLocked = min(cost, work.locked);
      this.cash.pay(quoteAsset, fromLocked, fromLocked === cost ? ZERO : cost.minus(fromLocked));
      work.locked = fromLocked === work.locked ? ZERO : work.locked.minus(fromLocked);
      this.cash.credit(
        baseAsset,
        fee.currency === baseAsset ? quantity.minus(fee.amount) : quantity,
      );
    } else {
      this.cash.pay(baseAsset, quantity, ZERO);
      work.locked = compare(work.locked, quantity) === 0 ? ZERO : work.locked.minus(quantity);
      this.cash.credit(
        quoteAsset,
        fee.currency === quoteAsset ? notional.minus(fee.amount) : notional,
      );
    }
    return { price, quantity, fee };
  }

  private costOf(price: Decimal, quantity: Decimal, fee: Money, quoteAsset: string): Decimal {
    const notional = price.times(quantity);
    return fee.currency === quoteAsset ? notional.plus(fee.amount) : notional;
  }

  private slipped(
    work: WorkingOrder,
    engine: MatchingEngine,
    price: Decimal,
    quantity: Decimal,
  ): Decimal {
    const { order } = work;
    const instrument = engine.instrument;
    const move = this.slippage.slippage({
      instrument,
      side: order.side,
      price,
      quantity,
      spread: engine.spread(),
    });
    if (!isPositive(move)) return price;
    const tick = instrument.priceIncrement;
    if (order.side === 'BUY') {
      const moved = roundToIncrement(price.plus(move), tick, 'up');
      return order.price === undefined ? moved : min(moved, max(price, order.price));
    }
    const moved = max(roundToIncrement(price.minus(move), tick, 'down'), tick);
    return order.price === undefined ? moved : max(moved, min(price, order.price));
  }
}
