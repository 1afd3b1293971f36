import {
  createMoney,
  Decimal,
  type Fill,
  type InstrumentId,
  type Money,
  ValidationError,
} from '@qtp/core';
import type { InstrumentAssets } from './account.js';
import { checkFill, checkPrice, markToDecimal } from './checks.js';
import { compare, min, plus, ZERO } from './decimal-ops.js';

/** The direction of a position or a lot: `LONG` holds the base asset, `SHORT` owes it. */
export type PositionSide = 'LONG' | 'SHORT';

/** A lot still open: what one opening fill added to a position and has not yet been closed. */
export interface OpenLot {
  /** The trade id of the fill that opened the lot. */
  readonly entryTradeId: string;
  /** The direction of the lot, the same as the position's. */
  readonly side: PositionSide;
  /** The quantity still open, in the base asset, greater than 0. */
  readonly quantity: Decimal;
  /** The price the lot was opened at. */
  readonly entryPrice: Decimal;
  /** When the opening fill happened, epoch milliseconds. */
  readonly entryTimeMs: number;
  /** The part of the opening fill's fee not yet carried by a closed lot, in the fee's currency. */
  readonly entryFee: Money;
}

/** A lot (or part of one) that a reducing fill closed, with the P&L it realized. */
export interface ClosedLot {
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** The direction of the lot closed: a `LONG` lot is closed by a sell. */
  readonly side: PositionSide;
  /** The quantity closed, in the base asset, greater than 0. */
  readonly quantity: Decimal;
  /** The trade id of the fill that opened the lot. */
  readonly entryTradeId: string;
  /** The trade id of the fill that closed it. */
  readonly exitTradeId: string;
  /** The price the lot was opened at. */
  readonly entryPrice: Decimal;
  /** The price it was closed at. */
  readonly exitPrice: Decimal;
  /** When the lot was opened, epoch milliseconds. */
  readonly entryTimeMs: number;
  /** When it was closed, epoch milliseconds. */
  readonly exitTimeMs: number;
  /**
   * The realized P&L in the quote asset, before fees: `(exit - entry) * quantity` for a long lot,
   * `(entry - exit) * quantity` for a short one. Exact.
   */
  readonly realizedPnl: Money;
  /**
   * This lot's share of the opening fill's fee, pro rata by quantity and rounded half-even to 18
   * decimal places; the last share of a fee is what is left of it, so shares add up to the fee.
   */
  readonly entryFee: Money;
  /** This lot's share of the closing fill's fee, allocated like `entryFee`. */
  readonly exitFee: Money;
}

/** What booking one fill did to a {@link Position}. */
export interface PositionChange {
  /** The lots the fill closed, oldest first; empty when it only opened. */
  readonly closedLots: readonly ClosedLot[];
  /** The lot the fill opened, or `null` when it only closed. */
  readonly openedLot: OpenLot | null;
  /** The signed quantity before the fill. */
  readonly previousQuantity: Decimal;
  /** The signed quantity after it. */
  readonly quantity: Decimal;
  /** The P&L the fill realized in the quote asset, before fees: the sum over `closedLots`. */
  readonly realizedPnl: Money;
}

function lotPnl(side: PositionSide, entry: Decimal, exit: Decimal, quantity: Decimal): Decimal {
  const perUnit = side === 'LONG' ? exit.minus(entry) : entry.minus(exit);
  return perUnit.times(quantity);
}

/**
 * Fee shares are rounded to a fixed 18 decimal places (half-even), not to significant digits:
 * then each remainder (fee minus its shares) is exact, and the shares of a fee add back to it.
 */
const FEE_SHARE_DECIMALS = 18;

/** Returns `fee * part / whole`, or the whole fee when the part is all of it. */
function feeShare(fee: Money, part: Decimal, whole: Decimal): Money {
  if (compare(part, whole) === 0) return fee;
  if (fee.amount.isZero()) return money(ZERO, fee.currency);
  const share = fee.amount
    .times(part)
    .div(whole)
    .toDecimalPlaces(FEE_SHARE_DECIMALS, Decimal.ROUND_HALF_EVEN);
  return money(share, fee.currency);
}

/** Returns a Money without checking the currency again: every currency here was checked on entry. */
function money(amount: Decimal, currency: string): Money {
  return Object.freeze({ amount, currency });
}

/**
 * Books into `position` a fill the caller has already checked with `checkFill` and matched to its
 * instrument. Portfolio books through this, so each fill is checked once rather than once more.
 */
export let applyCheckedFill: (position: Position, fill: Fill) => PositionChange;

/**
 * Returns the base quantity a fill moves: its quantity, less a fee charged in the base asset on a
 * buy, plus one on a sell.
 * @throws ValidationError when a buy's base fee takes all it bought or more
 */
