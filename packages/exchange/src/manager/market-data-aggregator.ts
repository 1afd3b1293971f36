import {
  type Instrument,
  type InstrumentId,
  type QuoteTick,
  type QuoteTickEvent,
  UnknownSymbolError,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import type { Exchange, MarketDataEvents } from '../exchange.js';

/** The best bid and the best ask of one asset pair over every venue that lists it. */
export interface ConsolidatedQuote {
  /** Always `consolidatedQuote`. */
  readonly type: 'consolidatedQuote';
  /** The pair, written `BASE/QUOTE`, such as `BTC/USDT`. */
  readonly pair: string;
  /** The highest bid of any venue. */
  readonly bidPrice: number;
  /** The quantity at that bid. */
  readonly bidSize: number;
  /** The venue of that bid. */
  readonly bidVenue: string;
  /** The lowest ask of any venue. */
  readonly askPrice: number;
  /** The quantity at that ask. */
  readonly askSize: number;
  /** The venue of that ask. */
  readonly askVenue: string;
  /** The time of the newest quote that went into it, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events of a {@link MarketDataAggregator}, by name: every venue's market data, and the consolidated quotes. */
export interface MarketDataAggregatorEvents extends MarketDataEvents {
  /** The consolidated best bid or ask of a pair changed. */
  consolidatedQuote: [quote: ConsolidatedQuote];
}

/** Options of {@link MarketDataAggregator}. */
export interface MarketDataAggregatorOptions {
  /** The venues to aggregate. */
  readonly exchanges: readonly Exchange[];
}

/**
 * Market data of several venues in one stream of core events, with symbols normalised to their
 * asset pair (`BTC/USDT` whatever a venue calls it) and a consolidated best bid and offer per
 * pair: the highest bid and the lowest ask over the venues, each with its venue. A venue's quote
 * counts until it sends a newer one.
 *
 * @example
 * ```ts
 * import { MarketDataAggregator } from '@qtp/exchange';
 * const aggregator = new MarketDataAggregator({ exchanges: [venueA, venueB] });
 * await aggregator.loadInstruments();
 * aggregator.events.on('consolidatedQuote', (bbo) => console.log(bbo.bidVenue, bbo.bidPrice, bbo.askVenue, bbo.askPrice));
 * await aggregator.subscribeQuotes('BTC/USDT');
 * ```
 */
export class MarketDataAggregator {
  /** Every venue's market data events, and `consolidatedQuote`. */
  readonly events = new EventEmitter<MarketDataAggregatorEvents>();
  private readonly exchanges: readonly Exchange[];
  private readonly pairs = new Map<InstrumentId, { pair: string; venue: string }>();
  private readonly byPair = new Map<string, { exchange: Exchange; instrument: Instrument }[]>();
  private readonly quotes = new Map<string, Map<string, QuoteTick>>();
  private readonly last = new Map<string, string>();

  /** Creates an aggregator; call {@link MarketDataAggregator.loadInstruments} first. */
  constructor(options: MarketDataAggregatorOptions) {
    this.exchanges = options.exchanges;
    for (const exchange of this.exchanges) {
      exchange.marketData.on('quote', (event) => this.onQuote(exchange.venue, event));
      exchange.marketData.on('bar', (event) => this.events.emit('bar', event));
      exchange.marketData.on('trade', (event) => this.events.emit('trade', event));
      exchange.marketData.on('bookSnapshot', (event) => this.events.emit('bookSnapshot', event));
      exchange.marketData.on('bookDelta', (event) => this.events.emit('bookDelta', event));
    }
  }

  /** Reads every venue's instruments and returns the pairs listed anywhere, sorted. */
  async loadInstruments(): Promise<readonly string[]> {
    for (const exchange of this.exchanges) {
      for (const instrument of await exchange.loadInstruments()) {
        const pair = `${instrument.baseAsset}/${instrument.quoteAsset}`;
        this.pairs.set(instrument.id, { pair, venue: exchange.venue });
        const listed = this.byPair.get(pair) ?? [];
        if (!listed.some((entry) => entry.exchange === exchange))
          listed.push({ exchange, instrument });
        this.byPair.set(pair, listed);
      }
    }
    return [...this.byPair.keys()].sort();
  }

  /** Returns the pair (`BASE/QUOTE`) of a venue's instrument, or `undefined` when not listed. */
  pairOf(instrumentId: InstrumentId): string | undefined {
    return this.pairs.get(instrumentId)?.pair;
  }

  /**
   * Subscribes to the quotes of a pair on every venue that lists it.
   * @throws `UnknownSymbolError` when no venue lists the pair
   */
  async subscribeQuotes(pair: string): Promise<void> {
    const listed = this.byPair.get(pair);
    if (listed === undefined) throw new UnknownSymbolError(pair);
    await Promise.all(
      listed.map(({ exchange, instrument }) =>
        exchange.subscribe({ kind: 'quotes', instrumentId: instrument.id }),
      ),
    );
  }

  /** Returns the consolidated quote of a pair, or `undefined` before a venue quoted both sides. */
  consolidated(pair: string): ConsolidatedQuote | undefined {
    const quotes = this.quotes.get(pair);
    if (quotes === undefined) return undefined;
    let bid: { quote: QuoteTick; venue: string } | undefined;
    let ask: { quote: QuoteTick; venue: string } | undefined;
    for (const [venue, quote] of quotes) {
      if (quote.bidSize > 0 && (bid === undefined || quote.bidPrice > bid.quote.bidPrice))
        bid = { quote, venue };
      if (quote.askSize > 0 && (ask === undefined || quote.askPrice < ask.quote.askPrice))
        ask = { quote, venue };
    }
    if (bid === undefined || ask === undefined) return undefined;
    return {
      type: 'consolidatedQuote',
      pair,
      bidPrice: bid.quote.bidPrice,
      bidSize: bid.quote.bidSize,
      bidVenue: bid.venue,
      askPrice: ask.quote.askPrice,
      askSize: ask.quote.askSize,
      askVenue: ask.venue,
      timeMs: Math.max(bid.quote.timeMs, ask.quote.timeMs),
    };
  }

  private onQuote(venue: string, event: QuoteTickEvent): void {
    this.events.emit('quote', event);
    const pair = this.pairs.get(event.instrumentId)?.pair;
    if (pair === undefined) return;
    const quotes = this.quotes.get(pair) ?? new Map<string, QuoteTick>();
    quotes.set(venue, event.quote);
    this.quotes.set(pair, quotes);
    const best = this.consolidated(pair);
    if (best === undefined) return;
    const key = `${best.bidVenue}:${best.bidPrice}:${best.bidSize}|${best.askVenue}:${best.askPrice}:${best.askSize}`;
    if (this.last.get(pair) === key) return;
    this.last.set(pair, key);
    this.events.emit('consolidatedQuote', best);
  }
}
