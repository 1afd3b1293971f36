import { createFill, createMoney, Order, type OrderStatus, toClientOrderId } from '@qtp/core';
import type { OrderRecord } from '@qtp/oms';

/** Where an order built by {@link orderLifecycle} goes: filled in parts, canceled, or rejected. */
export type LifecycleEnd = 'filled' | 'canceled' | 'rejected';

/**
 * Returns the records the order manager journals for one limit buy of 0.03 BTC at 27000.5 on
 * `BTCUSDT.BINANCE`: the intent, then SUBMITTED, ACCEPTED and, per `end`, two fills of 0.01
 * and 0.02 (trade ids `<id>-t1`, `<id>-t2`), a cancel, or a rejection. Times start at `startMs`.
 * @example
 * ```ts
 * import { orderLifecycle } from '@qtp/store/testing';
 * const [intent, ...events] = orderLifecycle('o-1', 'filled', 1_700_000_000_000);
 * ```
 */
export function orderLifecycle(
  id: string,
  end: LifecycleEnd,
  startMs = 1_700_000_000_000,
): OrderRecord[] {
  const clientOrderId = toClientOrderId(id);
  const order = new Order({
    instrumentId: 'BTCUSDT.BINANCE' as Order['instrumentId'],
    side: 'BUY',
    type: 'LIMIT',
    quantity: '0.03',
    price: '27000.5',
    clientOrderId,
    timeMs: startMs,
  });
  let sentTimeMs: number | null = null;
  const records: OrderRecord[] = [];
  const take = (): void => {
    records.push({
      id,
      instrumentId: order.instrumentId,
      status: order.status as OrderStatus,
      sentTimeMs,
      unknownSinceMs: null,
      order: order.toSnapshot(),
    });
  };
  take();
  sentTimeMs = startMs + 1;
  order.submit(startMs + 1);
  take();
  if (end === 'rejected') {
    order.reject('insufficient balance', startMs + 2);
    take();
    return records;
  }
  const venueOrderId = `v-${id}`;
  order.accept(venueOrderId, startMs + 2);
  take();
  if (end === 'canceled') {
    order.requestCancel(startMs + 3);
    take();
    order.cancel(startMs + 4);
    take();
    return records;
  }
  const parts = [
    ['0.01', '27000.5', 't1'],
    ['0.02', '27000.25', 't2'],
  ] as const;
  parts.forEach(([quantity, price, trade], index) => {
    order.applyFill(
      createFill({
        tradeId: `${id}-${trade}`,
        clientOrderId,
        venueOrderId,
        instrumentId: order.instrumentId,
        side: 'BUY',
        price,
        quantity,
        fee: createMoney('0.000001', 'BTC'),
        liquiditySide: 'MAKER',
        timeMs: startMs + 3 + index,
      }),
    );
    take();
  });
  return records;
}
