import {
  type Bar,
  type BookDelta,
  type BookLevel,
  type BookSnapshot,
  type Decimal,
  type Instrument,
  type LiquiditySide,
  type Order,
  OrderBook,
  type QuoteTick,
  roundToIncrement,
  type TimerId,
  type TradeTick,
} from '@qtp/core';
import { compare, decimalOf, isPositive, min, ZERO } from './decimal-ops.js';
import { type FillModel, intrabarPath, type LimitFillRule } from './fill-model.js';

// Past this many distinct book prices the engine's price cache starts afresh, so a long run of
// book updates cannot grow it without bound.
const PRICE_CACHE_LIMIT = 4_096;

/** An accepted order as the engine works it: the core Order plus the venue's bookkeeping. */
export interface WorkingOrder {
  readonly order: Order;
  readonly venueOrderId: string;
  readonly seq: number;
  /** Market data events numbered up to this one are not matched against the order. */
  epoch: number;
  /** Whether a stop order's trigger was reached. */
  triggered: boolean;
  /** Not yet matched against any market data since it arrived or was triggered. */
  fresh: boolean;
  /** A limit order marketable against the reference price when it arrived: it takes. */
  takerOnArrival: boolean;
  /** Book model, and trade model with queue position: the size ahead of the order at its price. */
  queueAhead: Decimal;
  /** Trade model with traded taker volume: a taker partly filled that takes again at the next trade. */
  walking?: boolean;
  /** Funds held for the order, in `lockedAsset`. */
  locked: Decimal;
  lockedAsset: string;
  expiryTimer: TimerId | undefined;
  /** The limit price as a number, to compare with book levels; set on first use. */
  limitNumber?: number;
}

/** What the engine asks of its exchange; fills may come back smaller when funds run short. */
export interface EngineHost {
  /** Fills at the clock's time, or at `timeMs` when given (a bar fill at the bar's open). */
  fill(
    work: WorkingOrder,
    price: Decimal,
    quantity: Decimal,
    liquidity: LiquiditySide,
    timeMs?: number,
  ): Decimal;
  trigger(work: WorkingOrder): void;
  expire(work: WorkingOrder): void;
}

interface PathPoint {
  readonly price: Decimal;
  // Where on the bar's path: 0 the open, 1..3 the later points, fractions in between.
  readonly key: number;
}

interface BarAction {
  readonly work: WorkingOrder;
  readonly key: number;
  readonly kind: 'trigger' | 'fill';
  readonly price: Decimal;
  readonly liquidity: LiquiditySide;
}

// The book model compares a resting limit with book levels (numbers) at every book change; the
// Decimal-to-number conversion goes through a string, so it is done once per order.
function limitNumberOf(work: WorkingOrder): number {
  if (work.limitNumber === undefined) work.limitNumber = work.order.price!.toNumber();
  return work.limitNumber;
}

const isStop = (order: Order) => order.type === 'STOP_MARKET' || order.type === 'STOP_LIMIT';
const isImmediate = (order: Order) =>
  order.type === 'MARKET' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK';

// True when `price` is at or better than `limit` for the side: the order would trade there.
function marketable(buy: boolean, price: Decimal, limit: Decimal): boolean {
  const versus = compare(price, limit);
  return buy ? versus <= 0 : versus >= 0;
}

// True when observed trading at `price` fills a resting limit under the rule.
function crosses(buy: boolean, price: Decimal, limit: Decimal, rule: LimitFillRule): boolean {
  const versus = compare(price, limit);
  if (rule === 'touch' && versus === 0) return true;
  return buy ? versus < 0 : versus > 0;
}

// What a path point is tested for: reaching a stop's trigger, or trading through a limit.
type ReachTest = 'trigger' | LimitFillRule;

// True when `price` passes the test against `level` for the side. A plain switch rather than a
// predicate closure, as the bar path runs it for every working order on every bar.
function reaches(buy: boolean, price: Decimal, level: Decimal, test: ReachTest): boolean {
  if (test !== 'trigger') return crosses(buy, price, level, test);
  const versus = compare(price, level);
  return buy ? versus >= 0 : versus <= 0;
}

