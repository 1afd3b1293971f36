import {
  type Bar,
  createBarEvent,
  createOrderRequest,
  Decimal,
  type DecimalInput,
  type Fill,
  Instrument,
  type InstrumentId,
  instrumentId,
  type LogFields,
  type Logger,
  type LogLevel,
  type MarketDataEvent,
  type OrderDeniedEvent,
  type OrderRef,
  type OrderRequest,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import {
  type ClockDriver,
  type MarketDataSource,
  type OrderManagerFactory,
  type OrderManagerPort,
  type PortfolioView,
  TradingEngine,
} from '@qtp/engine';
import {
  type FetchTradesOptions,
  type MarketDataSubscription,
  type MatchingVenue,
  SimulatedExchange,
} from '@qtp/exchange';
import { OrderManager } from '@qtp/oms';
import { Strategy, type StrategyContext, type StrategyOptions } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const id = instrumentId('BTCUSDT', 'BINANCE');
const unknownId = instrumentId('DOGEUSDT', 'BINANCE');
// No fees, so every figure below is worked by hand.
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

function bar(index: number, open: number, close: number): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs: START + index * MINUTE,
    closeTimeMs: START + (index + 1) * MINUTE - 1,
    open,
    high: Math.max(open, close) + 1,
    low: Math.min(open, close) - 1,
    close,
    volume: 100,
  };
}

// Opens 100, 110, 120, 130; closes 5 higher.
const bars = [100, 110, 120, 130].map((price, i) => bar(i, price, price + 5));

// A host's own ledger: net quantities and balances, nothing else.
class Ledger implements PortfolioView {
  readonly reportingCurrency = 'USDT';
  readonly booked: Fill[] = [];
  readonly #net = new Map<InstrumentId, Decimal>();
  readonly #balances = new Map<string, Decimal>();
  readonly #marks = new Map<InstrumentId, number>();
  readonly #assets = new Map<InstrumentId, { base: string; quote: string }>();

  addInstrument(instrument: { id: InstrumentId; baseAsset: string; quoteAsset: string }): void {
    this.#assets.set(instrument.id, { base: instrument.baseAsset, quote: instrument.quoteAsset });
  }
  deposit(_venue: string, asset: string, amount: DecimalInput): void {
    this.#add(asset, new Decimal(amount));
  }
  bookFill(fill: Fill): void {
    if (this.booked.some((seen) => seen.tradeId === fill.tradeId)) return;
    this.booked.push(fill);
    const assets = this.#assets.get(fill.instrumentId)!;
    const signed = fill.side === 'BUY' ? fill.quantity : fill.quantity.negated();
    this.#net.set(fill.instrumentId, this.netQuantity(fill.instrumentId).plus(signed));
    this.#add(assets.base, signed);
    this.#add(assets.quote, signed.times(fill.price).negated());
  }
  mark(instrumentId: InstrumentId, price: number): void {
    this.#marks.set(instrumentId, price);
  }
  markOf(instrumentId: InstrumentId): number | undefined {
    return this.#marks.get(instrumentId);
  }
  balancesByAsset(): ReadonlyMap<string, Decimal> {
    return this.#balances;
  }
  assetTotal(asset: string): Decimal {
    return this.#balances.get(asset) ?? new Decimal(0);
  }
  netQuantity(instrumentId: InstrumentId): Decimal {
    return this.#net.get(instrumentId) ?? new Decimal(0);
  }
  netQuantities(): ReadonlyMap<InstrumentId, Decimal> {
    return this.#net;
  }
  #add(asset: string, amount: Decimal): void {
    this.#balances.set(asset, (this.#balances.get(asset) ?? new Decimal(0)).plus(amount));
  }
}

// A host's own venue: it keeps a tape of what it was pushed and matches through a simulator.
class TapeVenue implements MatchingVenue {
  readonly matchesPushedData = true as const;
  readonly tape: MarketDataEvent[] = [];
  readonly #inner: SimulatedExchange;

