import {
  type Bar,
  type BarInterval,
  barIntervalToMs,
  createBar,
  createBarEvent,
  createFill,
  createMoney,
  Decimal,
  type Fill,
  type InstrumentId,
  type OrderStatus,
  toDecimal,
} from '@qtp/core';
import { eventTimeMs, type StrategyInputEvent } from './events.js';
import type { Strategy } from './strategy.js';
import { createTestContext, type TestContext, type TestContextOptions } from './test-context.js';

/** Options of {@link runStrategy}. */
export interface RunStrategyOptions extends TestContextOptions {
  /**
   * How orders are filled:
   * - `'close'` (default) fills a MARKET order as soon as it is placed, at the close of the last
   *   bar of its instrument, stamped with the clock's time (or at the next bar's open when no bar
   *   came yet). It is quicker than a backtest by one bar, which suits unit tests of a signal.
   * - `'next-open'` fills a MARKET order at the open of the next bar of its instrument, stamped
   *   with that bar's open time: the rule `runBacktest` and the simulated exchange's bar fill
   *   model follow, so both fill the same orders at the same prices and times.
   * - `'none'` fills nothing, so orders are only recorded.
   *
   * In every mode but `'none'` a LIMIT order fills on a later bar whose range reaches its price,
   * at the open when the bar opens past it (stamped with the bar's open time), else at its price
   * (stamped with the bar's time).
   */
  fills?: 'close' | 'next-open' | 'none';
  /** Stops the strategy after the last input (default true). */
  stop?: boolean;
  /** Rethrows what a failing hook threw once the run ends (default true); else read `strategy.error`. */
  rethrow?: boolean;
}

/** What {@link runStrategy} returns: the test context, with the fills it made. */
export interface StrategyRunResult extends TestContext {
  /** Every fill delivered to the strategy, in order. */
  readonly fills: Fill[];
}

interface WorkingOrder {
  readonly clientOrderId: string;
  readonly instrumentId: InstrumentId;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: Decimal;
  readonly price: Decimal | undefined;
}

// Orders placed in reaction to fills are settled again; this bounds a strategy that loops.
const MAX_SETTLE_ROUNDS = 100;

/**
 * Runs a strategy over bars (or any input events) on a simulated clock and returns what it did:
 * each input advances the clock to its time (firing due timers), then reaches the strategy; the
 * orders it submits are recorded and, unless `fills` is `'none'`, filled simply (see
 * {@link RunStrategyOptions.fills}) and booked into the positions, with `fill` and
 * `orderUpdate` events sent back. Meant for unit tests of strategies; backtests use the engine.
 *
 * @throws what a hook threw, when the strategy failed and `rethrow` is not false
 * @example
 * ```ts
 * import { SmaCrossover } from '@qtp/strategy';
 * import { runStrategy } from '@qtp/strategy/testing';
 * const strategy = new SmaCrossover({ id: 'sma', params: { instrumentId: xrpeth.id, quantity: '100' } });
 * const run = runStrategy(strategy, bars, { instruments: [xrpeth] });
 * console.log(run.orders.length, run.positions.netQuantity(xrpeth.id).toString());
 * ```
 */
