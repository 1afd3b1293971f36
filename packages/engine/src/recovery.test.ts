import {
  type Bar,
  createBarEvent,
  createOrderRequest,
  Instrument,
  instrumentId,
  SeededIdGenerator,
  SimulatedClock,
  toClientOrderId,
} from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { type EngineEvents, type RecoveryReport, TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { InMemoryOrderJournal } from '@qtp/oms';
import { Strategy, type StrategyContext, type StrategyOptions } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const id = instrumentId('BTCUSDT', 'BINANCE');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});
const START = Date.UTC(2024, 0, 1);

function bar(index: number, low: number): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs: START + index * 60_000,
    closeTimeMs: START + (index + 1) * 60_000 - 1,
    open: low + 5,
    high: low + 10,
    low,
    close: low + 5,
    volume: 100,
  };
}

// Records the engine's bus topics in order, and whether recovery had finished when it started.
class Watcher extends Strategy<Record<string, never>> {
  startedAfter: string[] = [];
  constructor(
    options: StrategyOptions,
    private readonly topics: string[],
  ) {
    super(options, { schema: z.strictObject({}) });
  }
  override start(context: StrategyContext): void {
    this.startedAfter = [...this.topics];
    super.start(context);
  }
}

// Runs a first engine that journals two limit buys and then dies: it stops hearing the venue.
async function firstLife() {
  const clock = new SimulatedClock({ startMs: START });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '100000' },
  });
  const journal = new InMemoryOrderJournal();
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [btc],
    orderJournal: journal,
    idGenerator: new SeededIdGenerator({ seed: 7 }),
  });
  await engine.start();
  const low = engine.orderManager.submit(
    createOrderRequest({
      instrumentId: id,
      side: 'BUY',
      type: 'LIMIT',
      price: '90',
      quantity: '1',
    }),
  );
  const deep = engine.orderManager.submit(
    createOrderRequest({
      instrumentId: id,
      side: 'BUY',
      type: 'LIMIT',
      price: '50',
      quantity: '2',
    }),
  );
  await engine.orderManager.flush();
  clock.advanceBy(1);
  await engine.orderManager.flush();
  expect([low.status, deep.status]).toEqual(['ACCEPTED', 'ACCEPTED']);
  // The engine dies here; while it is down the venue fills the order at 90 ...
  engine.orderManager.close();
  exchange.process(createBarEvent(bar(1, 85)));
  // ... and someone places an order by hand.
  await exchange.placeOrder(
    createOrderRequest({
      instrumentId: id,
      side: 'BUY',
      type: 'LIMIT',
      price: '40',
      quantity: '1',
      clientOrderId: toClientOrderId('manual-1'),
    }),
  );
  clock.advanceBy(1);
  return { clock, exchange, journal, low: low.clientOrderId, deep: deep.clientOrderId };
}

async function restart(
  life: Awaited<ReturnType<typeof firstLife>>,
  recovery: ConstructorParameters<typeof TradingEngine>[0]['recovery'],
) {
  const topics: string[] = [];
  const lines: string[] = [];
  const watcher = new Watcher({ id: 'watcher', params: {} }, topics);
  const engine = new TradingEngine({
    clock: life.clock,
    exchanges: [life.exchange],
    instruments: [btc],
    orderJournal: life.journal,
    idGenerator: new SeededIdGenerator({ seed: 7 }),
    strategies: [watcher],
    logger: createLogger({ level: 'info', destination: { write: (line) => lines.push(line) } }),
    ...(recovery === undefined ? {} : { recovery }),
  });
  let reconcilingSeen = false;
  engine.bus.subscribe('*' as keyof EngineEvents, (event: { type: string }) => {
    topics.push(event.type);
    if (event.type === 'order.fill') reconcilingSeen = engine.reconciling;
  });
  let report: RecoveryReport | undefined;
  engine.bus.subscribe('engine.recovered', (event) => {
    report = event.report;
  });
  await engine.start();
  return {
    engine,
    report: report!,
    topics,
    lines,
    watcher,
    reconcilingSeen: () => reconcilingSeen,
  };
}