  constructor(inner: SimulatedExchange) {
    this.#inner = inner;
  }
  get venue() {
    return this.#inner.venue;
  }
  get orderTypes() {
    return this.#inner.orderTypes;
  }
  get timesInForce() {
    return this.#inner.timesInForce;
  }
  get executions() {
    return this.#inner.executions;
  }
  get marketData() {
    return this.#inner.marketData;
  }
  get account() {
    return this.#inner.account;
  }
  process(event: MarketDataEvent): void {
    this.tape.push(event);
    this.#inner.process(event);
  }
  connect() {
    return this.#inner.connect();
  }
  disconnect() {
    return this.#inner.disconnect();
  }
  loadInstruments() {
    return this.#inner.loadInstruments();
  }
  cancelAllOrders(instrumentId?: InstrumentId) {
    return this.#inner.cancelAllOrders(instrumentId);
  }
  placeOrder(request: OrderRequest) {
    return this.#inner.placeOrder(request);
  }
  cancelOrder(ref: OrderRef) {
    return this.#inner.cancelOrder(ref);
  }
  fetchOrder(ref: OrderRef) {
    return this.#inner.fetchOrder(ref);
  }
  fetchOrderFills(ref: OrderRef) {
    return this.#inner.fetchOrderFills(ref);
  }
  subscribe(subscription: MarketDataSubscription) {
    return this.#inner.subscribe(subscription);
  }
  unsubscribe(subscription: MarketDataSubscription) {
    return this.#inner.unsubscribe(subscription);
  }
  fetchBalances() {
    return this.#inner.fetchBalances();
  }
  fetchOpenOrders(instrumentId?: InstrumentId) {
    return this.#inner.fetchOpenOrders(instrumentId);
  }
  fetchMyTrades(instrumentId: InstrumentId, options?: FetchTradesOptions) {
    return this.#inner.fetchMyTrades(instrumentId, options);
  }
}

const schema = z.strictObject({
  quantity: z.string().default('0.5'),
  instrument: z.string().default(String(id)),
  buyOnBar: z.int().default(0),
});

// Buys once and records what it reads of its portfolio and what is refused.
class Reader extends Strategy<z.output<typeof schema>> {
  readonly views: { position: string; cash: string; equity: number }[] = [];
  readonly denied: OrderDeniedEvent[] = [];
  captured: StrategyContext | undefined;
  #bars = 0;

  constructor(options: StrategyOptions) {
    super(options, { schema });
  }

  override start(context: StrategyContext): void {
    this.captured = context;
    super.start(context);
  }

  protected override onBar(): void {
    this.views.push({
      position: this.portfolio.position(id).toString(),
      cash: this.portfolio.cash('USDT').toString(),
      equity: this.portfolio.equity(),
    });
    if (this.#bars++ === this.params.buyOnBar) {
      this.buy(this.params.instrument as InstrumentId, this.params.quantity);
    }
  }

  protected override onOrderDenied(event: OrderDeniedEvent): void {
    this.denied.push(event);
  }
}

