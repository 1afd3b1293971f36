import {
  type ClientOrderId,
  canTransition,
  createFill,
  createMoney,
  createOrderRequest,
  Decimal,
  type Fill,
  instrumentId,
  isQtpError,
  isTerminalOrderStatus,
  Order,
  type OrderOptions,
  type OrderRequest,
  type OrderStatus,
  type QtpError,
  toClientOrderId,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');

function newOrder(overrides: Partial<OrderOptions> = {}): Order {
  const options: OrderOptions = {
    clientOrderId: 'qtp-1',
    instrumentId: BTC,
    side: 'BUY',
    type: 'LIMIT',
    quantity: '1',
    price: '27000',
    timeMs: 1_000,
    ...overrides,
  };
  // Stop-market orders carry no limit price.
  if (options.type === 'STOP_MARKET') delete options.price;
  return new Order(options);
}

function fill(
  tradeId: string,
  quantity: string,
  price = '27000',
  overrides: Partial<Fill> = {},
): Fill {
  return createFill({
    tradeId,
    clientOrderId: 'qtp-1',
    venueOrderId: 'v-1',
    instrumentId: BTC,
    side: 'BUY',
    price,
    quantity,
    fee: createMoney('0.01', 'USDT'),
    liquiditySide: 'MAKER',
    timeMs: 2_000,
    ...overrides,
  });
}

function caught(action: () => unknown): QtpError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error)) return error;
    throw error;
  }
  throw new Error('expected a QtpError');
}

function accepted(overrides: Partial<OrderOptions> = {}): Order {
  const order = newOrder(overrides);
  order.submit(1_001);
  order.accept('v-1', 1_002);
  return order;
}

