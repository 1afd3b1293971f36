import {
  createOrderRequest,
  Decimal,
  type ExecutionEvents,
  type ExecutionOrderUpdateEvent,
  type Fill,
  instrumentId,
  isQtpError,
  type OrderAck,
  type OrderGateway,
  OrderNotFoundError,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';

// The smallest venue that honours the contract: it acknowledges every order and knows only those.
class EchoGateway implements OrderGateway {
  readonly executions = new EventEmitter<ExecutionEvents>();
  private readonly reports = new Map<string, OrderReport>();

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    const clientOrderId = request.clientOrderId ?? 'generated';
    const report: OrderReport = {
      instrumentId: request.instrumentId,
      clientOrderId,
      venueOrderId: `v-${this.reports.size + 1}`,
      status: 'ACCEPTED',
      filledQuantity: new Decimal(0),
      timeMs: 1,
    };
    this.reports.set(clientOrderId, report);
    this.executions.emit('orderUpdate', { type: 'orderUpdate', report });
    return { ...report };
  }

  async cancelOrder(ref: OrderRef): Promise<void> {
    const report = await this.fetchOrder(ref);
    this.reports.set(report.clientOrderId, { ...report, status: 'CANCELED' });
  }

  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    const report =
      ref.clientOrderId === undefined ? undefined : this.reports.get(ref.clientOrderId);
    if (report === undefined)
      throw new OrderNotFoundError(`unknown order ${ref.clientOrderId ?? ref.venueOrderId}`);
    return report;
  }

  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    await this.fetchOrder(ref);
    return [];
  }
}

describe('OrderGateway contract', () => {
  const BTC = instrumentId('BTCUSDT', 'BINANCE');

  it('delivers typed order updates to listeners of the executions emitter', async () => {
    const gateway: OrderGateway = new EchoGateway();
    const updates: ExecutionOrderUpdateEvent[] = [];
    gateway.executions.on('orderUpdate', (event) => updates.push(event));
    const ack = await gateway.placeOrder(
      createOrderRequest({
        instrumentId: BTC,
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
        clientOrderId: 'c-1',
      }),
    );
    expect(updates.map((event) => [event.type, event.report.venueOrderId])).toEqual([
      ['orderUpdate', ack.venueOrderId],
    ]);
  });

  it('names an order by client id or venue id and reports an unknown one with OrderNotFoundError', async () => {
    const gateway = new EchoGateway();
    const error = await gateway
      .fetchOrder({ instrumentId: BTC, venueOrderId: 'v-404' })
      .catch((e: unknown) => e);
    expect(isQtpError(error, 'ORDER_NOT_FOUND')).toBe(true);
  });
});
