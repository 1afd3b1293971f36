import {
  type Bar,
  type ClientOrderId,
  type DecimalInput,
  type EventPublisher,
  type InstrumentId,
  type OrderRequestInput,
  type OrderView,
  type QuoteTick,
  type TradeTick,
  toDecimal,
  ValidationError,
} from '@qtp/core';
import { checkStopRule, RollingCloses, type StopRule, type StopRuleKind } from './stop-rules.js';

/** The tag of the closing orders a {@link StopLossManager} sends. */
export const STOP_TAG = 'risk:stop';

/** What a {@link StopLossManager} needs of an order manager: submit an order. */
export interface StopOrderPort {
  /** Submits an order. */
  submit(input: OrderRequestInput): OrderView;
}

/** A position to protect. */
export interface ProtectInput {
  /** The instrument held. */
  readonly instrumentId: InstrumentId;
  /** Which way the position points. */
  readonly side: 'LONG' | 'SHORT';
  /** The quantity to close when a rule fires, in the base asset. */
  readonly quantity: DecimalInput;
  /** The average entry price. */
  readonly entryPrice: number;
  /** When the position was entered, epoch milliseconds. */
  readonly entryTimeMs: number;
  /** The exit rules; the first to fire closes the position. */
  readonly rules: readonly StopRule[];
  /** Labels added to the closing order, such as the strategy's `strategy:<id>`. */
  readonly tags?: readonly string[];
}

/** Published on `risk.stop` when a rule closes a protected position. */
export interface StopHitEvent {
  /** Always `risk.stop`. */
  readonly type: 'risk.stop';
  /** The id {@link StopLossManager.protect} returned. */
  readonly positionId: string;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The rule that fired. */
  readonly rule: StopRuleKind;
  /** The rule's level when it fired; for a time stop, the price it fired at. */
  readonly level: number;
  /**
   * The price the exit is expected at: the level, or the bar's open when the bar opened beyond
   * it (a gap through the stop), or the tick's price when a tick jumped past it.
   */
  readonly exitPrice: number;
  /** The closing order's client order id, when an order manager was given. */
  readonly clientOrderId?: ClientOrderId;
  /** When, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events a {@link StopLossManager} publishes. */
export interface StopEvents {
  /** A rule closed a protected position. */
  'risk.stop': StopHitEvent;
}

/** Options of {@link StopLossManager}. */
export interface StopLossManagerOptions {
  /** The order manager closing orders go through (default none: the events only). */
  orders?: StopOrderPort;
  /** Where stop hits are published (default nowhere). */
  publisher?: EventPublisher<StopEvents>;
}

/** Where a protected position's rules stand. */
export interface ProtectedPosition {
  /** The id {@link StopLossManager.protect} returned. */
  readonly id: string;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** Which way the position points. */
  readonly side: 'LONG' | 'SHORT';
  /** The stop level now: the tightest of the stop rules, NaN when none is set yet. */
  readonly stop: number;
  /** The rule that sets {@link ProtectedPosition.stop}. */
  readonly stopRule: StopRuleKind | undefined;
  /** The take-profit level, NaN when none. */
  readonly takeProfit: number;
  /** The best price since entry: the highest for a long, the lowest for a short. */
  readonly extreme: number;
}

interface Tracked {
  readonly id: string;
  readonly input: ProtectInput;
  readonly long: boolean;
  readonly levels: number[];
  readonly rolling: (RollingCloses | undefined)[];
  extreme: number;
  takeProfit: number;
}

// A price path through one market data event: open, then the adverse extreme, then the favourable
// one, then the close. Checking the adverse side first is the conservative reading of a bar.
interface Path {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly timeMs: number;
  readonly bar: boolean;
}

/**
 * Protects positions with stop-losses and take-profits and closes them through the order manager
 * when a rule fires. Bars, trade ticks and quotes are evaluated the same way, as a path from
 * the open through the adverse and favourable extremes to the close (a tick is a path of one
 * price; a quote is the bid for a long and the ask for a short), so a backtest and live trading
 * exit on the same prices.
 *
 * For each event: a price that opens beyond the stop (or the take-profit) exits at that price,
 * not at the level (a gap through); otherwise the adverse extreme is tested against the stop,
 * then the favourable one against the take-profit; then the time stop. Only after the event is
 * tested do the best price, the ATR and the rolling deviation take it in, and the trailing, ATR
 * and volatility stops move, in the position's favour only. ATR and volatility update on bars.
 *
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { StopLossManager } from '@qtp/risk';
 * const btc = instrumentId('BTCUSDT', 'BINANCE');
 * const stops = new StopLossManager({ orders: oms });
 * stops.protect({
 *   instrumentId: btc, side: 'LONG', quantity: '0.5', entryPrice: 100, entryTimeMs: 0,
 *   rules: [{ kind: 'trailing', percent: 0.05 }, { kind: 'takeProfit', percent: 0.1 }],
 * });
 * stops.onBar(bar); // sends a market SELL of 0.5 tagged risk:stop when a rule fires
 * ```
 */
export class StopLossManager {
  readonly #orders: StopOrderPort | undefined;
  readonly #publisher: EventPublisher<StopEvents> | undefined;
  readonly #positions = new Map<string, Tracked>();
  #count = 0;

