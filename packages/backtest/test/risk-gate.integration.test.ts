import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTearsheet, runBacktest, toTearsheetData } from '@qtp/backtest';
import {
  type Bar,
  createBarEvent,
  Instrument,
  instrumentId,
  type OrderDeniedEvent,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import { barFillModel, SimulatedExchange } from '@qtp/exchange';
import { MarginMonitor, RiskEngine } from '@qtp/risk';
import { Strategy, type StrategyOptions } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// Real Binance 5-minute klines of XRP/ETH (see examples/data and the shared data README).
const CSV = fileURLToPath(new URL('../../../examples/data/XRPETH-5m.csv', import.meta.url));
const id = instrumentId('XRPETH', 'BINANCE');
const xrp = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
});

const bars: Bar[] = readFileSync(CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [openTime, open, high, low, close, volume] = line.split(',').map(Number) as number[];
    return {
      instrumentId: id,
      interval: '5m',
      openTimeMs: openTime!,
      closeTimeMs: openTime! + 300_000 - 1,
      open: open!,
      high: high!,
      low: low!,
      close: close!,
      volume: volume!,
    };
  });

const schema = z.strictObject({});

// Buys 100 XRP at market on every bar and keeps what it is refused.
class Buyer extends Strategy<z.output<typeof schema>> {
  readonly denied: OrderDeniedEvent[] = [];
  constructor(options: StrategyOptions) {
    super(options, { schema });
  }
  protected override onBar(): void {
    this.buy(id, '100');
  }
  protected override onOrderDenied(event: OrderDeniedEvent): void {
    this.denied.push(event);
  }
}

function smaBacktest(preTradeGate: RiskEngine) {
  return runBacktest({
    instruments: [xrp],
    data: bars,
    strategy: {
      name: 'sma-crossover',
      id: 'sma',
      params: { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '150' },
    },
    balances: { ETH: '1' },
    fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
    preTradeGate,
  });
}

