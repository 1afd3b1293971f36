import type { BalanceView, PositionView, PreTradeContext, PreTradeGate } from '@qtp/core';
import {
  Decimal,
  isQtpError,
  Order,
  type OrderRequest,
  RateLimitError,
  type ValidationError,
} from '@qtp/core';
import { OrderManager } from '@qtp/oms';
import { describe, expect, it } from 'vitest';
import { BTC, btc, limitBuy, settle, setup } from '../test/support/fixtures.js';

function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('OrderManager.submit', () => {
  it('sends a buy rounded down to the tick and a quantity rounded down to the step', async () => {
    const { oms, gateway } = setup();
    const order = oms.submit({ ...limitBuy, price: '27000.019', quantity: '0.01239' });
    await oms.flush();
    expect(gateway.placed).toHaveLength(1);
    expect(gateway.placed[0]!.price?.toString()).toBe('27000.01');
    expect(gateway.placed[0]!.quantity.toString()).toBe('0.0123');
    expect(order.status).toBe('ACCEPTED');
  });

  it('sends a sell rounded up to the tick', async () => {
    const { oms, gateway } = setup();
    oms.submit({ ...limitBuy, side: 'SELL', price: '27000.011' });
    await oms.flush();
    expect(gateway.placed[0]!.price?.toString()).toBe('27000.02');
  });

  it('denies a request breaking instrument rules without throwing, naming the rules, and sends nothing', async () => {
    const { oms, gateway, journal, events } = setup();
    const order = oms.submit({ ...limitBuy, price: '0.5', quantity: '0.0005' });
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toContain('be at least the minimum quantity 0.001');
    const denied = events.filter((event) => event.type === 'order.denied');
    expect(denied).toHaveLength(1);
    const [event] = denied;
    if (event?.type !== 'order.denied') throw new Error('no order.denied');
    expect(event.clientOrderId).toBe(order.clientOrderId);
    expect(event.denial).toMatchObject({ source: 'rules', code: 'INVALID_ORDER' });
    for (const field of ['notional', 'price', 'quantity']) {
      expect(event.denial.message).toContain(`${field}:`);
    }
    expect(event.request.quantity.toString()).toBe('0.0005');
    expect(events.some((published) => published.type === 'order.rejected')).toBe(false);
    await oms.flush();
    expect(gateway.placed).toHaveLength(0);
    expect(oms.getOrder(order.clientOrderId)?.status).toBe('REJECTED');
    expect(oms.stats().denied).toBe(1);
    expect(await journal.loadAll()).toHaveLength(0);
  });

  it('still throws on input that is not an order request', () => {
    const { oms } = setup();
    expect(() => oms.submit({ ...limitBuy, quantity: '-1' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
  });

  it('refuses an instrument it does not know', () => {
    const { oms } = setup();
    expect(() =>
      oms.submit({ ...limitBuy, instrumentId: 'ETHUSDT.BINANCE' as typeof BTC }),
    ).toThrow(expect.objectContaining({ code: 'UNKNOWN_SYMBOL' }));
  });

  it('turns a gate refusal into order.denied with the typed reason and a REJECTED order never sent', async () => {
    const gate: PreTradeGate = {
      check: (request, context) =>
        request.quantity.gt('0.05') || context.openOrders.length >= 1
          ? {
              approved: false,
              reason: {
                code: 'MAX_OPEN_ORDERS',
                message: 'open orders 1 at the limit 1',
                field: 'maxOpenOrders',
                configured: '1',
                attempted: String(context.openOrders.length + 1),
              },
            }
          : { approved: true },
    };
    const { oms, gateway, events, journal } = setup({ preTradeGate: gate });
    oms.submit(limitBuy);
    const refused = oms.submit({ ...limitBuy, quantity: '0.02' });
    await oms.flush();
    expect(refused.status).toBe('REJECTED');
    expect(refused.rejectReason).toBe('open orders 1 at the limit 1');
    expect(gateway.placed).toHaveLength(1);
    const denied = events.find((event) => event.type === 'order.denied');
    expect(denied).toMatchObject({
      type: 'order.denied',
      clientOrderId: refused.clientOrderId,
      denial: {
        source: 'gate',
        code: 'MAX_OPEN_ORDERS',
        field: 'maxOpenOrders',
        configured: '1',
        attempted: '2',
      },
    });
    expect(Object.isFrozen(denied)).toBe(true);
    expect(await journal.get(refused.clientOrderId)).toBeUndefined();
  });

  it('reports a bare-sentence gate refusal with code GATE_REFUSED', () => {
    const { oms, events } = setup({
      preTradeGate: { check: () => ({ approved: false, reason: 'trading halted' }) },
    });
    oms.submit(limitBuy);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'order.denied',
        denial: { source: 'gate', code: 'GATE_REFUSED', message: 'trading halted' },
      }),
    ]);
  });

  it('gives the gate the positions, balances and open orders with their remaining quantity', async () => {
    const seen: PreTradeContext[] = [];
    const positions: PositionView = {
      netQuantity: () => new Decimal('0.5'),
      netQuantities: () => new Map([[BTC, new Decimal('0.5')]]),
    };
    const balances: BalanceView = {
      balance: (asset) =>
        asset === 'USDT' ? { free: new Decimal('900'), locked: new Decimal('100') } : undefined,
    };
    const { oms, gateway } = setup({
      journaled: false,
      positions,
      balances,
      preTradeGate: {
        check: (_request, context) => {
          seen.push(context);
          return { approved: true };
        },
      },
    });
    const first = oms.submit(limitBuy);
    gateway.emitFill(gateway.fill(first.clientOrderId, '0.004', '27000').fill);
    oms.submit(limitBuy);
    const context = seen[1]!;
    expect(context.positions?.netQuantity(BTC).toString()).toBe('0.5');
    expect(context.balances?.balance('USDT')?.free.toString()).toBe('900');
    expect(context.openOrders.map((order) => order.remainingQuantity.toString())).toEqual([
      '0.006',
    ]);
  });

  it('refuses a request when the gate throws (fails closed)', async () => {
    const gate: PreTradeGate = {
      check: () => {
        throw new Error('position view unavailable');
      },
    };
    const { oms, gateway } = setup({ preTradeGate: gate });
    const order = oms.submit(limitBuy);
    await oms.flush();
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toContain('position view unavailable');
    expect(gateway.placed).toHaveLength(0);
  });

  it('keeps the client order id given and refuses a duplicate', async () => {
    const { oms, gateway } = setup();
    const order = oms.submit({ ...limitBuy, clientOrderId: 'my-order-1' });
    expect(order.clientOrderId).toBe('my-order-1');
    const error = validationErrorOf(() => oms.submit({ ...limitBuy, clientOrderId: 'my-order-1' }));
    expect(error.field).toBe('clientOrderId');
    await oms.flush();
    expect(gateway.placed.map((request) => request.clientOrderId)).toEqual(['my-order-1']);
  });

  it('refuses a client order id that breaks the id rule', () => {
    const { oms } = setup();
    const error = validationErrorOf(() => oms.submit({ ...limitBuy, clientOrderId: 'has space' }));
    expect(error.field).toBe('clientOrderId');
  });

  it('rejects an order whose client order id is already in the journal, without sending it', async () => {
    const first = setup();
    first.oms.submit({ ...limitBuy, clientOrderId: 'taken-1' });
    await first.oms.flush();
    first.oms.close();
    const second = new OrderManager({ ...first.options, gateway: first.gateway });
    const order = second.submit({ ...limitBuy, clientOrderId: 'taken-1' });
    await second.flush();
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toBe('the client order id is already in the journal');
    expect(first.gateway.placed).toHaveLength(1);
    expect((await first.journal.get('taken-1'))?.status).toBe('ACCEPTED');
  });

  it('journals the order before the gateway sees it', async () => {
    const { oms, gateway, journal } = setup();
    const seen: (string | undefined)[] = [];
    gateway.onPlace = (request) => {
      // Read synchronously inside placeOrder: the record must already be there.
      void journal.get(request.clientOrderId!).then((record) => seen.push(record?.status));
    };
    const order = oms.submit(limitBuy);
    expect(order.status).toBe('INITIALIZED');
    expect(gateway.placed).toHaveLength(0);
    await oms.flush();
    await settle();
    expect(gateway.placed).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeDefined();
    const record = await journal.get(order.clientOrderId);
    expect(record).toMatchObject({ status: 'ACCEPTED', instrumentId: BTC, unknownSinceMs: null });
    expect(record?.sentTimeMs).toBeTypeOf('number');
  });

  it('reaches the gateway before submit returns when there is no journal', () => {
    const { oms, gateway, events } = setup({ journaled: false });
    const order = oms.submit(limitBuy);
    expect(gateway.placed).toHaveLength(1);
    expect(order.status).toBe('ACCEPTED');
    expect(events.map((event) => event.type)).toEqual(['order.submitted', 'order.accepted']);
  });

  it('publishes each status change as a frozen delta: filled, leaves, average price, venue id', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit({ ...limitBuy, tags: ['sma-cross'] });
    await oms.flush();
    const first = gateway.fill(order.clientOrderId, '0.004', '27000');
    gateway.emitFill(first.fill);
    gateway.emitUpdate(first.report);
    const second = gateway.fill(order.clientOrderId, '0.006', '26999');
    gateway.emitFill(second.fill);
    gateway.emitUpdate(second.report);
    expect(events.map((event) => event.type)).toEqual([
      'order.submitted',
      'order.accepted',
      'order.fill',
      'order.partiallyFilled',
      'order.fill',
      'order.filled',
    ]);
    const filled = events.at(-1)!;
    if (filled.type !== 'order.filled') throw new Error('the last event is not order.filled');
    expect(filled.tags).toEqual(['sma-cross']);
    // 0.004 at 27000 and 0.006 at 26999: (108 + 161.994) / 0.01.
    expect(filled.filledQuantity.toString()).toBe('0.01');
    expect(filled.leavesQuantity.toString()).toBe('0');
    expect(filled.averageFillPrice?.toString()).toBe('26999.4');
    expect(filled.venueOrderId).toBe('v-1');
    expect(Object.isFrozen(filled)).toBe(true);
    expect('order' in filled).toBe(false);
    const fill = events.find((event) => event.type === 'order.fill');
    expect(fill?.type === 'order.fill' && fill.fill.tradeId).toBe('t-1');
  });
});

