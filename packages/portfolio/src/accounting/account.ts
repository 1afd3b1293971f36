import {
  createMoney,
  type Decimal,
  type DecimalInput,
  type Fill,
  type InstrumentId,
  InsufficientFundsError,
  type Money,
  ValidationError,
} from '@qtp/core';
import { checkAmount, checkAsset, checkFill, checkVenue } from './checks.js';
import { compare, min, plus, ZERO } from './decimal-ops.js';

/**
 * How an account may hold its assets. `cash` forbids a negative balance: every asset spent must
 * be held. Margin accounts, which may borrow, are a later addition to this union.
 */
export type AccountType = 'cash';

/** The holding of one asset in an {@link Account}. Amounts are exact and never negative in a cash account. */
export interface Balance {
  /** The asset, such as `USDT`. */
  readonly asset: string;
  /** The amount free to spend. */
  readonly free: Decimal;
  /** The amount reserved for resting orders. */
  readonly locked: Decimal;
  /** `free + locked`. */
  readonly total: Decimal;
}

/** The assets an instrument trades: what booking a fill needs to know about it. An `Instrument` from `@qtp/core` is one. */
export interface InstrumentAssets {
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly id: InstrumentId;
  /** The asset bought and sold, such as `BTC`. */
  readonly baseAsset: string;
  /** The asset prices are quoted in, such as `USDT`. */
  readonly quoteAsset: string;
}

/** Options of {@link Account}. */
export interface AccountOptions {
  /** The venue that holds the account, as instrument ids spell it: `BINANCE`. */
  readonly venue: string;
  /** The account type; `cash` (the only one for now) when omitted. */
  readonly accountType?: AccountType;
}

interface Holding {
  free: Decimal;
  locked: Decimal;
}

interface Lock {
  readonly asset: string;
  amount: Decimal;
}

function balanceOf(asset: string, holding: Holding | undefined): Balance {
  const free = holding?.free ?? ZERO;
  const locked = holding?.locked ?? ZERO;
  return Object.freeze({ asset, free, locked, total: plus(free, locked) });
}

/** One signed change of one asset's balance. */
type Change = readonly [asset: string, amount: Decimal];

// The changes a fill makes, as a short list: booking builds one per fill, and a Map cost more.
function fillChanges(fill: Fill, assets: InstrumentAssets): Change[] {
  const notional = fill.price.times(fill.quantity);
  const buy = fill.side === 'BUY';
  const changes: [string, Decimal][] = [
    [assets.baseAsset, buy ? fill.quantity : fill.quantity.neg()],
    [assets.quoteAsset, buy ? notional.neg() : notional],
  ];
  const fee = fill.fee;
  if (!fee.amount.isZero()) {
    const same =
      fee.currency === assets.baseAsset ? 0 : fee.currency === assets.quoteAsset ? 1 : -1;
    if (same < 0) changes.push([fee.currency, fee.amount.neg()]);
    else changes[same]![1] = changes[same]![1].minus(fee.amount);
  }
  return changes;
}

/**
 * Returns the change each asset's balance undergoes when `fill` is booked: the base asset bought
 * or sold, the quote asset paid or received (price times quantity) and the fee (a negative fee, a
 * rebate, is received). Changes in the same asset are summed.
 */
export function fillBalanceChanges(
  fill: Fill,
  assets: InstrumentAssets,
): ReadonlyMap<string, Decimal> {
  return new Map(fillChanges(fill, assets));
}

/**
 * Books a fill that the caller has already checked with `checkFill`, into `account`. Portfolio
 * books through this, so each fill is checked once rather than once more here.
 */
export let applyCheckedFill: (account: Account, fill: Fill, assets: InstrumentAssets) => Balance[];

/**
 * The balances one venue holds for the portfolio: per asset, an amount free to spend and an
 * amount locked for resting orders, all exact. Fills, fees, deposits and withdrawals change them;
 * in a `cash` account anything that would take a free balance below zero throws
 * `InsufficientFundsError` and changes nothing.
 *
 * Locks are held per resting order, under its client order id: a fill of that order draws what
 * it spends in the locked asset from the lock first, then from the free balance.
 *
 * @example
 * ```ts
 * import { createFill, createMoney, instrumentId } from '@qtp/core';
 * import { Account } from '@qtp/portfolio';
 *
 * const btc = { id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT' };
 * const account = new Account({ venue: 'BINANCE' });
 * account.deposit('USDT', '1000');
 * account.lock('order-1', 'USDT', '500'); // a limit buy of 0.02 BTC at 25000 rests
 * account.applyFill(
 *   createFill({
 *     tradeId: 't-1', clientOrderId: 'order-1', venueOrderId: '1', instrumentId: btc.id,
 *     side: 'BUY', price: '25000', quantity: '0.01', fee: createMoney('0.25', 'USDT'),
 *     liquiditySide: 'MAKER', timeMs: 0,
 *   }),
 *   btc,
 * );
 * account.balance('USDT'); // free 500, locked 249.75
 * account.balance('BTC'); // free 0.01
 * ```
 */