interface Line {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

function recordingLogger(lines: Line[]): Logger {
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = {
    level: 'trace',
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

function simulated(clock: SimulatedClock): SimulatedExchange {
  return new SimulatedExchange({ clock, instruments: [btc], balances: { USDT: '1000' } });
}

describe('TradingEngine with a host’s own parts', () => {
  it('runs on a custom portfolio view, venue, clock driver and data source', async () => {
    const clock = new SimulatedClock();
    const venue = new TapeVenue(simulated(clock));
    const ledger = new Ledger();
    const driven: number[] = [];
    const clockDriver: ClockDriver = {
      advanceTo(timeMs) {
        driven.push(timeMs);
        clock.advanceTo(timeMs);
      },
    };
    async function* source(): AsyncGenerator<MarketDataEvent> {
      for (const item of bars) yield createBarEvent(item);
    }
    const dataSource: MarketDataSource = source();
    const strategy = new Reader({ id: 'reader' });
    const engine = new TradingEngine({
      clock,
      clockDriver,
      dataSource,
      exchanges: [venue],
      instruments: [btc],
      portfolio: ledger,
      idGenerator: new SeededIdGenerator({ seed: 3 }),
      strategies: [strategy],
      logger: recordingLogger([]),
    });
    await engine.run();

    expect(venue.tape.map((event) => event.eventTimeMs)).toEqual(bars.map((b) => b.closeTimeMs));
    expect(driven).toEqual(bars.map((b) => b.closeTimeMs));
    // Bought 0.5 on bar 0, filled at bar 1's open of 110: 1000 - 55 = 945 USDT.
    expect(ledger.booked.map((fill) => fill.price.toString())).toEqual(['110']);
    expect(engine.portfolio.netQuantity(id).toString()).toBe('0.5');
    expect(ledger.balancesByAsset().get('USDT')?.toString()).toBe('945');
    // Bar 0 before the order, bar 1 after its fill: equity 945 + 0.5 * 115 = 1002.5.
    expect(strategy.views[0]).toEqual({ position: '0', cash: '1000', equity: 1000 });
    expect(strategy.views[1]).toEqual({ position: '0.5', cash: '945', equity: 1002.5 });
    // Bar 3 closes at 135: 945 + 67.5.
    expect(engine.equity()).toBe(1012.5);
  });

  it('does not push data into a venue that does not declare matchesPushedData', async () => {
    const clock = new SimulatedClock();
    const inner = simulated(clock);
    const pushed: MarketDataEvent[] = [];
    // Has a `process` method, yet is not a matching venue: the engine must not call it.
    const venue = Object.assign(Object.create(inner) as SimulatedExchange, {
      matchesPushedData: false,
      process: (event: MarketDataEvent) => pushed.push(event),
    });
    const engine = new TradingEngine({ clock, exchanges: [venue], instruments: [btc] });
    await engine.run(bars.map((item) => createBarEvent(item)));
    expect(pushed).toEqual([]);
  });

  it('sends every order through a host’s own order manager', async () => {
    const clock = new SimulatedClock();
    const submitted: string[] = [];
    const createOrderManager: OrderManagerFactory = (wiring) => {
      const inner = new OrderManager(wiring);
      const port: OrderManagerPort = {
        submit: (input) => {
          const order = inner.submit(input);
          submitted.push(order.clientOrderId);
          return order;
        },
        cancel: (clientOrderId) => inner.cancel(clientOrderId),
        getOrder: (clientOrderId) => inner.getOrder(clientOrderId),
        orders: (filter) => inner.orders(filter),
        openOrders: (filter) => inner.openOrders(filter),
        flush: () => inner.flush(),
        close: () => inner.close(),
      };
      return port;
    };
    const strategy = new Reader({ id: 'reader' });
    const engine = new TradingEngine({
      clock,
      exchanges: [simulated(clock)],
      instruments: [btc],
      strategies: [strategy],
      createOrderManager,
      logger: recordingLogger([]),
    });
    await engine.run(bars.map((item) => createBarEvent(item)));
    expect(submitted).toHaveLength(1);
    expect(engine.orderManager.orders().map((order) => order.clientOrderId)).toEqual(submitted);
    expect(engine.portfolio.netQuantity(id).toString()).toBe('0.5');
  });

  it('refuses to run without a source', async () => {
    const clock = new SimulatedClock();
    const engine = new TradingEngine({ clock, exchanges: [simulated(clock)], instruments: [btc] });
    await expect(engine.run()).rejects.toThrow(/^source: must be given/);
  });
});

describe('TradingEngine denials', () => {
  function setup(params: Record<string, unknown>, lines: Line[] = []) {
    const clock = new SimulatedClock();
    const strategy = new Reader({ id: 'reader', params });
    const engine = new TradingEngine({
      clock,
      exchanges: [simulated(clock)],
      instruments: [btc],
      strategies: [strategy],
      logger: recordingLogger(lines),
    });
    const published: OrderDeniedEvent[] = [];
    engine.bus.subscribe('order.denied', (event) => {
      published.push(event);
    });
    return { engine, strategy, published };
  }

  it('denies an order for an instrument it does not trade, and the strategy goes on', async () => {
    const { engine, strategy, published } = setup({ instrument: String(unknownId) });
    await engine.run(bars.map((item) => createBarEvent(item)));
    expect(strategy.state).toBe('running');
    expect(strategy.views).toHaveLength(bars.length);
    expect(strategy.denied).toHaveLength(1);
    const [event] = strategy.denied;
    expect(event?.denial).toMatchObject({
      source: 'engine',
      code: 'UNKNOWN_SYMBOL',
      field: 'instrumentId',
    });
    expect(event?.instrumentId).toBe(unknownId);
    expect(event?.timeMs).toBe(bars[0]!.closeTimeMs);
    expect(published).toEqual(strategy.denied);
    expect(strategy.openOrders()).toEqual([]);
  });

  it('denies an order the instrument rules refuse, as the rules’ refusal', async () => {
    // 0.0004 rounds down to 0 at the 0.001 step.
    const { engine, strategy } = setup({ quantity: '0.0004' });
    await engine.run(bars.map((item) => createBarEvent(item)));
    expect(strategy.state).toBe('running');
    expect(strategy.denied.map((event) => event.denial.source)).toEqual(['rules']);
    expect(strategy.denied[0]?.denial.message).toMatch(/quantity/);
    expect(engine.portfolio.netQuantity(id).isZero()).toBe(true);
  });

  it('denies an order made while the engine is not running, without throwing', async () => {
    const { engine, strategy, published } = setup({ buyOnBar: 99 });
    await engine.run(bars.map((item) => createBarEvent(item)));
    await engine.stop();
    const request = createOrderRequest({
      instrumentId: id,
      side: 'BUY',
      type: 'MARKET',
      quantity: '1',
      tags: ['strategy:reader'],
    });
    const clientOrderId = strategy.captured!.orders.submit(request);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      clientOrderId,
      denial: { source: 'engine', code: 'ENGINE_NOT_RUNNING' },
    });
  });

  it('logs a denial with its code', async () => {
    const lines: Line[] = [];
    const { engine } = setup({ instrument: String(unknownId) }, lines);
    await engine.run(bars.map((item) => createBarEvent(item)));
    expect(
      lines.some(
        (line) => line.message === 'order denied' && line.fields?.code === 'UNKNOWN_SYMBOL',
      ),
    ).toBe(true);
  });
});

describe('TradingEngine error logging', () => {
  it('logs a bus handler that throws, naming the topic', async () => {
    const lines: Line[] = [];
    const clock = new SimulatedClock();
    const engine = new TradingEngine({
      clock,
      exchanges: [simulated(clock)],
      instruments: [btc],
      logger: recordingLogger(lines),
    });
    engine.bus.subscribe('market.bar', () => {
      throw new Error('broken handler');
    });
    await engine.run([createBarEvent(bars[0]!)]);
    const line = lines.find((entry) => entry.message === 'event handler failed');
    expect(line?.level).toBe('error');
    expect(line?.fields?.topic).toBe('market.bar');
    expect(String(line?.fields?.err)).toBe('Error: broken handler');
  });

  it('logs an engine error at error level when nobody subscribes to engine.error', async () => {
    const lines: Line[] = [];
    const clock = new SimulatedClock();
    const exchange = simulated(clock);
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      subscriptions: [{ kind: 'bars', instrumentId: id, interval: '1m' }],
      logger: recordingLogger(lines),
    });
    await engine.start();
    exchange.onBar(bars[1]!);
    // Older than the clock: the feed event is refused, with no caller to throw to.
    exchange.onBar(bars[0]!);
    const line = lines.find((entry) => entry.message === 'engine feed failed');
    expect(line?.level).toBe('error');
    expect(line?.fields?.instrumentId).toBe(id);
  });

  it('leaves an engine error to its subscriber, logging it only at debug level', async () => {
    const lines: Line[] = [];
    const clock = new SimulatedClock();
    const exchange = simulated(clock);
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [btc],
      subscriptions: [{ kind: 'bars', instrumentId: id, interval: '1m' }],
      logger: recordingLogger(lines),
    });
    const heard: unknown[] = [];
    engine.bus.subscribe('engine.error', (event) => {
      heard.push(event.error);
    });
    await engine.start();
    exchange.onBar(bars[1]!);
    exchange.onBar(bars[0]!);
    expect(heard).toHaveLength(1);
    expect(
      lines.filter((entry) => entry.message === 'engine feed failed').map((l) => l.level),
    ).toEqual(['debug']);
  });
});
