import { EventBus, SimulatedClock, type TradingStateChangedEvent } from '@qtp/core';
import { FLATTEN_TAG, MarginMonitor, RiskEngine } from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { BTC, collectingLogger, context, ETH, fill, openOrder, request } from '../test/fixtures.js';

function refusal(decision: ReturnType<RiskEngine['check']>) {
  if (decision.approved) throw new Error('expected a refusal');
  if (typeof decision.reason === 'string') throw new Error('expected a typed refusal');
  return decision.reason;
}

describe('RiskEngine as a pre-trade gate', () => {
  it('refuses an order quantity above the limit, naming the limit and both values', () => {
    const risk = new RiskEngine({ config: { account: { maxOrderQuantity: 2 } } });
    expect(risk.check(request({ side: 'BUY', quantity: '2' }), context()).approved).toBe(true);
    const reason = refusal(risk.check(request({ side: 'BUY', quantity: '2.5' }), context()));
    expect(reason).toMatchObject({
      code: 'MAX_ORDER_QUANTITY',
      field: 'account.maxOrderQuantity',
      configured: '2',
      attempted: '2.5',
    });
  });

  it('values a market order at the mark and a limit order at its price for the notional limit', () => {
    const risk = new RiskEngine({ config: { account: { maxOrderNotional: 10_000 } } });
    risk.onMark(BTC.id, 50_000, 0);
    // 0.2 × 50 000 = 10 000: exactly at the limit is allowed.
    expect(risk.check(request({ side: 'BUY', quantity: '0.2' }), context()).approved).toBe(true);
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '0.3' }), context()))).toMatchObject(
      {
        code: 'MAX_ORDER_NOTIONAL',
        configured: '10000',
        attempted: '15000',
      },
    );
    // 0.3 × 30 000 = 9 000 at the limit price.
    const limit = request({ side: 'BUY', quantity: '0.3', price: '30000' });
    expect(risk.check(limit, context()).approved).toBe(true);
  });

  it('refuses a market order when no price of the instrument is known', () => {
    const risk = new RiskEngine({ config: { account: { maxOrderNotional: 10_000 } } });
    const reason = refusal(risk.check(request({ side: 'BUY', quantity: '0.1' }), context()));
    expect(reason.code).toBe('NO_REFERENCE_PRICE');
  });

  it('refuses a limit price outside the band around the last price', () => {
    const risk = new RiskEngine({ config: { account: { priceBand: 0.05 } } });
    risk.onMark(BTC.id, 100, 0);
    expect(
      risk.check(request({ side: 'BUY', quantity: '1', price: '105' }), context()).approved,
    ).toBe(true);
    expect(
      risk.check(request({ side: 'SELL', quantity: '1', price: '95' }), context()).approved,
    ).toBe(true);
    expect(
      refusal(risk.check(request({ side: 'BUY', quantity: '1', price: '106' }), context())),
    ).toMatchObject({
      code: 'PRICE_BAND',
      configured: '0.05',
      attempted: '0.06',
    });
  });

  it('counts open orders in full for the position limit', () => {
    const risk = new RiskEngine({ config: { account: { maxPosition: 1 } } });
    risk.onMark(BTC.id, 100, 0);
    const working = [openOrder({ side: 'BUY', quantity: '0.7', price: '99' })];
    // 0.7 working + 0.5 = 1.2 once both fill.
    expect(
      refusal(risk.check(request({ side: 'BUY', quantity: '0.5' }), context(0, working))),
    ).toMatchObject({
      code: 'MAX_POSITION',
      configured: '1',
      attempted: '1.2',
    });
    expect(
      risk.check(request({ side: 'BUY', quantity: '0.3' }), context(0, working)).approved,
    ).toBe(true);
    // A sell works the other side: worst case max(0.7, 0.5).
    expect(
      risk.check(request({ side: 'SELL', quantity: '0.5' }), context(0, working)).approved,
    ).toBe(true);
  });

  it('adds positions and working orders across instruments for gross and net exposure', () => {
    const risk = new RiskEngine({
      config: { account: { maxGrossExposure: 5_000, maxNetExposure: 2_500 } },
    });
    risk.onMark(BTC.id, 1_000, 0);
    risk.onMark(ETH.id, 100, 0);
    risk.onFill(fill('BUY', '2', '1000'));
    // Long 2 BTC (2 000) and a working sell of 20 ETH (2 000): gross 4 000, net max(2 000, 0).
    const working = [
      openOrder({ instrumentId: ETH.id, side: 'SELL', quantity: '20', price: '100' }),
    ];
    const buyMore = request({ side: 'BUY', quantity: '0.5' });
    // Net long side: 2 500 BTC; short side: 2 000 - 2 000 = 0. Gross 2 500 + 2 000 = 4 500.
    expect(risk.check(buyMore, context(0, working)).approved).toBe(true);
    const buyTooMuch = request({ side: 'BUY', quantity: '0.6' });
    expect(refusal(risk.check(buyTooMuch, context(0, working)))).toMatchObject({
      code: 'MAX_NET_EXPOSURE',
      configured: '2500',
      attempted: '2600',
    });
    const ethSell = request({ instrumentId: ETH.id, side: 'SELL', quantity: '11' });
    // ETH short side -3 100 alone; gross 2 000 + 3 100 = 5 100.
    expect(refusal(risk.check(ethSell, context(0, working, ETH)))).toMatchObject({
      code: 'MAX_GROSS_EXPOSURE',
      attempted: '5100',
    });
  });

  it('refuses an order past the open-order count and past the leverage cap', () => {
    const risk = new RiskEngine({
      config: { account: { maxOpenOrders: 2, maxLeverage: 2 } },
      initialEquity: 1_000,
    });
    risk.onMark(BTC.id, 100, 0);
    const two = [
      openOrder({ side: 'BUY', quantity: '1', price: '99' }),
      openOrder({ side: 'BUY', quantity: '1', price: '98' }),
    ];
    expect(
      refusal(risk.check(request({ side: 'BUY', quantity: '1' }), context(0, two))),
    ).toMatchObject({
      code: 'MAX_OPEN_ORDERS',
      configured: '2',
      attempted: '3',
    });
    // 25 × 100 = 2 500 over equity 1 000.
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '25' }), context()))).toMatchObject({
      code: 'MAX_LEVERAGE',
      configured: '2',
      attempted: '2.5',
    });
  });

  it('throttles orders per strategy within one second of clock time', () => {
    const risk = new RiskEngine({ config: { strategies: { a: { maxOrdersPerSecond: 3 } } } });
    for (const timeMs of [0, 100, 200]) {
      expect(
        risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context(timeMs)).approved,
      ).toBe(true);
    }
    expect(
      refusal(risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context(999))),
    ).toMatchObject({
      code: 'ORDER_RATE',
      field: 'strategy:a.maxOrdersPerSecond',
      configured: '3',
      attempted: '4',
    });
    // Strategy b has no throttle and a's is not b's.
    expect(risk.check(request({ side: 'BUY', quantity: '1' }, 'b'), context(999)).approved).toBe(
      true,
    );
    // The order at 0 has left the window.
    expect(risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context(1_000)).approved).toBe(
      true,
    );
  });

  it('asks the extra gates after its limits and before the throttle, the first refusal winning', () => {
    const asked: string[] = [];
    const refuseLarge = {
      check: (req: ReturnType<typeof request>) => {
        asked.push('large');
        return req.quantity.gt(1)
          ? { approved: false as const, reason: { code: 'MAX_STRESS_LOSS', message: 'too big' } }
          : { approved: true as const };
      },
    };
    const never = {
      check: () => {
        asked.push('never');
        return { approved: false as const, reason: 'second gate' };
      },
    };
    const chained = new RiskEngine({
      config: { account: { maxOrderQuantity: 5 } },
      gates: [refuseLarge, never],
    });
    // The limit refuses first: no extra gate is asked.
    expect(refusal(chained.check(request({ side: 'BUY', quantity: '6' }), context())).code).toBe(
      'MAX_ORDER_QUANTITY',
    );
    expect(asked).toEqual([]);
    expect(refusal(chained.check(request({ side: 'BUY', quantity: '2' }), context())).code).toBe(
      'MAX_STRESS_LOSS',
    );
    expect(chained.check(request({ side: 'BUY', quantity: '1' }), context())).toEqual({
      approved: false,
      reason: 'second gate',
    });
    expect(asked).toEqual(['large', 'large', 'never']);
    // One order a second: the order the extra gate refused does not use up the second.
    const throttled = new RiskEngine({
      config: { account: { maxOrdersPerSecond: 1 } },
      gates: [refuseLarge],
    });
    expect(throttled.check(request({ side: 'BUY', quantity: '2' }), context()).approved).toBe(
      false,
    );
    expect(throttled.check(request({ side: 'BUY', quantity: '1' }), context()).approved).toBe(true);
  });

  it('asks the margin monitor before an order that opens or grows a position, never one that reduces it', () => {
    const engineWith = (maxLeverage: number) => {
      const margin = new MarginMonitor({
        requirements: { [BTC.id]: { initial: 0.25, maintenance: 0.1, maxLeverage } },
      });
      const risk = new RiskEngine({ margin, initialEquity: 5_000 });
      risk.onMark(BTC.id, 10_000, 0);
      // Holding 1 BTC at 10 000 uses 2 500 of initial margin out of 5 000 of equity.
      risk.onFill(fill('BUY', '1', '10000'));
      return risk;
    };
    const risk = engineWith(5);
    // One more BTC needs 2 500 + 2 500 = 5 000: exactly the equity, allowed (leverage 4 of 5).
    expect(risk.check(request({ side: 'BUY', quantity: '1' }), context()).approved).toBe(true);
    // 1.5 more needs 2 500 + 3 750 = 6 250.
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '1.5' }), context()))).toMatchObject(
      { code: 'INITIAL_MARGIN', configured: '5000', attempted: '6250' },
    );
    // Selling what is held reduces the position: no margin asked.
    expect(risk.check(request({ side: 'SELL', quantity: '1' }), context()).approved).toBe(true);
    // Selling 3 flips it to a short of 2, which opens a position: 2 500 + 7 500 of margin.
    expect(refusal(risk.check(request({ side: 'SELL', quantity: '3' }), context())).code).toBe(
      'INITIAL_MARGIN',
    );
    // At most 3x: 20 000 of BTC on 5 000 of equity is 4x.
    expect(
      refusal(engineWith(3).check(request({ side: 'BUY', quantity: '1' }), context())).code,
    ).toBe('MAX_LEVERAGE');
  });

  it('keeps limits keyed by strategy to that strategy', () => {
    const risk = new RiskEngine({
      config: { strategies: { a: { maxOrderNotional: 100, maxPosition: 1 } } },
    });
    risk.onMark(BTC.id, 50, 0);
    expect(risk.check(request({ side: 'BUY', quantity: '10' }, 'b'), context()).approved).toBe(
      true,
    );
    expect(risk.check(request({ side: 'BUY', quantity: '10' }), context()).approved).toBe(true);
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '3' }, 'a'), context())).code).toBe(
      'MAX_ORDER_NOTIONAL',
    );
    // b's working order does not count against a's position limit; a's own does.
    const bWorking = [openOrder({ side: 'BUY', quantity: '5', price: '50' }, 'b')];
    expect(
      risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context(0, bWorking)).approved,
    ).toBe(true);
    const aWorking = [openOrder({ side: 'BUY', quantity: '0.5', price: '50' }, 'a')];
    expect(
      refusal(risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context(0, aWorking))).code,
    ).toBe('MAX_POSITION');
  });

  it('finds no limits for a strategy named like an object property', () => {
    const risk = new RiskEngine({ config: { strategies: { a: { maxOrderQuantity: 1 } } } });
    expect(
      risk.check(request({ side: 'BUY', quantity: '5' }, 'constructor'), context()).approved,
    ).toBe(true);
    expect(
      risk.check(request({ side: 'BUY', quantity: '5' }, 'toString'), context()).approved,
    ).toBe(true);
  });

  it('applies instrument limits to every order of the instrument only', () => {
    const risk = new RiskEngine({ config: { instruments: { [ETH.id]: { maxOrderQuantity: 5 } } } });
    expect(risk.check(request({ side: 'BUY', quantity: '50' }), context()).approved).toBe(true);
    const eth = request({ instrumentId: ETH.id, side: 'BUY', quantity: '6' }, 'a');
    expect(refusal(risk.check(eth, context(0, [], ETH))).field).toBe(
      `instrument:${ETH.id}.maxOrderQuantity`,
    );
  });

  it('refuses a config with an unknown key, naming it', () => {
    expect(() => new RiskEngine({ config: { account: { maxNotional: 5 } } })).toThrow(
      /maxNotional/,
    );
    expect(() => new RiskEngine({ config: { account: { maxOrderQuantity: -1 } } })).toThrow(
      /account.maxOrderQuantity/,
    );
  });
});

