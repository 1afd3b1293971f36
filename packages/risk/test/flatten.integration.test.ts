import {
  EventBus,
  SeededIdGenerator,
  SimulatedClock,
  type TradingStateChangedEvent,
} from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { barFillModel, SimulatedExchange } from '@qtp/exchange';
import { type OmsEvents, OrderManager } from '@qtp/oms';
import { FLATTEN_TAG, RiskEngine, type TradingStateEvents } from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { RefusingGateway, XRP, xrpBars } from './support.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function setUp(options: { volumeCap: number; refusals: number }) {
  const bars = xrpBars();
  const clock = new SimulatedClock({ startMs: bars[0]!.openTimeMs });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [XRP],
    balances: { ETH: '10' },
    fillModel: barFillModel({ volumeCap: options.volumeCap }),
  });
  const gateway = new RefusingGateway(exchange, FLATTEN_TAG, options.refusals);
  const bus = new EventBus<OmsEvents>({ clock });
  const risk = new RiskEngine({ clock, config: { maxFlattenAttempts: 50 } });
  const oms = new OrderManager({
    gateway,
    instruments: [XRP],
    clock,
    bus,
    preTradeGate: risk,
    idGenerator: new SeededIdGenerator({ seed: 7 }),
    logger: createLogger({ level: 'silent' }),
  });
  risk.attach({ bus, orders: oms });
  const states: TradingStateChangedEvent[] = [];
  (bus as unknown as EventBus<TradingStateEvents>).subscribe('risk.state', (event) => {
    states.push(event);
  });
  let index = 0;
  const play = async () => {
    const bar = bars[index++]!;
    clock.advanceTo(bar.closeTimeMs);
    exchange.onBar(bar);
    risk.onMark(XRP.id, bar.close, bar.closeTimeMs);
    await settle();
  };
  return { risk, oms, exchange, gateway, states, play };
}

describe('FLATTEN through the order manager on the SimulatedExchange', () => {
  it('ends flat and HALTED under partial fills and venue rejections', async () => {
    const { risk, oms, exchange, gateway, states, play } = setUp({ volumeCap: 0.2, refusals: 2 });
    await play();
    // Build a long position of at least 2 000 XRP with market buys (each capped by volume).
    while (risk.ledger.position(XRP.id) < 2_000) {
      oms.submit({
        instrumentId: XRP.id,
        side: 'BUY',
        type: 'MARKET',
        quantity: '700',
        tags: ['strategy:a'],
      });
      await play();
    }
    // A resting bid far below the market, which FLATTEN must cancel.
    const resting = oms.submit({
      instrumentId: XRP.id,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '100',
      price: '0.0005',
      tags: ['strategy:a'],
    });
    await settle();
    expect(resting.status).toBe('ACCEPTED');
    const held = risk.ledger.position(XRP.id);

    risk.flatten('ops:test', 'drill');
    await settle();
    expect(resting.status).toBe('CANCELED');
    let bars = 0;
    while (risk.states.stateOf({ kind: 'account', id: 'main' }) === 'FLATTEN' && bars++ < 200)
      await play();

    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('HALTED');
    expect(risk.ledger.position(XRP.id)).toBe(0);
    expect(oms.openOrders()).toEqual([]);
    const xrp = (await exchange.fetchBalances()).find((balance) => balance.asset === 'XRP');
    expect(xrp === undefined || xrp.free.plus(xrp.locked).isZero()).toBe(true);
    // The venue refused two closing orders, and at least one more filled in part only.
    expect(gateway.refused).toBe(2);
    const closing = oms.orders().filter((order) => order.tags.includes(FLATTEN_TAG));
    expect(closing.filter((order) => order.status === 'REJECTED')).toHaveLength(2);
    expect(closing.some((order) => order.status === 'EXPIRED' && order.filledQuantity.gt(0))).toBe(
      true,
    );
    const filled = closing.reduce((sum, order) => sum + order.filledQuantity.toNumber(), 0);
    expect(filled).toBe(held);
    expect(states.map((event) => event.to)).toEqual(['FLATTEN', 'HALTED']);
    expect(states[1]).toMatchObject({ setBy: 'ops:test', reason: 'flattened after: drill' });
  });

  it('after a trip refuses a flood of 10 000 orders while cancels still go out', async () => {
    const { risk, oms, play } = setUp({ volumeCap: 1, refusals: 0 });
    await play();
    const resting = oms.submit({
      instrumentId: XRP.id,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '100',
      price: '0.0005',
    });
    await settle();
    risk.setState('HALTED', 'rule:test', 'trip');
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      const order = oms.submit({
        instrumentId: XRP.id,
        side,
        type: 'LIMIT',
        quantity: '10',
        price: '0.0014',
      });
      if (order.status !== 'REJECTED') accepted++;
    }
    expect(accepted).toBe(0);
    expect(oms.stats().denied).toBe(10_000);
    expect(await oms.cancel(resting.clientOrderId)).toBe(true);
    await settle();
    expect(resting.status).toBe('CANCELED');
  });
});
