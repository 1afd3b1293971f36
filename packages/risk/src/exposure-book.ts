import { Decimal, type InstrumentId, type OrderView } from '@qtp/core';

const ZERO = new Decimal(0);
const STRATEGY_TAG = 'strategy:';

/** The working orders of one instrument within one scope, as running totals. */
export interface InstrumentExposure {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The remaining quantity of the scope's open buy orders, exact. */
  exactBuys: Decimal;
  /** The remaining quantity of the scope's open sell orders, exact. */
  exactSells: Decimal;
  /** `exactBuys` as a number, converted once per change. */
  buys: number;
  /** `exactSells` as a number, converted once per change. */
  sells: number;
  /** The scope's open orders in the instrument. */
  openOrders: number;
  /** The price of the first working order seen, for valuing it without a mark; NaN when none. */
  orderPrice: number;
}

/**
 * One scope's running totals (the account's or one strategy's): per instrument, the remaining
 * quantity of its open buys and sells and its open-order count, and the scope's open-order
 * count. Entries are kept in an array so a check walks them without allocating.
 *
 * @example
 * ```ts
 * const scope = new ScopeExposure();
 * scope.entry(btc).openOrders; // 0
 * ```
 */
export class ScopeExposure {
  /** Every instrument the scope has had working orders or a position in. */
  readonly entries: InstrumentExposure[] = [];
  /** The scope's open orders. */
  openOrders = 0;
  readonly #byId = new Map<InstrumentId, InstrumentExposure>();

  /** Returns the entry of an instrument, or `undefined` when the scope never had one. */
  find(instrumentId: InstrumentId): InstrumentExposure | undefined {
    return this.#byId.get(instrumentId);
  }

  /** Returns the entry of an instrument, created empty the first time. */
  entry(instrumentId: InstrumentId): InstrumentExposure {
    let entry = this.#byId.get(instrumentId);
    if (entry === undefined) {
      entry = {
        instrumentId,
        exactBuys: ZERO,
        exactSells: ZERO,
        buys: 0,
        sells: 0,
        openOrders: 0,
        orderPrice: Number.NaN,
      };
      this.#byId.set(instrumentId, entry);
      this.entries.push(entry);
    }
    return entry;
  }
}

interface TrackedOrder {
  readonly instrumentId: InstrumentId;
  readonly strategyId: string | undefined;
  readonly buy: boolean;
  remaining: Decimal;
  seen: number;
}

/** Returns the strategy id of the first `strategy:<id>` tag, or `undefined`. */
function strategyTag(tags: readonly string[]): string | undefined {
  for (const tag of tags) if (tag.startsWith(STRATEGY_TAG)) return tag.slice(STRATEGY_TAG.length);
  return undefined;
}

/**
 * The working orders of the account and of each strategy as running totals, so the pre-trade
 * check reads them instead of gathering every open order per check. {@link ExposureBook.sync}
 * brings the totals in line with the open orders the order manager hands the gate: an order
 * seen before with the same remaining quantity costs one lookup; only new orders, orders
 * whose remaining quantity changed (a partial fill) and orders gone (filled, canceled,
 * rejected, expired) move the totals, exactly, in `Decimal`.
 *
 * @example
 * ```ts
 * const book = new ExposureBook();
 * book.sync(oms.openOrders());
 * book.account.entry(btc).buys; // the remaining quantity of every open BTC buy
 * ```
 */
export class ExposureBook {
  /** The account's totals; an instrument scope reads the account's entry of its instrument. */
  readonly account = new ScopeExposure();
  readonly #strategies = new Map<string, ScopeExposure>();
  readonly #orders = new Map<OrderView, TrackedOrder>();
  #epoch = 0;

  /** The open orders tracked. */
  get size(): number {
    return this.#orders.size;
  }

  /** Returns a strategy's totals, or `undefined` when it never had a working order. */
  strategy(strategyId: string): ScopeExposure | undefined {
    return this.#strategies.get(strategyId);
  }

  /** Returns a strategy's totals, created empty the first time. */
  strategyScope(strategyId: string): ScopeExposure {
    let scope = this.#strategies.get(strategyId);
    if (scope === undefined) {
      scope = new ScopeExposure();
      this.#strategies.set(strategyId, scope);
    }
    return scope;
  }

  /**
   * Makes the totals those of `openOrders`: adds the orders not tracked yet, moves those whose
   * remaining quantity changed, and drops the tracked orders no longer among them.
   */
  sync(openOrders: readonly OrderView[]): void {
    const epoch = ++this.#epoch;
    let seen = 0;
    for (let i = 0; i < openOrders.length; i++) {
      const open = openOrders[i]!;
      const tracked = this.#orders.get(open);
      if (tracked === undefined) {
        this.#add(open, epoch);
        seen++;
        continue;
      }
      if (tracked.seen === epoch) continue;
      tracked.seen = epoch;
      seen++;
      const remaining = open.remainingQuantity;
      if (remaining !== tracked.remaining) {
        this.#move(tracked, tracked.remaining, -1);
        tracked.remaining = remaining;
        this.#move(tracked, remaining, 1);
      }
    }
    if (this.#orders.size === seen) return;
    for (const [order, tracked] of this.#orders) {
      if (tracked.seen === epoch) continue;
      this.#orders.delete(order);
      this.#count(tracked, -1);
      this.#move(tracked, tracked.remaining, -1);
    }
  }

  #add(open: OrderView, epoch: number): void {
    const tracked: TrackedOrder = {
      instrumentId: open.instrumentId,
      strategyId: strategyTag(open.tags),
      buy: open.side === 'BUY',
      remaining: open.remainingQuantity,
      seen: epoch,
    };
    this.#orders.set(open, tracked);
    this.#count(tracked, 1);
    this.#move(tracked, tracked.remaining, 1);
    const price = open.price?.toNumber() ?? Number.NaN;
    if (Number.isNaN(price)) return;
    const own = this.account.entry(tracked.instrumentId);
    if (Number.isNaN(own.orderPrice)) own.orderPrice = price;
    if (tracked.strategyId === undefined) return;
    const ofStrategy = this.strategyScope(tracked.strategyId).entry(tracked.instrumentId);
    if (Number.isNaN(ofStrategy.orderPrice)) ofStrategy.orderPrice = price;
  }

  #count(tracked: TrackedOrder, by: 1 | -1): void {
    this.account.openOrders += by;
    this.account.entry(tracked.instrumentId).openOrders += by;
    if (tracked.strategyId === undefined) return;
    const scope = this.strategyScope(tracked.strategyId);
    scope.openOrders += by;
    scope.entry(tracked.instrumentId).openOrders += by;
  }

  #move(tracked: TrackedOrder, quantity: Decimal, sign: 1 | -1): void {
    if (quantity.isZero()) return;
    moveEntry(this.account.entry(tracked.instrumentId), tracked.buy, quantity, sign);
    if (tracked.strategyId === undefined) return;
    const entry = this.strategyScope(tracked.strategyId).entry(tracked.instrumentId);
    moveEntry(entry, tracked.buy, quantity, sign);
  }
}

function moveEntry(entry: InstrumentExposure, buy: boolean, quantity: Decimal, sign: 1 | -1): void {
  if (buy) {
    entry.exactBuys = sign === 1 ? entry.exactBuys.plus(quantity) : entry.exactBuys.minus(quantity);
    entry.buys = entry.exactBuys.toNumber();
  } else {
    entry.exactSells =
      sign === 1 ? entry.exactSells.plus(quantity) : entry.exactSells.minus(quantity);
    entry.sells = entry.exactSells.toNumber();
  }
}