// The index of the first point of a monotone path that passes the test, -1 when none does.
function firstReachIndex(
  points: readonly PathPoint[],
  buy: boolean,
  level: Decimal,
  test: ReachTest,
): number {
  for (let i = 0; i < points.length; i++) {
    if (reaches(buy, points[i]!.price, level, test)) return i;
  }
  return -1;
}

// Where on the path between points `i - 1` and `i` the price reaches `level`.
function keyWithin(points: readonly PathPoint[], i: number, level: Decimal): number {
  const from = points[i - 1]!;
  const to = points[i]!;
  const share = level.minus(from.price).abs().div(to.price.minus(from.price).abs()).toNumber();
  return from.key + (to.key - from.key) * Math.min(1, share);
}

// Bar actions in path order; at one point the older order first, and its trigger before its fill.
function byPathThenSeq(a: BarAction, b: BarAction): number {
  return a.key - b.key || a.work.seq - b.work.seq || (a.kind === 'trigger' ? -1 : 1);
}

/**
 * The matching engine of one instrument: works accepted orders against the market data the
 * host pushes in, by the chosen fill model, and reports triggers, fills and expiries to its host.
 */
export class MatchingEngine {
  private readonly working: WorkingOrder[] = [];
  private epoch = 0;
  // The last traded price as observed; its Decimal is made only when asked for, so bars and
  // trades that meet no order cost no decimal parsing.
  // A number from the start, so recording a price per bar stores it in place rather than boxing it.
  private lastObserved = 0;
  private observed = false;
  private lastDecimal: Decimal | undefined;
  private quote: QuoteTick | undefined;
  private readonly book: OrderBook;
  // Book model: the size a level still shows after our takers consumed part of it, until the
  // venue updates that level. Kept as what is left, so a level our takers emptied is skipped
  // without parsing its size again.
  private readonly left = {
    bids: new Map<number, Decimal>(),
    asks: new Map<number, Decimal>(),
  };
  // Book model: the Decimal of each book price met, as the same prices come back order after order.
  private readonly prices = new Map<number, Decimal>();
  // The bar model's volume cap as a Decimal, made once rather than per bar.
  private readonly volumeCap: Decimal | undefined;

  constructor(
    readonly instrument: Instrument,
    private readonly model: FillModel,
    private readonly host: EngineHost,
  ) {
    this.book = new OrderBook({ instrumentId: instrument.id });
    this.volumeCap =
      model.kind === 'bars' && model.volumeCap !== Number.POSITIVE_INFINITY
        ? decimalOf(model.volumeCap)
        : undefined;
  }

  /** The orders being worked, oldest first. */
  get orders(): readonly WorkingOrder[] {
    return this.working;
  }

  /** The price a taker on `side` would trade at now, as far as the engine knows. */
  referencePrice(side: 'BUY' | 'SELL'): Decimal | undefined {
    if (this.model.kind === 'book' && !this.book.needsResync) {
      const level = side === 'BUY' ? this.book.bestAsk() : this.book.bestBid();
      if (level !== undefined) return this.priceOf(level.price);
    }
    return this.lastPrice();
  }

  /** Whether a limit order at `price` would take liquidity if it arrived now. */
  wouldTake(side: 'BUY' | 'SELL', price: Decimal): boolean {
    const reference = this.referencePrice(side);
    return reference !== undefined && marketable(side === 'BUY', reference, price);
  }

  /** The last known spread, from the book or from quotes. */
  spread(): Decimal | undefined {
    if (this.model.kind === 'book') {
      const bid = this.book.bestBid();
      const ask = this.book.bestAsk();
      if (bid !== undefined && ask !== undefined) {
        return decimalOf(ask.price).minus(decimalOf(bid.price));
      }
    }
    if (this.quote === undefined) return undefined;
    return decimalOf(this.quote.askPrice).minus(decimalOf(this.quote.bidPrice));
  }

  /** Starts working an accepted order; the book model matches it at once. */
  add(work: WorkingOrder): void {
    work.epoch = this.epoch;
    const price = work.order.price;
    work.takerOnArrival =
      price !== undefined && !isStop(work.order) && this.wouldTake(work.order.side, price);
    this.working.push(work);
    if (this.model.kind === 'book') this.arriveInBook(work);
    else if (this.model.kind === 'trades' && this.model.queuePosition && price !== undefined) {
      work.queueAhead = this.queueFromQuote(work);
    }
  }