describe('Order lifecycle', () => {
  it('moves from INITIALIZED through partial fills to FILLED', () => {
    const order = accepted();
    expect(order.applyFill(fill('t-1', '0.4', '27000'))).toBe(true);
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(order.applyFill(fill('t-2', '0.6', '27001'))).toBe(true);
    expect(order.status).toBe('FILLED');
    expect(order.filledQuantity.toString()).toBe('1');
    expect(order.remainingQuantity.toString()).toBe('0');
    // (0.4 * 27000 + 0.6 * 27001) / 1 = 27000.6
    expect(order.averageFillPrice?.toString()).toBe('27000.6');
    expect(order.isTerminal).toBe(true);
    expect(order.isOpen).toBe(false);
  });

  it('derives an exact average price from the fills', () => {
    const order = accepted({ quantity: '3' });
    order.applyFill(fill('t-1', '1', '1'));
    order.applyFill(fill('t-2', '2', '2'));
    expect(order.averageFillPrice?.eq(new Decimal(5).div(3))).toBe(true);
    expect(order.averageFillPrice?.toString()).toBe('1.666666666666666666666666666666667');
  });

  it('sums fees per currency', () => {
    const order = accepted();
    order.applyFill(fill('t-1', '0.2', '27000', { fee: createMoney('0.5', 'USDT') }));
    order.applyFill(fill('t-2', '0.2', '27000', { fee: createMoney('0.001', 'BNB') }));
    order.applyFill(fill('t-3', '0.2', '27000', { fee: createMoney('0.25', 'USDT') }));
    expect(order.fees.map((fee) => `${fee.amount} ${fee.currency}`)).toEqual([
      '0.75 USDT',
      '0.001 BNB',
    ]);
  });

  it('learns the venue order id from a fill that arrives before the acknowledgement', () => {
    const order = newOrder();
    order.submit(1_001);
    order.applyFill(fill('t-1', '0.5'));
    expect([order.status, order.venueOrderId]).toEqual(['PARTIALLY_FILLED', 'v-1']);
  });

  it('keeps a cancel pending across a partial fill and returns to PARTIALLY_FILLED when the cancel is refused', () => {
    const order = accepted();
    order.requestCancel(1_100);
    order.applyFill(fill('t-1', '0.5'));
    expect(order.status).toBe('PENDING_CANCEL');
    order.rejectCancel(2_100);
    expect(order.status).toBe('PARTIALLY_FILLED');
  });

  it('returns a triggered stop to TRIGGERED when its cancel is refused', () => {
    const order = accepted({ type: 'STOP_MARKET', triggerPrice: '26000' });
    order.trigger(1_050);
    order.requestCancel(1_100);
    order.rejectCancel(1_200);
    expect(order.status).toBe('TRIGGERED');
  });

  it('records the reason of a rejection', () => {
    const order = newOrder();
    order.submit(1_001);
    order.reject('insufficient balance', 1_002);
    expect([order.status, order.rejectReason]).toEqual(['REJECTED', 'insufficient balance']);
  });

  it('keeps the last update time from going backwards', () => {
    const order = accepted();
    order.requestCancel(5_000);
    order.cancel(4_000);
    expect(order.updatedTimeMs).toBe(5_000);
  });

  it('places the request it was created from, with its client order id', () => {
    const request = accepted({ tags: ['sma'] }).toRequest();
    expect([
      request.clientOrderId,
      request.price?.toString(),
      request.timeInForce,
      request.tags,
    ]).toEqual(['qtp-1', '27000', 'GTC', ['sma']]);
  });

  it('takes the terms of a checked request as they are, without parsing them again', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.25',
      price: '27000.5',
      tags: ['sma'],
    });
    const order = new Order({ ...request, clientOrderId: 'qtp-9', timeMs: 5_000 });
    expect(order.quantity).toBe(request.quantity);
    expect(order.price).toBe(request.price);
    expect(order.tags).toBe(request.tags);
    expect([order.clientOrderId, order.createdTimeMs, order.timeInForce]).toEqual([
      'qtp-9',
      5_000,
      'GTC',
    ]);
  });

  it('still refuses an unknown key beside the terms of a checked request', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: '1',
    });
    const options = { ...request, clientOrderId: 'qtp-9', timeMs: 5_000, stopPrice: '1' };
    const error = caught(() => new Order(options as OrderOptions));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('stopPrice');
  });

  it('makes an order from a checked request under the id it is given', () => {
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.5',
      clientOrderId: toClientOrderId('mine'),
      tags: ['sma'],
    });
    const order = Order.fromRequest(request, toClientOrderId('qtp-7'), 2_000);
    expect(order.quantity).toBe(request.quantity);
    expect(order.tags).toBe(request.tags);
    expect([order.clientOrderId, order.status, order.timeInForce, order.createdTimeMs]).toEqual([
      'qtp-7',
      'INITIALIZED',
      'IOC',
      2_000,
    ]);
    // The order's own request is checked too: a second order takes it as it is.
    const copy = Order.fromRequest(order.toRequest(), toClientOrderId('qtp-8'), 2_001);
    expect(copy.quantity).toBe(request.quantity);
  });

  it('checks in full a request built by hand, and a bad id or time beside a checked one', () => {
    const handMade = {
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal('-1'),
      timeInForce: 'IOC',
    } as unknown as OrderRequest;
    expect(
      caught(() => Order.fromRequest(handMade, toClientOrderId('qtp-1'), 1)).message,
    ).toContain('quantity');
    const request = createOrderRequest({
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: '1',
    });
    const badId = caught(() => Order.fromRequest(request, 'not ok!' as ClientOrderId, 1));
    expect(badId.message).toContain('clientOrderId');
    const noId = caught(() => Order.fromRequest(request, undefined as unknown as ClientOrderId, 1));
    expect(noId.message).toContain('clientOrderId');
    const badTime = caught(() => Order.fromRequest(request, toClientOrderId('qtp-1'), -5));
    expect(badTime.message).toContain('timeMs');
  });

  it('finds an applied fill by its trade id', () => {
    const order = accepted();
    const first = fill('t-1', '0.25');
    order.applyFill(first);
    for (let i = 2; i <= 10; i++) order.applyFill(fill(`t-${i}`, '0.05'));
    expect(order.fillOf('t-1')).toBe(first);
    expect(order.fillOf('t-10')?.quantity.toString()).toBe('0.05');
    expect(order.fillOf('t-11')).toBeUndefined();
  });
});