describe('TradingEngine recovery on start', () => {
  it('books the fill missed while down once, keeps the external order, then starts strategies', async () => {
    const life = await firstLife();
    const { engine, report, watcher, lines, reconcilingSeen } = await restart(life, undefined);
    const logged = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'recovery finished');
    expect(logged).toMatchObject({
      journaled: 2,
      recovered: 2,
      fillsBooked: 1,
      external: 1,
      unknown: 0,
    });
    expect(report.journaled).toBe(2);
    expect([...report.recovered].sort()).toEqual([life.low, life.deep].sort());
    expect(report.unknown).toEqual([]);
    expect(report.fillsBooked).toBe(1);
    expect(reconcilingSeen()).toBe(true);
    expect(
      report.external.map((order) => [order.report.clientOrderId, order.action, order.tags]),
    ).toEqual([['manual-1', 'kept', ['external']]]);
    expect(report.externalTrades).toBe(0);
    const low = engine.orderManager.getOrder(life.low)!;
    expect(low.status).toBe('FILLED');
    expect(low.fills.map((fill) => fill.price.toString())).toEqual(['90']);
    expect((await life.journal.get(life.low))?.status).toBe('FILLED');
    expect(engine.orderManager.getOrder(life.deep)?.status).toBe('ACCEPTED');
    expect(await life.exchange.fetchOpenOrders()).toHaveLength(2);
    // The strategy started only after the report; the portfolio holds the venue's balances once:
    // 1 BTC bought at 90 from 100000 USDT.
    expect(watcher.startedAfter).toContain('engine.recovered');
    expect(watcher.startedAfter).not.toContain('engine.started');
    const balances = engine.portfolio.balancesByAsset();
    expect(balances.get('BTC')?.toString()).toBe('1');
    expect(balances.get('USDT')?.toString()).toBe('99910');
    expect(engine.running).toBe(true);
  });

  it('cancels the external order when the policy says so, and a second restart finds nothing new', async () => {
    const life = await firstLife();
    const { report, engine } = await restart(life, { orphans: 'cancel' });
    expect(report.external.map((order) => order.action)).toEqual(['canceled']);
    expect((await life.exchange.fetchOpenOrders()).map((order) => order.clientOrderId)).toEqual([
      life.deep,
    ]);
    engine.orderManager.close();
    const again = await restart(life, { orphans: 'cancel' });
    expect(again.report.fillsBooked).toBe(0);
    expect(again.report.external).toEqual([]);
    expect(again.report.recovered).toEqual([life.deep]);
  });

  it('adopts the external order when the policy says so, books its later fill once, and a second restart does not adopt it again', async () => {
    const life = await firstLife();
    const { report, engine, topics } = await restart(life, { orphans: 'adopt' });
    expect(report.external.map((order) => [order.report.clientOrderId, order.action])).toEqual([
      ['manual-1', 'adopted'],
    ]);
    const manual = engine.orderManager.getOrder(toClientOrderId('manual-1'))!;
    expect(manual.tags).toEqual(['external']);
    expect(manual.status).toBe('ACCEPTED');
    expect((await life.journal.get('manual-1'))?.order.tags).toEqual(['external']);
    // Opens at 60, goes up to 65 first, then down through 50 and 40: the buy of 2 at 50 and the
    // adopted buy of 1 at 40 fill at their limits.
    life.exchange.process(
      createBarEvent({ ...bar(2, 35), open: 60, high: 65, close: 45, volume: 100 }),
    );
    await engine.orderManager.flush();
    expect(manual.status).toBe('FILLED');
    expect(manual.fills.map((fill) => `${fill.quantity}@${fill.price}`)).toEqual(['1@40']);
    expect(topics).not.toContain('engine.error');
    // 100000 USDT less 1 at 90, 2 at 50 and 1 at 40 is 99770; 1 + 2 + 1 BTC.
    const balances = engine.portfolio.balancesByAsset();
    expect(balances.get('BTC')?.toString()).toBe('4');
    expect(balances.get('USDT')?.toString()).toBe('99770');
    expect((await life.journal.get('manual-1'))?.status).toBe('FILLED');
    engine.orderManager.close();
    const again = await restart(life, { orphans: 'adopt' });
    expect(again.report.external).toEqual([]);
    expect(again.report.fillsBooked).toBe(0);
    expect(again.report.externalTrades).toBe(0);
    expect(again.engine.orderManager.getOrder(toClientOrderId('manual-1'))).toBeUndefined();
  });

  it('skips recovery when it is turned off', async () => {
    const life = await firstLife();
    const { report, engine } = await restart(life, false);
    expect(report).toBeUndefined();
    expect(engine.orderManager.getOrder(life.low)).toBeUndefined();
  });
});
