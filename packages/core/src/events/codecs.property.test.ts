import {
  type BookLevel,
  createBarEvent,
  createBookDeltaEvent,
  createBookSnapshotEvent,
  createFill,
  createOrderRequest,
  createQuoteTickEvent,
  createTradeTickEvent,
  Decimal,
  type Fill,
  fillToJSON,
  instrumentId,
  isQtpError,
  type MarketDataEvent,
  marketDataEventToJSON,
  type OrderRequest,
  orderRequestToJSON,
  parseFill,
  parseMarketDataEvent,
  parseOrderRequest,
  toClientOrderId,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ids = fc.constantFrom(instrumentId('BTCUSDT', 'BINANCE'), instrumentId('XRPETH', 'BINANCE'));
const times = fc.integer({ min: 0, max: 4_000_000_000_000 });
// Prices as a venue sends them: up to 8 decimals, so the double reads back as the same decimal.
const prices = fc.integer({ min: 1, max: 10_000_000_000 }).map((n) => n / 1e8);
const sizes = fc.integer({ min: 0, max: 10_000_000_000 }).map((n) => n / 1e6);
const positiveSizes = sizes.filter((n) => n > 0);

function ladder(descending: boolean): fc.Arbitrary<BookLevel[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 6 })
    .chain((ticks) =>
      fc
        .tuple(...ticks.map(() => positiveSizes))
        .map((levelSizes) =>
          [...ticks]
            .sort((a, b) => (descending ? b - a : a - b))
            .map((tick, i) => ({ price: tick / 100, size: levelSizes[i]! })),
        ),
    );
}

const events: fc.Arbitrary<MarketDataEvent> = fc.oneof(
  fc
    .record({
      id: ids,
      openTimeMs: times,
      lengthMs: fc.integer({ min: 1, max: 86_400_000 }),
      a: prices,
      b: prices,
      up: prices,
      down: prices,
      volume: sizes,
      lagMs: fc.integer({ min: 0, max: 5_000 }),
    })
    .map((r) => {
      const low = Math.min(r.a, r.b, r.down);
      return createBarEvent(
        {
          instrumentId: r.id,
          interval: '1m',
          openTimeMs: r.openTimeMs,
          closeTimeMs: r.openTimeMs + r.lengthMs,
          open: r.a,
          high: Math.max(r.a, r.b, r.up),
          low,
          close: r.b,
          volume: r.volume,
        },
        r.openTimeMs + r.lengthMs + r.lagMs,
      );
    }),
  fc
    .record({
      id: ids,
      price: prices,
      size: positiveSizes,
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      tradeId: fc.integer({ min: 0, max: 1e9 }).map(String),
      timeMs: times,
    })
    .map((r) =>
      createTradeTickEvent({
        instrumentId: r.id,
        price: r.price,
        size: r.size,
        aggressorSide: r.side,
        tradeId: r.tradeId,
        timeMs: r.timeMs,
      }),
    ),
  fc
    .record({ id: ids, bid: prices, bidSize: sizes, ask: prices, askSize: sizes, timeMs: times })
    .map((r) =>
      createQuoteTickEvent({
        instrumentId: r.id,
        bidPrice: r.bid,
        bidSize: r.bidSize,
        askPrice: r.ask,
        askSize: r.askSize,
        timeMs: r.timeMs,
      }),
    ),
  fc
    .record({ id: ids, sequence: times, bids: ladder(true), asks: ladder(false), timeMs: times })
    .map((r) =>
      createBookSnapshotEvent({
        instrumentId: r.id,
        sequence: r.sequence,
        bids: r.bids,
        asks: r.asks,
        timeMs: r.timeMs,
      }),
    ),
  fc
    .record({
      id: ids,
      first: times,
      span: fc.integer({ min: 0, max: 50 }),
      bids: fc.array(fc.record({ price: prices, size: sizes }), { maxLength: 4 }),
      asks: fc.array(fc.record({ price: prices, size: sizes }), { maxLength: 4 }),
      timeMs: times,
    })
    .map((r) =>
      createBookDeltaEvent({
        instrumentId: r.id,
        firstSequence: r.first,
        lastSequence: r.first + r.span,
        bids: r.bids,
        asks: r.asks,
        timeMs: r.timeMs,
      }),
    ),
);