describe('Order refusals', () => {
  it('throws on an illegal transition and changes nothing', () => {
    const order = newOrder();
    const before = JSON.stringify(order.toSnapshot());
    const error = caught(() => order.accept('v-1', 1_500));
    expect(error.code).toBe('INVALID_ORDER_TRANSITION');
    expect(error.message).toBe('illegal order transition INITIALIZED -> ACCEPTED');
    expect(JSON.stringify(order.toSnapshot())).toBe(before);
  });

  it('refuses to trigger an order that is not a stop order', () => {
    expect(caught(() => accepted().trigger(1_100)).code).toBe('INVALID_ORDER_TRANSITION');
  });

  it('refuses a cancel request before the venue acknowledged the order', () => {
    const order = newOrder();
    order.submit(1_001);
    expect(caught(() => order.requestCancel(1_100)).code).toBe('INVALID_ORDER_TRANSITION');
    expect(order.status).toBe('SUBMITTED');
  });

  it('refuses a fill on an order never sent', () => {
    const order = newOrder();
    expect(caught(() => order.applyFill(fill('t-1', '0.1'))).code).toBe('INVALID_ORDER_TRANSITION');
    expect(order.fills).toEqual([]);
  });

  it('refuses a fill that would overfill and leaves the order as it was', () => {
    const order = accepted();
    order.applyFill(fill('t-1', '0.7'));
    const before = JSON.stringify(order.toSnapshot());
    const error = caught(() => order.applyFill(fill('t-2', '0.4')));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe('quantity: must be at most the remaining quantity 0.3, was "0.4"');
    expect(JSON.stringify(order.toSnapshot())).toBe(before);
    // the refused trade id was not remembered, so a corrected fill with it still applies
    expect(order.applyFill(fill('t-2', '0.3'))).toBe(true);
  });

  it('ignores a fill whose trade id it has seen and says so', () => {
    const order = accepted();
    expect(order.applyFill(fill('t-1', '0.5'))).toBe(true);
    expect(order.applyFill(fill('t-1', '0.5'))).toBe(false);
    expect(order.filledQuantity.toString()).toBe('0.5');
  });

  it('refuses a fill of another order, instrument, side or venue order', () => {
    const order = accepted();
    const error = caught(() =>
      order.applyFill(
        fill('t-1', '0.1', '1', {
          clientOrderId: 'other',
          instrumentId: instrumentId('ETHUSDT', 'BINANCE'),
          side: 'SELL',
          venueOrderId: 'v-2',
        }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(
      (error as unknown as { issues: { field: string }[] }).issues.map((i) => i.field),
    ).toEqual(['clientOrderId', 'instrumentId', 'side', 'venueOrderId']);
    expect(order.fills).toEqual([]);
  });

  it('refuses a hand-made fill with a negative quantity', () => {
    const order = accepted();
    const bad = { ...fill('t-1', '0.1'), quantity: new Decimal('-0.1') };
    expect(caught(() => order.applyFill(bad)).code).toBe('VALIDATION');
    expect(order.status).toBe('ACCEPTED');
  });

  it('refuses a venue order id that contradicts the one known', () => {
    const order = newOrder();
    order.submit(1_001);
    order.applyFill(fill('t-1', '0.1'));
    expect(caught(() => order.accept('v-9', 1_100)).code).toBe('VALIDATION');
  });

  it('refuses a bad time and changes nothing', () => {
    const order = newOrder();
    expect(caught(() => order.submit(Number.NaN)).code).toBe('VALIDATION');
    expect(caught(() => order.submit(-1)).code).toBe('VALIDATION');
    expect(order.status).toBe('INITIALIZED');
  });

  it('refuses a structurally invalid order at creation, listing every issue', () => {
    const error = caught(() => newOrder({ type: 'STOP_LIMIT', quantity: '0', timeMs: -5 }));
    expect(
      (error as unknown as { issues: { field: string }[] }).issues.map((i) => i.field),
    ).toEqual(['timeMs', 'quantity', 'triggerPrice']);
  });
});

describe('Order snapshots', () => {
  it('round-trips a pending cancel with fills through JSON', () => {
    const order = accepted({ type: 'LIMIT', timeInForce: 'GTD', expireTimeMs: 9_999, tags: ['a'] });
    order.applyFill(fill('t-1', '0.25', '27000.5', { fee: createMoney('0.001', 'BNB') }));
    order.requestCancel(3_000);
    const json = JSON.parse(JSON.stringify(order.toSnapshot()));
    expect(json.filledQuantity).toBe('0.25');
    const copy = Order.fromSnapshot(json);
    expect(copy.toSnapshot()).toEqual(order.toSnapshot());
    copy.rejectCancel(3_100);
    expect(copy.status).toBe('PARTIALLY_FILLED');
    expect(copy.applyFill(fill('t-1', '0.25'))).toBe(false);
  });

  it('refuses a snapshot whose filled quantity disagrees with its fills', () => {
    const order = accepted();
    order.applyFill(fill('t-1', '0.5'));
    const snapshot = { ...order.toSnapshot(), filledQuantity: '0.6' };
    expect(caught(() => Order.fromSnapshot(snapshot)).message).toContain('filledQuantity');
  });

  it('refuses a snapshot marked FILLED with quantity still open', () => {
    const order = accepted();
    order.applyFill(fill('t-1', '0.5'));
    const snapshot = { ...order.toSnapshot(), status: 'FILLED' };
    expect(caught(() => Order.fromSnapshot(snapshot)).message).toContain('status');
  });

  it('refuses a snapshot with a repeated trade id', () => {
    const order = accepted();
    order.applyFill(fill('t-1', '0.5'));
    const snapshot = order.toSnapshot();
    const doubled = {
      ...snapshot,
      fills: [...snapshot.fills, ...snapshot.fills],
      filledQuantity: '1',
    };
    expect(caught(() => Order.fromSnapshot(doubled)).message).toContain('fills[1].tradeId');
  });

  it('names the path of a malformed field', () => {
    const snapshot = { ...accepted().toSnapshot(), quantity: 1 };
    const error = caught(() => Order.fromSnapshot(snapshot)) as unknown as { field: string };
    expect(error.field).toBe('quantity');
  });
});

type Event =
  | {
      kind:
        | 'submit'
        | 'trigger'
        | 'requestCancel'
        | 'rejectCancel'
        | 'cancel'
        | 'reject'
        | 'expire';
    }
  | { kind: 'accept'; venueOrderId: string }
  | { kind: 'fill'; trade: number; units: number; price: number };

const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  fc.constantFrom(
    ...(
      ['submit', 'trigger', 'requestCancel', 'rejectCancel', 'cancel', 'reject', 'expire'] as const
    ).map((kind) => ({
      kind,
    })),
  ),
  fc.record({ kind: fc.constant('accept' as const), venueOrderId: fc.constantFrom('v-1', 'v-2') }),
  fc.record({
    kind: fc.constant('fill' as const),
    trade: fc.integer({ min: 0, max: 12 }),
    units: fc.integer({ min: 1, max: 6 }),
    price: fc.integer({ min: 1, max: 999 }),
  }),
);

const scenario = fc.record({
  type: fc.constantFrom('LIMIT', 'STOP_MARKET'),
  units: fc.integer({ min: 1, max: 10 }),
  events: fc.array(eventArbitrary, { maxLength: 40 }),
});

function build(type: string, units: number): Order {
  const stop = type === 'STOP_MARKET';
  return new Order({
    clientOrderId: 'qtp-1',
    instrumentId: BTC,
    side: 'BUY',
    type: stop ? 'STOP_MARKET' : 'LIMIT',
    quantity: new Decimal(units).div(10).toFixed(),
    ...(stop ? { triggerPrice: '100' } : { price: '100' }),
    timeMs: 0,
  });
}

function eventFill(event: Extract<Event, { kind: 'fill' }>, venueOrderId = 'v-1'): Fill {
  return fill(`t-${event.trade}`, new Decimal(event.units).div(10).toFixed(), `${event.price}.5`, {
    venueOrderId,
    timeMs: event.trade,
  });
}

function apply(order: Order, event: Event, time: number): boolean {
  switch (event.kind) {
    case 'submit':
      order.submit(time);
      return true;
    case 'accept':
      order.accept(event.venueOrderId, time);
      return true;
    case 'trigger':
      order.trigger(time);
      return true;
    case 'requestCancel':
      order.requestCancel(time);
      return true;
    case 'rejectCancel':
      order.rejectCancel(time);
      return true;
    case 'cancel':
      order.cancel(time);
      return true;
    case 'reject':
      order.reject('refused', time);
      return true;
    case 'expire':
      order.expire(time);
      return true;
    case 'fill':
      return order.applyFill(eventFill(event, order.venueOrderId ?? 'v-1'));
  }
}

const NO_FILLS: readonly OrderStatus[] = [
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'TRIGGERED',
  'REJECTED',
];

function checkInvariants(order: Order): void {
  const filled = order.filledQuantity;
  expect(filled.lte(order.quantity)).toBe(true);
  expect(order.status === 'FILLED').toBe(filled.eq(order.quantity));
  if (NO_FILLS.includes(order.status)) expect(filled.isZero()).toBe(true);
  if (order.status === 'PARTIALLY_FILLED') expect(filled.gt(0)).toBe(true);
  // every state the machine reaches is one a snapshot can describe
  expect(Order.fromSnapshot(JSON.parse(JSON.stringify(order.toSnapshot()))).toSnapshot()).toEqual(
    order.toSnapshot(),
  );
}

describe('Order state machine properties', () => {
  it('only ever takes a listed transition, and a refused event changes nothing', () => {
    fc.assert(
      fc.property(scenario, ({ type, units, events }) => {
        const order = build(type, units);
        events.forEach((event, index) => {
          const before = order.status;
          const snapshot = JSON.stringify(order.toSnapshot());
          let changed: boolean;
          try {
            changed = apply(order, event, index + 1);
          } catch (error) {
            if (!isQtpError(error, 'INVALID_ORDER_TRANSITION') && !isQtpError(error, 'VALIDATION'))
              throw error;
            changed = false;
          }
          if (changed) expect(canTransition(before, order.status)).toBe(true);
          else expect(JSON.stringify(order.toSnapshot())).toBe(snapshot);
          if (isTerminalOrderStatus(before)) expect(order.status).toBe(before);
          checkInvariants(order);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when the same fills are replayed', () => {
    fc.assert(
      fc.property(scenario, ({ type, units, events }) => {
        const order = build(type, units);
        events.forEach((event, index) => {
          try {
            apply(order, event, index + 1);
          } catch {
            // refused events are covered by the previous property
          }
        });
        const snapshot = JSON.stringify(order.toSnapshot());
        for (const applied of order.fills) expect(order.applyFill(applied)).toBe(false);
        expect(JSON.stringify(order.toSnapshot())).toBe(snapshot);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts nothing once terminal', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom<Event['kind']>('cancel', 'reject', 'expire'),
        fc.array(eventArbitrary, { minLength: 1, maxLength: 20 }),
        ({ type, units, events }, ending, after) => {
          const order = build(type, units);
          events.forEach((event, index) => {
            try {
              apply(order, event, index + 1);
            } catch {
              // only the terminal part matters here
            }
          });
          try {
            apply(order, { kind: ending } as Event, 100);
          } catch {
            // from some statuses the ending is itself illegal
          }
          if (!order.isTerminal) return;
          const snapshot = JSON.stringify(order.toSnapshot());
          for (const event of after) {
            let changed = false;
            try {
              changed = apply(order, event, 200);
            } catch (error) {
              expect(isQtpError(error)).toBe(true);
            }
            expect(changed).toBe(false);
            expect(JSON.stringify(order.toSnapshot())).toBe(snapshot);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