describe('RiskEngine trading states', () => {
  function withLongPosition() {
    const bus = new EventBus();
    const events: TradingStateChangedEvent[] = [];
    bus.subscribe('risk.state', (event) => {
      events.push(event as TradingStateChangedEvent);
    });
    const risk = new RiskEngine({ publisher: bus });
    risk.onFill(fill('BUY', '1', '100'));
    return { risk, events };
  }

  it('lets only shrinking orders through in HALT_ENTRIES, and publishes who set it and why', () => {
    const { risk, events } = withLongPosition();
    risk.setState('HALT_ENTRIES', 'ops:alice', 'exchange incident');
    expect(events).toMatchObject([
      {
        type: 'risk.state',
        scope: { kind: 'account', id: 'main' },
        from: 'ACTIVE',
        to: 'HALT_ENTRIES',
        setBy: 'ops:alice',
        reason: 'exchange incident',
      },
    ]);
    expect(risk.check(request({ side: 'SELL', quantity: '0.5' }), context()).approved).toBe(true);
    expect(risk.check(request({ side: 'SELL', quantity: '1' }), context()).approved).toBe(true);
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '0.1' }), context())).code).toBe(
      'HALT_ENTRIES',
    );
    expect(refusal(risk.check(request({ side: 'SELL', quantity: '1.5' }), context())).code).toBe(
      'HALT_ENTRIES',
    );
  });

  it('counts working reducing orders in REDUCE_ONLY so the position never flips', () => {
    const { risk } = withLongPosition();
    risk.setState('REDUCE_ONLY', 'ops', 'test');
    const working = [openOrder({ side: 'SELL', quantity: '0.6', price: '101' })];
    expect(
      risk.check(request({ side: 'SELL', quantity: '0.4' }), context(0, working)).approved,
    ).toBe(true);
    expect(
      refusal(risk.check(request({ side: 'SELL', quantity: '0.5' }), context(0, working))),
    ).toMatchObject({
      code: 'REDUCE_ONLY',
      configured: '1',
      attempted: '1.1',
    });
  });

  it('refuses everything in HALTED and needs a reason to reset', () => {
    const { risk, events } = withLongPosition();
    risk.setState('HALTED', 'ops', 'manual stop');
    expect(refusal(risk.check(request({ side: 'SELL', quantity: '0.5' }), context())).code).toBe(
      'HALTED',
    );
    expect(() => risk.reset('ops', ' ')).toThrow(/reason/);
    expect(risk.reset('ops', 'incident over')).toBe(true);
    expect(risk.check(request({ side: 'BUY', quantity: '0.5' }), context()).approved).toBe(true);
    expect(events.map((event) => event.to)).toEqual(['HALTED', 'ACTIVE']);
  });

  it('applies a strategy state to that strategy only, against its own position', () => {
    const risk = new RiskEngine();
    risk.onFill(fill('BUY', '1', '100'), ['strategy:a']);
    risk.setState('HALT_ENTRIES', 'ops', 'a misbehaves', { kind: 'strategy', id: 'a' });
    expect(risk.check(request({ side: 'BUY', quantity: '1' }, 'b'), context()).approved).toBe(true);
    expect(risk.check(request({ side: 'SELL', quantity: '1' }, 'a'), context()).approved).toBe(
      true,
    );
    // b holds nothing, so a sell by b would open a short; but b is ACTIVE.
    expect(risk.check(request({ side: 'SELL', quantity: '1' }, 'b'), context()).approved).toBe(
      true,
    );
    expect(refusal(risk.check(request({ side: 'BUY', quantity: '1' }, 'a'), context())).field).toBe(
      'state.strategy:a',
    );
  });

  it('refuses FLATTEN without an order manager to close through', () => {
    expect(() => new RiskEngine().flatten('ops', 'test')).toThrow(/orders/);
  });

  it('tags closing orders so a host can tell them apart', () => {
    expect(FLATTEN_TAG).toBe('risk:flatten');
  });
});