  // Trade model with queue position: the size the last quote shows at the order's price, none
  // when the order betters the quote (a new level), else the model's assumed queue.
  private queueFromQuote(work: WorkingOrder): Decimal {
    const model = this.model;
    const assumed = model.kind === 'trades' ? decimalOf(model.queueAhead) : ZERO;
    const quote = this.quote;
    if (quote === undefined) return assumed;
    const buy = work.order.side === 'BUY';
    const at = limitNumberOf(work);
    const best = buy ? quote.bidPrice : quote.askPrice;
    if (at === best) return decimalOf(buy ? quote.bidSize : quote.askSize);
    return (buy ? at > best : at < best) ? ZERO : assumed;
  }

  /** Stops working an order (filled, canceled or expired). */
  remove(work: WorkingOrder): void {
    const index = this.working.indexOf(work);
    if (index >= 0) this.working.splice(index, 1);
  }

  /** The last traded price (a bar's close, a trade's price), as far as the engine knows. */
  private lastPrice(): Decimal | undefined {
    if (this.lastDecimal === undefined && this.observed) {
      this.lastDecimal = decimalOf(this.lastObserved);
    }
    return this.lastDecimal;
  }

  private observe(price: number, decimal?: Decimal): void {
    this.lastObserved = price;
    this.observed = true;
    this.lastDecimal = decimal;
  }

  private priceOf(price: number): Decimal {
    let decimal = this.prices.get(price);
    if (decimal === undefined) {
      if (this.prices.size >= PRICE_CACHE_LIMIT) this.prices.clear();
      decimal = decimalOf(price);
      this.prices.set(price, decimal);
    }
    return decimal;
  }

  /** Records a quote, used for the spread. */
  onQuote(quote: QuoteTick): void {
    this.quote = quote;
    if (this.model.kind !== 'trades' || !this.model.queuePosition) return;
    // A quote showing less at an order's price shortens its queue (cancels are assumed behind it).
    for (const work of this.working) {
      if (work.order.price === undefined || work.queueAhead.isZero()) continue;
      const buy = work.order.side === 'BUY';
      if (limitNumberOf(work) !== (buy ? quote.bidPrice : quote.askPrice)) continue;
      work.queueAhead = min(work.queueAhead, decimalOf(buy ? quote.bidSize : quote.askSize));
    }
  }

  /** Matches the working orders against a bar (bar model) and records its close. */
  onBar(bar: Bar): void {
    if (this.model.kind !== 'bars') {
      this.observe(bar.close);
      return;
    }
    const model = this.model;
    const epoch = ++this.epoch;
    if (this.working.length === 0) {
      // Most bars of a backtest meet no order: no list, no closure, no Decimal.
      this.observe(bar.close);
      return;
    }
    const eligible = this.working.filter((work) => work.epoch < epoch);
    if (eligible.length === 0) {
      // Most bars of a backtest meet no order: nothing to match, so no Decimal is made.
      this.observe(bar.close);
      return;
    }
    // Market orders read only the open; the rest of the path is parsed when a stop or limit needs it.
    const prices = intrabarPath(bar, model.intrabarPath);
    const wholePath = eligible.some((work) => work.order.price !== undefined || isStop(work.order));
    const points: PathPoint[] = (wholePath ? prices : prices.slice(0, 1)).map((price, key) => ({
      price: decimalOf(price),
      key,
    }));
    const actions: BarAction[] = [];
    for (const work of eligible) this.planBar(work, points, model.limitFill, actions);
    // Most bars that meet an order meet one: nothing to order, and no comparator to make.
    if (actions.length > 1) actions.sort(byPathThenSeq);
    let budget =
      this.volumeCap === undefined || actions.length === 0
        ? undefined
        : this.volumeBudget(bar.volume, this.volumeCap);
    for (const action of actions) {
      const { work } = action;
      if (!work.order.isOpen) continue;
      if (action.kind === 'trigger') {
        work.triggered = true;
        work.fresh = true;
        this.host.trigger(work);
        continue;
      }
      const remaining = work.order.remainingQuantity;
      const quantity = this.lot(budget === undefined ? remaining : min(remaining, budget));
      if (work.order.timeInForce === 'FOK' && compare(quantity, remaining) < 0) continue;
      if (!isPositive(quantity)) continue;
      // A fill at the open carries the open's time (or the order's, if it arrived later), so its
      // time and price agree; a fill further along the path carries the time the bar is handled.
      const timeMs =
        action.key === 0 ? Math.max(bar.openTimeMs, work.order.updatedTimeMs) : undefined;
      const filled = this.host.fill(work, action.price, quantity, action.liquidity, timeMs);
      if (budget !== undefined) budget = budget.minus(filled);
    }
    this.settle(eligible);
    this.observe(bar.close, points[3]?.price);
  }

