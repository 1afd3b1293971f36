import { ValidationError } from '@qtp/core';

/**
 * When a resting limit order fills against observed prices: `through` only when the market
 * trades beyond its price (conservative: at the limit, the queue ahead may take all), `touch`
 * as soon as the market trades at its price.
 */
export type LimitFillRule = 'through' | 'touch';

/**
 * The order in which a bar's high and low are assumed to have traded:
 * `open-nearest-extreme` visits the extreme nearer the open first (the high on a tie);
 * `high-first` and `low-first` always visit that extreme first.
 */
export type IntrabarPath = 'open-nearest-extreme' | 'high-first' | 'low-first';

/**
 * Orders fill from OHLCV bars. An order placed while bar t is handled matches from bar t+1 on.
 * Market orders, and IOC and FOK orders, fill at the open of their first bar; resting limits
 * fill at the limit when the bar trades through it (or touches it), or at the open when the bar
 * gaps past it; stops trigger on the high or low and then fill like a market or limit order.
 *
 * Fill time follows fill price: a fill at a bar's open carries that bar's open time (or the
 * order's arrival time, when latency brought it in after the open); a fill further along the
 * bar's path carries the time the bar is handled, its close.
 */
export interface BarFillModel {
  /** Always `bars`. */
  readonly kind: 'bars';
  /** When a resting limit fills. */
  readonly limitFill: LimitFillRule;
  /** The order of high and low inside a bar. */
  readonly intrabarPath: IntrabarPath;
  /**
   * The largest share of a bar's volume the account's orders may fill in that bar, shared by
   * all its orders in the instrument; `Infinity` for no cap.
   */
  readonly volumeCap: number;
}

/**
 * How much a taker fills from the trades it meets: `full` fills its whole quantity at the next
 * trade's price whatever that trade's size; `traded` fills at most each trade's size, sharing it
 * with the account's other orders in the same trade.
 */
export type TakerVolume = 'full' | 'traded';

/**
 * Orders fill from trade ticks. An order placed while trade k is handled matches from trade
 * k+1 on. Takers (market, marketable on arrival, IOC, FOK, triggered stop-market) fill in full
 * at the next trade's price when it is within their limit, or with `takerVolume: 'traded'` up
 * to that trade's size; resting limits fill at their price against trades that cross them, up to
 * the traded size, or with `queuePosition` behind an assumed queue at their price.
 */
export interface TradeFillModel {
  /** Always `trades`. */
  readonly kind: 'trades';
  /** When a resting limit fills; unused when `queuePosition` is on. */
  readonly limitFill: LimitFillRule;
  /** How much of a trade's size takers may fill. */
  readonly takerVolume: TakerVolume;
  /** Whether resting limits wait behind a queue at their price before trades there fill them. */
  readonly queuePosition: boolean;
  /** The queue assumed ahead of a resting limit, in base units, when no quote shows its price. */
  readonly queueAhead: number;
}

/**
 * Orders fill from an L2 book. Market and marketable orders walk the book when they arrive and
 * consume its liquidity until the venue's next update of a level; resting limits join the queue
 * behind the displayed size at their price and fill when trades at their price have eaten the
 * queue ahead, when trades print through their price, or when the other side of the book
 * crosses their price.
 */
export interface BookFillModel {
  /** Always `book`. */
  readonly kind: 'book';
}

/** How a {@link SimulatedExchange} decides fills: from bars, trade ticks or an L2 book. */
export type FillModel = BarFillModel | TradeFillModel | BookFillModel;

/** Options of {@link barFillModel}. */
export interface BarFillModelOptions {
  /** When a resting limit fills (default `through`). */
  limitFill?: LimitFillRule;
  /** The order of high and low inside a bar (default `open-nearest-extreme`). */
  intrabarPath?: IntrabarPath;
  /** The largest share of a bar's volume to fill, greater than 0 (default 1, `Infinity` for none). */
  volumeCap?: number;
}