describe('OrderManager execution reports', () => {
  it('applies a fill that arrives before the acknowledgement', async () => {
    const { oms, gateway } = setup({ journaled: false });
    gateway.mode = 'hold';
    const order = oms.submit(limitBuy);
    gateway.receive(gateway.held[0]!.request);
    const { fill, report } = gateway.fill(order.clientOrderId, '0.01', '27000');
    gateway.emitFill(fill);
    gateway.emitUpdate(report);
    expect(order.status).toBe('FILLED');
    gateway.release(0);
    await settle();
    expect(order.status).toBe('FILLED');
    expect(order.venueOrderId).toBe('v-1');
  });

  it('ignores repeated fills and repeated reports', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill, report } = gateway.fill(order.clientOrderId, '0.004', '27000');
    for (let i = 0; i < 3; i++) {
      gateway.emitFill(fill);
      gateway.emitUpdate(report);
      gateway.emitUpdate(gateway.venue.get(order.clientOrderId)!);
    }
    expect(order.filledQuantity.toString()).toBe('0.004');
    expect(events.filter((event) => event.type === 'order.fill')).toHaveLength(1);
  });

  it('holds a cancel report until the fills it counts have arrived', async () => {
    const { oms, gateway } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill } = gateway.fill(order.clientOrderId, '0.004', '27000');
    const canceled = gateway.update(order.clientOrderId, { status: 'CANCELED' });
    gateway.emitUpdate(canceled);
    expect(order.status).toBe('ACCEPTED');
    gateway.emitFill(fill);
    expect(order.status).toBe('CANCELED');
    expect(order.filledQuantity.toString()).toBe('0.004');
  });

  it('looks the order up and books the venue fills by trade id when reported fills never arrive', async () => {
    const { oms, gateway, clock } = setup({ fillWaitMs: 2_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    gateway.fill(order.clientOrderId, '0.004', '27000');
    const { report } = gateway.fill(order.clientOrderId, '0.006', '26990');
    gateway.emitUpdate(report);
    expect(order.status).toBe('ACCEPTED');
    clock.advanceBy(2_000);
    await oms.flush();
    expect(order.status).toBe('FILLED');
    expect(order.filledQuantity.toString()).toBe('0.01');
    expect(order.averageFillPrice?.toString()).toBe('26994');
    expect(order.fills.map((fill) => fill.tradeId)).toEqual(['t-1', 't-2']);
    expect(order.fees.map((fee) => fee.amount.toString())).toEqual(['0.02']);
  });

  it('ignores reports of orders it does not manage', () => {
    const { oms, gateway } = setup({ journaled: false });
    const order = oms.submit(limitBuy);
    gateway.emitUpdate({ ...gateway.venue.get(order.clientOrderId)!, clientOrderId: 'other' });
    expect(oms.orders()).toHaveLength(1);
  });
});