  // The share of a bar's volume fills may take; with the default cap of 1, the volume itself.
  private volumeBudget(volume: number, cap: Decimal): Decimal {
    const total = decimalOf(volume);
    return this.model.kind === 'bars' && this.model.volumeCap === 1 ? total : total.times(cap);
  }

  /** Matches the working orders against a trade (trade and book models) and records its price. */
  onTrade(trade: TradeTick): void {
    if (this.model.kind === 'bars') {
      this.observe(trade.price);
      return;
    }
    const price = decimalOf(trade.price);
    this.observe(trade.price, price);
    const epoch = ++this.epoch;
    const eligible = this.working.filter((work) => work.epoch < epoch);
    for (const work of eligible) {
      const order = work.order;
      if (!isStop(order) || work.triggered || !order.isOpen) continue;
      const versus = compare(price, order.triggerPrice!);
      if (order.side === 'BUY' ? versus >= 0 : versus <= 0) {
        work.triggered = true;
        work.fresh = true;
        this.host.trigger(work);
        // The trade model releases a triggered stop to the next trade; the book model walks now.
        if (this.model.kind === 'book') this.arriveInBook(work);
        else work.epoch = epoch;
      }
    }
    const live = eligible.filter((work) => work.epoch < epoch && work.order.isOpen);
    if (this.model.kind === 'trades') {
      const model = this.model;
      const size = decimalOf(trade.size);
      if (model.takerVolume === 'full') {
        this.takeAtTrade(live, price);
        this.restAtTrade(live, price, size, model.limitFill, model.queuePosition, false);
      } else {
        const took = new Set<WorkingOrder>();
        const left = this.takeTraded(live, price, size, took);
        const resting = live.filter((work) => !took.has(work));
        this.restAtTrade(resting, price, left, model.limitFill, model.queuePosition, false);
      }
      this.settle(live);
    } else {
      this.restAtTrade(live, price, decimalOf(trade.size), 'through', true, true);
    }
  }

  /** Replaces the book (book model) and fills resting orders it crosses. */
  onBookSnapshot(snapshot: BookSnapshot): void {
    this.book.applySnapshot(snapshot);
    this.left.bids.clear();
    this.left.asks.clear();
    if (this.model.kind !== 'book') return;
    for (const work of this.working) {
      const price = work.order.price;
      if (price === undefined || this.isUntriggeredStop(work) || work.queueAhead.isZero()) continue;
      const shown = this.sizeAt(work.order.side === 'BUY' ? 'bids' : 'asks', limitNumberOf(work));
      work.queueAhead = min(work.queueAhead, shown);
    }
    this.afterBookChange();
  }

  /** Applies a book change (book model) and fills resting orders it crosses. */
  onBookDelta(delta: BookDelta): void {
    if (this.book.applyDelta(delta) !== 'applied') return;
    for (const level of delta.bids) this.left.bids.delete(level.price);
    for (const level of delta.asks) this.left.asks.delete(level.price);
    if (this.model.kind !== 'book') return;
    for (const work of this.working) {
      const price = work.order.price;
      if (price === undefined || this.isUntriggeredStop(work)) continue;
      const changes = work.order.side === 'BUY' ? delta.bids : delta.asks;
      const at = limitNumberOf(work);
      for (const level of changes) {
        if (level.price === at) work.queueAhead = min(work.queueAhead, decimalOf(level.size));
      }
    }
    this.afterBookChange();
  }

  private isUntriggeredStop(work: WorkingOrder): boolean {
    return isStop(work.order) && !work.triggered;
  }

  // Expires what had to fill at once and marks every order matched once.
  private settle(eligible: readonly WorkingOrder[]): void {
    for (const work of eligible) {
      if (!work.order.isOpen || work.epoch >= this.epoch) continue;
      const waitingStop = this.isUntriggeredStop(work);
      if (work.fresh && !waitingStop && isImmediate(work.order)) this.host.expire(work);
      if (!waitingStop) work.fresh = false;
    }
  }