/** Options of {@link tradeFillModel}. */
export interface TradeFillModelOptions {
  /** When a resting limit fills (default `through`); unused when `queuePosition` is on. */
  limitFill?: LimitFillRule;
  /** How much of a trade's size takers may fill (default `full`). */
  takerVolume?: TakerVolume;
  /** Whether resting limits wait behind a queue at their price (default false). */
  queuePosition?: boolean;
  /**
   * The queue assumed ahead of a resting limit, in base units, 0 or more (default 0), when the
   * last quote does not show the limit's price; a limit better than the quote starts a new level
   * and has no queue.
   */
  queueAhead?: number;
}

function checkLimitFill(value: unknown): LimitFillRule {
  if (value !== 'through' && value !== 'touch') {
    throw new ValidationError('limitFill', 'be through or touch', value);
  }
  return value;
}

/**
 * Returns the bar fill model, conservative by default: limits fill only when traded through,
 * the extreme nearer the open trades first, and fills never exceed the bar's volume.
 *
 * @throws `ValidationError` naming a bad option
 * @example
 * ```ts
 * import { barFillModel } from '@qtp/exchange';
 * const model = barFillModel({ volumeCap: 0.1 }); // at most 10% of each bar's volume
 * ```
 */
export function barFillModel(options: BarFillModelOptions = {}): BarFillModel {
  const limitFill = checkLimitFill(options.limitFill ?? 'through');
  const intrabarPath = options.intrabarPath ?? 'open-nearest-extreme';
  if (!['open-nearest-extreme', 'high-first', 'low-first'].includes(intrabarPath)) {
    const rule = 'be open-nearest-extreme, high-first or low-first';
    throw new ValidationError('intrabarPath', rule, intrabarPath);
  }
  const volumeCap = options.volumeCap ?? 1;
  if (typeof volumeCap !== 'number' || Number.isNaN(volumeCap) || volumeCap <= 0) {
    throw new ValidationError('volumeCap', 'be a number greater than 0, or Infinity', volumeCap);
  }
  return Object.freeze({ kind: 'bars', limitFill, intrabarPath, volumeCap });
}

/**
 * Returns the trade tick fill model: by default takers fill in full at the next trade and limits
 * fill when traded through; `takerVolume: 'traded'` caps takers by traded size and
 * `queuePosition` queues resting limits behind the size at their price.
 *
 * @throws `ValidationError` naming a bad option
 * @example
 * ```ts
 * import { tradeFillModel } from '@qtp/exchange';
 * const model = tradeFillModel({ takerVolume: 'traded', queuePosition: true, queueAhead: 500 });
 * ```
 */
export function tradeFillModel(options: TradeFillModelOptions = {}): TradeFillModel {
  const takerVolume = options.takerVolume ?? 'full';
  if (takerVolume !== 'full' && takerVolume !== 'traded') {
    throw new ValidationError('takerVolume', 'be full or traded', takerVolume);
  }
  const queuePosition = options.queuePosition ?? false;
  if (typeof queuePosition !== 'boolean') {
    throw new ValidationError('queuePosition', 'be a boolean', queuePosition);
  }
  const queueAhead = options.queueAhead ?? 0;
  if (typeof queueAhead !== 'number' || !Number.isFinite(queueAhead) || queueAhead < 0) {
    throw new ValidationError('queueAhead', 'be a finite number of 0 or more', queueAhead);
  }
  return Object.freeze({
    kind: 'trades',
    limitFill: checkLimitFill(options.limitFill ?? 'through'),
    takerVolume,
    queuePosition,
    queueAhead,
  });
}

/**
 * Returns the L2 book fill model.
 *
 * @example
 * ```ts
 * import { bookFillModel } from '@qtp/exchange';
 * const model = bookFillModel();
 * ```
 */
export function bookFillModel(): BookFillModel {
  return Object.freeze({ kind: 'book' });
}

/**
 * Returns the prices a bar is assumed to have traded through, in order: open, first extreme,
 * second extreme, close. Between two points the price moves monotonically.
 *
 * @example
 * ```ts
 * import { intrabarPath } from '@qtp/exchange';
 * intrabarPath({ open: 100, high: 103, low: 90, close: 95 }, 'open-nearest-extreme');
 * // [100, 103, 90, 95]: the high is nearer the open, so it traded first
 * ```
 */