  /** Creates a manager protecting nothing. */
  constructor(options: StopLossManagerOptions = {}) {
    this.#orders = options.orders;
    this.#publisher = options.publisher;
  }

  /**
   * Starts protecting a position; returns its id.
   * @throws `ValidationError` naming the field when the quantity, the entry price or a rule is
   * not valid
   */
  protect(input: ProtectInput): string {
    if (!(input.entryPrice > 0) || !Number.isFinite(input.entryPrice)) {
      throw new ValidationError(
        'entryPrice',
        'be a finite number greater than 0',
        input.entryPrice,
      );
    }
    const quantity = toDecimal(input.quantity, 'quantity');
    if (quantity.lte(0)) throw new ValidationError('quantity', 'be greater than 0', input.quantity);
    if (input.side !== 'LONG' && input.side !== 'SHORT') {
      throw new ValidationError('side', 'be LONG or SHORT', input.side);
    }
    input.rules.forEach(checkStopRule);
    const id = `stop-${++this.#count}`;
    const long = input.side === 'LONG';
    const tracked: Tracked = {
      id,
      input: { ...input, quantity },
      long,
      levels: input.rules.map(() => Number.NaN),
      rolling: input.rules.map((rule) =>
        rule.kind === 'volatility' ? new RollingCloses(rule.period) : undefined,
      ),
      extreme: input.entryPrice,
      takeProfit: Number.NaN,
    };
    for (const [index, rule] of input.rules.entries()) {
      if (rule.kind === 'takeProfit') {
        const level =
          'price' in rule
            ? rule.price
            : input.entryPrice * (long ? 1 + rule.percent : 1 - rule.percent);
        tracked.takeProfit = Number.isNaN(tracked.takeProfit)
          ? level
          : long
            ? Math.min(tracked.takeProfit, level)
            : Math.max(tracked.takeProfit, level);
      }
      this.#move(tracked, index, rule);
    }
    this.#positions.set(id, tracked);
    return id;
  }

  /** Stops protecting a position; returns whether it was protected. */
  release(positionId: string): boolean {
    return this.#positions.delete(positionId);
  }

  /** Returns where a protected position's rules stand, or `undefined` once it is closed. */
  position(positionId: string): ProtectedPosition | undefined {
    const tracked = this.#positions.get(positionId);
    if (tracked === undefined) return undefined;
    const [stop, rule] = this.#stopOf(tracked);
    return {
      id: tracked.id,
      instrumentId: tracked.input.instrumentId,
      side: tracked.input.side,
      stop,
      stopRule: rule,
      takeProfit: tracked.takeProfit,
      extreme: tracked.extreme,
    };
  }

  /** Evaluates a bar against the positions in its instrument; returns the stops it hit. */
  onBar(bar: Bar): StopHitEvent[] {
    return this.#evaluate(
      bar.instrumentId,
      {
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        timeMs: bar.closeTimeMs,
        bar: true,
      },
      bar,
    );
  }

