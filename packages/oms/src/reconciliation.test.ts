import { SeededIdGenerator, TimeoutError } from '@qtp/core';
import { OrderManager } from '@qtp/oms';
import { describe, expect, it } from 'vitest';
import { limitBuy, settle, setup } from '../test/support/fixtures.js';

describe('OrderManager reconciliation', () => {
  it('applies a cancel whose acknowledgement was lost once the cancel timeout has passed', async () => {
    const { oms, gateway, clock } = setup({ cancelTimeoutMs: 3_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    // The cancel request arrives; its CANCELED report is lost.
    const losses = [false, true];
    gateway.lose = () => losses.shift() ?? false;
    await oms.cancel(order.clientOrderId);
    expect(gateway.venue.get(order.clientOrderId)?.status).toBe('CANCELED');
    expect(order.status).toBe('PENDING_CANCEL');
    clock.advanceBy(2_999);
    await oms.flush();
    expect(order.status).toBe('PENDING_CANCEL');
    clock.advanceBy(1);
    await oms.flush();
    expect(order.status).toBe('CANCELED');
  });

  it('returns an order to its working status when the venue never received the cancel', async () => {
    const { oms, gateway, clock, events } = setup({ cancelTimeoutMs: 3_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    // The cancel call hangs up after sending nothing; the order stays pending until it is asked.
    gateway.cancelOrder = async (ref) => {
      gateway.cancels.push(ref);
    };
    await oms.cancel(order.clientOrderId);
    expect(order.status).toBe('PENDING_CANCEL');
    clock.advanceBy(3_000);
    await oms.flush();
    expect(order.status).toBe('ACCEPTED');
    const refused = events.find((event) => event.type === 'order.cancelRejected');
    expect(refused?.type === 'order.cancelRejected' && refused.reason).toBe(
      'the venue did not cancel the order within 3000 ms',
    );
  });

  it('treats a placement unanswered past the submit timeout as unknown and resolves it by lookup', async () => {
    const { oms, gateway, clock } = setup({ submitTimeoutMs: 2_000, lookupDelayMs: 500 });
    gateway.mode = 'hold';
    const order = oms.submit(limitBuy);
    await oms.flush();
    gateway.receive(gateway.held[0]!.request);
    clock.advanceBy(1_999);
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
    clock.advanceBy(1);
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(true);
    clock.advanceBy(500);
    await oms.flush();
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
    expect(order.status).toBe('ACCEPTED');
    expect(gateway.placed).toHaveLength(1);
  });

  it('reconciles every open order on demand: lost fills are booked and lost cancels applied', async () => {
    const { oms, gateway } = setup({ journaled: false });
    const first = oms.submit(limitBuy);
    const second = oms.submit(limitBuy);
    await settle();
    gateway.fill(first.clientOrderId, '0.003', '27000');
    gateway.update(second.clientOrderId, { status: 'CANCELED' });
    const result = await oms.reconcile();
    expect(result).toEqual({ checked: 2, unknown: [] });
    expect(first.filledQuantity.toString()).toBe('0.003');
    expect(first.fills[0]?.tradeId).toBe('t-1');
    expect(second.status).toBe('CANCELED');
  });

  it('reconciles on the clock every reconcileIntervalMs', async () => {
    const { oms, gateway, clock } = setup({ journaled: false, reconcileIntervalMs: 10_000 });
    const order = oms.submit(limitBuy);
    await settle();
    gateway.fill(order.clientOrderId, '0.01', '27000');
    clock.advanceBy(9_999);
    await oms.flush();
    expect(order.status).toBe('ACCEPTED');
    clock.advanceBy(1);
    await oms.flush();
    await settle();
    expect(order.status).toBe('FILLED');
    oms.close();
  });

  it('reverts a cancel that timed out at the gateway while the venue kept the order', async () => {
    const { oms, gateway } = setup({ journaled: false });
    const order = oms.submit(limitBuy);
    await settle();
    gateway.lose = () => true;
    await expect(oms.cancel(order.clientOrderId)).rejects.toBeInstanceOf(TimeoutError);
    expect(order.status).toBe('ACCEPTED');
  });
});

describe('OrderManager client order ids across restarts', () => {
  it('never repeats an id when restarted twice with the same seeded generator', async () => {
    const first = setup();
    const ids: string[] = [];
    const run = async (oms: OrderManager) => {
      for (let i = 0; i < 3; i++) {
        const order = oms.submit(limitBuy);
        await oms.flush();
        const { fill, report } = first.gateway.fill(order.clientOrderId, '0.01', '27000');
        first.gateway.emitFill(fill);
        first.gateway.emitUpdate(report);
        ids.push(order.clientOrderId);
      }
      await oms.flush();
      oms.close();
    };
    await run(first.oms);
    for (let restart = 0; restart < 2; restart++) {
      const oms = new OrderManager({
        ...first.options,
        idGenerator: new SeededIdGenerator({ seed: 1 }),
      });
      await oms.recover();
      await run(oms);
    }
    expect(new Set(ids).size).toBe(9);
    expect(first.gateway.placed.map((request) => request.clientOrderId)).toEqual(ids);
    const records = await first.journal.loadAll();
    expect(records.filter((record) => record.status === 'FILLED')).toHaveLength(9);
  });
});