describe('OrderManager placement failures', () => {
  it('rejects the order with the reason of a definitive gateway error', async () => {
    const { oms, gateway, events } = setup();
    gateway.mode = 'refuse';
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toBe('price outside the venue band');
    expect(events.at(-1)?.type).toBe('order.rejected');
  });

  it('rejects without a lookup when the gateway says the order never left (rate limit)', async () => {
    const { oms, gateway, clock } = setup({ journaled: false });
    gateway.mode = 'hold';
    const order = oms.submit(limitBuy);
    gateway.release(0, new RateLimitError('too many orders', 1_000));
    await settle();
    expect(order.status).toBe('REJECTED');
    clock.advanceBy(60_000);
    await settle();
    expect(gateway.fetches).toBe(0);
  });

  it.each([
    ['a timeout after the venue accepted', 'timeout-after-accepting'],
    ['a connection reset after sending', 'reset-after-sending'],
    ['an unknown-state error after the venue accepted', 'unknown-after-accepting'],
  ] as const)('never resends after %s and resolves the order by lookup', async (_, mode) => {
    const { oms, gateway, clock, events, journal } = setup({ lookupDelayMs: 1_000 });
    gateway.mode = mode;
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    expect(order.status).toBe('SUBMITTED');
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'order.stateUnknown', stateUnknown: true });
    expect((await journal.get(order.clientOrderId))?.unknownSinceMs).toBe(clock.now());
    clock.advanceBy(1_000);
    await oms.flush();
    expect(order.status).toBe('ACCEPTED');
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
    expect(gateway.placed).toHaveLength(1);
    expect(gateway.fetches).toBe(1);
    await oms.flush();
    expect((await journal.get(order.clientOrderId))?.unknownSinceMs).toBeNull();
  });

  it('rejects an unknown order the venue still does not know after the acknowledgement window', async () => {
    const { oms, gateway, clock } = setup({
      lookupDelayMs: 1_000,
      maxLookupDelayMs: 4_000,
      acknowledgementWindowMs: 10_000,
    });
    gateway.mode = 'lost';
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    // Lookups at 1, 3, 7 and 11 s: the last one is past the window.
    for (const step of [1_000, 2_000, 4_000]) {
      clock.advanceBy(step);
      await oms.flush();
      expect(order.status).toBe('SUBMITTED');
    }
    clock.advanceBy(4_000);
    await oms.flush();
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toBe('the venue does not know the order 10000 ms after it was sent');
    expect(gateway.fetches).toBe(4);
    expect(gateway.placed).toHaveLength(1);
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
  });

  it('keeps looking up with backoff while lookups fail', async () => {
    const { oms, gateway, clock } = setup({ lookupDelayMs: 1_000 });
    gateway.mode = 'timeout-after-accepting';
    gateway.failFetches = 2;
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    clock.advanceBy(1_000);
    await oms.flush();
    clock.advanceBy(2_000);
    await oms.flush();
    expect(order.status).toBe('SUBMITTED');
    clock.advanceBy(4_000);
    await oms.flush();
    expect(order.status).toBe('ACCEPTED');
    expect(gateway.fetches).toBe(3);
    expect(gateway.placed).toHaveLength(1);
  });

  it('resolves an unknown order at once with resolveUnknown', async () => {
    const { oms, gateway } = setup();
    gateway.mode = 'unknown-after-accepting';
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    expect(await oms.resolveUnknown()).toEqual([]);
    expect(order.status).toBe('ACCEPTED');
  });

  it('clears the unknown state when a report for the order arrives', async () => {
    const { oms, gateway } = setup();
    gateway.mode = 'timeout-after-accepting';
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    const { fill, report } = gateway.fill(order.clientOrderId, '0.01', '27000');
    gateway.emitFill(fill);
    gateway.emitUpdate(report);
    expect(order.status).toBe('FILLED');
    expect(oms.isStateUnknown(order.clientOrderId)).toBe(false);
  });

  it('marks the order rejected when the journal write fails and never sends it', async () => {
    const { oms, gateway, journal } = setup();
    journal.appendIntent = async () => {
      throw new Error('disk full');
    };
    const order = oms.submit(limitBuy);
    await oms.flush();
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toBe('the journal write failed: disk full');
    expect(gateway.placed).toHaveLength(0);
  });
});

