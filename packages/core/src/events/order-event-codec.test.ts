import {
  createFill,
  createMoney,
  createOrderRequest,
  Decimal,
  instrumentId,
  ORDER_ANOMALY_KINDS,
  ORDER_STATUS_TOPICS,
  ORDER_STATUSES,
  type OrderEvent,
  type OrderEventFields,
  orderEventToJSON,
  parseOrderEvent,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');

// Decimals with up to 8 places, as a venue sends them, built from integers so the expected
// string is known independently of the codec.
const decimalArbitrary = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, places]) => new Decimal(units.toString()).div(new Decimal(10).pow(places)));
const positiveDecimal = decimalArbitrary.filter((value) => value.gt(0));
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const timeMs = fc.integer({ min: 0, max: 4_000_000_000_000 });

const fieldsArbitrary: fc.Arbitrary<OrderEventFields> = fc
  .record(
    {
      clientOrderId: id,
      status: fc.constantFrom(...ORDER_STATUSES),
      stateUnknown: fc.boolean(),
      tags: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      filledQuantity: decimalArbitrary,
      leavesQuantity: decimalArbitrary,
      averageFillPrice: positiveDecimal,
      venueOrderId: id,
      timeMs,
    },
    {
      requiredKeys: [
        'clientOrderId',
        'status',
        'stateUnknown',
        'tags',
        'filledQuantity',
        'leavesQuantity',
        'timeMs',
      ],
    },
  )
  .map((fields) => ({ ...fields, instrumentId: BTC }) as OrderEventFields);

const fillArbitrary = fc
  .record({
    tradeId: id,
    price: positiveDecimal,
    quantity: positiveDecimal,
    fee: decimalArbitrary,
    timeMs,
  })
  .map((terms) =>
    createFill({
      ...terms,
      clientOrderId: 'qtp-1',
      venueOrderId: 'v-1',
      instrumentId: BTC,
      side: 'BUY',
      fee: createMoney(terms.fee, 'USDT'),
      liquiditySide: 'MAKER',
    }),
  );

const eventArbitrary: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ORDER_STATUS_TOPICS), fieldsArbitrary)
    .map(([type, fields]) => ({ type, ...fields }) as OrderEvent),
  fc
    .tuple(
      fc.constantFrom('order.rejected', 'order.stateUnknown', 'order.cancelRejected' as const),
      fieldsArbitrary,
      fc.string(),
    )
    .map(([type, fields, reason]) => ({ type, ...fields, reason }) as OrderEvent),
  fc
    .tuple(fieldsArbitrary, fillArbitrary)
    .map(([fields, fill]) => ({ type: 'order.fill' as const, ...fields, fill })),
  fc
    .record({ quantity: positiveDecimal, price: positiveDecimal, code: id, timeMs })
    .map(({ quantity, price, code, timeMs: at }) => ({
      type: 'order.denied' as const,
      clientOrderId: 'qtp-2',
      instrumentId: BTC,
      tags: ['sma'],
      request: createOrderRequest({
        instrumentId: BTC,
        side: 'SELL',
        type: 'LIMIT',
        quantity,
        price,
        tags: ['sma'],
      }),
      denial: {
        source: 'gate' as const,
        code,
        message: `notional above the limit`,
        field: 'maxNotional',
        configured: '1000',
        attempted: price.times(quantity).toString(),
      },
      timeMs: at,
    })),
  fc
    .record(
      { kind: fc.constantFrom(...ORDER_ANOMALY_KINDS), tradeId: id, message: fc.string(), timeMs },
      { requiredKeys: ['kind', 'message', 'timeMs'] },
    )
    .map((anomaly) => ({
      type: 'order.anomaly' as const,
      clientOrderId: 'qtp-3',
      instrumentId: BTC,
      errorCode: 'VALIDATION' as const,
      ...anomaly,
    })),
);

describe('order event codec', () => {
  it('round-trips every order event through JSON text', () => {
    fc.assert(
      fc.property(eventArbitrary, (event) => {
        const wire = JSON.stringify(orderEventToJSON(event));
        const back = parseOrderEvent(JSON.parse(wire));
        expect(orderEventToJSON(back)).toEqual(orderEventToJSON(event));
        expect(back.type).toBe(event.type);
        expect(Object.isFrozen(back)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes decimals as strings, never JSON numbers', () => {
    const json = orderEventToJSON({
      type: 'order.partiallyFilled',
      clientOrderId: 'qtp-1',
      instrumentId: BTC,
      status: 'PARTIALLY_FILLED',
      stateUnknown: false,
      tags: [],
      filledQuantity: new Decimal('0.004'),
      leavesQuantity: new Decimal('0.006'),
      averageFillPrice: new Decimal('27000.5'),
      venueOrderId: 'v-1',
      timeMs: 5,
    });
    expect(json).toEqual({
      type: 'order.partiallyFilled',
      clientOrderId: 'qtp-1',
      instrumentId: 'BTCUSDT.BINANCE',
      status: 'PARTIALLY_FILLED',
      stateUnknown: false,
      tags: [],
      filledQuantity: '0.004',
      leavesQuantity: '0.006',
      averageFillPrice: '27000.5',
      venueOrderId: 'v-1',
      timeMs: 5,
    });
    const parsed = parseOrderEvent(json);
    expect(parsed.type === 'order.partiallyFilled' && parsed.filledQuantity.eq('0.004')).toBe(true);
  });

  it('refuses an unknown key, naming it', () => {
    expect(() =>
      parseOrderEvent({
        type: 'order.anomaly',
        kind: 'UNKNOWN_ORDER_FILL',
        clientOrderId: 'x',
        instrumentId: 'BTCUSDT.BINANCE',
        errorCode: 'VALIDATION',
        message: 'm',
        timeMs: 1,
        severity: 'high',
      }),
    ).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('severity') }),
    );
  });

  it('refuses a decimal sent as a JSON number and an unknown type', () => {
    const base = {
      type: 'order.accepted',
      clientOrderId: 'qtp-1',
      instrumentId: 'BTCUSDT.BINANCE',
      status: 'ACCEPTED',
      stateUnknown: false,
      tags: [],
      filledQuantity: 0,
      leavesQuantity: '0.01',
      timeMs: 1,
    };
    expect(() => parseOrderEvent(base)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('filledQuantity') }),
    );
    expect(() =>
      parseOrderEvent({ ...base, filledQuantity: '0', type: 'order.teleported' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