function baseMoved(fill: Fill, baseAsset: string): Decimal {
  const fee = fill.fee;
  if (fee.currency !== baseAsset || fee.amount.isZero()) return fill.quantity;
  if (fill.side === 'SELL') return fill.quantity.plus(fee.amount);
  const held = fill.quantity.minus(fee.amount);
  if (compare(held, ZERO) <= 0) {
    throw new ValidationError(
      'fee.amount',
      `be less than the quantity ${fill.quantity.toString()} when charged in the base asset ${baseAsset}`,
      fee.amount.toString(),
    );
  }
  return held;
}

function addTo(totals: Map<string, Decimal>, money: Money): void {
  totals.set(money.currency, (totals.get(money.currency) ?? ZERO).plus(money.amount));
}

/**
 * The position in one instrument at one venue, booked fill by fill with FIFO lots.
 *
 * A fill on the side of the position (or on a flat one) opens a lot. A fill against it closes
 * the oldest lots first, each closed lot realizing `(exit - entry) * quantity` for a long lot or
 * `(entry - exit) * quantity` for a short one; a fill larger than the position closes it fully
 * and opens the remainder on the other side. Quantities are signed: positive long, negative
 * short. Fees never enter the P&L: they are totalled per currency in {@link Position.fees}, and
 * each lot carries its pro-rata share of its fills' fees.
 *
 * A fee charged in the base asset comes out of the base the fill moves, as on a venue: a buy of
 * `q` with a fee of `f` base holds `q - f`, and a sell of `q` gives up `q + f`. The position books
 * what is held, so it always equals the base balance the fills leave, and selling it is never
 * refused for funds.
 *
 * A `Position` books fills without deduplicating them; {@link Portfolio} does that.
 *
 * @example
 * ```ts
 * import { createFill, createMoney, instrumentId } from '@qtp/core';
 * import { Position } from '@qtp/portfolio';
 *
 * const id = instrumentId('BTCUSDT', 'BINANCE');
 * const position = new Position({ id, baseAsset: 'BTC', quoteAsset: 'USDT' });
 * const fill = (tradeId: string, side: 'BUY' | 'SELL', price: string, quantity: string) =>
 *   createFill({
 *     tradeId, clientOrderId: tradeId, venueOrderId: tradeId, instrumentId: id, side, price,
 *     quantity, fee: createMoney('0', 'USDT'), liquiditySide: 'TAKER', timeMs: 0,
 *   });
 * position.apply(fill('1', 'BUY', '100', '2'));
 * position.apply(fill('2', 'BUY', '110', '1'));
 * const change = position.apply(fill('3', 'SELL', '120', '2.5'));
 * change.realizedPnl.amount.toString(); // '45': 2 × (120 - 100) + 0.5 × (120 - 110)
 * position.quantity.toString(); // '0.5'
 * position.unrealizedPnl(130).amount.toString(); // '10'
 * ```
 */
export class Position {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The asset held or owed. */
  readonly baseAsset: string;
  /** The asset P&L is measured in. */
  readonly quoteAsset: string;
  private lotList: OpenLot[] = [];
  // Index of the oldest open lot: closing from the front advances it instead of shifting the array.
  private head = 0;
  private readonly closed: ClosedLot[] = [];
  // The signed sum of the open lots, kept in step with them: summing the lots on every fill made
  // booking slow down with the number of lots open (measured in bench/portfolio.bench.ts).
  private net: Decimal = ZERO;
  private realized: Decimal = ZERO;
  private readonly feeTotals = new Map<string, Decimal>();

  static {
    applyCheckedFill = (position, fill) => position.book(fill);
  }

  /** Creates a flat position in the instrument. */
  constructor(instrument: InstrumentAssets) {
    this.instrumentId = instrument.id;
    this.baseAsset = instrument.baseAsset;
    this.quoteAsset = instrument.quoteAsset;
  }

  /** The open lots, oldest first; all on the position's side. */
  get lots(): readonly OpenLot[] {
    return this.lotList.slice(this.head);
  }

  /** The signed quantity: the sum of the open lots, positive long, negative short, zero flat. */
  get quantity(): Decimal {
    return this.net;
  }

  /** The direction, or `FLAT` when no lot is open. */
  get side(): PositionSide | 'FLAT' {
    return this.lotList[this.head]?.side ?? 'FLAT';
  }

  /**
   * The quantity-weighted mean entry price of the open lots, derived from them, or `null` when
   * flat. Division rounds half-even to 34 significant digits.
   */
  get averageEntryPrice(): Decimal | null {
    let quantity = ZERO;
    let cost = ZERO;
    for (let i = this.head; i < this.lotList.length; i++) {
      const lot = this.lotList[i]!;
      quantity = quantity.plus(lot.quantity);
      cost = cost.plus(lot.entryPrice.times(lot.quantity));
    }
    return quantity.isZero() ? null : cost.div(quantity);
  }

  /** The lots closed so far, in the order they were closed. */
  get closedLots(): readonly ClosedLot[] {
    return this.closed;
  }

