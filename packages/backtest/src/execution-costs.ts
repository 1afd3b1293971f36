import {
  type ExecutionEndedEvent,
  type FillJson,
  type MarketDataEvent,
  type OrderSnapshot,
  parentClientOrderIdOf,
} from '@qtp/core';
import { type ImpactParameters, squareRootImpact } from '@qtp/exchange';
import type { TearsheetExecution } from './report/executions-section.js';

/**
 * One parent order of an execution algorithm in a backtest: how it ended, its transaction-cost
 * analysis (as its `execution.ended` event carried it, with the impact model's estimate when the
 * run was given impact parameters), its children's fills and the market's prices around it, for
 * the tearsheet's chart.
 */
export type BacktestExecution = TearsheetExecution;

// Enough points to draw a parent's market line; more are thinned by keeping every other one.
const PATH_CAPACITY = 4096;

/** The prices of one instrument over the run, thinned to a bounded number of points. */
class PricePath {
  times: number[] = [];
  prices: number[] = [];
  #stride = 1;
  #seen = 0;
  // The count at which the next point is kept: the next multiple of the stride.
  #next = 0;

  note(timeMs: number, price: number): void {
    const seen = this.#seen++;
    if (seen !== this.#next) return;
    this.times.push(timeMs);
    this.prices.push(price);
    if (this.times.length < PATH_CAPACITY) {
      this.#next = seen + this.#stride;
      return;
    }
    this.times = this.times.filter((_, i) => i % 2 === 0);
    this.prices = this.prices.filter((_, i) => i % 2 === 0);
    this.#stride *= 2;
    this.#next = seen - (seen % this.#stride) + this.#stride;
  }
}

/**
 * Collects what the backtest result says of executions: the `execution.ended` events on the
 * engine's bus, and the market prices the charts draw.
 */
export class ExecutionCollector {
  readonly #ended: ExecutionEndedEvent[] = [];
  readonly #paths = new Map<string, PricePath>();
  #lastId: string | undefined;
  #lastPath: PricePath | undefined;

  /** `subscribe` hands it the engine bus's `execution.ended` events. */
  constructor(subscribe: (handler: (event: ExecutionEndedEvent) => void) => void) {
    subscribe((event) => {
      this.#ended.push(event);
    });
  }

  /** Notes a market data event's price (trades and bar closes). */
  note(event: MarketDataEvent): void {
    if (event.type === 'trade')
      this.notePrice(event.instrumentId, event.eventTimeMs, event.trade.price);
    else if (event.type === 'bar')
      this.notePrice(event.instrumentId, event.eventTimeMs, event.bar.close);
  }

  /** Notes one price of an instrument at a time (a trade's, or a bar's close). */
  notePrice(instrumentId: string, timeMs: number, price: number): void {
    // Prices of one instrument come in runs: the last path answers without a lookup.
    let path = this.#lastPath;
    if (instrumentId !== this.#lastId || path === undefined) {
      path = this.#paths.get(instrumentId);
      if (path === undefined) {
        path = new PricePath();
        this.#paths.set(instrumentId, path);
      }
      this.#lastId = instrumentId;
      this.#lastPath = path;
    }
    path.note(timeMs, price);
  }

  /**
   * Returns each parent that ended, in the order it ended. `records` hands over the orders and
   * fills of the run, asked for only when a parent ended.
   */
  executions(
    records: () => {
      readonly orders: readonly OrderSnapshot[];
      readonly fills: readonly FillJson[];
    },
    impact: ImpactParameters | undefined,
  ): BacktestExecution[] {
    if (this.#ended.length === 0) return [];
    const { orders, fills } = records();
    const parentOf = new Map<string, string>();
    for (const order of orders) {
      const parent = parentClientOrderIdOf(order.tags);
      if (parent !== undefined) parentOf.set(order.clientOrderId, parent);
    }
    const fillsOf = new Map<string, { timeMs: number; price: number; quantity: number }[]>();
    for (const fill of fills) {
      const parent = parentOf.get(fill.clientOrderId);
      if (parent === undefined) continue;
      let list = fillsOf.get(parent);
      if (list === undefined) {
        list = [];
        fillsOf.set(parent, list);
      }
      list.push({
        timeMs: fill.timeMs,
        price: Number(fill.price),
        quantity: Number(fill.quantity),
      });
    }
    return this.#ended.map((event) => {
      const path = this.#paths.get(event.instrumentId);
      const costs =
        event.costs === null || event.costs.estimatedImpactBps !== null || impact === undefined
          ? event.costs
          : {
              ...event.costs,
              estimatedImpactBps: squareRootImpact(event.costs.filledQuantity, impact) * 10_000,
            };
      const list = fillsOf.get(event.parentClientOrderId) ?? [];
      list.sort((a, b) => a.timeMs - b.timeMs);
      return {
        parentClientOrderId: event.parentClientOrderId,
        algorithm: event.algorithm,
        instrumentId: event.instrumentId,
        side: event.side,
        status: event.status,
        quantity: event.quantity,
        filledQuantity: event.filledQuantity,
        startTimeMs: event.startTimeMs,
        endTimeMs: event.endTimeMs,
        costs,
        fills: list,
        market: windowOf(path, event.startTimeMs, event.endTimeMs),
      };
    });
  }
}

// The points from the last one before the start to the first one after the end.
function windowOf(
  path: PricePath | undefined,
  startMs: number,
  endMs: number,
): { times: number[]; prices: number[] } {
  if (path === undefined) return { times: [], prices: [] };
  const { times, prices } = path;
  let from = 0;
  while (from < times.length - 1 && times[from + 1]! <= startMs) from++;
  let to = from;
  while (to < times.length - 1 && times[to]! < endMs) to++;
  return { times: times.slice(from, to + 1), prices: prices.slice(from, to + 1) };
}
