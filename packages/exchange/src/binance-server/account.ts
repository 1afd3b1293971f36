import {
  type Clock,
  createOrderRequest,
  Decimal,
  type Fill,
  isQtpError,
  type OrderReport,
  roundToIncrement,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import { BINANCE_ENGINE_MESSAGES } from '../binance-protocol/error-codes.js';
import type { Balance } from '../exchange.js';
import { instrumentFees } from '../simulated/fee-model.js';
import { bookFillModel } from '../simulated/fill-model.js';
import { SimulatedExchange } from '../simulated/simulated-exchange.js';
import { type BinanceServerAccount, type KeyCheck, keyCheckOf } from './auth.js';
import type { SymbolMarket } from './market.js';
import { listStatusEvent, type OrderListRecord } from './order-list.js';
import type { ParsedOrder } from './order-params.js';
import { isConditionalType, isOpenRecord, type OrderRecord } from './order-record.js';
import { hasReached, OrderTrigger, triggerDirection } from './order-trigger.js';
import { priceBand, takerTerms } from './price-range.js';
import { BinanceRequestError } from './request-error.js';
import { MAX_NUM_ALGO_ORDERS, MAX_NUM_ORDER_LISTS, MAX_NUM_ORDERS } from './symbol-filters.js';

/** The user data events of one account, as the WebSocket API sends them inside `event`. */
export interface AccountEvents {
  userData: [event: Record<string, unknown>];
}

/** Hands out the server-wide order, trade and execution ids. */
export interface IdSource {
  nextOrderId(): number;
  nextExecutionId(): number;
  nextOrderListId(): number;
  /** Called when a resting order fills for the first time: it leaves the unfilled order count. */
  firstFill(apiKey: string): void;
}

const ZERO = new Decimal(0);
const PRICE_RANGE_EXCEEDED = 'EXECUTION_RULE_PRICE_RANGE_EXCEEDED';

// A conditional order kept back from the matching engine until its trigger.
interface WaitingOrder {
  readonly record: OrderRecord;
  readonly trigger: OrderTrigger;
  readonly asset: string;
  readonly amount: Decimal;
  fired: boolean;
}

// The order list a new leg joins, and what the legs placed before it already lock.
interface ListLink {
  readonly list: OrderListRecord;
  readonly credit: Decimal;
}

// What an order locks: a sell its quantity of base, a buy its notional at the limit price (else
// the stop price, else the last price) in quote.
function fundsOf(
  order: Pick<ParsedOrder, 'market' | 'side' | 'price' | 'stopPrice'>,
  quantity: Decimal,
): { asset: string; amount: Decimal } {
  const { instrument, lastPrice } = order.market;
  if (order.side === 'SELL') return { asset: instrument.baseAsset, amount: quantity };
  const price = order.price ?? order.stopPrice ?? lastPrice;
  return { asset: instrument.quoteAsset, amount: price.times(quantity) };
}

// In a list every conditional leg waits in the server, so the legs' shared funds are held once.
const keptBackInList = (order: ParsedOrder): boolean => isConditionalType(order.type);

// The engine works plain stops itself; take-profits and trailing stops wait in the server.
const keptBack = (order: ParsedOrder): boolean =>
  order.type === 'TAKE_PROFIT' ||
  order.type === 'TAKE_PROFIT_LIMIT' ||
  (isConditionalType(order.type) && order.trailingDelta !== undefined);

// The Binance answer to an order the matching engine refused.
function engineRejection(error: unknown, type: ParsedOrder['type']): unknown {
  if (isQtpError(error, 'INSUFFICIENT_FUNDS'))
    return new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.insufficientBalance);
  if (
    isQtpError(error, 'INVALID_ORDER') &&
    type === 'LIMIT_MAKER' &&
    /LIMIT_MAKER/.test(error.message)
  )
    return new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.wouldMatch);
  if (isQtpError(error, 'INVALID_ORDER'))
    return new BinanceRequestError(-1013, 'Filter failure: NOTIONAL');
  return error;
}
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * One account: its key, its balances and orders, worked by a `SimulatedExchange` with the
 * book fill model against the server's synthetic books and replayed trades.
 */