describe('RiskEngine post-trade limits', () => {
  it('halts entries on a daily loss by the account calendar, and starts a new day at its midnight', () => {
    const hour = 3_600_000;
    const risk = new RiskEngine({
      // One hour east of UTC: the day turns at 23:00 UTC.
      config: {
        postTrade: { maxDailyLoss: { limit: 50, action: 'HALT_ENTRIES' }, dayOffsetMinutes: 60 },
      },
      initialEquity: 1_000,
    });
    risk.onFill(fill('BUY', '10', '100', 20 * hour));
    risk.onMark(BTC.id, 96, 22 * hour); // loss 40
    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('ACTIVE');
    risk.onMark(BTC.id, 97, 23 * hour); // a new day starts at equity 970
    risk.onMark(BTC.id, 93, 24 * hour); // loss 40 since 970
    expect(risk.states.allActive).toBe(true);
    risk.onMark(BTC.id, 91.9, 25 * hour); // loss 51
    const entry = risk.states.entryOf({ kind: 'account', id: 'main' });
    expect(entry).toMatchObject({ state: 'HALT_ENTRIES', setBy: 'rule:maxDailyLoss' });
    expect(entry?.reason).toBe('daily loss 51 passed the 50 limit');
  });

  it('halts on drawdown from the peak when there is no order manager to flatten with', () => {
    const risk = new RiskEngine({
      config: { postTrade: { maxDrawdown: { limit: 0.1, action: 'FLATTEN' } } },
      initialEquity: 1_000,
    });
    risk.onFill(fill('BUY', '10', '100'));
    risk.onMark(BTC.id, 120, 1); // peak 1 200
    risk.onMark(BTC.id, 109, 2); // 1 090: drawdown 9.17 %
    expect(risk.states.allActive).toBe(true);
    risk.onMark(BTC.id, 107, 3); // 1 070: drawdown 10.83 %
    expect(risk.states.entryOf({ kind: 'account', id: 'main' })).toMatchObject({
      state: 'HALTED',
      setBy: 'rule:maxDrawdown',
    });
  });

  it('trips only the strategy whose loss passes its limit', () => {
    const risk = new RiskEngine({
      config: { postTrade: { maxStrategyLoss: { limit: 20, action: 'REDUCE_ONLY' } } },
    });
    risk.onFill(fill('BUY', '1', '100'), ['strategy:a']);
    risk.onFill(fill('SELL', '1', '100'), ['strategy:b']);
    risk.onMark(BTC.id, 79, 1); // a loses 21, b gains 21
    expect(risk.states.stateOf({ kind: 'strategy', id: 'a' })).toBe('REDUCE_ONLY');
    expect(risk.states.stateOf({ kind: 'strategy', id: 'b' })).toBe('ACTIVE');
    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('ACTIVE');
  });

  it('resets a tripped state after the cool-down, and trips again if the breach goes on', () => {
    const clock = new SimulatedClock();
    const at = (timeMs: number) => {
      clock.advanceTo(timeMs);
      return timeMs;
    };
    const risk = new RiskEngine({
      clock,
      config: {
        postTrade: { maxDrawdown: { limit: 0.1, action: 'HALT_ENTRIES' } },
        autoReset: { coolDownMs: 60_000 },
      },
      initialEquity: 1_000,
    });
    risk.onFill(fill('BUY', '10', '100'));
    risk.onMark(BTC.id, 88, at(0)); // drawdown 12 %
    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('HALT_ENTRIES');
    risk.onMark(BTC.id, 88, at(59_999));
    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('HALT_ENTRIES');
    risk.onMark(BTC.id, 88, at(60_000)); // reset, the peak starts over at 880
    expect(risk.states.allActive).toBe(true);
    risk.onMark(BTC.id, 79, at(60_001)); // 790 from 880: 10.2 %
    expect(risk.states.stateOf({ kind: 'account', id: 'main' })).toBe('HALT_ENTRIES');
  });

  it('hot-reloads limits, logs a loosening while its breach is active, and keeps the old config on a bad one', () => {
    const logger = collectingLogger();
    const risk = new RiskEngine({
      config: {
        account: { maxOrderQuantity: 1 },
        postTrade: { maxDailyLoss: { limit: 50, action: 'HALT_ENTRIES' } },
      },
      initialEquity: 1_000,
      logger,
    });
    risk.onFill(fill('BUY', '1', '100'));
    risk.onMark(BTC.id, 40, 1); // loss 60
    expect(risk.states.allActive).toBe(false);
    expect(() => risk.updateConfig({ account: { maxOrderQuantity: 0 } })).toThrow(
      /maxOrderQuantity/,
    );
    expect(risk.config.account?.maxOrderQuantity).toBe(1);
    const update = risk.updateConfig({
      account: { maxOrderQuantity: 3 },
      postTrade: { maxDailyLoss: { limit: 100, action: 'HALT_ENTRIES' } },
    });
    expect(update.loosenedWhileBreached).toEqual(['maxDailyLoss']);
    expect(
      logger.entries.some((entry) => entry.level === 'warn' && /loosened/.test(String(entry.msg))),
    ).toBe(true);
    // The new quantity limit applies at once, to reducing orders in HALT_ENTRIES too.
    expect(risk.check(request({ side: 'SELL', quantity: '1' }), context()).approved).toBe(true);
    const tighter = risk.updateConfig({
      account: { maxOrderQuantity: 0.5 },
      postTrade: { maxDailyLoss: { limit: 10, action: 'HALT_ENTRIES' } },
    });
    expect(tighter.loosenedWhileBreached).toEqual([]);
    expect(refusal(risk.check(request({ side: 'SELL', quantity: '1' }), context())).code).toBe(
      'MAX_ORDER_QUANTITY',
    );
  });
});