describe('OrderManager.cancel', () => {
  it('cancels a working order through the gateway', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    expect(await oms.cancel(order.clientOrderId)).toBe(true);
    expect(order.status).toBe('CANCELED');
    expect(gateway.cancels).toEqual([
      { instrumentId: BTC, clientOrderId: order.clientOrderId, venueOrderId: 'v-1' },
    ]);
    expect(events.map((event) => event.type).slice(-2)).toEqual([
      'order.pendingCancel',
      'order.canceled',
    ]);
  });

  it('cancels an order still waiting for its journal record without sending it', async () => {
    const { oms, gateway } = setup();
    const order = oms.submit(limitBuy);
    expect(await oms.cancel(order.clientOrderId)).toBe(true);
    await oms.flush();
    expect(order.status).toBe('CANCELED');
    expect(gateway.placed).toHaveLength(0);
  });

  it('waits for the acknowledgement before canceling a submitted order', async () => {
    const { oms, gateway } = setup({ journaled: false });
    gateway.mode = 'hold';
    const order = oms.submit(limitBuy);
    expect(await oms.cancel(order.clientOrderId)).toBe(true);
    expect(gateway.cancels).toHaveLength(0);
    gateway.release(0);
    await settle();
    expect(gateway.cancels).toHaveLength(1);
    expect(order.status).toBe('CANCELED');
  });

  it('returns the order to its status when the venue no longer has it open', async () => {
    const { oms, gateway, events } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    // Filled at the venue, but the fill has not reached the manager yet.
    const { fill } = gateway.fill(order.clientOrderId, '0.01', '27000');
    expect(await oms.cancel(order.clientOrderId)).toBe(false);
    expect(order.status).toBe('ACCEPTED');
    expect(events.at(-1)?.type).toBe('order.cancelRejected');
    // The fill arrives late but before the lookup: it is booked as the venue reported it.
    gateway.emitFill(fill);
    expect(order.status).toBe('FILLED');
    expect(order.fills.map((booked) => booked.tradeId)).toEqual(['t-1']);
  });

  it('looks up an order whose cancel was refused once its reports are overdue', async () => {
    const { oms, gateway, clock } = setup({ fillWaitMs: 3_000 });
    const order = oms.submit(limitBuy);
    await oms.flush();
    gateway.fill(order.clientOrderId, '0.01', '27000');
    expect(await oms.cancel(order.clientOrderId)).toBe(false);
    clock.advanceBy(2_999);
    await oms.flush();
    expect(gateway.fetches).toBe(0);
    clock.advanceBy(1);
    await oms.flush();
    expect(gateway.fetches).toBe(1);
    expect(order.status).toBe('FILLED');
  });

  it('returns false for a terminal order and throws for an unknown id', async () => {
    const { oms, gateway } = setup();
    gateway.mode = 'refuse';
    const order = oms.submit(limitBuy);
    await oms.flush();
    await settle();
    expect(await oms.cancel(order.clientOrderId)).toBe(false);
    await expect(oms.cancel('nope')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('cancels every open order of an instrument', async () => {
    const { oms } = setup();
    const a = oms.submit(limitBuy);
    const b = oms.submit({ ...limitBuy, side: 'SELL', price: '28000' });
    await oms.flush();
    const result = await oms.cancelAll(BTC);
    expect(result.requested).toEqual([a.clientOrderId, b.clientOrderId]);
    expect(result.failed).toEqual([]);
    expect(oms.openOrders()).toEqual([]);
  });
});

describe('OrderManager queries', () => {
  it('lists orders by tag, side and instrument, and open orders only while not terminal', async () => {
    const { oms, gateway } = setup();
    const a = oms.submit({ ...limitBuy, tags: ['sma'] });
    const b = oms.submit({ ...limitBuy, side: 'SELL', price: '28000', tags: ['rsi'] });
    await oms.flush();
    expect(oms.orders({ tag: 'sma' })).toEqual([a]);
    expect(oms.orders({ side: 'SELL' })).toEqual([b]);
    expect(oms.openOrders({ instrumentId: BTC })).toEqual([a, b]);
    const { fill } = gateway.fill(a.clientOrderId, '0.01', '27000');
    gateway.emitFill(fill);
    expect(oms.openOrders()).toEqual([b]);
    expect(oms.orders()).toEqual([a, b]);
    expect(oms.getOrder(a.clientOrderId)).toBe(a);
    expect(oms.getOrder('missing')).toBeUndefined();
  });
});

describe('OrderManager.recover', () => {
  async function crashAfter(
    prepare: (context: ReturnType<typeof setup>) => Promise<void> | void,
  ): Promise<ReturnType<typeof setup> & { restarted: OrderManager }> {
    const context = setup();
    await prepare(context);
    await context.oms.flush();
    await settle();
    context.oms.close();
    const restarted = new OrderManager({ ...context.options });
    return { ...context, restarted };
  }

  it('reloads open orders and applies what the venue did while the manager was down', async () => {
    let id = '';
    const context = await crashAfter(({ oms }) => {
      id = oms.submit(limitBuy).clientOrderId;
    });
    const { gateway, restarted, journal } = context;
    gateway.fill(id, '0.004', '27000');
    const result = await restarted.recover();
    expect(result.recovered.map((order) => order.clientOrderId)).toEqual([id]);
    const order = restarted.getOrder(id)!;
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(order.filledQuantity.toString()).toBe('0.004');
    await restarted.flush();
    expect((await journal.get(id))?.status).toBe('PARTIALLY_FILLED');
    // The stream resumes: later fills and reports still apply.
    const { fill, report } = gateway.fill(id, '0.006', '27000');
    gateway.emitFill(fill);
    gateway.emitUpdate(report);
    expect(order.status).toBe('FILLED');
    expect(gateway.placed).toHaveLength(1);
  });

  it('follows an order journaled as INITIALIZED that the venue has after all', async () => {
    const context = setup();
    const order = new Order({ ...limitBuy, clientOrderId: 'sent-1', timeMs: context.clock.now() });
    await context.journal.appendIntent({
      id: 'sent-1',
      instrumentId: BTC,
      status: 'INITIALIZED',
      sentTimeMs: null,
      unknownSinceMs: null,
      order: order.toSnapshot(),
    });
    // The placement went out; the crash took the SUBMITTED record with it.
    context.gateway.placed.push(order.toRequest());
    context.gateway.receive(order.toRequest());
    context.oms.close();
    const restarted = new OrderManager({ ...context.options });
    await restarted.recover();
    expect(restarted.getOrder('sent-1')?.status).toBe('ACCEPTED');
    expect(context.events.map((event) => event.type)).toEqual([
      'order.submitted',
      'order.accepted',
    ]);
    await restarted.flush();
    expect((await context.journal.get('sent-1'))?.status).toBe('ACCEPTED');
    expect(context.gateway.placed).toHaveLength(1);
  });

  it('rejects an order journaled but never sent that the venue does not know', async () => {
    const context = setup();
    const order = context.oms.submit(limitBuy);
    // The process dies after the journal write and before the placement.
    context.oms.close();
    await context.oms.flush();
    context.clock.advanceBy(60_000);
    const restarted = new OrderManager({ ...context.options });
    await restarted.recover();
    const recovered = restarted.getOrder(order.clientOrderId)!;
    expect(recovered.status).toBe('REJECTED');
    expect(recovered.rejectReason).toContain('does not know the order');
    expect(context.gateway.placed).toHaveLength(0);
  });

  it('keeps a recently sent order the venue does not know yet unknown, then resolves it', async () => {
    const context = setup({ acknowledgementWindowMs: 10_000, lookupDelayMs: 1_000 });
    context.gateway.mode = 'lost';
    const order = context.oms.submit(limitBuy);
    await context.oms.flush();
    await settle();
    context.oms.close();
    const restarted = new OrderManager({ ...context.options });
    const result = await restarted.recover();
    expect(result.unknown).toEqual([order.clientOrderId]);
    expect(restarted.isStateUnknown(order.clientOrderId)).toBe(true);
    for (let i = 0; i < 5; i++) {
      context.clock.advanceBy(4_000);
      await restarted.flush();
    }
    expect(restarted.getOrder(order.clientOrderId)?.status).toBe('REJECTED');
    expect(context.gateway.placed).toHaveLength(1);
  });

  it('resolves an order whose state was unknown at the crash by looking it up', async () => {
    let id = '';
    const { restarted, gateway } = await crashAfter(({ oms, gateway }) => {
      gateway.mode = 'timeout-after-accepting';
      id = oms.submit(limitBuy).clientOrderId;
    });
    gateway.fill(id, '0.01', '27000');
    const result = await restarted.recover();
    expect(result.unknown).toEqual([]);
    expect(restarted.getOrder(id)?.status).toBe('FILLED');
    expect(gateway.placed).toHaveLength(1);
  });

  it('returns a pending cancel that did not reach the venue to its status', async () => {
    let id = '';
    const { restarted, gateway } = await crashAfter(async ({ oms, gateway }) => {
      id = oms.submit(limitBuy).clientOrderId;
      await oms.flush();
      gateway.cancelOrder = () => new Promise<void>(() => {});
      void oms.cancel(id);
    });
    await restarted.recover();
    expect(restarted.getOrder(id)?.status).toBe('ACCEPTED');
    expect(gateway.placed).toHaveLength(1);
  });

  it('leaves terminal orders in the journal alone', async () => {
    const { restarted, gateway } = await crashAfter(({ oms, gateway }) => {
      gateway.mode = 'refuse';
      oms.submit(limitBuy);
    });
    const result = await restarted.recover();
    expect(result.recovered).toEqual([]);
    expect(gateway.fetches).toBe(0);
  });

  it('refuses to recover without a journal', async () => {
    const { oms } = setup({ journaled: false });
    await expect(oms.recover()).rejects.toMatchObject({ code: 'VALIDATION', field: 'journal' });
  });
});

describe('OrderManager options', () => {
  it('refuses a duration that is not a positive number', () => {
    const { options } = setup();
    expect(() => new OrderManager({ ...options, fillWaitMs: 0 })).toThrow(
      expect.objectContaining({ field: 'fillWaitMs' }),
    );
  });

  it('finds instruments through a map as well as a list', () => {
    const { options } = setup({ journaled: false });
    const oms = new OrderManager({ ...options, instruments: new Map([[BTC, btc]]) });
    expect(oms.submit(limitBuy).status).toBe('ACCEPTED');
  });

  it('sends the request it approved, with its client order id', () => {
    const seen: OrderRequest[] = [];
    const { oms, gateway } = setup({
      journaled: false,
      preTradeGate: {
        check: (request) => {
          seen.push(request);
          return { approved: true };
        },
      },
    });
    oms.submit(limitBuy);
    expect(seen[0]?.clientOrderId).toBe(gateway.placed[0]?.clientOrderId);
    expect(seen[0]?.price?.toString()).toBe(gateway.placed[0]?.price?.toString());
  });
});
