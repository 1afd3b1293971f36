import { Decimal, EventBus, SeededIdGenerator, SimulatedClock } from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { SimulatedExchange } from '@qtp/exchange';
import { OrderManager } from '@qtp/oms';
import { MARGIN_TAG, type MarginCallEvent, type MarginEvents, MarginMonitor } from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { BTC, ETH } from '../../test/fixtures.js';

const requirement = { initial: 0.1, maintenance: 0.05 };

function setUp() {
  const clock = new SimulatedClock();
  const exchange = new SimulatedExchange({
    clock,
    instruments: [BTC, ETH],
    balances: { BTC: '1', ETH: '10', USDT: '1000' },
  });
  const oms = new OrderManager({
    gateway: exchange,
    instruments: [BTC, ETH],
    clock,
    idGenerator: new SeededIdGenerator({ seed: 4 }),
    logger: createLogger({ level: 'silent' }),
  });
  const bus = new EventBus<MarginEvents>({ clock });
  const calls: MarginCallEvent[] = [];
  bus.subscribe('risk.margin', (event) => {
    calls.push(event);
  });
  const margin = new MarginMonitor({
    requirements: { [BTC.id]: requirement, [ETH.id]: requirement },
    orders: oms,
    publisher: bus,
  });
  return { margin, oms, calls };
}

const position = (id: typeof BTC.id, quantity: string, entryPrice: number, mark: number) => ({
  instrumentId: id,
  quantity: new Decimal(quantity),
  entryPrice,
  mark,
});

describe('MarginMonitor', () => {
  it('goes through warning, reduce and liquidate, cutting the largest losses first', () => {
    const { margin, oms, calls } = setUp();
    // Long 1 BTC from 10 000 and 10 ETH from 1 000 on 3 000 of equity at entry.
    // BTC 9 000, ETH 950: notional 18 500, maintenance 925, equity 1 500: level 1.62.
    expect(
      margin.evaluate(
        1_500,
        [position(BTC.id, '1', 10_000, 9_000), position(ETH.id, '10', 1_000, 950)],
        1,
      ),
    ).toMatchObject({ maintenanceMargin: 925, initialMargin: 1_850, stage: 'none' });
    // BTC 8 800, ETH 940: maintenance 910, equity 1 200: level 1.32.
    margin.evaluate(
      1_200,
      [position(BTC.id, '1', 10_000, 8_800), position(ETH.id, '10', 1_000, 940)],
      2,
    );
    expect(margin.stage).toBe('warning');
    // BTC 8 600, ETH 940: maintenance 900, equity 1 000: level 1.11. BTC loses 1 400, ETH 600:
    // half the BTC goes.
    margin.evaluate(
      1_000,
      [position(BTC.id, '1', 10_000, 8_600), position(ETH.id, '10', 1_000, 940)],
      3,
    );
    expect(margin.stage).toBe('reduce');
    // 0.5 BTC at 8 000 (loss 1 000), ETH 880 (loss 1 200); equity 3 000 - 700 realised - 2 200 =
    // 100; maintenance 200 + 440 = 640: level 0.16. ETH goes first, then BTC: still 0.5 after.
    margin.evaluate(
      100,
      [position(BTC.id, '0.5', 10_000, 8_000), position(ETH.id, '10', 1_000, 880)],
      4,
    );
    expect(margin.stage).toBe('liquidate');
    expect(calls.map((call) => [call.from, call.stage])).toEqual([
      ['none', 'warning'],
      ['warning', 'reduce'],
      ['reduce', 'liquidate'],
    ]);
    expect(calls[1]!.marginLevel).toBeCloseTo(1_000 / 900, 12);
    const sent = oms
      .orders()
      .map((order) => [order.instrumentId, order.side, order.quantity.toString(), order.tags]);
    expect(sent).toEqual([
      [BTC.id, 'SELL', '0.5', [MARGIN_TAG]],
      [ETH.id, 'SELL', '10', [MARGIN_TAG]],
      [BTC.id, 'SELL', '0.5', [MARGIN_TAG]],
    ]);
    expect(calls[2]!.orders).toHaveLength(2);
  });

  it('stops liquidating once the margin level is back above the reduce level', () => {
    const { margin, oms } = setUp();
    // A long BTC winning 1 000 and a short ETH losing 400, on equity 1 000; maintenance
    // 0.05 × (11 000 + 11 000) = 1 100: level 0.91.
    margin.evaluate(
      1_000,
      [position(BTC.id, '1', 10_000, 11_000), position(ETH.id, '-10', 1_060, 1_100)],
      1,
    );
    expect(margin.stage).toBe('liquidate');
    // Closing the ETH short leaves maintenance 550: level 1.82, above 1.2; BTC stays.
    expect(
      oms.orders().map((order) => [order.instrumentId, order.side, order.quantity.toString()]),
    ).toEqual([[ETH.id, 'BUY', '10']]);
  });

  it('refuses an order past the initial margin or the leverage cap', () => {
    const margin = new MarginMonitor({
      requirements: { [BTC.id]: { initial: 0.2, maintenance: 0.1, maxLeverage: 3 } },
    });
    // Holding 10 000 of BTC uses 2 000 initial margin; 10 000 more needs 4 000 of 3 000.
    const held = [position(BTC.id, '1', 10_000, 10_000)];
    expect(margin.checkOrder(BTC.id, 10_000, 20_000, 3_000, held)).toMatchObject({
      code: 'INITIAL_MARGIN',
      configured: '3000',
      attempted: '4000',
    });
    // 5 000 more needs 3 000: allowed by margin, but 15 000 on 4 000 is 3.75x over the 3x cap.
    expect(margin.checkOrder(BTC.id, 5_000, 15_000, 4_000, held)).toMatchObject({
      code: 'MAX_LEVERAGE',
      configured: '3',
      attempted: '3.75',
    });
    expect(margin.checkOrder(BTC.id, 1_000, 11_000, 4_000, held)).toBeUndefined();
  });

  it('refuses requirements and levels that make no sense, naming them', () => {
    expect(
      () => new MarginMonitor({ requirements: { x: { initial: 0.05, maintenance: 0.1 } } }),
    ).toThrow(/requirements.x.maintenance/);
    expect(() => new MarginMonitor({ requirements: {}, levels: { reduce: 2 } })).toThrow(/levels/);
  });
});