describe('RiskEngine limit usage', () => {
  it('reports each scope between-order limits against positions at their marks, equity and order rate', () => {
    const clock = new SimulatedClock();
    const risk = new RiskEngine({
      clock,
      initialEquity: 10_000,
      config: {
        account: {
          maxOrderQuantity: 100,
          maxPosition: 50,
          maxGrossExposure: 10_000,
          maxNetExposure: 4_000,
          maxLeverage: 3,
          maxOpenOrders: 4,
        },
        strategies: { a: { maxPosition: 1, maxOrdersPerSecond: 3 } },
        instruments: { [ETH.id]: { maxPosition: 40 } },
      },
    });
    risk.onMark(BTC.id, 1_000, 0);
    risk.onMark(ETH.id, 100, 0);
    risk.onFill(fill('BUY', '0.5', '1000'), ['strategy:a']);
    risk.onFill(fill('BUY', '1.5', '1000'));
    risk.onFill(fill('SELL', '30', '100', 0, ETH));
    for (const timeMs of [100, 300]) {
      expect(
        risk.check(request({ side: 'BUY', quantity: '0.1' }, 'a'), context(timeMs)).approved,
      ).toBe(true);
    }
    clock.advanceTo(500);
    // Account: long 2 BTC (2 000) and short 30 ETH (-3 000) at the marks; every fill at its mark,
    // so equity stays 10 000. Gross 5 000, net |2 000 - 3 000| = 1 000, leverage 0.5. No order
    // manager is known, so open orders are not reported; the order quantity limit has no usage.
    expect(risk.limitUsage()).toEqual([
      { name: 'account.maxPosition', limit: 50, used: 30 },
      { name: 'account.maxGrossExposure', limit: 10_000, used: 5_000 },
      { name: 'account.maxNetExposure', limit: 4_000, used: 1_000 },
      { name: 'account.maxLeverage', limit: 3, used: 0.5, unit: 'x' },
      { name: 'strategy:a.maxPosition', limit: 1, used: 0.5 },
      { name: 'strategy:a.maxOrdersPerSecond', limit: 3, used: 2, unit: 'orders/s' },
      { name: `instrument:${ETH.id}.maxPosition`, limit: 40, used: 30 },
    ]);
    // A second later both orders have left the window.
    clock.advanceTo(1_400);
    expect(risk.limitUsage().find((row) => row.name.endsWith('PerSecond'))?.used).toBe(0);
  });

  it('reports drawdown, daily loss and each strategy loss against their post-trade limits', () => {
    const risk = new RiskEngine({
      initialEquity: 10_000,
      config: {
        postTrade: {
          maxDrawdown: { limit: 0.2, action: 'FLATTEN' },
          maxDailyLoss: { limit: 1_000, action: 'HALT_ENTRIES' },
          maxStrategyLoss: { limit: 500, action: 'HALTED' },
        },
      },
    });
    risk.onMark(BTC.id, 1_000, 0);
    risk.onFill(fill('BUY', '2', '1000'), ['strategy:a']);
    risk.onFill(fill('SELL', '1', '1000'), ['strategy:b']);
    // At 1 100: a +200, b -100, equity 10 100, the peak. At 800: a -400, b +200, equity 9 800.
    risk.onMark(BTC.id, 1_100, 1_000);
    risk.onMark(BTC.id, 800, 2_000);
    const rows = risk.limitUsage();
    expect(rows.map((row) => row.name)).toEqual([
      'account.maxDrawdown',
      'account.maxDailyLoss',
      'strategy:a.maxStrategyLoss',
      'strategy:b.maxStrategyLoss',
    ]);
    // Drawdown 300 / 10 100 of the peak; the day started at 10 000; b gained, so it counts 0.
    expect(rows[0]).toMatchObject({ limit: 0.2, unit: 'fraction' });
    expect(rows[0]!.used).toBeCloseTo(300 / 10_100, 12);
    expect(rows.slice(1)).toEqual([
      { name: 'account.maxDailyLoss', limit: 1_000, used: 200 },
      { name: 'strategy:a.maxStrategyLoss', limit: 500, used: 400 },
      { name: 'strategy:b.maxStrategyLoss', limit: 500, used: 0 },
    ]);
    expect(risk.states.allActive).toBe(true);
  });

  it('reports nothing when no limit is configured', () => {
    expect(new RiskEngine().limitUsage()).toEqual([]);
  });
});