export class ServerAccount {
  readonly apiKey: string;
  readonly key: KeyCheck;
  readonly canTrade: boolean;
  readonly events = new EventEmitter<AccountEvents>();
  readonly exchange: SimulatedExchange;
  private readonly records = new Map<number, OrderRecord>();
  private readonly byEngineId = new Map<string, OrderRecord>();
  private readonly dirtyAssets = new Map<string, Balance>();
  // Conditional orders the server keeps back until their trigger, with the funds they hold.
  private readonly waiting = new Map<number, WaitingOrder>();
  private readonly lists = new Map<number, OrderListRecord>();
  // Orders the PRICE_RANGE rule capped at the band's edge: their leftover expires for the rule.
  private readonly capped = new Set<string>();
  private updateTimeMs = 0;
  private generatedIds = 0;

  constructor(
    definition: BinanceServerAccount,
    markets: ReadonlyMap<string, SymbolMarket>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {
    this.apiKey = definition.apiKey;
    this.key = keyCheckOf(definition);
    this.canTrade = definition.canTrade ?? true;
    const instruments = [...markets.values()].map((market) => market.instrument);
    this.exchange = new SimulatedExchange({
      clock,
      instruments,
      ...(definition.balances === undefined ? {} : { balances: definition.balances }),
      fillModel: bookFillModel(),
      feeModel: instrumentFees({ chargeIn: 'received' }),
    });
    for (const market of markets.values()) {
      this.exchange.onBookSnapshot(market.bookSnapshot(clock.now()));
      const watch = () => this.watchTriggers(market);
      market.events.on('trade', watch);
      market.events.on('depth', watch);
      market.events.on('kline', watch);
    }
    this.exchange.account.on('balance', ({ balance, timeMs }) => {
      this.dirtyAssets.set(balance.asset, balance);
      this.updateTimeMs = timeMs;
    });
    this.exchange.executions.on('fill', ({ fill }) => this.onFill(fill));
    this.exchange.executions.on('orderUpdate', ({ report }) => this.onUpdate(report));
  }

  /** Places an order; fills that happen on arrival are in the record when it returns. */
  async place(order: ParsedOrder): Promise<OrderRecord> {
    this.checkNew([order]);
    return this.submit(order, undefined);
  }

  /**
   * Places an OCO list: both legs pass every check before either is placed, and the funds they
   * share are held once. Returns the list with its legs in placement order.
   */
  async placeOco(
    legs: readonly [ParsedOrder, ParsedOrder],
    listClientOrderId: string | undefined,
  ): Promise<OrderListRecord> {
    this.checkNew(legs);
    const market = legs[0].market;
    const lists = [...this.lists.values()].filter(
      (list) => list.market === market && list.listOrderStatus === 'EXECUTING',
    );
    if (lists.length + 1 > MAX_NUM_ORDER_LISTS)
      throw new BinanceRequestError(-2010, 'Filter failure: MAX_NUM_ORDER_LISTS');
    // The leg that rests on the book goes first; a kept-back leg then holds only what the first
    // one does not already lock.
    const ordered = [...legs].sort((a, b) => Number(keptBackInList(a)) - Number(keptBackInList(b)));
    const needs = ordered.map((leg) => fundsOf(leg, leg.quantity!));
    const asset = needs[0]!.asset;
    const most = Decimal.max(...needs.map((need) => need.amount));
    const free =
      (await this.exchange.fetchBalances()).find((balance) => balance.asset === asset)?.free ??
      ZERO;
    if (free.lt(most))
      throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.insufficientBalance);
    const now = this.clock.now();
    const list: OrderListRecord = {
      orderListId: this.ids.nextOrderListId(),
      contingencyType: 'OCO',
      listClientOrderId: listClientOrderId ?? this.generateClientOrderId(),
      market,
      legs: [],
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      transactionTimeMs: now,
      updateTimeMs: now,
    };
    this.lists.set(list.orderListId, list);
    const first = await this.submit(ordered[0]!, { list, credit: ZERO });
    list.legs.push(first);
    try {
      list.legs.push(await this.submit(ordered[1]!, { list, credit: needs[0]!.amount }));
    } catch (error) {
      this.lists.delete(list.orderListId);
      if (isOpenRecord(first)) await this.cancel(first, undefined);
      throw error;
    }
    this.emitListStatus(list);
    return list;
  }

