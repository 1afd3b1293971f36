import { Decimal, type InstrumentId, type OrderSide } from '@qtp/core';

const ZERO = new Decimal(0);

/** One instrument's holding in a {@link FillLedger}: the signed quantity and the cash it moved. */
export interface LedgerHolding {
  /** The instrument held. */
  readonly instrumentId: InstrumentId;
  /** The signed quantity in the base asset: positive long, negative short. */
  quantity: number;
  /** The same quantity, exact: what a closing order is sized from. */
  exact: Decimal;
  /** The quote currency received minus paid for it. */
  cash: number;
  /** The average price of the open position, NaN when flat. */
  entryPrice: number;
}

type Holdings = Map<InstrumentId, LedgerHolding>;

function bookInto(
  holdings: Holdings,
  instrumentId: InstrumentId,
  side: OrderSide,
  quantity: Decimal,
  price: number,
): void {
  let holding = holdings.get(instrumentId);
  if (holding === undefined) {
    holding = { instrumentId, quantity: 0, exact: ZERO, cash: 0, entryPrice: Number.NaN };
    holdings.set(instrumentId, holding);
  }
  const before = holding.quantity;
  holding.exact = side === 'BUY' ? holding.exact.plus(quantity) : holding.exact.minus(quantity);
  holding.quantity = holding.exact.toNumber();
  const after = holding.quantity;
  if (after === 0) holding.entryPrice = Number.NaN;
  else if (before === 0 || Math.sign(before) !== Math.sign(after)) holding.entryPrice = price;
  else if (Math.abs(after) > Math.abs(before)) {
    // Growing: the average of the old entry and this fill, by quantity.
    holding.entryPrice =
      (holding.entryPrice * Math.abs(before) + price * (Math.abs(after) - Math.abs(before))) /
      Math.abs(after);
  }
  const amount = quantity.toNumber() * price;
  holding.cash += side === 'BUY' ? -amount : amount;
}

function holdingsValue(holdings: Holdings, marks: ReadonlyMap<InstrumentId, number>): number {
  let value = 0;
  // Over the values alone: a check reads equity for leverage, and entries would allocate.
  for (const holding of holdings.values()) {
    const mark = marks.get(holding.instrumentId);
    value +=
      holding.cash + (holding.quantity === 0 || mark === undefined ? 0 : holding.quantity * mark);
  }
  return value;
}

/**
 * Positions and trading P&L from fills, for the whole account and per strategy, on numbers:
 * the risk engine's own books, which need no portfolio. Quantities are also kept exact, so a
 * closing order is sized to the lot. P&L is before fees.
 *
 * @example
 * ```ts
 * import { Decimal, instrumentId } from '@qtp/core';
 * import { FillLedger } from '@qtp/risk';
 * const btc = instrumentId('BTCUSDT', 'BINANCE');
 * const ledger = new FillLedger();
 * ledger.book(btc, 'sma', 'BUY', new Decimal(1), 100);
 * ledger.pnl(new Map([[btc, 90]])); // -10
 * ```
 */
export class FillLedger {
  readonly #account: Holdings = new Map();
  readonly #strategies = new Map<string, Holdings>();

  /** Books a fill of `quantity` at `price`, for the account and, when given, for the strategy. */
  book(
    instrumentId: InstrumentId,
    strategyId: string | undefined,
    side: OrderSide,
    quantity: Decimal,
    price: number,
  ): void {
    bookInto(this.#account, instrumentId, side, quantity, price);
    if (strategyId === undefined) return;
    let holdings = this.#strategies.get(strategyId);
    if (holdings === undefined) {
      holdings = new Map();
      this.#strategies.set(strategyId, holdings);
    }
    bookInto(holdings, instrumentId, side, quantity, price);
  }

  /** Returns the signed position of the account, or of a strategy, in an instrument. */
  position(instrumentId: InstrumentId, strategyId?: string): number {
    const holdings = strategyId === undefined ? this.#account : this.#strategies.get(strategyId);
    return holdings?.get(instrumentId)?.quantity ?? 0;
  }

  /** Returns the exact signed position of the account, or of a strategy, in an instrument. */
  exactPosition(instrumentId: InstrumentId, strategyId?: string): Decimal {
    const holdings = strategyId === undefined ? this.#account : this.#strategies.get(strategyId);
    return holdings?.get(instrumentId)?.exact ?? ZERO;
  }

  /** Returns the holdings of the account, or of a strategy. */
  holdings(strategyId?: string): ReadonlyMap<InstrumentId, Readonly<LedgerHolding>> {
    const holdings = strategyId === undefined ? this.#account : this.#strategies.get(strategyId);
    return holdings ?? new Map();
  }

  /** Returns the ids of the strategies that have traded. */
  strategies(): string[] {
    return [...this.#strategies.keys()];
  }

  /** Returns the trading P&L of the account, or of a strategy, at the given marks. */
  pnl(marks: ReadonlyMap<InstrumentId, number>, strategyId?: string): number {
    const holdings = strategyId === undefined ? this.#account : this.#strategies.get(strategyId);
    return holdings === undefined ? 0 : holdingsValue(holdings, marks);
  }
}
