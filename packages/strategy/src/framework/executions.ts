import type {
  ClientOrderId,
  ExecutionAlgorithm,
  Fill,
  MarketDataEvent,
  OrderReport,
} from '@qtp/core';

/** The timer names a strategy keeps for its execution algorithms' wake-ups. */
export const EXECUTION_TIMER_PREFIX = 'qtp.execution:';

/**
 * The execution algorithms a strategy runs: it passes each one the market data, the updates and
 * fills of its own children, and its wake-ups.
 */
export class ExecutionBook {
  readonly #byParent = new Map<string, ExecutionAlgorithm>();
  readonly #byChild = new Map<ClientOrderId, ExecutionAlgorithm>();

  /** How many algorithms it holds. */
  get size(): number {
    return this.#byParent.size;
  }

  add(parentClientOrderId: string, algorithm: ExecutionAlgorithm): void {
    this.#byParent.set(parentClientOrderId, algorithm);
  }

  addChild(clientOrderId: ClientOrderId, algorithm: ExecutionAlgorithm): void {
    this.#byChild.set(clientOrderId, algorithm);
  }

  get(parentClientOrderId: string): ExecutionAlgorithm | undefined {
    return this.#byParent.get(parentClientOrderId);
  }

  all(): ExecutionAlgorithm[] {
    return [...this.#byParent.values()];
  }

  onMarketData(event: MarketDataEvent): void {
    for (const algorithm of this.#byParent.values()) algorithm.onMarketData(event);
  }

  /** Passes a child's update on; returns whether the order was a child. */
  onReport(report: OrderReport): boolean {
    const algorithm = this.#byChild.get(report.clientOrderId);
    if (algorithm === undefined) return false;
    algorithm.onChildUpdate(report);
    return true;
  }

  /** Passes a child's fill on; returns whether the order was a child. */
  onFill(fill: Fill): boolean {
    const algorithm = this.#byChild.get(fill.clientOrderId);
    if (algorithm === undefined) return false;
    algorithm.onChildFill(fill);
    return true;
  }

  /** Wakes the algorithm a timer of `name` belongs to; returns whether it was one. */
  onTimer(name: string, timeMs: number): boolean {
    if (!name.startsWith(EXECUTION_TIMER_PREFIX)) return false;
    this.#byParent.get(name.slice(EXECUTION_TIMER_PREFIX.length))?.onTimer(timeMs);
    return true;
  }

  cancelAll(reason: string): void {
    for (const algorithm of this.#byParent.values()) algorithm.cancel(reason);
  }
}