  private planBar(
    work: WorkingOrder,
    points: readonly PathPoint[],
    rule: LimitFillRule,
    actions: BarAction[],
  ): void {
    const order = work.order;
    const buy = order.side === 'BUY';
    let path = points;
    let fresh = work.fresh;
    if (isStop(order) && !work.triggered) {
      // The first point that reaches the trigger; inside a segment the trigger itself, and the
      // rest of the path goes on from there.
      const trigger = order.triggerPrice!;
      const at = firstReachIndex(path, buy, trigger, 'trigger');
      if (at < 0) return;
      if (at === 0) {
        actions.push({
          work,
          kind: 'trigger',
          key: path[0]!.key,
          price: path[0]!.price,
          liquidity: 'TAKER',
        });
      } else {
        const key = keyWithin(path, at, trigger);
        actions.push({ work, kind: 'trigger', key, price: trigger, liquidity: 'TAKER' });
        path = [{ price: trigger, key }, ...path.slice(at)];
      }
      fresh = true;
    }
    const open = path[0]!;
    const limit = order.price;
    if (limit === undefined) {
      // MARKET, or a triggered STOP_MARKET: the first price of the (remaining) path.
      actions.push({ work, kind: 'fill', key: open.key, price: open.price, liquidity: 'TAKER' });
      return;
    }
    const takes =
      fresh &&
      (isImmediate(order) ||
        order.type === 'STOP_LIMIT' ||
        (work.takerOnArrival && order.type === 'LIMIT'));
    if (takes && marketable(buy, open.price, limit)) {
      actions.push({ work, kind: 'fill', key: open.key, price: open.price, liquidity: 'TAKER' });
      return;
    }
    if (fresh && isImmediate(order)) return;
    // A resting limit fills at the open when the path starts past it, else at its own price.
    const at = firstReachIndex(path, buy, limit, rule);
    if (at < 0) return;
    const reach = at === 0 ? open : { price: limit, key: keyWithin(path, at, limit) };
    actions.push({ work, kind: 'fill', key: reach.key, price: reach.price, liquidity: 'MAKER' });
  }

  // Trade model: takers fill in full at the trade price when it is within their limit.
  private takeAtTrade(live: readonly WorkingOrder[], price: Decimal): void {
    for (const work of live) {
      const order = work.order;
      if (!order.isOpen || !work.fresh || this.isUntriggeredStop(work)) continue;
      const takes =
        order.type === 'MARKET' ||
        order.type === 'STOP_MARKET' ||
        order.type === 'STOP_LIMIT' ||
        isImmediate(order) ||
        work.takerOnArrival;
      if (!takes) continue;
      const limit = order.price;
      if (limit !== undefined && !marketable(order.side === 'BUY', price, limit)) continue;
      if (order.type === 'LIMIT_MAKER') continue;
      this.host.fill(work, price, order.remainingQuantity, 'TAKER');
      work.fresh = false;
    }
  }

  // Trade model with traded taker volume: takers, oldest first, share the trade's size at its
  // price; returns the size they left. A market, IOC or FOK order meets this one trade only
  // (settling expires its rest); other takers walk on to later trades while within their limit.
  private takeTraded(
    live: readonly WorkingOrder[],
    price: Decimal,
    size: Decimal,
    took: Set<WorkingOrder>,
  ): Decimal {
    let left = size;
    for (const work of live) {
      const order = work.order;
      if (!order.isOpen || !(work.fresh || work.walking === true)) continue;
      if (this.isUntriggeredStop(work)) continue;
      const takes =
        order.type === 'MARKET' ||
        order.type === 'STOP_MARKET' ||
        order.type === 'STOP_LIMIT' ||
        isImmediate(order) ||
        work.takerOnArrival;
      if (!takes || order.type === 'LIMIT_MAKER') continue;
      const limit = order.price;
      if (limit !== undefined && !marketable(order.side === 'BUY', price, limit)) {
        // A walking taker the market moved away from rests from now on, behind the queue.
        if (work.walking === true) this.startResting(work);
        continue;
      }
      took.add(work);
      // A market, IOC or FOK order stays fresh, so settling expires what this trade left of it.
      const walks = !isImmediate(order);
      if (walks) work.fresh = false;
      work.walking = walks;
      const remaining = order.remainingQuantity;
      const quantity = this.lot(min(remaining, left));
      if (order.timeInForce === 'FOK' && compare(quantity, remaining) < 0) continue;
      if (isPositive(quantity)) left = left.minus(this.host.fill(work, price, quantity, 'TAKER'));
      if (!order.isOpen) work.walking = false;
    }
    return left;
  }