export class Account {
  /** The venue that holds the account. */
  readonly venue: string;
  /** The account type. */
  readonly accountType: AccountType;
  private readonly holdings = new Map<string, Holding>();
  private readonly locks = new Map<string, Lock>();

  static {
    applyCheckedFill = (account, fill, assets) => account.bookFill(fill, assets);
  }

  /**
   * Creates an empty account.
   * @throws ValidationError when the venue is malformed or the account type is not `cash`
   */
  constructor(options: AccountOptions) {
    this.venue = checkVenue(options.venue);
    const accountType = options.accountType ?? 'cash';
    if (accountType !== 'cash') {
      throw new ValidationError('accountType', 'be cash', accountType);
    }
    this.accountType = accountType;
  }

  /** Returns the balance of `asset`, zero when the account never held it. */
  balance(asset: string): Balance {
    return balanceOf(asset, this.holdings.get(asset));
  }

  /**
   * Returns the total (free and locked) of `asset`, or `undefined` when the account never held
   * it; builds no {@link Balance}.
   * @example
   * ```ts
   * account.total('USDT')?.toString(); // '1000'
   * ```
   */
  total(asset: string): Decimal | undefined {
    const holding = this.holdings.get(asset);
    return holding === undefined ? undefined : plus(holding.free, holding.locked);
  }

  /** Returns every balance the account has held, sorted by asset. */
  balances(): Balance[] {
    return [...this.holdings.keys()]
      .sort()
      .map((asset) => balanceOf(asset, this.holdings.get(asset)));
  }

  /** Returns the amount still locked under `key`, or `undefined` when nothing is. */
  lockedFor(key: string): Money | undefined {
    const lock = this.locks.get(key);
    return lock === undefined ? undefined : createMoney(lock.amount, lock.asset);
  }

  /**
   * Adds `amount` of `asset` to the free balance and returns the new balance.
   * @throws ValidationError when the asset is malformed or the amount is not a decimal greater than 0
   */
  deposit(asset: string, amount: DecimalInput): Balance {
    checkAsset(asset);
    const value = checkAmount(amount, 'amount');
    return this.commit([[asset, value]], undefined)[0]!;
  }

  /**
   * Takes `amount` of `asset` from the free balance and returns the new balance.
   * @throws InsufficientFundsError when the free balance is smaller, ValidationError on bad input
   */
  withdraw(asset: string, amount: DecimalInput): Balance {
    checkAsset(asset);
    const value = checkAmount(amount, 'amount');
    return this.commit([[asset, value.neg()]], undefined)[0]!;
  }

  /**
   * Moves `amount` of `asset` from free to locked, under `key` (the client order id of the
   * resting order); locking again under the same key adds to the lock.
   * @throws InsufficientFundsError when the free balance is smaller
   * @throws ValidationError on bad input, or when `key` already locks another asset
   */
  lock(key: string, asset: string, amount: DecimalInput): Balance {
    checkKey(key);
    checkAsset(asset);
    const value = checkAmount(amount, 'amount');
    const existing = this.locks.get(key);
    if (existing !== undefined && existing.asset !== asset) {
      throw new ValidationError(
        'asset',
        `be ${existing.asset}, the asset already locked under ${key}`,
        asset,
      );
    }
    const holding = this.holdings.get(asset);
    const free = holding?.free ?? ZERO;
    if (compare(free, value) < 0) throw this.insufficient(asset, free, value);
    this.holdings.set(asset, {
      free: free.minus(value),
      locked: (holding?.locked ?? ZERO).plus(value),
    });
    if (existing === undefined) this.locks.set(key, { asset, amount: value });
    else existing.amount = existing.amount.plus(value);
    return this.balance(asset);
  }