  // The checks the matching engine makes of new orders before it takes any of them.
  private checkNew(orders: readonly ParsedOrder[]): void {
    const market = orders[0]!.market;
    if (market.status !== 'TRADING')
      throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.marketClosed);
    const open = this.openOrders(market.symbol);
    const ids = orders.map((order) => order.newClientOrderId).filter((id) => id !== undefined);
    if (
      new Set(ids).size < ids.length ||
      open.some((record) => ids.includes(record.clientOrderId))
    ) {
      throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.duplicateOrder);
    }
    if (open.length + orders.length > MAX_NUM_ORDERS)
      throw new BinanceRequestError(-2010, 'Filter failure: MAX_NUM_ORDERS');
    const algo = orders.filter((order) => isConditionalType(order.type)).length;
    if (
      algo > 0 &&
      open.filter((record) => isConditionalType(record.type)).length + algo > MAX_NUM_ALGO_ORDERS
    ) {
      throw new BinanceRequestError(-2010, 'Filter failure: MAX_NUM_ALGO_ORDERS');
    }
    for (const order of orders) {
      // A stop price the market has already reached would trigger at once.
      if (
        isConditionalType(order.type) &&
        order.stopPrice !== undefined &&
        hasReached(market.lastPrice, order.stopPrice, triggerDirection(order.type, order.side))
      ) {
        throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.wouldTrigger);
      }
    }
  }

  private async submit(order: ParsedOrder, link: ListLink | undefined): Promise<OrderRecord> {
    const market = order.market;
    const isStop = isConditionalType(order.type);
    const direction = triggerDirection(order.type, order.side);
    const quantity = order.quantity ?? this.quantityForQuote(order);
    const now = this.clock.now();
    const orderId = this.ids.nextOrderId();
    const clientOrderId = order.newClientOrderId ?? this.generateClientOrderId();
    const record: OrderRecord = {
      orderId,
      market,
      engineId: `o${orderId}`,
      clientOrderId,
      originalClientOrderId: clientOrderId,
      side: order.side,
      type: order.type,
      timeInForce: order.type === 'MARKET' ? 'IOC' : order.timeInForce,
      price: order.price,
      stopPrice: order.stopPrice,
      trailingDelta: order.trailingDelta,
      trailingTimeMs: order.trailingDelta !== undefined && order.stopPrice === undefined ? now : -1,
      icebergQty: order.icebergQty,
      orderListId: link?.list.orderListId ?? -1,
      quantity,
      quoteOrderQty: order.quoteOrderQty,
      selfTradePreventionMode: order.selfTradePreventionMode,
      status: 'NEW',
      executed: ZERO,
      cumulativeQuote: ZERO,
      timeMs: now,
      updateTimeMs: now,
      workingTimeMs: isStop ? -1 : now,
      fills: [],
      expiryReason: undefined,
    };
    // With a price range rule every stop waits here, so its taker phase is checked at the trigger.
    if (keptBack(order) || (isStop && (link !== undefined || market.priceRange !== undefined))) {
      this.holdBack(record, direction, link?.credit ?? ZERO);
      return record;
    }
    const engineType = {
      LIMIT: 'LIMIT',
      LIMIT_MAKER: 'LIMIT_MAKER',
      MARKET: 'MARKET',
      STOP_LOSS: 'STOP_MARKET',
      STOP_LOSS_LIMIT: 'STOP_LIMIT',
      TAKE_PROFIT: 'MARKET',
      TAKE_PROFIT_LIMIT: 'LIMIT',
    } as const;
    this.byEngineId.set(record.engineId, record);
    try {
      await this.toEngine(record, engineType[order.type], order.stopPrice);
    } catch (error) {
      this.byEngineId.delete(record.engineId);
      this.dirtyAssets.clear();
      throw engineRejection(error, order.type);
    }
    this.records.set(orderId, record);
    return record;
  }

  // Sends an order's taker phase and what rests of it to the matching engine, under the symbol's
  // PRICE_RANGE rule: capped at the band's edge, or expired at once when it starts outside.
  private async toEngine(
    record: OrderRecord,
    type: 'LIMIT' | 'LIMIT_MAKER' | 'MARKET' | 'STOP_MARKET' | 'STOP_LIMIT',
    triggerPrice: Decimal | undefined,
  ): Promise<void> {
    const market = record.market;
    let price = type === 'MARKET' || type === 'STOP_MARKET' ? undefined : record.price;
    let engineType = type;
    let timeInForce = record.timeInForce;
    const reference = market.referencePrice;
    if (market.priceRange !== undefined && reference !== undefined && reference !== null) {
      const band = priceBand(market.priceRange, record.side, reference);
      const top = market.top();
      const best = record.side === 'BUY' ? top.ask?.[0] : top.bid?.[0];
      const terms =
        type === 'LIMIT_MAKER' || type === 'STOP_MARKET' || type === 'STOP_LIMIT'
          ? ({ kind: 'AS_IS' } as const)
          : takerTerms(
              band,
              record.side,
              price,
              best === undefined ? undefined : new Decimal(best),
            );
      if (terms.kind === 'OUTSIDE') {
        this.expireOutsideRange(record);
        return;
      }
      if (terms.kind === 'CAPPED') {
        const tick = market.instrument.priceIncrement;
        price = roundToIncrement(terms.price, tick, record.side === 'BUY' ? 'down' : 'up');
        engineType = 'LIMIT';
        timeInForce = 'IOC';
        this.capped.add(record.engineId);
      }
    }
    await this.exchange.placeOrder(
      createOrderRequest({
        instrumentId: market.instrument.id,
        side: record.side,
        type: engineType,
        quantity: record.quantity,
        ...(price === undefined ? {} : { price }),
        ...(triggerPrice === undefined ? {} : { triggerPrice }),
        timeInForce: engineType === 'MARKET' ? 'IOC' : timeInForce,
        clientOrderId: record.engineId,
      }),
    );
  }

  // A taker whose first trade would be outside the price range: NEW, then EXPIRED, no fills.
  private expireOutsideRange(record: OrderRecord): void {
    // A placement announces itself here; a triggered order did when it was placed.
    if (!this.records.has(record.orderId)) this.report(record, 'NEW', undefined);
    record.status = 'EXPIRED';
    record.expiryReason = PRICE_RANGE_EXCEEDED;
    record.updateTimeMs = this.clock.now();
    this.report(record, 'EXPIRED', undefined);
  }

  // Keeps a conditional order the matching engine cannot work back until it triggers: it holds
  // the funds the triggered order will lock, answers NEW and waits for the last price.
  private holdBack(record: OrderRecord, direction: 'RISE' | 'FALL', credit: Decimal): void {
    const market = record.market;
    const need = fundsOf(record, record.quantity);
    const asset = need.asset;
    const amount = Decimal.max(ZERO, need.amount.minus(credit));
    try {
      this.exchange.hold(asset, amount);
    } catch (error) {
      this.dirtyAssets.clear();
      if (isQtpError(error, 'INSUFFICIENT_FUNDS'))
        throw new BinanceRequestError(-2010, BINANCE_ENGINE_MESSAGES.insufficientBalance);
      throw error;
    }
    const trigger = new OrderTrigger({
      side: record.side,
      direction,
      stopPrice: record.stopPrice,
      trailingDelta: record.trailingDelta,
      lastPrice: market.lastPrice,
    });
    this.waiting.set(record.orderId, { record, trigger, asset, amount, fired: false });
    this.records.set(record.orderId, record);
    this.byEngineId.set(record.engineId, record);
    this.report(record, 'NEW', undefined);
  }

  private watchTriggers(market: SymbolMarket): void {
    const price = market.lastPrice;
    for (const waiting of this.waiting.values()) {
      if (waiting.fired || waiting.record.market !== market) continue;
      const step = waiting.trigger.observe(price);
      if (step === 'ACTIVATED') waiting.record.trailingTimeMs = this.clock.now();
      if (step === 'TRIGGERED') {
        waiting.fired = true;
        // The price came from inside the matching engine's own work (a fill prints a trade), so
        // the triggered order goes to the engine once that work is done.
        queueMicrotask(() => void this.fire(waiting));
      }
    }
  }

  private async fire(waiting: WaitingOrder): Promise<void> {
    const { record } = waiting;
    if (!this.waiting.delete(record.orderId)) return;
    const now = this.clock.now();
    await this.finishList(record);
    this.exchange.release(waiting.asset, waiting.amount);
    record.workingTimeMs = now;
    record.updateTimeMs = now;
    const limit = record.type === 'STOP_LOSS_LIMIT' || record.type === 'TAKE_PROFIT_LIMIT';
    try {
      await this.toEngine(record, limit ? 'LIMIT' : 'MARKET', undefined);
    } catch {
      // The triggered order broke a rule the engine checks only now (its notional at the
      // trigger, the balance): Binance rejects it in the user data stream.
      this.dirtyAssets.clear();
      record.status = 'REJECTED';
      record.updateTimeMs = now;
      this.report(record, 'REJECTED', undefined);
    }
  }

  // One leg of an OCO triggered or traded: the other legs expire and the list is done.
  private async finishList(leg: OrderRecord): Promise<void> {
    const list = this.lists.get(leg.orderListId);
    if (list === undefined || list.listOrderStatus === 'ALL_DONE') return;
    list.listStatusType = 'ALL_DONE';
    list.listOrderStatus = 'ALL_DONE';
    list.updateTimeMs = this.clock.now();
    for (const other of list.legs) {
      if (other === leg || !isOpenRecord(other)) continue;
      other.expiryReason = 'OCO_TRIGGER';
      const waiting = this.waiting.get(other.orderId);
      if (waiting === undefined) {
        // The engine reports the cancel, which onUpdate books as this expiry.
        await this.exchange.cancelOrder({
          instrumentId: other.market.instrument.id,
          clientOrderId: other.engineId,
        });
        continue;
      }
      this.waiting.delete(other.orderId);
      this.exchange.release(waiting.asset, waiting.amount);
      other.status = 'EXPIRED';
      other.updateTimeMs = list.updateTimeMs;
      this.report(other, 'EXPIRED', undefined);
    }
    this.emitListStatus(list);
  }

  /**
   * Cancels every open leg of a list and ends it; the list's client id becomes the cancel's id.
   */
  async cancelList(
    list: OrderListRecord,
    newListClientOrderId: string | undefined,
  ): Promise<OrderListRecord> {
    if (list.listOrderStatus !== 'EXECUTING')
      throw new BinanceRequestError(-2011, BINANCE_ENGINE_MESSAGES.unknownOrder);
    list.listStatusType = 'ALL_DONE';
    list.listOrderStatus = 'ALL_DONE';
    list.listClientOrderId = newListClientOrderId ?? this.generateClientOrderId();
    list.updateTimeMs = this.clock.now();
    for (const leg of list.legs) if (isOpenRecord(leg)) await this.cancel(leg, undefined);
    this.emitListStatus(list);
    return list;
  }

  /** Finds an order list by id or client id (`missing` code when unknown). */
  findList(
    orderListId: number | undefined,
    listClientOrderId: string | undefined,
    missing: -2011 | -2013 = -2013,
  ): OrderListRecord {
    const list =
      orderListId !== undefined
        ? this.lists.get(orderListId)
        : [...this.lists.values()]
            .filter((candidate) => candidate.listClientOrderId === listClientOrderId)
            .at(-1);
    if (list === undefined) {
      throw missing === -2013
        ? new BinanceRequestError(-2013, 'Order list does not exist.')
        : new BinanceRequestError(-2011, BINANCE_ENGINE_MESSAGES.unknownOrder);
    }
    return list;
  }

  /** Every order list, oldest first; `open` keeps those still executing. */
  orderLists(open = false): OrderListRecord[] {
    return [...this.lists.values()].filter((list) => !open || list.listOrderStatus === 'EXECUTING');
  }

  private emitListStatus(list: OrderListRecord): void {
    this.events.emit('userData', listStatusEvent(list, this.clock.now()));
  }

  /** Cancels an open order; its client order id becomes the cancel's id. */
  async cancel(record: OrderRecord, newClientOrderId: string | undefined): Promise<OrderRecord> {
    if (!isOpenRecord(record))
      throw new BinanceRequestError(-2011, BINANCE_ENGINE_MESSAGES.unknownOrder);
    record.originalClientOrderId = record.clientOrderId;
    record.clientOrderId = newClientOrderId ?? this.generateClientOrderId();
    const waiting = this.waiting.get(record.orderId);
    if (waiting !== undefined) {
      this.waiting.delete(record.orderId);
      this.exchange.release(waiting.asset, waiting.amount);
      const now = this.clock.now();
      record.status = 'CANCELED';
      record.updateTimeMs = now;
      this.report(record, 'CANCELED', undefined);
      return record;
    }
    await this.exchange.cancelOrder({
      instrumentId: record.market.instrument.id,
      clientOrderId: record.engineId,
    });
    return record;
  }

  // A quoteOrderQty market order walks the book for the step-aligned quantity whose notional
  // comes closest to, without passing, the quote amount.
  private quantityForQuote(order: ParsedOrder): Decimal {
    const market = order.market;
    const step = market.instrument.sizeIncrement;
    const depth = market.depth(Number.POSITIVE_INFINITY);
    const levels = order.side === 'BUY' ? depth.asks : depth.bids;
    let left = order.quoteOrderQty!;
    let quantity = ZERO;
    for (const [priceText, sizeText] of levels) {
      const price = new Decimal(priceText);
      const size = new Decimal(sizeText);
      const take = Decimal.min(size, left.div(price));
      quantity = quantity.plus(take);
      left = left.minus(take.times(price));
      if (left.lte(0)) break;
    }
    const rounded = roundToIncrement(quantity, step, 'down');
    if (rounded.lt(market.instrument.minQuantity)) {
      throw new BinanceRequestError(
        -2010,
        'Order book liquidity is less than LOT_SIZE filter minimum quantity.',
      );
    }
    return rounded;
  }

  private generateClientOrderId(): string {
    // Deterministic 22-character ids, as Binance generates when none is sent.
    let n = ++this.generatedIds;
    let text = '';
    for (let i = 0; i < 22; i++) {
      text = ALPHANUMERIC[(n * 7 + i * 13) % ALPHANUMERIC.length] + text;
      n = Math.floor(n / 3) + i;
    }
    return `${text.slice(0, 14)}${String(this.generatedIds).padStart(8, '0')}`;
  }

  /**
   * Finds an order by id or client id (`-2013` when unknown, `-2039` when both are given and
   * disagree). A client id finds the most recent order that had it.
   */
  find(
    symbol: string,
    orderId: number | undefined,
    clientOrderId: string | undefined,
    missing = -2013,
  ): OrderRecord {
    const notFound = () =>
      missing === -2013
        ? new BinanceRequestError(-2013, 'Order does not exist.')
        : new BinanceRequestError(-2011, BINANCE_ENGINE_MESSAGES.unknownOrder);
    if (orderId !== undefined) {
      const record = this.records.get(orderId);
      if (record === undefined || record.market.symbol !== symbol) throw notFound();
      if (
        clientOrderId !== undefined &&
        record.clientOrderId !== clientOrderId &&
        record.originalClientOrderId !== clientOrderId
      ) {
        throw new BinanceRequestError(-2039, 'Client order ID is not correct for this order ID.');
      }
      return record;
    }
    const matches = [...this.records.values()].filter(
      (record) =>
        record.market.symbol === symbol &&
        (record.clientOrderId === clientOrderId || record.originalClientOrderId === clientOrderId),
    );
    const record = matches.at(-1);
    if (record === undefined) throw notFound();
    return record;
  }

  /** Open orders, oldest first, of one symbol or all. */
  openOrders(symbol?: string): OrderRecord[] {
    return this.allOrders(symbol).filter(isOpenRecord);
  }

  /** Every order, oldest first, of one symbol or all. */
  allOrders(symbol?: string): OrderRecord[] {
    return [...this.records.values()].filter(
      (record) => symbol === undefined || record.market.symbol === symbol,
    );
  }

  /** The balances, as Binance's `free`/`locked` strings. */
  async balances(): Promise<{ asset: string; free: string; locked: string }[]> {
    const balances = await this.exchange.fetchBalances();
    return balances.map((balance) => ({
      asset: balance.asset,
      free: toBinanceDecimal(balance.free),
      locked: toBinanceDecimal(balance.locked),
    }));
  }

  /** When the balances last changed. */
  get lastUpdateMs(): number {
    return this.updateTimeMs;
  }

  /** Credits a deposit and sends `balanceUpdate` and `outboundAccountPosition`. */
  deposit(asset: string, amount: Decimal): void {
    this.exchange.credit(asset, amount);
    const now = this.clock.now();
    this.events.emit('userData', {
      e: 'balanceUpdate',
      E: now,
      a: asset,
      d: toBinanceDecimal(amount),
      T: now,
    });
    this.flushPosition();
  }

  private onFill(fill: Fill): void {
    const record = this.byEngineId.get(fill.clientOrderId);
    if (record === undefined) return;
    const maker = fill.liquiditySide === 'MAKER';
    const buyerIsMaker = (record.side === 'BUY') === maker;
    const trade = record.market.recordTrade(fill.price, fill.quantity, buyerIsMaker, fill.timeMs);
    record.fills.push({
      tradeId: trade.id,
      price: fill.price,
      quantity: fill.quantity,
      commission: fill.fee.amount,
      commissionAsset: fill.fee.currency,
      timeMs: fill.timeMs,
      maker,
    });
    // An order placed earlier (it is in the records) that fills for the first time stops counting
    // as unfilled; one that filled on arrival was never counted.
    if (record.fills.length === 1 && this.records.has(record.orderId))
      this.ids.firstFill(this.apiKey);
    record.executed = record.executed.plus(fill.quantity);
    record.cumulativeQuote = record.cumulativeQuote.plus(fill.price.times(fill.quantity));
    record.status = record.executed.gte(record.quantity) ? 'FILLED' : 'PARTIALLY_FILLED';
    record.updateTimeMs = fill.timeMs;
    this.report(record, 'TRADE', record.fills.at(-1));
    if (record.orderListId !== -1 && record.fills.length === 1) void this.finishList(record);
  }

  private onUpdate(report: OrderReport): void {
    const record = this.byEngineId.get(report.clientOrderId);
    if (record === undefined) return;
    switch (report.status) {
      case 'ACCEPTED':
        // A kept-back order announced NEW when it was placed; its trigger sends no second one.
        if (!this.records.has(record.orderId)) this.report(record, 'NEW', undefined);
        return;
      case 'TRIGGERED':
        record.workingTimeMs = report.timeMs;
        record.updateTimeMs = report.timeMs;
        return;
      case 'CANCELED':
        // The engine cancels the other leg of an OCO that triggered: Binance shows it expired.
        record.status = record.expiryReason === 'OCO_TRIGGER' ? 'EXPIRED' : 'CANCELED';
        record.updateTimeMs = report.timeMs;
        this.report(record, record.status, undefined);
        return;
      case 'EXPIRED':
        record.status = 'EXPIRED';
        record.updateTimeMs = report.timeMs;
        record.expiryReason = this.capped.has(record.engineId)
          ? PRICE_RANGE_EXCEEDED
          : record.type === 'MARKET' || record.type === 'STOP_LOSS' || record.type === 'TAKE_PROFIT'
            ? 'INSUFFICIENT_LIQUIDITY'
            : record.timeInForce === 'FOK'
              ? 'UNFILLED_FOK_ORDER_EXPIRED'
              : 'UNFILLED_IOC_QUANTITY_EXPIRED';
        this.report(record, 'EXPIRED', undefined);
        return;
      default:
        return;
    }
  }

  private report(
    record: OrderRecord,
    executionType: string,
    fill: OrderRecord['fills'][number] | undefined,
  ): void {
    const now = this.clock.now();
    const event: Record<string, unknown> = {
      e: 'executionReport',
      E: now,
      s: record.market.symbol,
      c: record.clientOrderId,
      S: record.side,
      o: record.type,
      f: record.type === 'MARKET' ? 'GTC' : record.timeInForce,
      q: toBinanceDecimal(record.quantity),
      p: toBinanceDecimal(record.price ?? ZERO),
      P: toBinanceDecimal(record.stopPrice ?? ZERO),
      F: toBinanceDecimal(record.icebergQty ?? ZERO),
      g: record.orderListId,
      C: executionType === 'CANCELED' ? record.originalClientOrderId : '',
      x: executionType,
      X: executionType === 'NEW' ? 'NEW' : record.status,
      r: 'NONE',
      i: record.orderId,
      l: toBinanceDecimal(fill?.quantity ?? ZERO),
      z: toBinanceDecimal(executionType === 'NEW' ? ZERO : record.executed),
      L: toBinanceDecimal(fill?.price ?? ZERO),
      n: fill === undefined ? '0' : toBinanceDecimal(fill.commission),
      N: fill === undefined ? null : fill.commissionAsset,
      T: fill?.timeMs ?? now,
      t: fill?.tradeId ?? -1,
      I: this.ids.nextExecutionId(),
      w: record.workingTimeMs !== -1 && isOpenRecord(record),
      m: fill?.maker ?? false,
      M: false,
      O: record.timeMs,
      Z: toBinanceDecimal(executionType === 'NEW' ? ZERO : record.cumulativeQuote),
      Y: toBinanceDecimal(fill === undefined ? ZERO : fill.price.times(fill.quantity)),
      Q: toBinanceDecimal(record.quoteOrderQty ?? ZERO),
      V: record.selfTradePreventionMode,
    };
    if (record.trailingDelta !== undefined) {
      event.d = record.trailingDelta;
      event.D = record.trailingTimeMs;
    }
    if (record.workingTimeMs !== -1) event.W = record.workingTimeMs;
    if (executionType === 'EXPIRED' && record.expiryReason !== undefined)
      event.eR = record.expiryReason;
    this.events.emit('userData', event);
    this.flushPosition();
  }

  private flushPosition(): void {
    if (this.dirtyAssets.size === 0) return;
    const changed = [...this.dirtyAssets.values()];
    this.dirtyAssets.clear();
    this.events.emit('userData', {
      e: 'outboundAccountPosition',
      E: this.clock.now(),
      u: this.updateTimeMs,
      B: changed.map((balance) => ({
        a: balance.asset,
        f: toBinanceDecimal(balance.free),
        l: toBinanceDecimal(balance.locked),
      })),
    });
  }
}
