import {
  type ExecutionEvents,
  type ExecutionFillEvent,
  type ExecutionOrderUpdateEvent,
  type Fill,
  type OrderAck,
  type OrderGateway,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  UnknownSymbolError,
  ValidationError,
  venueOf,
} from '@qtp/core';
import type { Exchange } from '@qtp/exchange';
import { EventEmitter } from 'eventemitter3';

/**
 * One order gateway over several exchanges: each request goes to the exchange of its
 * instrument's venue, and every exchange's execution reports come out of one emitter, so one
 * order manager serves every venue.
 */
export class VenueRouter implements OrderGateway {
  readonly executions = new EventEmitter<ExecutionEvents>();
  private readonly byVenue = new Map<string, Exchange>();
  private readonly forwardUpdate = (event: ExecutionOrderUpdateEvent): void => {
    this.executions.emit('orderUpdate', event);
  };
  private readonly forwardFill = (event: ExecutionFillEvent): void => {
    this.executions.emit('fill', event);
  };

  constructor(exchanges: readonly Exchange[]) {
    for (const exchange of exchanges) {
      if (this.byVenue.has(exchange.venue)) {
        throw new ValidationError('exchanges', 'hold one exchange per venue', exchange.venue);
      }
      this.byVenue.set(exchange.venue, exchange);
      exchange.executions.on('orderUpdate', this.forwardUpdate);
      exchange.executions.on('fill', this.forwardFill);
    }
  }

  exchangeOf(instrumentId: OrderRef['instrumentId']): Exchange {
    const exchange = this.byVenue.get(venueOf(instrumentId));
    if (exchange === undefined) {
      throw new UnknownSymbolError(String(instrumentId), {
        details: { venues: [...this.byVenue.keys()] },
      });
    }
    return exchange;
  }

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    return this.exchangeOf(request.instrumentId).placeOrder(request);
  }

  async cancelOrder(ref: OrderRef): Promise<void> {
    return this.exchangeOf(ref.instrumentId).cancelOrder(ref);
  }

  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    return this.exchangeOf(ref.instrumentId).fetchOrder(ref);
  }

  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    return this.exchangeOf(ref.instrumentId).fetchOrderFills(ref);
  }

  detach(): void {
    for (const exchange of this.byVenue.values()) {
      exchange.executions.off('orderUpdate', this.forwardUpdate);
      exchange.executions.off('fill', this.forwardFill);
    }
  }
}
