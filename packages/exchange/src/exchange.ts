import type {
  BarEvent,
  BarInterval,
  BookDeltaEvent,
  BookSnapshotEvent,
  Decimal,
  Fill,
  Instrument,
  InstrumentId,
  OrderGateway,
  OrderReport,
  OrderType,
  QuoteTickEvent,
  TimeInForce,
  TradeTickEvent,
} from '@qtp/core';
import type { EventEmitter } from 'eventemitter3';

/**
 * A stream of market data to subscribe to: bars of an interval, trades, best bid and ask
 * quotes, or the L2 book (a snapshot, then deltas).
 */
export type MarketDataSubscription =
  | {
      /** Bars (candles). */
      readonly kind: 'bars';
      /** The instrument. */
      readonly instrumentId: InstrumentId;
      /** The bar length, such as `'1m'`. */
      readonly interval: BarInterval;
    }
  | {
      /** Trade ticks. */
      readonly kind: 'trades';
      /** The instrument. */
      readonly instrumentId: InstrumentId;
    }
  | {
      /** Best bid and ask quotes. */
      readonly kind: 'quotes';
      /** The instrument. */
      readonly instrumentId: InstrumentId;
    }
  | {
      /** The L2 book: a snapshot, then deltas. */
      readonly kind: 'book';
      /** The instrument. */
      readonly instrumentId: InstrumentId;
    };

/**
 * The events a {@link MarketDataFeed} emits on its `marketData` emitter, by name: core's
 * `MarketDataEvent`s, each under its `type`.
 */
export interface MarketDataEvents {
  /** A bar closed. */
  bar: [event: BarEvent];
  /** A trade printed. */
  trade: [event: TradeTickEvent];
  /** The best bid or ask changed. */
  quote: [event: QuoteTickEvent];
  /** A full book arrived. */
  bookSnapshot: [event: BookSnapshotEvent];
  /** A book change arrived. */
  bookDelta: [event: BookDeltaEvent];
}

/** The market data part of an {@link Exchange}: subscriptions and the events they deliver. */
export interface MarketDataFeed {
  /**
   * Starts delivering a stream on `marketData`. Subscribing twice to the same stream is a no-op.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   */
  subscribe(subscription: MarketDataSubscription): Promise<void>;
  /** Stops delivering a stream; unsubscribing from a stream not subscribed is a no-op. */
  unsubscribe(subscription: MarketDataSubscription): Promise<void>;
  /** Emits the market data of every subscribed stream. */
  readonly marketData: EventEmitter<MarketDataEvents>;
}

/** The balance of one asset in an account, exact. */
export interface Balance {
  /** The asset code, such as `USDT`. */
  readonly asset: string;
  /** The amount available to new orders. */
  readonly free: Decimal;
  /** The amount held by open orders. */
  readonly locked: Decimal;
}

/** Emitted when the balance of an asset changes (an order locks funds, a fill books them). */
export interface BalanceEvent {
  /** Always `balance`. */
  readonly type: 'balance';
  /** The new balance. */
  readonly balance: Balance;
  /** When the balance changed, in epoch milliseconds. */
  readonly timeMs: number;
}

/** The events an {@link AccountView} emits on its `account` emitter, by name. */
export interface AccountEvents {
  /** A balance changed. */
  balance: [event: BalanceEvent];
}

/** Options of {@link AccountView.fetchMyTrades}. */
export interface FetchTradesOptions {
  /** Only trades at or after this time, in epoch milliseconds. */
  readonly sinceMs?: number;
  /** At most this many trades, the most recent ones (default: all). */
  readonly limit?: number;
}

/** The account part of an {@link Exchange}: balances, open orders and own trades. */
export interface AccountView {
  /** Returns the balance of every asset the account holds or has held, sorted by asset. */
  fetchBalances(): Promise<readonly Balance[]>;
  /**
   * Returns the orders still open at the venue, of one instrument or of all, oldest first.
   * @throws `UnknownSymbolError` when an instrument is given that the venue does not list
   */
  fetchOpenOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]>;
  /**
   * Returns the account's own fills in an instrument, oldest first.
   * @throws `UnknownSymbolError` when the venue does not list the instrument
   */
  fetchMyTrades(instrumentId: InstrumentId, options?: FetchTradesOptions): Promise<readonly Fill[]>;
  /** Emits a `balance` event for every balance change. */
  readonly account: EventEmitter<AccountEvents>;
}

/**
 * One venue behind one interface: connection, instruments, market data, trading and account.
 * Trading is the `OrderGateway` of `@qtp/core` (place, cancel and fetch orders, with
 * order updates and fills on `executions`); what varies between venues is typed data such as
 * {@link Exchange.orderTypes}, never optional methods.
 *
 * Every amount is an exact `Decimal`; every time is epoch milliseconds from the venue's clock.
 *
 * @example
 * ```ts
 * import { createOrderRequest, type InstrumentId } from '@qtp/core';
 * import type { Exchange } from '@qtp/exchange';
 *
 * async function buyOnce(exchange: Exchange, id: InstrumentId) {
 *   await exchange.connect();
 *   exchange.executions.on('fill', ({ fill }) => console.log(fill.price.toString()));
 *   const ack = await exchange.placeOrder(
 *     createOrderRequest({ instrumentId: id, side: 'BUY', type: 'MARKET', quantity: '0.01' }),
 *   );
 *   return exchange.fetchOrder({ instrumentId: id, clientOrderId: ack.clientOrderId });
 * }
 * ```
 */
export interface Exchange extends OrderGateway, MarketDataFeed, AccountView {
  /** The venue's name, the venue part of its instrument ids, such as `BINANCE`. */
  readonly venue: string;
  /** The order types the venue accepts. */
  readonly orderTypes: readonly OrderType[];
  /** The times in force the venue accepts. */
  readonly timesInForce: readonly TimeInForce[];
  /** Opens the connection; calling it when connected is a no-op. */
  connect(): Promise<void>;
  /** Closes the connection and stops every subscription; calling it when closed is a no-op. */
  disconnect(): Promise<void>;
  /** Returns every instrument the venue lists, with its trading rules. */
  loadInstruments(): Promise<readonly Instrument[]>;
  /**
   * Cancels every open order, of one instrument or of all, and returns the reports of the
   * orders canceled.
   * @throws `UnknownSymbolError` when an instrument is given that the venue does not list
   */
  cancelAllOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]>;
}
