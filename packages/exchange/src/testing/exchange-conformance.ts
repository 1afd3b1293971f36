import {
  createOrderRequest,
  Decimal,
  type ExecutionOrderUpdateEvent,
  type Fill,
  type Instrument,
  type InstrumentId,
  isQtpError,
  type OrderRequest,
  type OrderRequestInput,
  type QtpErrorCode,
} from '@qtp/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../exchange.js';

/** What {@link exchangeConformance} needs to run against one venue. */
export interface ExchangeFixture {
  /** The exchange under test, with funds in the quote asset of `instrumentId`. */
  readonly exchange: Exchange;
  /** A listed instrument to trade. */
  readonly instrumentId: InstrumentId;
  /** A buy limit price, on the tick, far enough below the market that the order rests unfilled. */
  readonly restingBuyPrice: string;
  /** A quantity that meets the instrument's rules and that the account can afford at `restingBuyPrice`. */
  readonly quantity: string;
  /** A quantity that meets the instrument's rules but costs more than the free quote balance. */
  readonly unaffordableQuantity: string;
  /**
   * A buy limit price at or above the best ask, so that an order of `quantity` fills at once;
   * without it the fill half of `fetches the fills of an order` checks only unfilled and unknown
   * orders.
   */
  readonly marketableBuyPrice?: string;
  /** Lets requests in flight settle, such as advancing a simulated clock (default: nothing). */
  readonly settle?: () => void | Promise<void>;
}

/** The cases of {@link exchangeConformance}, by name, for {@link ExchangeConformanceOptions.skip}. */
export type ExchangeConformanceCase =
  | 'describes itself'
  | 'places and fetches a resting order'
  | 'lists open orders'
  | 'locks funds and releases them on cancel'
  | 'cancels an order'
  | 'cancels all orders'
  | 'refuses a second cancel'
  | 'reports unknown orders'
  | 'reports unknown symbols'
  | 'refuses invalid orders'
  | 'refuses unaffordable orders'
  | 'refuses a repeated client order id'
  | 'fetches the fills of an order';

/** Options of {@link exchangeConformance}. */
export interface ExchangeConformanceOptions {
  /** The implementation's name, used in the suite's title. */
  readonly name: string;
  /** Returns a fresh venue before every test. */
  readonly createExchange: () => ExchangeFixture | Promise<ExchangeFixture>;
  /** Releases a venue after a test (close sockets, stop a server). */
  readonly dispose?: (fixture: ExchangeFixture) => void | Promise<void>;
  /** Cases to skip, each with the written reason. */
  readonly skip?: Partial<Record<ExchangeConformanceCase, string>>;
}

async function failureCode(
  run: () => Promise<unknown>,
): Promise<QtpErrorCode | 'none' | 'not a QtpError'> {
  try {
    await run();
    return 'none';
  } catch (error) {
    return isQtpError(error) ? error.code : 'not a QtpError';
  }
}

/**
 * Registers vitest tests that every `Exchange` passes: placing, fetching, listing and
 * canceling orders, funds locked by resting orders and released on cancel, and the typed errors
 * for unknown orders (`OrderNotFoundError`), unknown symbols (`UnknownSymbolError`), orders that
 * break the instrument's rules (`InvalidOrderError` or `ValidationError`), unaffordable orders
 * (`InsufficientFundsError`), repeated client order ids, and the fills of an order by trade
 * id. Call it at the top level of a test file; an implementation skips a case only with a
 * written reason.
 *
 * @example
 * ```ts
 * import { Instrument, instrumentId, SimulatedClock } from '@qtp/core';
 * import { SimulatedExchange } from '@qtp/exchange';
 * import { exchangeConformance } from '@qtp/exchange/testing';
 *
 * const id = instrumentId('BTCUSDT', 'SIM');
 * exchangeConformance({
 *   name: 'SimulatedExchange',
 *   createExchange: () => ({
 *     exchange: new SimulatedExchange({
 *       clock: new SimulatedClock(),
 *       instruments: [new Instrument({ id, baseAsset: 'BTC', quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.001' })],
 *       balances: { USDT: '1000' },
 *     }),
 *     instrumentId: id,
 *     restingBuyPrice: '100',
 *     quantity: '1',
 *     unaffordableQuantity: '20',
 *   }),
 * });
 * ```
 */