export function intrabarPath(
  bar: {
    readonly open: number;
    readonly high: number;
    readonly low: number;
    readonly close: number;
  },
  rule: IntrabarPath,
): [number, number, number, number] {
  const highFirst =
    rule === 'high-first' ||
    (rule === 'open-nearest-extreme' && bar.high - bar.open <= bar.open - bar.low);
  return highFirst
    ? [bar.open, bar.high, bar.low, bar.close]
    : [bar.open, bar.low, bar.high, bar.close];
}

/** Returns the human-readable lines that state what a fill model assumes. */
export function describeFillModel(model: FillModel): string[] {
  switch (model.kind) {
    case 'bars': {
      const cap =
        model.volumeCap === Number.POSITIVE_INFINITY
          ? 'fills are not capped by bar volume (optimistic)'
          : `fills in a bar add up to at most ${model.volumeCap * 100}% of its volume, shared by all orders in the instrument; the rest waits for later bars (an IOC or FOK remainder expires)`;
      return [
        'fill model: bars; an order placed while bar t is handled is matched from bar t+1 on, never inside the bar that produced the signal',
        'market, IOC and FOK orders fill at the open of their first bar, as takers; an IOC or FOK limit not marketable at that open expires',
        "a fill at a bar's open is stamped with the bar's open time (or the order's arrival, if later); a fill further along the bar is stamped with the time the bar is handled",
        model.limitFill === 'through'
          ? 'resting limits fill only when a bar trades strictly through the limit, at the limit as makers; a bar that opens past the limit fills it at the open'
          : 'resting limits fill when a bar touches the limit, at the limit as makers; a bar that opens past the limit fills it at the open',
        model.intrabarPath === 'open-nearest-extreme'
          ? 'inside a bar the price goes open, the extreme nearer the open (the high on a tie), the other extreme, close'
          : `inside a bar the price goes open, ${model.intrabarPath === 'high-first' ? 'high, low' : 'low, high'}, close`,
        'stops trigger when the path reaches the trigger (or at the open when it gaps past) and then fill like market or limit orders from that point of the path',
        'a limit order marketable against the last close when it arrives is a taker; a post-only order marketable then is rejected',
        cap,
      ];
    }
    case 'trades':
      return [
        'fill model: trade ticks; an order placed while trade k is handled is matched from trade k+1 on',
        model.takerVolume === 'full'
          ? 'takers (market, marketable on arrival, IOC, FOK, triggered stop-market) fill in full at the next trade price within their limit; trade size does not cap them'
          : "takers (market, marketable on arrival, IOC, FOK, triggered stop-market) fill at most each trade's size, at its price, within their limit; what one order took from a trade is gone for the next; market, IOC and FOK orders meet one trade and the rest expires (a FOK fills only if that trade covers it); other takers walk later trades until filled or a trade is outside their limit, then rest",
        model.queuePosition
          ? `resting limits join a queue at their price (the last quote's size there, a new level when better than the quote, else ${model.queueAhead} base units); trades at the price eat the queue first, then fill them; trades through the price fill them; fills share the traded size`
          : model.limitFill === 'through'
            ? 'resting limits fill at their price, as makers, against trades strictly through it, up to the traded size; the aggressor side is ignored'
            : 'resting limits fill at their price, as makers, against trades at or through it, up to the traded size; the aggressor side is ignored',
        'stops trigger on a trade at or through the trigger and are released to match from the next trade',
      ];
    case 'book':
      return [
        'fill model: L2 book; market and marketable orders walk the book level by level when they arrive, as takers, and the liquidity they take stays taken until the venue updates that level',
        'a resting limit joins the queue behind the size displayed at its price; a shrinking level shortens the queue ahead only to the new size (cancels are assumed behind it)',
        'a resting limit fills at its price, as a maker, against trades at its price beyond the queue ahead, trades through its price, and book levels that cross it',
        'stops trigger on a trade at or through the trigger, or when the last trade price (else the mid) has reached it after a book change, and then walk the book',
      ];
  }
}