describe('RiskEngine as the gate of TradingEngine and runBacktest', () => {
  it('refuses a strategy order in a TradingEngine, and the strategy hears why', async () => {
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({ clock, instruments: [xrp], balances: { ETH: '10' } });
    const risk = new RiskEngine({ clock, config: { strategies: { buyer: { maxPosition: 250 } } } });
    const buyer = new Buyer({ id: 'buyer' });
    const engine = new TradingEngine({
      clock,
      exchanges: [exchange],
      instruments: [xrp],
      strategies: [buyer],
      preTradeGate: risk,
      idGenerator: new SeededIdGenerator({ seed: 1 }),
    });
    risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });
    await engine.run(bars.slice(0, 6).map((bar) => createBarEvent(bar)));
    // Bar 1 buys 100, bar 2 another 100 (filled at bar 3's open); at bar 3 a third would make 300.
    expect(engine.portfolio.netQuantity(id).toString()).toBe('200');
    expect(buyer.denied).toHaveLength(4);
    expect(buyer.denied[0]!.denial).toMatchObject({
      source: 'gate',
      code: 'MAX_POSITION',
      field: 'strategy:buyer.maxPosition',
      configured: '250',
      attempted: '300',
    });
    await engine.stop();
  });

  it('attaches to runBacktest and counts the refusals by code in the result', async () => {
    const result = await smaBacktest(
      new RiskEngine({ config: { strategies: { sma: { maxOrderQuantity: 100 } } } }),
    );
    // Every order of the strategy asks for 150: all are refused, none trades.
    expect(result.orders.length).toBeGreaterThan(0);
    expect(result.orders.every((order) => order.status === 'REJECTED')).toBe(true);
    expect(result.riskEvents.refusals).toEqual({ MAX_ORDER_QUANTITY: result.orders.length });
    expect(result.trades).toEqual([]);
    expect(result.riskEvents.stateChanges).toEqual([]);
    expect(renderTearsheet(toTearsheetData(result))).toContain(
      `<td>MAX_ORDER_QUANTITY</td><td>${result.orders.length}</td>`,
    );
  });

  it('flattens on a drawdown during a backtest and shows the states in the result', async () => {
    const result = await smaBacktest(
      new RiskEngine({
        config: { postTrade: { maxDrawdown: { limit: 0.002, action: 'FLATTEN' } } },
      }),
    );
    const changes = result.riskEvents.stateChanges;
    expect(changes.map((event) => event.to)).toEqual(['FLATTEN', 'HALTED']);
    expect(changes[0]).toMatchObject({ setBy: 'rule:maxDrawdown', scope: { kind: 'account' } });
    expect(changes[0]!.reason).toMatch(
      /^drawdown [\d.]+% from the peak [\d.]+ passed the 0.2% limit$/,
    );
    // Flat at the end, and the strategy's later orders were refused by the halt.
    for (const position of result.positions) expect(position.quantity).toBe('0');
    const closing = result.orders.filter((order) => order.tags.includes('risk:flatten'));
    expect(closing.length).toBeGreaterThan(0);
    expect(closing.every((order) => order.status === 'FILLED')).toBe(true);
    const afterHalt = result.orders.filter(
      (order) => order.createdTimeMs > changes[1]!.timeMs && !order.tags.includes('risk:flatten'),
    );
    expect(afterHalt.length).toBeGreaterThan(0);
    expect(afterHalt.every((order) => order.status === 'REJECTED')).toBe(true);
    expect(result.riskEvents.refusals.HALTED ?? 0).toBe(afterHalt.length);
    // The tearsheet shows them.
    const html = renderTearsheet(toTearsheetData(result));
    expect(html).toContain('<section id="risk"><h2>Risk events</h2>');
    expect(html).toContain('<td>FLATTEN → HALTED</td><td>rule:maxDrawdown</td>');
    expect(html).toContain(`<td>HALTED</td><td>${afterHalt.length}</td>`);
  });

  it('shows each stage of a margin call in the result of a backtest that blows through margin', async () => {
    // A margin account on the spot simulator: of the 1 ETH at the venue, 0.25 is the trader's
    // and the rest is borrowed, so equity is 0.25 plus the trading P&L. 650 XRP (about 0.92 ETH)
    // at a maintenance margin of 20 % starts near a margin level of 1.36.
    const margin = new MarginMonitor({
      requirements: { [id]: { initial: 0.25, maintenance: 0.2 } },
      levels: { warning: 1.5, reduce: 1.4, liquidate: 1.33 },
      reduceFraction: 0.1,
    });
    const risk: RiskEngine = new RiskEngine({
      margin,
      equity: () => 0.25 + risk.ledger.pnl(new Map([[id, risk.markOf(id) ?? 0]])),
    });
    const result = await runBacktest({
      instruments: [xrp],
      data: bars,
      strategy: {
        name: 'sma-crossover',
        id: 'sma',
        params: { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '650' },
      },
      balances: { ETH: '1' },
      fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
      preTradeGate: risk,
    });
    const calls = result.riskEvents.marginCalls;
    for (const stage of ['warning', 'reduce', 'liquidate']) {
      expect(calls.some((call) => call.stage === stage)).toBe(true);
    }
    // Each call sits in its band of margin level.
    for (const call of calls) {
      if (call.stage === 'warning') expect(call.marginLevel).toBeGreaterThan(1.4);
      if (call.stage === 'warning') expect(call.marginLevel).toBeLessThanOrEqual(1.5);
      if (call.stage === 'reduce') expect(call.marginLevel).toBeGreaterThan(1.33);
      if (call.stage === 'reduce') expect(call.marginLevel).toBeLessThanOrEqual(1.4);
      if (call.stage === 'liquidate') expect(call.marginLevel).toBeLessThanOrEqual(1.33);
    }
    // One selling order per reduce (a tenth of the position) and per liquidation (all of it,
    // one instrument held); every one filled.
    const marginOrders = result.orders.filter((order) => order.tags.includes('risk:margin'));
    const cutting = calls.filter((call) => call.stage === 'reduce' || call.stage === 'liquidate');
    expect(marginOrders).toHaveLength(cutting.length);
    for (const order of marginOrders) {
      expect(order.side).toBe('SELL');
      expect(Number(order.quantity)).toBeGreaterThan(0);
      expect(Number(order.quantity)).toBeLessThanOrEqual(650);
      expect(order.status).toBe('FILLED');
    }
    // A liquidation leaves the account flat: the next call is back to none, with no margin used.
    calls.forEach((call, index) => {
      if (call.stage !== 'liquidate') return;
      const next = calls[index + 1];
      if (next !== undefined) expect(next).toMatchObject({ stage: 'none', marginLevel: Infinity });
    });
  });
});