export function exchangeConformance(options: ExchangeConformanceOptions): void {
  describe(`${options.name} conforms to Exchange`, () => {
    let fixture: ExchangeFixture;
    let exchange: Exchange;
    let instrument: Instrument;
    let counter = 0;
    const unknown = 'NOSUCHSYMBOL.NOSUCHVENUE' as InstrumentId;

    beforeEach(async () => {
      fixture = await options.createExchange();
      exchange = fixture.exchange;
      await exchange.connect();
      const listed = await exchange.loadInstruments();
      const found = listed.find((candidate) => candidate.id === fixture.instrumentId);
      if (found === undefined)
        throw new Error(`the fixture's ${fixture.instrumentId} is not listed`);
      instrument = found;
    });

    afterEach(async () => {
      await exchange.disconnect();
      await options.dispose?.(fixture);
    });

    const settle = async () => {
      await fixture.settle?.();
    };
    // A random run prefix keeps ids unique across runs against a real venue's long memory.
    const run = Math.random().toString(36).slice(2, 10);
    const nextId = () => `conf-${run}-${++counter}`;
    const restingBuy = (overrides: Partial<OrderRequestInput> = {}): OrderRequest =>
      createOrderRequest({
        instrumentId: fixture.instrumentId,
        side: 'BUY',
        type: 'LIMIT',
        quantity: fixture.quantity,
        price: fixture.restingBuyPrice,
        clientOrderId: nextId(),
        ...overrides,
      });
    const place = async (request: OrderRequest) => {
      const pending = exchange.placeOrder(request);
      await settle();
      return pending;
    };
    const cancel = async (request: OrderRequest) => {
      const pending = exchange.cancelOrder({
        instrumentId: request.instrumentId,
        clientOrderId: request.clientOrderId!,
      });
      await settle();
      return pending;
    };
    const quoteBalance = async () => {
      const balances = await exchange.fetchBalances();
      const balance = balances.find((entry) => entry.asset === instrument.quoteAsset);
      return (
        balance ?? { asset: instrument.quoteAsset, free: new Decimal(0), locked: new Decimal(0) }
      );
    };
    const test = (name: ExchangeConformanceCase, body: () => Promise<void>) => {
      const reason = options.skip?.[name];
      if (reason !== undefined) it.skip(`${name} (skipped: ${reason})`, body);
      else it(name, body);
    };

    test('describes itself', async () => {
      expect(exchange.venue).toBe(instrument.venue);
      expect(exchange.orderTypes).toContain('LIMIT');
      expect(exchange.timesInForce).toContain('GTC');
      const balances = await exchange.fetchBalances();
      const assets = balances.map((balance) => balance.asset);
      expect(assets).toEqual([...assets].sort());
      for (const balance of balances) {
        expect(balance.free.isNegative()).toBe(false);
        expect(balance.locked.isNegative()).toBe(false);
      }
    });

    test('places and fetches a resting order', async () => {
      const updates: ExecutionOrderUpdateEvent[] = [];
      exchange.executions.on('orderUpdate', (event) => updates.push(event));
      const request = restingBuy();
      const ack = await place(request);
      expect(ack.clientOrderId).toBe(request.clientOrderId);
      expect(ack.instrumentId).toBe(request.instrumentId);
      expect(ack.status).toBe('ACCEPTED');
      const byClient = await exchange.fetchOrder({
        instrumentId: request.instrumentId,
        clientOrderId: ack.clientOrderId,
      });
      const byVenue = await exchange.fetchOrder({
        instrumentId: request.instrumentId,
        venueOrderId: ack.venueOrderId,
      });
      expect(byClient.status).toBe('ACCEPTED');
      expect(byClient.filledQuantity.isZero()).toBe(true);
      expect(byVenue.clientOrderId).toBe(ack.clientOrderId);
      expect(
        updates.some(
          (event) =>
            event.report.clientOrderId === ack.clientOrderId && event.report.status === 'ACCEPTED',
        ),
      ).toBe(true);
    });

    test('lists open orders', async () => {
      const first = restingBuy();
      const second = restingBuy();
      await place(first);
      await place(second);
      const open = await exchange.fetchOpenOrders(fixture.instrumentId);
      expect(open.map((report) => report.clientOrderId)).toEqual([
        first.clientOrderId,
        second.clientOrderId,
      ]);
      const everywhere = await exchange.fetchOpenOrders();
      expect(everywhere.length).toBeGreaterThanOrEqual(2);
    });

    test('locks funds and releases them on cancel', async () => {
      const before = await quoteBalance();
      const request = restingBuy();
      await place(request);
      const during = await quoteBalance();
      const notional = new Decimal(fixture.restingBuyPrice).times(fixture.quantity);
      expect(during.locked.minus(before.locked).gte(notional)).toBe(true);
      expect(during.free.plus(during.locked).eq(before.free.plus(before.locked))).toBe(true);
      await cancel(request);
      const after = await quoteBalance();
      expect(after.free.eq(before.free)).toBe(true);
      expect(after.locked.eq(before.locked)).toBe(true);
    });

    test('cancels an order', async () => {
      const request = restingBuy();
      await place(request);
      const updates: ExecutionOrderUpdateEvent[] = [];
      exchange.executions.on('orderUpdate', (event) => updates.push(event));
      await cancel(request);
      const report = await exchange.fetchOrder({
        instrumentId: request.instrumentId,
        clientOrderId: request.clientOrderId!,
      });
      expect(report.status).toBe('CANCELED');
      expect(updates.map((event) => event.report.status)).toContain('CANCELED');
      const open = await exchange.fetchOpenOrders(fixture.instrumentId);
      expect(open.map((entry) => entry.clientOrderId)).not.toContain(request.clientOrderId);
    });

    test('cancels all orders', async () => {
      await place(restingBuy());
      await place(restingBuy());
      const pending = exchange.cancelAllOrders(fixture.instrumentId);
      await settle();
      const canceled = await pending;
      expect(canceled.length).toBe(2);
      expect(canceled.every((report) => report.status === 'CANCELED')).toBe(true);
      expect(await exchange.fetchOpenOrders(fixture.instrumentId)).toEqual([]);
    });

    test('refuses a second cancel', async () => {
      const request = restingBuy();
      await place(request);
      await cancel(request);
      expect(await failureCode(() => cancel(request))).toBe('ORDER_NOT_FOUND');
    });

    test('reports unknown orders', async () => {
      const ref = { instrumentId: fixture.instrumentId, clientOrderId: 'conf-never-placed' };
      expect(await failureCode(() => exchange.fetchOrder(ref))).toBe('ORDER_NOT_FOUND');
      expect(await failureCode(() => exchange.cancelOrder(ref))).toBe('ORDER_NOT_FOUND');
      const byVenue = { instrumentId: fixture.instrumentId, venueOrderId: '999999999' };
      expect(await failureCode(() => exchange.fetchOrder(byVenue))).toBe('ORDER_NOT_FOUND');
    });

    test('reports unknown symbols', async () => {
      const request = { ...restingBuy(), instrumentId: unknown };
      expect(await failureCode(() => place(request))).toBe('UNKNOWN_SYMBOL');
      expect(await failureCode(() => exchange.fetchOpenOrders(unknown))).toBe('UNKNOWN_SYMBOL');
      expect(await failureCode(() => exchange.fetchMyTrades(unknown))).toBe('UNKNOWN_SYMBOL');
      expect(
        await failureCode(() => exchange.subscribe({ kind: 'trades', instrumentId: unknown })),
      ).toBe('UNKNOWN_SYMBOL');
      const ref = { instrumentId: unknown, clientOrderId: 'conf-x' };
      expect(await failureCode(() => exchange.fetchOrder(ref))).toBe('UNKNOWN_SYMBOL');
    });

    test('refuses invalid orders', async () => {
      const offTick = new Decimal(fixture.restingBuyPrice).plus(instrument.priceIncrement.div(2));
      const invalid = ['INVALID_ORDER', 'VALIDATION'];
      expect(invalid).toContain(await failureCode(() => place(restingBuy({ price: offTick }))));
      const offStep = new Decimal(fixture.quantity).plus(instrument.sizeIncrement.div(2));
      expect(invalid).toContain(await failureCode(() => place(restingBuy({ quantity: offStep }))));
      // A request built by hand, skipping createOrderRequest's checks.
      const malformed = { ...restingBuy(), quantity: new Decimal(-1) };
      expect(invalid).toContain(await failureCode(() => place(malformed)));
      expect(await exchange.fetchOpenOrders(fixture.instrumentId)).toEqual([]);
    });

    test('refuses unaffordable orders', async () => {
      const before = await quoteBalance();
      const code = await failureCode(() =>
        place(restingBuy({ quantity: fixture.unaffordableQuantity })),
      );
      expect(code).toBe('INSUFFICIENT_FUNDS');
      const after = await quoteBalance();
      expect(after.free.eq(before.free)).toBe(true);
      expect(after.locked.eq(before.locked)).toBe(true);
    });

    test('refuses a repeated client order id', async () => {
      const request = restingBuy();
      await place(request);
      expect(await failureCode(() => place(request))).toBe('INVALID_ORDER');
      expect(await exchange.fetchOpenOrders(fixture.instrumentId)).toHaveLength(1);
    });

    test('fetches the fills of an order', async () => {
      const resting = restingBuy();
      await place(resting);
      const ref = { instrumentId: fixture.instrumentId, clientOrderId: resting.clientOrderId! };
      expect(await exchange.fetchOrderFills(ref)).toEqual([]);
      const never = { instrumentId: fixture.instrumentId, clientOrderId: 'conf-never-placed' };
      expect(await failureCode(() => exchange.fetchOrderFills(never))).toBe('ORDER_NOT_FOUND');
      if (fixture.marketableBuyPrice === undefined) return;
      const heard: Fill[] = [];
      exchange.executions.on('fill', (event) => heard.push(event.fill));
      const taking = restingBuy({ price: fixture.marketableBuyPrice });
      await place(taking);
      await settle();
      const takingRef = {
        instrumentId: fixture.instrumentId,
        clientOrderId: taking.clientOrderId!,
      };
      const report = await exchange.fetchOrder(takingRef);
      expect(report.status).toBe('FILLED');
      const fills = await exchange.fetchOrderFills(takingRef);
      expect(fills.length).toBeGreaterThan(0);
      const total = fills.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
      expect(total.eq(report.filledQuantity)).toBe(true);
      expect(new Set(fills.map((fill) => fill.tradeId)).size).toBe(fills.length);
      for (const fill of fills) {
        expect(fill.clientOrderId).toBe(taking.clientOrderId);
        expect(fill.venueOrderId).toBe(report.venueOrderId);
        expect(fill.side).toBe('BUY');
        expect(fill.price.lte(fixture.marketableBuyPrice)).toBe(true);
      }
      // Every fill the venue reports on executions is one the lookup returns, by trade id.
      const heardIds = heard
        .filter((fill) => fill.clientOrderId === taking.clientOrderId)
        .map((fill) => fill.tradeId)
        .sort();
      expect(heardIds).toEqual(fills.map((fill) => fill.tradeId).sort());
    });
  });
}