describe('market data event codec', () => {
  it('reads back every event it writes, through JSON text', () => {
    fc.assert(
      fc.property(events, (event) => {
        const text = JSON.stringify(marketDataEventToJSON(event));
        expect(parseMarketDataEvent(JSON.parse(text))).toEqual(event);
      }),
    );
  });

  it('stamps a bar with its close time', () => {
    const event = createBarEvent({
      instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
      interval: '1m',
      openTimeMs: 60_000,
      closeTimeMs: 119_999,
      open: 1,
      high: 2,
      low: 1,
      close: 2,
      volume: 0,
    });
    expect(event.eventTimeMs).toBe(119_999);
    expect(event.receivedTimeMs).toBe(119_999);
    expect(event.instrumentId).toBe('BTCUSDT.BINANCE');
  });

  it('refuses an unknown key at the top and inside the payload', () => {
    fc.assert(
      fc.property(events, fc.boolean(), (event, inside) => {
        const json = marketDataEventToJSON(event) as unknown as Record<string, unknown>;
        const key = Object.keys(json).find((name) => typeof json[name] === 'object')!;
        const tampered = inside
          ? { ...json, [key]: { ...(json[key] as object), extra: 1 } }
          : { ...json, extra: 1 };
        expect(() => parseMarketDataEvent(tampered)).toThrow(/extra|unrecognized|Unrecognized/);
      }),
    );
  });

  it('refuses an event whose time disagrees with its payload, naming eventTimeMs', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 1000 }), (event, shiftMs) => {
        const json = { ...marketDataEventToJSON(event), eventTimeMs: event.eventTimeMs + shiftMs };
        try {
          parseMarketDataEvent(json);
          expect.unreachable('accepted a shifted time');
        } catch (error) {
          expect(isQtpError(error, 'VALIDATION')).toBe(true);
          expect(String((error as Error).message)).toContain('eventTimeMs');
        }
      }),
    );
  });

  it('refuses an event whose instrument disagrees with its payload', () => {
    const event = createQuoteTickEvent({
      instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
      bidPrice: 1,
      bidSize: 1,
      askPrice: 2,
      askSize: 1,
      timeMs: 5,
    });
    const json = { ...marketDataEventToJSON(event), instrumentId: 'ETHUSDT.BINANCE' };
    expect(() => parseMarketDataEvent(json)).toThrow(/instrumentId/);
  });

  it('refuses an unknown type', () => {
    expect(() => parseMarketDataEvent({ type: 'candle' })).toThrow(/type/);
  });
});

const decimals = fc
  .tuple(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 0, max: 8 }))
  .map(([units, places]) => (units / 10 ** places).toFixed(places));

const fills: fc.Arbitrary<Fill> = fc
  .record({
    id: ids,
    tradeId: fc.integer({ min: 0, max: 1e9 }).map(String),
    order: fc.integer({ min: 1, max: 1e6 }),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    price: decimals,
    quantity: decimals,
    fee: fc.tuple(decimals, fc.boolean()).map(([fee, rebate]) => (rebate ? `-${fee}` : fee)),
    maker: fc.boolean(),
    timeMs: times,
  })
  .map((r) =>
    createFill({
      tradeId: r.tradeId,
      clientOrderId: toClientOrderId(`order-${r.order}`),
      venueOrderId: `v${r.order}`,
      instrumentId: r.id,
      side: r.side,
      price: r.price,
      quantity: r.quantity,
      fee: { amount: new Decimal(r.fee), currency: 'USDT' },
      liquiditySide: r.maker ? 'MAKER' : 'TAKER',
      timeMs: r.timeMs,
    }),
  );

const requests: fc.Arbitrary<OrderRequest> = fc
  .record({
    id: ids,
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    kind: fc.constantFrom('MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT') as fc.Arbitrary<
      'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'STOP_LIMIT'
    >,
    quantity: decimals,
    price: decimals,
    trigger: decimals,
    reduceOnly: fc.option(fc.boolean(), { nil: undefined }),
    order: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
    tags: fc.array(fc.constantFrom('strategy:a', 'entry', 'exit'), { maxLength: 2 }),
  })
  .map((r) =>
    createOrderRequest({
      instrumentId: r.id,
      side: r.side,
      type: r.kind,
      quantity: r.quantity,
      ...(r.kind === 'LIMIT' || r.kind === 'STOP_LIMIT' ? { price: r.price } : {}),
      ...(r.kind === 'STOP_MARKET' || r.kind === 'STOP_LIMIT' ? { triggerPrice: r.trigger } : {}),
      ...(r.reduceOnly === undefined ? {} : { reduceOnly: r.reduceOnly }),
      ...(r.order === undefined ? {} : { clientOrderId: toClientOrderId(`order-${r.order}`) }),
      tags: r.tags,
    }),
  );

function sameDecimals(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('fill and order request codecs', () => {
  it('reads back every fill it writes, decimals exactly', () => {
    fc.assert(
      fc.property(fills, (fill) => {
        const back = parseFill(JSON.parse(JSON.stringify(fillToJSON(fill))));
        expect(back.price.equals(fill.price)).toBe(true);
        expect(back.quantity.equals(fill.quantity)).toBe(true);
        expect(back.fee.amount.equals(fill.fee.amount)).toBe(true);
        expect(sameDecimals(fillToJSON(back), fillToJSON(fill))).toBe(true);
      }),
    );
  });

  it('reads back every order request it writes, decimals exactly', () => {
    fc.assert(
      fc.property(requests, (request) => {
        const back = parseOrderRequest(JSON.parse(JSON.stringify(orderRequestToJSON(request))));
        expect(back.quantity.equals(request.quantity)).toBe(true);
        expect(back.price?.toString()).toBe(request.price?.toString());
        expect(back.triggerPrice?.toString()).toBe(request.triggerPrice?.toString());
        expect(sameDecimals(orderRequestToJSON(back), orderRequestToJSON(request))).toBe(true);
      }),
    );
  });
});
