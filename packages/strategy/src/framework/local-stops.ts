import type { ClientOrderId, InstrumentId, MarketDataEvent, OrderRequest } from '@qtp/core';

/** A stop order a strategy holds itself, because its venue has no stop orders. */
export interface LocalStop {
  /** The id the strategy handed out for it. */
  readonly clientOrderId: ClientOrderId;
  /** The STOP_MARKET or STOP_LIMIT request as made. */
  readonly request: OrderRequest;
  /** The trigger price as a number, for the per-event check. */
  readonly trigger: number;
}

/**
 * Returns whether market data reaches a stop's trigger: a buy stop when the market trades at or
 * above it, a sell stop at or below. A bar counts its whole range (its high for a buy, its low
 * for a sell); a quote or book its ask for a buy and its bid for a sell; a book change says
 * nothing about the best prices and triggers nothing.
 */
export function reachesTrigger(stop: LocalStop, event: MarketDataEvent): boolean {
  const buy = stop.request.side === 'BUY';
  let price: number | undefined;
  switch (event.type) {
    case 'bar':
      price = buy ? event.bar.high : event.bar.low;
      break;
    case 'trade':
      price = event.trade.price;
      break;
    case 'quote':
      price = buy ? event.quote.askPrice : event.quote.bidPrice;
      break;
    case 'bookSnapshot':
      price = (buy ? event.snapshot.asks[0] : event.snapshot.bids[0])?.price;
      break;
    case 'bookDelta':
      return false;
  }
  if (price === undefined) return false;
  return buy ? price >= stop.trigger : price <= stop.trigger;
}

/** The stops a strategy emulates, by instrument, in the order they were placed. */
export class LocalStopBook {
  readonly #stops = new Map<ClientOrderId, LocalStop>();

  /** The number of stops held. */
  get size(): number {
    return this.#stops.size;
  }

  add(stop: LocalStop): void {
    this.#stops.set(stop.clientOrderId, stop);
  }

  get(clientOrderId: ClientOrderId): LocalStop | undefined {
    return this.#stops.get(clientOrderId);
  }

  remove(clientOrderId: ClientOrderId): boolean {
    return this.#stops.delete(clientOrderId);
  }

  list(instrumentId?: InstrumentId): LocalStop[] {
    const out: LocalStop[] = [];
    for (const stop of this.#stops.values()) {
      if (instrumentId === undefined || stop.request.instrumentId === instrumentId) out.push(stop);
    }
    return out;
  }

  /** Removes and returns the stops of the event's instrument whose trigger it reaches. */
  takeTriggered(event: MarketDataEvent): LocalStop[] {
    const out: LocalStop[] = [];
    for (const stop of this.#stops.values()) {
      if (stop.request.instrumentId !== event.instrumentId) continue;
      if (reachesTrigger(stop, event)) out.push(stop);
    }
    for (const stop of out) this.#stops.delete(stop.clientOrderId);
    return out;
  }
}
