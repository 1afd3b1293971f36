import {
  type BookSnapshot,
  type Clock,
  Decimal,
  type DecimalInput,
  type Instrument,
  roundToIncrement,
  toPositiveDecimal,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import { type CheckedPriceRange, checkPriceRange, type PriceRangeRule } from './price-range.js';

/** One symbol the server lists, with the synthetic book it shows around the market price. */
export interface BinanceServerSymbol {
  /** The instrument: its symbol, assets, tick, step, quantity and notional limits and fees. */
  instrument: Instrument;
  /** The starting market price, the middle of the synthetic book. */
  price: DecimalInput;
  /** Levels on each side of the synthetic book (default 20). */
  levels?: number;
  /** The spread between the best bid and the best ask, in ticks (default 2). */
  spreadTicks?: number;
  /** The distance between two levels of one side, in ticks (default 1). */
  levelSpacingTicks?: number;
  /** The quantity each level shows (default 100 times the minimum quantity). */
  levelQuantity?: DecimalInput;
  /** The symbol's status (default `TRADING`); only `TRADING` takes new orders. */
  status?: 'TRADING' | 'HALT' | 'BREAK' | 'CANCEL_ONLY';
  /** The PRICE_RANGE execution rule (default none: takers trade at any price). */
  priceRange?: PriceRangeRule;
  /**
   * The reference price (default never set: `referencePrice` answers `-2043`); `null` is a
   * reference price that is set but empty. The rule and the PERCENT_PRICE and NOTIONAL filters use
   * it when it is a price.
   */
  referencePrice?: DecimalInput | null;
}

/** A trade on the server's tape: replayed from history or made by an account's order. */
export interface PublicTrade {
  readonly id: number;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly quoteQuantity: Decimal;
  readonly timeMs: number;
  readonly buyerIsMaker: boolean;
}

/** One kline as the server keeps it. */
export interface Kline {
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  quoteVolume: Decimal;
  trades: number;
  takerBuyVolume: Decimal;
  takerBuyQuoteVolume: Decimal;
  firstTradeId: number;
  lastTradeId: number;
}

/** One change of the book: update ids `first`..`last` and the new absolute level quantities. */
export interface DepthChange {
  readonly first: number;
  readonly last: number;
  readonly bids: readonly (readonly [string, string])[];
  readonly asks: readonly (readonly [string, string])[];
  readonly timeMs: number;
}

/** The events of one symbol's market. */
export interface MarketEvents {
  depth: [change: DepthChange];
  trade: [trade: PublicTrade];
  kline: [kline: Kline, interval: string, closed: boolean];
}

const MINUTE_MS = 60_000;
const TRADE_KEEP = 10_000;

/** The market of one symbol: synthetic book with its update ids, the tape and the klines. */
export class SymbolMarket {
  readonly events = new EventEmitter<MarketEvents>();
  readonly instrument: Instrument;
  readonly symbol: string;
  status: 'TRADING' | 'HALT' | 'BREAK' | 'CANCEL_ONLY';
  /** The PRICE_RANGE rule, if the symbol has one. */
  readonly priceRange: CheckedPriceRange | undefined;
  /** The reference price: undefined when never set, null when set but empty. */
  referencePrice: Decimal | null | undefined;
  /** When the reference price was last set. */
  referencePriceTimeMs: number;
  private readonly tick: Decimal;
  private readonly levels: number;
  private readonly spreadTicks: number;
  private readonly spacingTicks: number;
  private readonly levelQuantity: Decimal;
  private bids = new Map<string, string>();
  private asks = new Map<string, string>();
  private mid: Decimal;
  private updateIdValue = 1_000;
  private readonly tape: PublicTrade[] = [];
  private nextTradeId = 1;
  // Klines by interval: those replayed from bars, and 1m klines built from the tape.
  private readonly barKlines = new Map<string, Kline[]>();
  private readonly tradeKlines: Kline[] = [];
  private lastPriceValue: Decimal | undefined;

  constructor(
    definition: BinanceServerSymbol,
    private readonly clock: Clock,
  ) {
    this.instrument = definition.instrument;
    this.symbol = definition.instrument.symbol;
    this.status = definition.status ?? 'TRADING';
    this.priceRange =
      definition.priceRange === undefined ? undefined : checkPriceRange(definition.priceRange);
    this.referencePrice =
      definition.referencePrice === undefined || definition.referencePrice === null
        ? definition.referencePrice
        : toPositiveDecimal(definition.referencePrice, 'referencePrice');
    this.referencePriceTimeMs = clock.now();
    this.tick = definition.instrument.priceIncrement;
    this.levels = definition.levels ?? 20;
    this.spreadTicks = definition.spreadTicks ?? 2;
    this.spacingTicks = definition.levelSpacingTicks ?? 1;
    this.levelQuantity =
      definition.levelQuantity === undefined
        ? definition.instrument.minQuantity.times(100)
        : toPositiveDecimal(definition.levelQuantity, 'levelQuantity');
    this.mid = toPositiveDecimal(definition.price, 'price');
    this.rebuild(this.clock.now(), false);
  }

  /** The id of the last book change, as `lastUpdateId` and `u` report it. */
  get updateId(): number {
    return this.updateIdValue;
  }

  /** The price the filters check against: the reference price when set, else the last price. */
  get filterReference(): Decimal {
    return this.referencePrice ?? this.lastPrice;
  }

  /** The last traded price (a trade, a bar's close), else the book's middle. */
  get lastPrice(): Decimal {
    return this.lastPriceValue ?? this.mid;
  }

  /** Moves the synthetic book around `price` and publishes the change. */
  setPrice(price: Decimal, timeMs = this.clock.now()): void {
    this.mid = price;
    this.rebuild(timeMs, true);
  }

  /**
   * Skips `count` update ids without publishing them: the next diff starts past a gap, as
   * when a stream lost messages.
   */
  skipUpdateIds(count: number): void {
    this.updateIdValue += count;
  }

  private rebuild(timeMs: number, publish: boolean): void {
    const half = this.tick.times(this.spreadTicks).div(2);
    let bestBid = roundToIncrement(this.mid.minus(half), this.tick, 'down');
    if (bestBid.lte(0)) bestBid = this.tick;
    const bestAsk = bestBid.plus(this.tick.times(this.spreadTicks));
    const step = this.tick.times(this.spacingTicks);
    const quantity = toBinanceDecimal(this.levelQuantity);
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    for (let i = 0; i < this.levels; i++) {
      const bid = bestBid.minus(step.times(i));
      if (bid.gt(0)) bids.set(toBinanceDecimal(bid), quantity);
      asks.set(toBinanceDecimal(bestAsk.plus(step.times(i))), quantity);
    }
    const bidChanges = diff(this.bids, bids);
    const askChanges = diff(this.asks, asks);
    this.bids = bids;
    this.asks = asks;
    if (!publish || (bidChanges.length === 0 && askChanges.length === 0)) return;
    this.updateIdValue += 1;
    const id = this.updateIdValue;
    this.events.emit('depth', { first: id, last: id, bids: bidChanges, asks: askChanges, timeMs });
  }

  /** The book's levels, best first, at most `limit` per side. */
  depth(limit: number): {
    bids: [string, string][];
    asks: [string, string][];
    lastUpdateId: number;
  } {
    const sortLevels = (levels: Map<string, string>, descending: boolean) =>
      [...levels.entries()]
        .sort(([a], [b]) => {
          const versus = new Decimal(a).comparedTo(new Decimal(b));
          return descending ? -versus : versus;
        })
        .slice(0, limit);
    return {
      lastUpdateId: this.updateIdValue,
      bids: sortLevels(this.bids, true),
      asks: sortLevels(this.asks, false),
    };
  }

  /** The book as core's snapshot, for the matching engines. */
  bookSnapshot(timeMs: number): BookSnapshot {
    const { bids, asks, lastUpdateId } = this.depth(Number.POSITIVE_INFINITY);
    const level = ([price, size]: [string, string]) => ({
      price: Number(price),
      size: Number(size),
    });
    return {
      instrumentId: this.instrument.id,
      sequence: lastUpdateId,
      bids: bids.map(level),
      asks: asks.map(level),
      timeMs,
    };
  }

  /** The best bid and ask with their quantities. */
  top(): { bid: [string, string] | undefined; ask: [string, string] | undefined } {
    const { bids, asks } = this.depth(1);
    return { bid: bids[0], ask: asks[0] };
  }

  /** Adds a trade to the tape, updates the 1m klines built from it and publishes both. */
  recordTrade(
    price: Decimal,
    quantity: Decimal,
    buyerIsMaker: boolean,
    timeMs: number,
  ): PublicTrade {
    const trade: PublicTrade = Object.freeze({
      id: this.nextTradeId++,
      price,
      quantity,
      quoteQuantity: price.times(quantity),
      timeMs,
      buyerIsMaker,
    });
    this.tape.push(trade);
    if (this.tape.length > TRADE_KEEP) this.tape.splice(0, this.tape.length - TRADE_KEEP);
    this.lastPriceValue = price;
    this.events.emit('trade', trade);
    this.addToTradeKline(trade);
    return trade;
  }

  private addToTradeKline(trade: PublicTrade): void {
    const openTimeMs = Math.floor(trade.timeMs / MINUTE_MS) * MINUTE_MS;
    let current = this.tradeKlines.at(-1);
    if (current !== undefined && current.openTimeMs !== openTimeMs) {
      this.events.emit('kline', current, '1m', true);
    }
    if (current === undefined || current.openTimeMs !== openTimeMs) {
      current = {
        openTimeMs,
        closeTimeMs: openTimeMs + MINUTE_MS - 1,
        open: trade.price,
        high: trade.price,
        low: trade.price,
        close: trade.price,
        volume: new Decimal(0),
        quoteVolume: new Decimal(0),
        trades: 0,
        takerBuyVolume: new Decimal(0),
        takerBuyQuoteVolume: new Decimal(0),
        firstTradeId: trade.id,
        lastTradeId: trade.id,
      };
      this.tradeKlines.push(current);
    }
    current.high = Decimal.max(current.high, trade.price);
    current.low = Decimal.min(current.low, trade.price);
    current.close = trade.price;
    current.volume = current.volume.plus(trade.quantity);
    current.quoteVolume = current.quoteVolume.plus(trade.quoteQuantity);
    current.trades += 1;
    current.lastTradeId = trade.id;
    if (!trade.buyerIsMaker) {
      current.takerBuyVolume = current.takerBuyVolume.plus(trade.quantity);
      current.takerBuyQuoteVolume = current.takerBuyQuoteVolume.plus(trade.quoteQuantity);
    }
    if (!this.barKlines.has('1m')) this.events.emit('kline', current, '1m', false);
  }

  /** Adds a closed kline replayed from a bar and publishes it. */
  recordBar(interval: string, kline: Kline): void {
    let list = this.barKlines.get(interval);
    if (list === undefined) {
      list = [];
      this.barKlines.set(interval, list);
    }
    list.push(kline);
    this.lastPriceValue = kline.close;
    this.events.emit('kline', kline, interval, true);
  }

  /** The klines of an interval: replayed bars of it, else the 1m klines of the tape for `1m`. */
  klines(interval: string): readonly Kline[] {
    return (
      this.barKlines.get(interval) ??
      (interval === '1m' && this.barKlines.size === 0 ? this.tradeKlines : [])
    );
  }

  /** The intervals klines are available in. */
  klineIntervals(): string[] {
    return this.barKlines.size > 0 ? [...this.barKlines.keys()] : ['1m'];
  }

  /** The tape, oldest first. */
  trades(): readonly PublicTrade[] {
    return this.tape;
  }
}

function diff(before: Map<string, string>, after: Map<string, string>): [string, string][] {
  const changes: [string, string][] = [];
  for (const price of before.keys()) if (!after.has(price)) changes.push([price, '0.00000000']);
  for (const [price, quantity] of after)
    if (before.get(price) !== quantity) changes.push([price, quantity]);
  return changes;
}
