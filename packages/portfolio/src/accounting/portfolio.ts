import {
  createMoney,
  Decimal,
  type DecimalInput,
  type EventPublisher,
  type Fill,
  type InstrumentId,
  type Money,
  type PositionView,
  parseInstrumentId,
  symbolOf,
  UnknownSymbolError,
  ValidationError,
  venueOf,
} from '@qtp/core';
import type { ClosedTrade } from '../analytics/trade-statistics.js';
import {
  Account,
  type Balance,
  applyCheckedFill as bookIntoAccount,
  type InstrumentAssets,
} from './account.js';
import { checkAsset, checkFill, checkPrice, checkTime, fillKey } from './checks.js';
import type { FillBookedEvent, FillBooking, PortfolioEvents, TransferEvent } from './events.js';
import { applyCheckedFill as bookIntoPosition, type ClosedLot, Position } from './position.js';
import { convertAmount, convertMoney, type RateTable } from './rates.js';
import type {
  AccountBalance,
  PortfolioSnapshot,
  PositionSnapshot,
  RecordedEquityCurve,
} from './snapshot.js';

/** Options of {@link Portfolio}. */
export interface PortfolioOptions {
  /** The currency equity and closed trades are reported in, such as `USDT`. */
  readonly reportingCurrency: string;
  /** The instruments fills may be booked for; more can be added with {@link Portfolio.addInstrument}. */
  readonly instruments?: Iterable<InstrumentAssets>;
  /** Where to publish {@link PortfolioEvents}, such as an `EventBus`; nothing is published when omitted. */
  readonly publisher?: EventPublisher<PortfolioEvents>;
}

interface Mark {
  readonly price: number;
  readonly timeMs: number;
}

const ZERO = new Decimal(0);