  private startResting(work: WorkingOrder): void {
    work.walking = false;
    if (this.model.kind === 'trades' && this.model.queuePosition) {
      work.queueAhead = this.queueFromQuote(work);
    }
  }

  // Resting limits fill at their price against a trade that crosses them, best price first,
  // sharing the traded size; with `queue`, trades at the price first eat the queue ahead, and
  // with `book`, orders that had to fill at once are already gone.
  private restAtTrade(
    live: readonly WorkingOrder[],
    price: Decimal,
    size: Decimal,
    rule: LimitFillRule,
    queue: boolean,
    book: boolean,
  ): void {
    const resting = live.filter((work) => {
      const limit = work.order.price;
      if (!work.order.isOpen || limit === undefined || this.isUntriggeredStop(work)) return false;
      if (!book && work.fresh && isImmediate(work.order)) return false;
      if (work.walking === true) return false;
      const buy = work.order.side === 'BUY';
      return queue ? marketable(buy, price, limit) : crosses(buy, price, limit, rule);
    });
    this.byPriority(resting);
    let left = size;
    for (const work of resting) {
      if (!isPositive(left)) break;
      const limit = work.order.price!;
      if (queue && compare(price, limit) === 0) {
        const eaten = min(work.queueAhead, left);
        work.queueAhead = work.queueAhead.minus(eaten);
        left = left.minus(eaten);
      }
      const quantity = this.lot(min(work.order.remainingQuantity, left));
      if (!isPositive(quantity)) continue;
      left = left.minus(this.host.fill(work, limit, quantity, 'MAKER'));
    }
  }

  private byPriority(orders: WorkingOrder[]): void {
    // Buys before sells (they never compete), then the better price, then the earlier order.
    orders.sort((a, b) => {
      if (a.order.side !== b.order.side) return a.order.side === 'BUY' ? -1 : 1;
      const pa = a.order.price!;
      const pb = b.order.price!;
      const better = a.order.side === 'BUY' ? compare(pb, pa) : compare(pa, pb);
      return better || a.seq - b.seq;
    });
  }

  private lot(quantity: Decimal): Decimal {
    return roundToIncrement(quantity, this.instrument.sizeIncrement, 'down');
  }

  // Book model: an order that arrives (or a stop released now) walks the other side.
  private arriveInBook(work: WorkingOrder): void {
    const order = work.order;
    if (isStop(order) && !work.triggered) {
      if (!this.stopReached(work)) return;
      work.triggered = true;
      this.host.trigger(work);
    }
    const buy = order.side === 'BUY';
    const limit = order.price;
    if (order.type !== 'LIMIT_MAKER') {
      const fok = order.timeInForce === 'FOK';
      if (fok && compare(this.available(buy, limit), order.remainingQuantity) < 0) {
        this.host.expire(work);
        return;
      }
      this.walk(work, limit);
    }
    if (!order.isOpen) return;
    if (limit === undefined || isImmediate(order)) {
      this.host.expire(work);
      return;
    }
    work.fresh = false;
    work.queueAhead = this.sizeAt(buy ? 'bids' : 'asks', limitNumberOf(work));
  }

  private stopReached(work: WorkingOrder): boolean {
    const trigger = work.order.triggerPrice!;
    const mid = this.book.mid();
    const price = this.lastPrice() ?? (mid === undefined ? undefined : decimalOf(mid));
    if (price === undefined) return false;
    const versus = compare(price, trigger);
    return work.order.side === 'BUY' ? versus >= 0 : versus <= 0;
  }

