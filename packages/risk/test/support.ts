import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Bar,
  type Fill,
  Instrument,
  InvalidOrderError,
  instrumentId,
  type OrderAck,
  type OrderGateway,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
} from '@qtp/core';

// Real Binance 5-minute klines of XRP/ETH (see examples/data and its README).
const CSV = fileURLToPath(new URL('../../../examples/data/XRPETH-5m.csv', import.meta.url));

export const XRP = new Instrument({
  id: instrumentId('XRPETH', 'BINANCE'),
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});

/** The bars of the XRP/ETH file, in time order. */
export function xrpBars(): Bar[] {
  const [, ...rows] = readFileSync(CSV, 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [openTime, open, high, low, close, volume] = row.split(',').map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return {
      instrumentId: XRP.id,
      interval: '5m',
      openTimeMs: openTime,
      closeTimeMs: openTime + 300_000 - 1,
      open,
      high,
      low,
      close,
      volume,
    };
  });
}

/**
 * A venue in front of a real one that refuses the first `failures` placements carrying `tag`,
 * as a venue does when it is overloaded or the order breaks a rule it checks late.
 */
export class RefusingGateway implements OrderGateway {
  refused = 0;
  constructor(
    private readonly inner: OrderGateway,
    private readonly tag: string,
    private failures: number,
  ) {}
  get executions() {
    return this.inner.executions;
  }
  placeOrder(request: OrderRequest): Promise<OrderAck> {
    if (this.failures > 0 && request.tags?.includes(this.tag)) {
      this.failures--;
      this.refused++;
      return Promise.reject(new InvalidOrderError('the venue refused the order: overloaded'));
    }
    return this.inner.placeOrder(request);
  }
  cancelOrder(ref: OrderRef): Promise<void> {
    return this.inner.cancelOrder(ref);
  }
  fetchOrder(ref: OrderRef): Promise<OrderReport> {
    return this.inner.fetchOrder(ref);
  }
  fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    return this.inner.fetchOrderFills(ref);
  }
}