function sortedMap<V>(entries: Map<string, V>): Map<string, V> {
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Books fills exactly into per-venue cash {@link Account}s and FIFO {@link Position}s, marks
 * them to observed prices, aggregates across venues and records equity for the analytics.
 *
 * Booked money (balances, lots, realized P&L, fees) is exact `Decimal`; marks, rates, equity and
 * the equity curve are `number`. Fills are idempotent by instrument and trade id: a fill seen
 * before is ignored. A fill that cannot be booked (malformed, for an instrument the portfolio does
 * not know, or spending more than a cash account holds) throws and changes nothing.
 *
 * Equity is the sum of every balance of every account valued at the rates in force: those set
 * with {@link Portfolio.setRate} and those implied by marks of instruments quoted in (or based on)
 * the reporting currency, the latest of either winning.
 *
 * @example
 * ```ts
 * import { createFill, createMoney, instrumentId } from '@qtp/core';
 * import { computePerformance, Portfolio } from '@qtp/portfolio';
 *
 * const id = instrumentId('BTCUSDT', 'BINANCE');
 * const portfolio = new Portfolio({
 *   reportingCurrency: 'USDT',
 *   instruments: [{ id, baseAsset: 'BTC', quoteAsset: 'USDT' }],
 * });
 * portfolio.deposit('BINANCE', 'USDT', '10000', 0);
 * portfolio.bookFill(createFill({
 *   tradeId: '1', clientOrderId: 'a', venueOrderId: '1', instrumentId: id, side: 'BUY',
 *   price: '25000', quantity: '0.2', fee: createMoney('5', 'USDT'), liquiditySide: 'TAKER', timeMs: 0,
 * }));
 * portfolio.mark(id, 25000, 0);
 * portfolio.recordEquity(0); // 9995
 * portfolio.mark(id, 26000, 3_600_000);
 * portfolio.recordEquity(3_600_000); // 10195
 * computePerformance(portfolio.equityCurve()).totalReturn; // ≈ 0.02
 * ```
 */
export class Portfolio implements PositionView {
  /** The currency equity and closed trades are reported in. */
  readonly reportingCurrency: string;
  private readonly publisher: EventPublisher<PortfolioEvents> | undefined;
  private readonly instruments = new Map<InstrumentId, InstrumentAssets>();
  private readonly accountsByVenue = new Map<string, Account>();
  private readonly positionsById = new Map<InstrumentId, Position>();
  private readonly booked = new Set<string>();
  private readonly closedLotLog: ClosedLot[] = [];
  private readonly marks = new Map<InstrumentId, Mark>();
  private readonly rateTable = new Map<string, number>();
  private readonly curveTimes: number[] = [];
  private readonly curveValues: number[] = [];
  private readonly snapshotList: PortfolioSnapshot[] = [];

  /**
   * Creates an empty portfolio.
   * @throws ValidationError when the reporting currency or an instrument is malformed
   */
  constructor(options: PortfolioOptions) {
    this.reportingCurrency = checkAsset(options.reportingCurrency, 'reportingCurrency');
    this.publisher = options.publisher;
    for (const instrument of options.instruments ?? []) this.addInstrument(instrument);
  }

  /**
   * Makes `instrument` known, so its fills can be booked and it can be marked. Adding it again
   * with the same assets does nothing.
   * @throws ValidationError when an asset is malformed, or the id is known with other assets
   */
  addInstrument(instrument: InstrumentAssets): void {
    checkAsset(instrument.baseAsset, 'baseAsset');
    checkAsset(instrument.quoteAsset, 'quoteAsset');
    const known = this.instruments.get(instrument.id);
    if (known !== undefined) {
      if (known.baseAsset !== instrument.baseAsset || known.quoteAsset !== instrument.quoteAsset) {
        throw new ValidationError(
          'instrument',
          `keep the assets ${known.baseAsset}/${known.quoteAsset} of ${instrument.id}`,
          `${instrument.baseAsset}/${instrument.quoteAsset}`,
        );
      }
      return;
    }
    parseInstrumentId(instrument.id);
    this.instruments.set(instrument.id, {
      id: instrument.id,
      baseAsset: instrument.baseAsset,
      quoteAsset: instrument.quoteAsset,
    });
  }

  /**
   * Returns the account at `venue`, opening an empty cash account on first use. Lock and unlock
   * funds for resting orders on it directly.
   * @throws ValidationError when the venue is malformed
   */
  account(venue: string): Account {
    let account = this.accountsByVenue.get(venue);
    if (account === undefined) {
      account = new Account({ venue });
      this.accountsByVenue.set(venue, account);
    }
    return account;
  }

  /** Returns every account opened so far, sorted by venue. */
  accounts(): Account[] {
    return [...sortedMap(this.accountsByVenue).values()];
  }

  /**
   * Adds `amount` of `asset` to the account at `venue`, publishes a `portfolio.transfer` and
   * returns the new balance. Deposits move equity but not P&L.
   * @throws ValidationError on a malformed venue, asset, amount or time
   */
  deposit(venue: string, asset: string, amount: DecimalInput, timeMs: number): Balance {
    checkTime(timeMs);
    const account = this.accountsByVenue.get(venue) ?? new Account({ venue });
    const balance = account.deposit(asset, amount);
    this.accountsByVenue.set(venue, account);
    this.publishTransfer('deposit', venue, asset, balance, amount, timeMs);
    return balance;
  }

  /**
   * Takes `amount` of `asset` from the free balance at `venue`, publishes a `portfolio.transfer`
   * and returns the new balance.
   * @throws InsufficientFundsError when the free balance is smaller; ValidationError on bad input
   */
  withdraw(venue: string, asset: string, amount: DecimalInput, timeMs: number): Balance {
    checkTime(timeMs);
    const account = this.accountsByVenue.get(venue) ?? new Account({ venue });
    const balance = account.withdraw(asset, amount);
    this.accountsByVenue.set(venue, account);
    this.publishTransfer('withdrawal', venue, asset, balance, amount, timeMs);
    return balance;
  }

  /** Returns true when a fill with this instrument and trade id has been booked. */
  isBooked(instrumentId: InstrumentId, tradeId: string): boolean {
    return this.booked.has(fillKey(instrumentId, tradeId));
  }

  /**
   * Books `fill` into the account of its venue and the position in its instrument, publishes a
   * `portfolio.fillBooked` and returns what it did. A fill whose trade id was already booked for
   * the instrument is a `duplicate`: nothing changes and nothing is published.
   *
   * @throws ValidationError when the fill is malformed
   * @throws UnknownSymbolError when the instrument was never added, so its assets are unknown
   * @throws InsufficientFundsError when the account lacks what the fill spends
   * In every case nothing changes.
   * @example
   * ```ts
   * const booking = portfolio.bookFill(fill);
   * booking.closedLots.map((lot) => lot.realizedPnl.amount.toString());
   * portfolio.bookFill(fill).status; // 'duplicate'
   * ```
   */
  bookFill(fill: Fill): FillBooking {
    checkFill(fill);
    const venue = venueOf(fill.instrumentId);
    const key = fillKey(fill.instrumentId, fill.tradeId);
    if (this.booked.has(key)) return this.duplicate(fill, venue);
    const instrument = this.instruments.get(fill.instrumentId);
    if (instrument === undefined) {
      throw new UnknownSymbolError(fill.instrumentId, { details: { tradeId: fill.tradeId } });
    }
    // Built aside and registered only once the fill is booked, so a refused fill leaves no trace.
    const account = this.accountsByVenue.get(venue) ?? new Account({ venue });
    const position = this.positionsById.get(fill.instrumentId) ?? new Position(instrument);
    // The fill was checked above and its instrument found, so both book it without checking again.
    const balances = bookIntoAccount(account, fill, instrument);
    const change = bookIntoPosition(position, fill);
    this.accountsByVenue.set(venue, account);
    this.positionsById.set(fill.instrumentId, position);
    this.booked.add(key);
    for (const lot of change.closedLots) this.closedLotLog.push(lot);
    const event: FillBookedEvent = Object.freeze({
      type: 'portfolio.fillBooked',
      status: 'booked',
      fill,
      venue,
      balances,
      closedLots: change.closedLots,
      openedLot: change.openedLot,
      previousQuantity: change.previousQuantity,
      quantity: change.quantity,
      realizedPnl: change.realizedPnl,
    });
    this.publisher?.publish('portfolio.fillBooked', event);
    return event;
  }

  /**
   * Records `price` as the mark of the instrument at `timeMs`. When the instrument is quoted in
   * the reporting currency the mark also becomes the rate of its base asset (and the inverse when
   * it is based on it).
   * @throws ValidationError when the price is not a finite number greater than 0 or the time is bad
   * @throws UnknownSymbolError when the instrument was never added
   */
  mark(instrumentId: InstrumentId, price: number, timeMs: number): void {
    checkPrice(price, 'price');
    checkTime(timeMs);
    const instrument = this.instruments.get(instrumentId);
    if (instrument === undefined) throw new UnknownSymbolError(instrumentId);
    this.marks.set(instrumentId, { price, timeMs });
    if (instrument.quoteAsset === this.reportingCurrency)
      this.rateTable.set(instrument.baseAsset, price);
    else if (instrument.baseAsset === this.reportingCurrency)
      this.rateTable.set(instrument.quoteAsset, 1 / price);
  }

  /** Returns the last mark of the instrument, or `undefined` when it was never marked. */
  markOf(instrumentId: InstrumentId): number | undefined {
    return this.marks.get(instrumentId)?.price;
  }

  /**
   * Sets the price of one unit of `asset` in the reporting currency, for assets no marked
   * instrument prices (a fee asset such as BNB, a cash balance in another currency).
   * @throws ValidationError when the asset is malformed or the rate is not a finite number greater than 0
   */
  setRate(asset: string, rate: number): void {
    checkAsset(asset);
    this.rateTable.set(asset, checkPrice(rate, 'rate'));
  }

  /** Returns the rates in force, set or implied by marks, by asset. */
  rates(): ReadonlyMap<string, number> {
    return sortedMap(this.rateTable);
  }

  /** Returns the position in the instrument, or `undefined` when no fill was ever booked for it. */
  position(instrumentId: InstrumentId): Position | undefined {
    return this.positionsById.get(instrumentId);
  }

  /** Returns every position that has booked a fill, flat ones included, sorted by instrument id. */
  positions(): Position[] {
    return [...sortedMap(this.positionsById).values()];
  }

  /** Returns the signed quantity held in the instrument: positive long, negative short, zero flat or never traded. */
  netQuantity(instrumentId: InstrumentId): Decimal {
    return this.positionsById.get(instrumentId)?.quantity ?? ZERO;
  }

  /** Returns the signed quantity of every position not flat, by instrument id. */
  netQuantities(): ReadonlyMap<InstrumentId, Decimal> {
    const result = new Map<InstrumentId, Decimal>();
    for (const [id, position] of sortedMap(this.positionsById)) {
      const quantity = position.quantity;
      if (!quantity.isZero()) result.set(id as InstrumentId, quantity);
    }
    return result;
  }

  /**
   * Returns the net quantity per instrument symbol, summed across venues: `BTCUSDT` on two
   * venues nets into one entry. Flat symbols are left out.
   */
  netQuantityBySymbol(): ReadonlyMap<string, Decimal> {
    return this.netBy((position) => symbolOf(position.instrumentId));
  }

  /**
   * Returns the net position quantity per base asset, summed across instruments and venues:
   * long `BTCUSDT` and short `BTCEUR` net into `BTC`. Flat assets are left out.
   */
  netQuantityByAsset(): ReadonlyMap<string, Decimal> {
    return this.netBy((position) => position.baseAsset);
  }

  /** Returns the total (free and locked) of each asset across every account, sorted by asset. */
  balancesByAsset(): ReadonlyMap<string, Decimal> {
    const totals = new Map<string, Decimal>();
    for (const account of this.accountsByVenue.values()) {
      for (const balance of account.balances()) {
        totals.set(balance.asset, (totals.get(balance.asset) ?? ZERO).plus(balance.total));
      }
    }
    return sortedMap(totals);
  }

  /**
   * Returns the total (free and locked) of one asset across every account: zero when none holds
   * it. Unlike {@link Portfolio.balancesByAsset} it reads only that asset.
   * @example
   * ```ts
   * portfolio.deposit('BINANCE', 'USDT', '1000', 0);
   * portfolio.assetTotal('USDT').toString(); // '1000'
   * ```
   */
  assetTotal(asset: string): Decimal {
    let total: Decimal | undefined;
    for (const account of this.accountsByVenue.values()) {
      const amount = account.total(asset);
      if (amount === undefined) continue;
      total = total === undefined ? amount : total.plus(amount);
    }
    return total ?? ZERO;
  }

  /**
   * Returns the value of each asset held across every account in the reporting currency, at
   * `rates` when given, else at the rates in force.
   * @throws ValidationError naming `rates.<asset>` when an asset held has no rate
   */
  valuesByAsset(rates: RateTable = this.rateTable): ReadonlyMap<string, number> {
    const values = new Map<string, number>();
    for (const [asset, total] of this.balancesByAsset()) {
      values.set(asset, convertAmount(total, asset, this.reportingCurrency, rates));
    }
    return values;
  }

  /**
   * Returns the equity in the reporting currency: every balance valued at `rates` (or the rates
   * in force) and summed.
   * @throws ValidationError naming `rates.<asset>` when an asset held has no rate
   */
  equity(rates: RateTable = this.rateTable): number {
    let total = 0;
    for (const value of this.valuesByAsset(rates).values()) total += value;
    return total;
  }

  /** Returns every lot closed so far, across instruments, in the order the fills were booked. */
  closedLots(): readonly ClosedLot[] {
    return this.closedLotLog.slice();
  }

  /**
   * Returns each closed lot as a {@link ClosedTrade} for `tradeStatistics` and
   * `computePerformance`: realized P&L minus the lot's share of both fills' fees, converted to the
   * reporting currency at `rates` (or the rates in force, not the rates at the time of the trade).
   * A fee in the instrument's base asset costs what that base was worth at its fill's price,
   * exactly, since the position never held it; a fee in a third asset converts at `rates`.
   * @throws ValidationError naming `rates.<asset>` when a P&L or fee currency has no rate
   */
  closedTrades(rates: RateTable = this.rateTable): ClosedTrade[] {
    return this.closedLotLog.map((lot) => {
      const currency = lot.realizedPnl.currency;
      const baseAsset = this.instruments.get(lot.instrumentId)?.baseAsset;
      let pnl = lot.realizedPnl.amount;
      let feesElsewhere = 0;
      for (const [fee, price] of [
        [lot.entryFee, lot.entryPrice],
        [lot.exitFee, lot.exitPrice],
      ] as const) {
        if (fee.currency === currency) pnl = pnl.minus(fee.amount);
        else if (fee.currency === baseAsset) pnl = pnl.minus(fee.amount.times(price));
        else feesElsewhere += convertMoney(fee, this.reportingCurrency, rates);
      }
      return {
        entryTime: lot.entryTimeMs,
        exitTime: lot.exitTimeMs,
        pnl: convertAmount(pnl, currency, this.reportingCurrency, rates) - feesElsewhere,
      };
    });
  }

  /** Returns the fees paid across every position, one exact total per currency, sorted by currency. */
  fees(): Money[] {
    const totals = new Map<string, Decimal>();
    for (const position of this.positionsById.values()) {
      for (const fee of position.fees)
        totals.set(fee.currency, (totals.get(fee.currency) ?? ZERO).plus(fee.amount));
    }
    return [...sortedMap(totals)].map(([currency, amount]) => createMoney(amount, currency));
  }

  /**
   * Appends the equity at `timeMs` to the equity curve and returns it. Recording again at the
   * last recorded time replaces that point, so marking several instruments at one bar and
   * recording after each keeps one point per bar.
   * @throws ValidationError when `timeMs` is before the last recorded time, or a rate is missing
   */
  recordEquity(timeMs: number): number {
    checkTime(timeMs);
    const equity = this.equity();
    this.appendPoint(timeMs, equity);
    return equity;
  }

  /**
   * Takes a snapshot at `timeMs` (balances, positions with their marks and P&L, equity), keeps
   * it in {@link Portfolio.snapshots}, records its equity like {@link Portfolio.recordEquity} and
   * returns it.
   * @throws ValidationError when `timeMs` is before the last recorded time, or a rate is missing
   */
  snapshot(timeMs: number): PortfolioSnapshot {
    checkTime(timeMs);
    const equity = this.equity();
    const balances: AccountBalance[] = [];
    for (const account of this.accounts()) {
      for (const balance of account.balances())
        balances.push(Object.freeze({ ...balance, venue: account.venue }));
    }
    const snapshot: PortfolioSnapshot = Object.freeze({
      timeMs,
      reportingCurrency: this.reportingCurrency,
      equity,
      balances: Object.freeze(balances),
      positions: Object.freeze(this.positions().map((position) => this.positionSnapshot(position))),
    });
    this.appendPoint(timeMs, equity);
    const last = this.snapshotList[this.snapshotList.length - 1];
    if (last !== undefined && last.timeMs === timeMs)
      this.snapshotList[this.snapshotList.length - 1] = snapshot;
    else this.snapshotList.push(snapshot);
    return snapshot;
  }

  /** Returns the snapshots taken, oldest first. */
  snapshots(): readonly PortfolioSnapshot[] {
    return this.snapshotList.slice();
  }

  /**
   * Returns the recorded equity curve as typed arrays, ready for `computePerformance`.
   * @example
   * ```ts
   * import { computePerformance } from '@qtp/portfolio';
   * const report = computePerformance(portfolio.equityCurve(), { trades: portfolio.closedTrades() });
   * ```
   */
  equityCurve(): RecordedEquityCurve {
    return {
      times: Float64Array.from(this.curveTimes),
      values: Float64Array.from(this.curveValues),
    };
  }

  private appendPoint(timeMs: number, equity: number): void {
    const last = this.curveTimes.length - 1;
    const lastTime = this.curveTimes[last];
    if (lastTime !== undefined && timeMs < lastTime) {
      throw new ValidationError(
        'timeMs',
        `not be before the last recorded time ${lastTime}`,
        timeMs,
      );
    }
    if (lastTime === timeMs) {
      this.curveValues[last] = equity;
    } else {
      this.curveTimes.push(timeMs);
      this.curveValues.push(equity);
    }
  }

  private positionSnapshot(position: Position): PositionSnapshot {
    const mark = this.marks.get(position.instrumentId)?.price ?? null;
    return Object.freeze({
      instrumentId: position.instrumentId,
      side: position.side,
      quantity: position.quantity,
      averageEntryPrice: position.averageEntryPrice,
      mark,
      unrealizedPnl: mark === null ? null : position.unrealizedPnl(mark),
      realizedPnl: position.realizedPnl,
      fees: Object.freeze(position.fees),
    });
  }

  private netBy(keyOf: (position: Position) => string): ReadonlyMap<string, Decimal> {
    const totals = new Map<string, Decimal>();
    for (const position of this.positionsById.values()) {
      const key = keyOf(position);
      totals.set(key, (totals.get(key) ?? ZERO).plus(position.quantity));
    }
    for (const [key, quantity] of totals) if (quantity.isZero()) totals.delete(key);
    return sortedMap(totals);
  }

  private duplicate(fill: Fill, venue: string): FillBooking {
    const quantity = this.netQuantity(fill.instrumentId);
    const quote = this.instruments.get(fill.instrumentId)?.quoteAsset ?? fill.fee.currency;
    return Object.freeze({
      status: 'duplicate',
      fill,
      venue,
      balances: [],
      closedLots: [],
      openedLot: null,
      previousQuantity: quantity,
      quantity,
      realizedPnl: createMoney(ZERO, quote),
    });
  }

  private publishTransfer(
    direction: TransferEvent['direction'],
    venue: string,
    asset: string,
    balance: Balance,
    amount: DecimalInput,
    timeMs: number,
  ): void {
    if (this.publisher === undefined) return;
    this.publisher.publish(
      'portfolio.transfer',
      Object.freeze({
        type: 'portfolio.transfer',
        direction,
        venue,
        asset,
        amount: new Decimal(amount),
        balance,
        timeMs,
      }),
    );
  }
}