  /**
   * Moves what is still locked under `key` (or `amount` of it) back to free, as when the order
   * is canceled or done, and returns what was released, or `undefined` when nothing was locked.
   * @throws ValidationError when `amount` is not greater than 0 or exceeds the lock
   */
  unlock(key: string, amount?: DecimalInput): Money | undefined {
    const lock = this.locks.get(key);
    const value = amount === undefined ? undefined : checkAmount(amount, 'amount');
    if (lock === undefined) {
      if (value !== undefined) throw new ValidationError('key', 'hold a lock to release', key);
      return undefined;
    }
    const release = value ?? lock.amount;
    if (compare(release, lock.amount) > 0) {
      throw new ValidationError(
        'amount',
        `be at most ${lock.amount.toFixed()}, the amount locked under ${key}`,
        amount,
      );
    }
    const holding = this.holdings.get(lock.asset)!;
    this.holdings.set(lock.asset, {
      free: holding.free.plus(release),
      locked: holding.locked.minus(release),
    });
    lock.amount = lock.amount.minus(release);
    if (lock.amount.isZero()) this.locks.delete(key);
    return createMoney(release, lock.asset);
  }

  /**
   * Books the balance side of `fill` (see {@link fillBalanceChanges}) and returns the balances
   * it changed, sorted by asset. What the fill spends in an asset locked under its client order
   * id comes from that lock first.
   * @throws InsufficientFundsError when a free balance would go negative; nothing changes
   * @throws ValidationError when the fill is malformed or not for this account's venue
   */
  applyFill(fill: Fill, assets: InstrumentAssets): Balance[] {
    checkFill(fill);
    return this.bookFill(fill, assets);
  }

  private bookFill(fill: Fill, assets: InstrumentAssets): Balance[] {
    const id = fill.instrumentId;
    const venue = this.venue;
    // Tested in place rather than against a built `.${venue}` string, once per fill.
    if (!id.endsWith(venue) || id[id.length - venue.length - 1] !== '.') {
      throw new ValidationError('instrumentId', `be an instrument of ${venue}`, id);
    }
    return this.commit(fillChanges(fill, assets), fill.clientOrderId);
  }

  /**
   * Applies signed changes per asset all at once, after checking every resulting balance, so a
   * refused change leaves the account as it was.
   */
  // Indexed loops over the two or three changes of a fill: destructuring them in `for...of`
  // made an iterator per loop.
  private commit(changes: readonly Change[], lockKey: string | undefined): Balance[] {
    const lock = lockKey === undefined ? undefined : this.locks.get(lockKey);
    const holdings: Holding[] = [];
    const fromLocks: Decimal[] = [];
    for (let i = 0; i < changes.length; i++) {
      const asset = changes[i]![0];
      const change = changes[i]![1];
      const holding = this.holdings.get(asset);
      let free = holding?.free ?? ZERO;
      let locked = holding?.locked ?? ZERO;
      let fromLock = ZERO;
      if (change.isNegative() && lock !== undefined && lock.asset === asset) {
        fromLock = min(lock.amount, change.neg());
        locked = locked.minus(fromLock);
      }
      free = plus(free.plus(change), fromLock);
      if (free.isNegative() && this.accountType === 'cash') {
        throw this.insufficient(asset, holding?.free ?? ZERO, change.neg().minus(fromLock));
      }
      holdings.push({ free, locked });
      fromLocks.push(fromLock);
    }
    const balances: Balance[] = [];
    for (let i = 0; i < changes.length; i++) {
      const asset = changes[i]![0];
      const holding = holdings[i]!;
      const fromLock = fromLocks[i]!;
      this.holdings.set(asset, holding);
      if (lock !== undefined && !fromLock.isZero()) {
        lock.amount = lock.amount.minus(fromLock);
        if (lock.amount.isZero()) this.locks.delete(lockKey!);
      }
      balances.push(balanceOf(asset, holding));
    }
    // Two or three balances: sorted in place, as `sort` would copy them into a scratch array.
    for (let i = 1; i < balances.length; i++) {
      const balance = balances[i]!;
      let j = i - 1;
      while (j >= 0 && byAsset(balances[j]!, balance) > 0) {
        balances[j + 1] = balances[j]!;
        j--;
      }
      balances[j + 1] = balance;
    }
    return balances;
  }

  private insufficient(asset: string, free: Decimal, needed: Decimal): InsufficientFundsError {
    return new InsufficientFundsError(
      `${this.venue} ${asset}: needs ${needed.toFixed()}, ${free.toFixed()} free`,
      { details: { venue: this.venue, asset, needed: needed.toFixed(), free: free.toFixed() } },
    );
  }
}

function byAsset(a: Balance, b: Balance): number {
  return a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0;
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw new ValidationError('key', 'be a non-empty string (the client order id)', key);
  }
}