export function runStrategy(
  strategy: Strategy<object>,
  inputs: Iterable<Bar | StrategyInputEvent>,
  options: RunStrategyOptions,
): StrategyRunResult {
  const test = createTestContext(options);
  const fills: Fill[] = [];
  const working = new Map<string, WorkingOrder>();
  const lastClose = new Map<InstrumentId, number>();
  let seen = 0;
  let canceled = 0;
  let trades = 0;
  const filling = options.fills !== 'none';
  const atClose = options.fills === undefined || options.fills === 'close';

  const report = (order: WorkingOrder, status: OrderStatus, filled: Decimal, price?: Decimal) => {
    strategy.handle({
      type: 'orderUpdate',
      report: {
        instrumentId: order.instrumentId,
        clientOrderId: order.clientOrderId,
        venueOrderId: `v-${order.clientOrderId}`,
        status,
        filledQuantity: filled,
        ...(price === undefined ? {} : { averageFillPrice: price }),
        timeMs: test.clock.now(),
      },
    });
  };

  const fill = (order: WorkingOrder, price: Decimal, timeMs = test.clock.now()) => {
    working.delete(order.clientOrderId);
    trades += 1;
    const made = createFill({
      tradeId: `t-${trades}`,
      clientOrderId: order.clientOrderId,
      venueOrderId: `v-${order.clientOrderId}`,
      instrumentId: order.instrumentId,
      side: order.side,
      price,
      quantity: order.quantity,
      fee: createMoney('0', test.context.instrument(order.instrumentId).quoteAsset),
      liquiditySide: order.price === undefined ? 'TAKER' : 'MAKER',
      timeMs,
    });
    // Booked before the strategy hears of it, as a portfolio would.
    test.positions.applyFill(made);
    fills.push(made);
    strategy.handle({ type: 'fill', fill: made });
    report(order, 'FILLED', order.quantity, price);
  };

  const settle = () => {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const fresh = test.orders.slice(seen);
      const cancels = test.cancels.slice(canceled);
      seen = test.orders.length;
      canceled = test.cancels.length;
      if (fresh.length === 0 && cancels.length === 0) return;
      for (const { clientOrderId, request } of fresh) {
        const order: WorkingOrder = {
          clientOrderId,
          instrumentId: request.instrumentId,
          side: request.side,
          quantity: request.quantity,
          price: request.price,
        };
        working.set(clientOrderId, order);
        report(order, 'ACCEPTED', new Decimal(0));
        const close = lastClose.get(order.instrumentId);
        if (
          atClose &&
          order.price === undefined &&
          close !== undefined &&
          working.has(clientOrderId)
        ) {
          fill(order, toDecimal(String(close)));
        }
      }
      for (const cancel of cancels) {
        const order = working.get(cancel.clientOrderId);
        if (order === undefined) continue;
        working.delete(order.clientOrderId);
        report(order, 'CANCELED', new Decimal(0));
      }
    }
  };

  const matchBar = (bar: Bar) => {
    for (const order of [...working.values()]) {
      if (order.instrumentId !== bar.instrumentId) continue;
      const open = toDecimal(String(bar.open));
      if (order.price === undefined) fill(order, open, bar.openTimeMs);
      else if (order.side === 'BUY' && order.price.gte(String(bar.low))) {
        if (order.price.gte(open)) fill(order, open, bar.openTimeMs);
        else fill(order, order.price);
      } else if (order.side === 'SELL' && order.price.lte(String(bar.high))) {
        if (order.price.lte(open)) fill(order, open, bar.openTimeMs);
        else fill(order, order.price);
      }
    }
  };

  strategy.start(test.context);
  if (filling) settle();
  for (const input of inputs) {
    if (strategy.state !== 'running') break;
    const event: StrategyInputEvent = 'type' in input ? input : createBarEvent(input);
    const timeMs = eventTimeMs(event);
    if (timeMs > test.clock.now()) test.clock.advanceTo(timeMs);
    if (filling) {
      settle();
      if (event.type === 'bar') matchBar(event.bar);
    }
    strategy.handle(event);
    if (event.type === 'bar') {
      lastClose.set(event.bar.instrumentId, event.bar.close);
      test.positions.mark(event.bar.instrumentId, event.bar.close);
    }
    if (filling) settle();
  }
  if (options.stop !== false) strategy.stop();
  if (options.rethrow !== false && strategy.state === 'failed') throw strategy.error;
  return { ...test, fills };
}

/** One row of {@link createBarSeries}: a bar without its instrument, interval and close time. */
export interface BarRow {
  /** The time the bar opened, epoch milliseconds. */
  readonly openTimeMs: number;
  /** The first price. */
  readonly open: number;
  /** The highest price. */
  readonly high: number;
  /** The lowest price. */
  readonly low: number;
  /** The last price. */
  readonly close: number;
  /** The traded quantity in base units (default 0). */
  readonly volume?: number;
}

/**
 * Returns checked {@link @qtp/core!Bar}s of one instrument from plain rows, each closing one
 * millisecond before the next interval opens (Binance's convention).
 *
 * @throws {@link @qtp/core!ValidationError} naming the field of a malformed row
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { createBarSeries } from '@qtp/strategy/testing';
 * const bars = createBarSeries(instrumentId('XRPETH', 'BINANCE'), '5m', [
 *   { openTimeMs: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
 * ]);
 * bars[0].closeTimeMs; // 299999
 * ```
 */
export function createBarSeries(
  instrumentId: InstrumentId,
  interval: BarInterval,
  rows: Iterable<BarRow>,
): Bar[] {
  const lengthMs = barIntervalToMs(interval);
  const bars: Bar[] = [];
  for (const row of rows) {
    bars.push(
      createBar({
        instrumentId,
        interval,
        openTimeMs: row.openTimeMs,
        closeTimeMs: row.openTimeMs + lengthMs - 1,
        open: row.open,
        high: row.high,
        low: row.low,
        close: row.close,
        volume: row.volume ?? 0,
      }),
    );
  }
  return bars;
}
