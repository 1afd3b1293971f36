import { createFill, createMoney, type OrderAnomalyEvent } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { BTC, limitBuy, setup } from '../test/support/fixtures.js';

function anomalies(events: readonly { type: string }[]): OrderAnomalyEvent[] {
  return events.filter((event): event is OrderAnomalyEvent => event.type === 'order.anomaly');
}

describe('OrderManager fill booking by trade id', () => {
  it('books a fill once when its status report comes first and the fill arrives after the lookup', async () => {
    const { oms, gateway, clock } = setup({ fillWaitMs: 2_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill, report } = gateway.fill(order.clientOrderId, '0.004', '27000');
    gateway.emitUpdate(report);
    clock.advanceBy(2_000);
    await oms.flush();
    expect(order.filledQuantity.toString()).toBe('0.004');
    gateway.emitFill(fill);
    expect(order.fills.map((booked) => booked.tradeId)).toEqual(['t-1']);
    expect(order.filledQuantity.toString()).toBe('0.004');
    expect(order.status).toBe('PARTIALLY_FILLED');
  });

  it('books a fill once when a lookup resolves an unknown placement and the fill arrives later', async () => {
    const { oms, gateway, clock } = setup({ lookupDelayMs: 1_000 });
    gateway.mode = 'timeout-after-accepting';
    const order = oms.submit(limitBuy);
    await oms.flush();
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(true);
    const { fill } = gateway.fill(order.clientOrderId, '0.01', '26990');
    clock.advanceBy(1_000);
    await oms.flush();
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
    expect(order.status).toBe('FILLED');
    gateway.emitFill(fill);
    expect(order.fills).toHaveLength(1);
    expect(order.filledQuantity.toString()).toBe('0.01');
    expect(order.fees[0]?.amount.toString()).toBe('0.01');
  });

  it('moves no position on a status alone when the venue returns no fills yet', async () => {
    const { oms, gateway, clock, events } = setup({ fillWaitMs: 2_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { report } = gateway.fill(order.clientOrderId, '0.004', '27000');
    gateway.trades.delete(order.clientOrderId);
    gateway.emitUpdate(report);
    clock.advanceBy(2_000);
    await oms.flush();
    expect(order.filledQuantity.toString()).toBe('0');
    expect(anomalies(events).map((event) => event.kind)).toEqual(['FILLS_UNAVAILABLE']);
    expect(oms.stats().anomalies.FILLS_UNAVAILABLE).toBe(1);
  });
});

describe('OrderManager refused reports', () => {
  it('keeps the unknown flag, publishes MALFORMED_REPORT and looks the order up on a malformed fill', async () => {
    const { oms, gateway, clock, events } = setup({ lookupDelayMs: 1_000 });
    gateway.mode = 'timeout-after-accepting';
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill } = gateway.fill(order.clientOrderId, '0.004', '27000');
    gateway.emitFill({ ...fill, side: 'SELL' });
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(true);
    expect(order.filledQuantity.toString()).toBe('0');
    const [anomaly] = anomalies(events);
    expect(anomaly).toMatchObject({
      kind: 'MALFORMED_REPORT',
      clientOrderId: order.clientOrderId,
      tradeId: 't-1',
      errorCode: 'VALIDATION',
    });
    expect(anomaly?.message).toContain('side');
    expect(oms.stats().anomalies.MALFORMED_REPORT).toBe(1);
    const fetches = gateway.fetches;
    clock.advanceBy(1_000);
    await oms.flush();
    expect(gateway.fetches).toBe(fetches + 1);
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
    expect(order.filledQuantity.toString()).toBe('0.004');
    expect(order.fills[0]?.side).toBe('BUY');
  });

  it('refuses a status report whose filled quantity exceeds the order', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    const report = gateway.venue.get(order.clientOrderId)!;
    gateway.emitUpdate({
      ...report,
      status: 'FILLED',
      filledQuantity: report.filledQuantity.plus(1),
    });
    expect(order.status).toBe('ACCEPTED');
    expect(anomalies(events)[0]?.kind).toBe('MALFORMED_REPORT');
    expect(anomalies(events)[0]?.message).toContain('filledQuantity');
  });

  it('publishes UNKNOWN_ORDER_FILL for a fill of an order it does not manage', () => {
    const { oms, gateway, events } = setup({ journaled: false });
    gateway.emitFill(
      createFill({
        tradeId: 'x-1',
        clientOrderId: 'someone-else',
        venueOrderId: 'v-9',
        instrumentId: BTC,
        side: 'BUY',
        price: '27000',
        quantity: '0.001',
        fee: createMoney('0', 'USDT'),
        liquiditySide: 'TAKER',
        timeMs: 1,
      }),
    );
    expect(anomalies(events)).toEqual([
      expect.objectContaining({ kind: 'UNKNOWN_ORDER_FILL', clientOrderId: 'someone-else' }),
    ]);
    expect(oms.stats().anomalies.UNKNOWN_ORDER_FILL).toBe(1);
  });

  it('publishes TRADE_ID_CONFLICT for a repeated trade id with another quantity and books it once', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill } = gateway.fill(order.clientOrderId, '0.004', '27000');
    gateway.emitFill(fill);
    gateway.emitFill(fill);
    expect(anomalies(events)).toEqual([]);
    gateway.emitFill(createFill({ ...fill, quantity: '0.005' }));
    expect(order.filledQuantity.toString()).toBe('0.004');
    expect(anomalies(events)).toEqual([
      expect.objectContaining({ kind: 'TRADE_ID_CONFLICT', tradeId: 't-1' }),
    ]);
    expect(oms.stats().anomalies).toEqual({
      UNKNOWN_ORDER_FILL: 0,
      TRADE_ID_CONFLICT: 1,
      MALFORMED_REPORT: 0,
      FILLS_UNAVAILABLE: 0,
    });
  });
});