  /** Evaluates a trade tick; returns the stops it hit. */
  onTrade(trade: TradeTick): StopHitEvent[] {
    const p = trade.price;
    return this.#evaluate(trade.instrumentId, {
      open: p,
      high: p,
      low: p,
      close: p,
      timeMs: trade.timeMs,
      bar: false,
    });
  }

  /** Evaluates a quote, a long exiting at the bid and a short at the ask; returns the stops it hit. */
  onQuote(quote: QuoteTick): StopHitEvent[] {
    const hits: StopHitEvent[] = [];
    const { bidPrice: b, askPrice: a, timeMs } = quote;
    hits.push(
      ...this.#evaluate(
        quote.instrumentId,
        { open: b, high: b, low: b, close: b, timeMs, bar: false },
        undefined,
        true,
      ),
    );
    hits.push(
      ...this.#evaluate(
        quote.instrumentId,
        { open: a, high: a, low: a, close: a, timeMs, bar: false },
        undefined,
        false,
      ),
    );
    return hits;
  }

  #evaluate(instrumentId: InstrumentId, path: Path, bar?: Bar, longOnly?: boolean): StopHitEvent[] {
    const hits: StopHitEvent[] = [];
    for (const tracked of [...this.#positions.values()]) {
      if (tracked.input.instrumentId !== instrumentId) continue;
      if (longOnly !== undefined && tracked.long !== longOnly) continue;
      const hit = this.#test(tracked, path);
      if (hit !== undefined) {
        hits.push(this.#close(tracked, hit.rule, hit.level, hit.exitPrice, path.timeMs));
        continue;
      }
      this.#learn(tracked, path, bar);
    }
    return hits;
  }

  #test(
    tracked: Tracked,
    path: Path,
  ): { rule: StopRuleKind; level: number; exitPrice: number } | undefined {
    const long = tracked.long;
    const [stop, stopRule] = this.#stopOf(tracked);
    const tp = tracked.takeProfit;
    const beyondStop = (price: number) => (long ? price <= stop : price >= stop);
    const beyondTp = (price: number) => (long ? price >= tp : price <= tp);
    if (stopRule !== undefined && beyondStop(path.open)) {
      return { rule: stopRule, level: stop, exitPrice: path.open };
    }
    if (!Number.isNaN(tp) && beyondTp(path.open)) {
      return { rule: 'takeProfit', level: tp, exitPrice: path.open };
    }
    if (stopRule !== undefined && beyondStop(long ? path.low : path.high)) {
      return { rule: stopRule, level: stop, exitPrice: stop };
    }
    if (!Number.isNaN(tp) && beyondTp(long ? path.high : path.low)) {
      return { rule: 'takeProfit', level: tp, exitPrice: tp };
    }
    for (const rule of tracked.input.rules) {
      if (rule.kind === 'time' && path.timeMs - tracked.input.entryTimeMs >= rule.afterMs) {
        return { rule: 'time', level: path.close, exitPrice: path.close };
      }
    }
    return undefined;
  }

  // The tightest stop of the stop rules: the highest for a long, the lowest for a short.
  #stopOf(tracked: Tracked): [number, StopRuleKind | undefined] {
    let stop = Number.NaN;
    let kind: StopRuleKind | undefined;
    tracked.levels.forEach((level, index) => {
      if (Number.isNaN(level)) return;
      if (kind === undefined || (tracked.long ? level > stop : level < stop)) {
        stop = level;
        kind = tracked.input.rules[index]!.kind;
      }
    });
    return [stop, kind];
  }

  #learn(tracked: Tracked, path: Path, bar: Bar | undefined): void {
    tracked.extreme = tracked.long
      ? Math.max(tracked.extreme, path.high)
      : Math.min(tracked.extreme, path.low);
    tracked.input.rules.forEach((rule, index) => {
      this.#move(tracked, index, rule, bar);
    });
  }

  // Recomputes one rule's level and keeps it only when it is tighter than before.
  #move(tracked: Tracked, index: number, rule: StopRule, bar?: Bar): void {
    const { entryPrice } = tracked.input;
    const long = tracked.long;
    const sign = long ? -1 : 1;
    let level = Number.NaN;
    switch (rule.kind) {
      case 'fixed':
        level = 'price' in rule ? rule.price : entryPrice * (1 + sign * rule.percent);
        break;
      case 'trailing':
        level =
          'percent' in rule
            ? tracked.extreme * (1 + sign * rule.percent)
            : tracked.extreme + sign * rule.distance;
        break;
      case 'atr': {
        if (bar === undefined) break;
        const atr = rule.indicator.update(bar.high, bar.low, bar.close);
        if (atr === undefined) break;
        level = (rule.from === 'entry' ? entryPrice : tracked.extreme) + sign * rule.multiple * atr;
        break;
      }
      case 'volatility': {
        if (bar === undefined) break;
        const deviation = tracked.rolling[index]!.update(bar.close);
        if (deviation === undefined) break;
        level =
          (rule.from === 'entry' ? entryPrice : tracked.extreme) + sign * rule.multiple * deviation;
        break;
      }
      default:
        return;
    }
    if (Number.isNaN(level)) return;
    const old = tracked.levels[index]!;
    if (Number.isNaN(old) || (long ? level > old : level < old)) tracked.levels[index] = level;
  }

  #close(
    tracked: Tracked,
    rule: StopRuleKind,
    level: number,
    exitPrice: number,
    timeMs: number,
  ): StopHitEvent {
    this.#positions.delete(tracked.id);
    const { instrumentId, quantity, tags } = tracked.input;
    let clientOrderId: ClientOrderId | undefined;
    if (this.#orders !== undefined) {
      const order = this.#orders.submit({
        instrumentId,
        side: tracked.long ? 'SELL' : 'BUY',
        type: 'MARKET',
        quantity,
        tags: [...(tags ?? []), STOP_TAG],
      });
      clientOrderId = order.clientOrderId;
    }
    const event: StopHitEvent = Object.freeze({
      type: 'risk.stop',
      positionId: tracked.id,
      instrumentId,
      rule,
      level,
      exitPrice,
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
      timeMs,
    });
    this.#publisher?.publish('risk.stop', event);
    return event;
  }
}