  /** The P&L realized so far in the quote asset, before fees: the sum over {@link Position.closedLots}. */
  get realizedPnl(): Money {
    return createMoney(this.realized, this.quoteAsset);
  }

  /** The fees paid on every fill booked, one total per currency, sorted by currency. */
  get fees(): Money[] {
    return [...this.feeTotals.keys()]
      .sort()
      .map((currency) => createMoney(this.feeTotals.get(currency)!, currency));
  }

  /**
   * Returns the P&L the open lots would realize if closed at `mark`, in the quote asset, before
   * fees. The mark is an observed `number`; it enters as the shortest decimal that prints it, so
   * the result is exact for that decimal.
   * @throws ValidationError when the mark is not a finite number greater than 0
   */
  unrealizedPnl(mark: number): Money {
    const price = markToDecimal(checkPrice(mark, 'mark'));
    let pnl = ZERO;
    for (let i = this.head; i < this.lotList.length; i++) {
      const lot = this.lotList[i]!;
      pnl = pnl.plus(lotPnl(lot.side, lot.entryPrice, price, lot.quantity));
    }
    return createMoney(pnl, this.quoteAsset);
  }

  /**
   * Books `fill`: closes the oldest lots first, then opens a lot with what is left.
   * @throws ValidationError when the fill is malformed or for another instrument; nothing changes
   */
  apply(fill: Fill): PositionChange {
    checkFill(fill);
    if (fill.instrumentId !== this.instrumentId) {
      throw new ValidationError('instrumentId', `be ${this.instrumentId}`, fill.instrumentId);
    }
    return this.book(fill);
  }

  private book(fill: Fill): PositionChange {
    const previousQuantity = this.net;
    const fillSide: PositionSide = fill.side === 'BUY' ? 'LONG' : 'SHORT';
    const closedLots: ClosedLot[] = [];
    const moved = baseMoved(fill, this.baseAsset);
    let remaining = moved;
    let fillPnl = ZERO;
    let exitFeeLeft = fill.fee;
    // Close the oldest lots of the other side first.
    while (
      !remaining.isZero() &&
      this.head < this.lotList.length &&
      this.lotList[this.head]!.side !== fillSide
    ) {
      const lot = this.lotList[this.head]!;
      const quantity = min(lot.quantity, remaining);
      const pnl = lotPnl(lot.side, lot.entryPrice, fill.price, quantity);
      const entryFee = feeShare(lot.entryFee, quantity, lot.quantity);
      const exitFee = feeShare(exitFeeLeft, quantity, remaining);
      closedLots.push(
        Object.freeze({
          instrumentId: this.instrumentId,
          side: lot.side,
          quantity,
          entryTradeId: lot.entryTradeId,
          exitTradeId: fill.tradeId,
          entryPrice: lot.entryPrice,
          exitPrice: fill.price,
          entryTimeMs: lot.entryTimeMs,
          exitTimeMs: fill.timeMs,
          realizedPnl: money(pnl, this.quoteAsset),
          entryFee,
          exitFee,
        }),
      );
      fillPnl = fillPnl === ZERO ? pnl : fillPnl.plus(pnl);
      if (exitFee !== exitFeeLeft) {
        exitFeeLeft = money(exitFeeLeft.amount.minus(exitFee.amount), exitFeeLeft.currency);
      }
      remaining = remaining.minus(quantity);
      if (quantity === lot.quantity || compare(quantity, lot.quantity) === 0) {
        this.head += 1;
      } else {
        this.lotList[this.head] = Object.freeze({
          ...lot,
          quantity: lot.quantity.minus(quantity),
          entryFee: money(lot.entryFee.amount.minus(entryFee.amount), lot.entryFee.currency),
        });
      }
    }
    if (this.head === this.lotList.length) {
      this.lotList = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.lotList.length) {
      this.lotList = this.lotList.slice(this.head);
      this.head = 0;
    }
    let openedLot: OpenLot | null = null;
    if (!remaining.isZero()) {
      openedLot = Object.freeze({
        entryTradeId: fill.tradeId,
        side: fillSide,
        quantity: remaining,
        entryPrice: fill.price,
        entryTimeMs: fill.timeMs,
        entryFee: exitFeeLeft,
      });
      this.lotList.push(openedLot);
    }
    for (const lot of closedLots) this.closed.push(lot);
    this.net = fillSide === 'LONG' ? previousQuantity.plus(moved) : previousQuantity.minus(moved);
    this.realized = plus(this.realized, fillPnl);
    if (!fill.fee.amount.isZero()) addTo(this.feeTotals, fill.fee);
    return Object.freeze({
      closedLots: Object.freeze(closedLots),
      openedLot,
      previousQuantity,
      quantity: this.net,
      realizedPnl: money(fillPnl, this.quoteAsset),
    });
  }
}