  // Calls `visit` with each level of the side best first and the size our takers left there,
  // until it returns false. Levels come in growing chunks, as most walks stop near the top.
  private eachLevel(
    side: 'bids' | 'asks',
    visit: (level: BookLevel, left: Decimal) => boolean,
  ): void {
    const left = this.left[side];
    let count = 16;
    let index = 0;
    for (;;) {
      const levels = side === 'bids' ? this.book.bids(count) : this.book.asks(count);
      for (; index < levels.length; index++) {
        const level = levels[index]!;
        if (!visit(level, left.get(level.price) ?? decimalOf(level.size))) return;
      }
      if (levels.length < count) return;
      count *= 4;
    }
  }

  // The size our takers left at one price of a side, 0 when no level shows there.
  private sizeAt(side: 'bids' | 'asks', price: number): Decimal {
    let count = 16;
    for (;;) {
      const levels = side === 'bids' ? this.book.bids(count) : this.book.asks(count);
      for (const level of levels) {
        if (level.price === price) return this.left[side].get(price) ?? decimalOf(level.size);
        if (side === 'bids' ? level.price < price : level.price > price) return ZERO;
      }
      if (levels.length < count) return ZERO;
      count *= 4;
    }
  }

  private available(buy: boolean, limit: Decimal | undefined): Decimal {
    let total = ZERO;
    const bound = limit?.toNumber();
    this.eachLevel(buy ? 'asks' : 'bids', (level, left) => {
      if (bound !== undefined && (buy ? level.price > bound : level.price < bound)) return false;
      total = total.plus(left);
      return true;
    });
    return total;
  }

  // Records that our takers took `quantity` of the `left` a level showed; returns what is left.
  private consume(side: 'bids' | 'asks', price: number, left: Decimal, quantity: Decimal): Decimal {
    const rest = quantity.isZero() ? left : left.minus(quantity);
    this.left[side].set(price, rest);
    return rest;
  }

  private walk(work: WorkingOrder, limit: Decimal | undefined): void {
    const order = work.order;
    const buy = order.side === 'BUY';
    const side = buy ? 'asks' : 'bids';
    const bound = limit === undefined ? undefined : limitNumberOf(work);
    this.eachLevel(side, (level, left) => {
      if (!order.isOpen) return false;
      if (bound !== undefined && (buy ? level.price > bound : level.price < bound)) return false;
      // A level our takers emptied: nothing to take, and no rounding to find that out.
      if (!isPositive(left)) return true;
      const quantity = this.lot(min(order.remainingQuantity, left));
      if (!isPositive(quantity)) return true;
      const filled = this.host.fill(work, this.priceOf(level.price), quantity, 'TAKER');
      this.consume(side, level.price, left, filled);
      return compare(filled, quantity) === 0;
    });
  }

  // After the venue's book changed: stops may trigger on the mid, and resting limits fill
  // against levels of the other side that now cross them, behind their queue.
  private afterBookChange(): void {
    for (const work of this.working.slice()) {
      if (work.order.isOpen && this.isUntriggeredStop(work) && this.stopReached(work)) {
        work.fresh = true;
        this.arriveInBook(work);
      }
    }
    const resting = this.working.filter(
      (work) =>
        work.order.price !== undefined && !this.isUntriggeredStop(work) && work.order.isOpen,
    );
    this.byPriority(resting);
    for (const work of resting) {
      const order = work.order;
      if (!order.isOpen) continue;
      const buy = order.side === 'BUY';
      const limit = order.price!;
      const bound = limitNumberOf(work);
      const side = buy ? 'asks' : 'bids';
      // Most resting orders are not crossed: one look at the touch settles it.
      const touch = buy ? this.book.bestAsk() : this.book.bestBid();
      if (touch === undefined || (buy ? touch.price > bound : touch.price < bound)) continue;
      this.eachLevel(side, (level, left) => {
        if (!order.isOpen) return false;
        if (buy ? level.price > bound : level.price < bound) return false;
        if (!isPositive(left)) return true;
        const eaten = min(work.queueAhead, left);
        if (!eaten.isZero()) work.queueAhead = work.queueAhead.minus(eaten);
        const size = this.consume(side, level.price, left, eaten);
        const quantity = this.lot(min(order.remainingQuantity, size));
        if (!isPositive(quantity)) return true;
        const filled = this.host.fill(work, limit, quantity, 'MAKER');
        this.consume(side, level.price, size, filled);
        return compare(filled, quantity) === 0;
      });
    }
  }
}
