import { EventBus, SimulatedClock, type TradingStateChangedEvent } from '@qtp/core';
import { riskEngineControl } from '@qtp/dashboard';
import { RiskEngine, type TradingStateEvents } from '@qtp/risk';
import { describe, expect, it } from 'vitest';

describe('riskEngineControl', () => {
  it('lists the account always and other scopes while restricted, switching them in the risk engine', () => {
    const bus = new EventBus<TradingStateEvents>({ clock: new SimulatedClock() });
    const seen: TradingStateChangedEvent[] = [];
    bus.subscribe('risk.state', (event) => seen.push(event));
    const risk = new RiskEngine({ config: { accountId: 'desk' }, publisher: bus });
    const control = riskEngineControl(risk);
    expect(control.states?.()).toEqual([
      { scope: { kind: 'account', id: 'desk' }, state: 'ACTIVE' },
    ]);

    const sma = { kind: 'strategy', id: 'sma' } as const;
    control.setState('REDUCE_ONLY', { scope: sma, setBy: 'dashboard:ana', reason: 'spike' });
    control.setState('HALT_ENTRIES', { setBy: 'dashboard', reason: 'news' });
    expect(control.states?.()).toEqual([
      { scope: { kind: 'account', id: 'desk' }, state: 'HALT_ENTRIES' },
      { scope: sma, state: 'REDUCE_ONLY' },
    ]);
    control.setState('ACTIVE', { scope: sma, setBy: 'dashboard', reason: 'calm' });
    expect(control.states?.()).toEqual([
      { scope: { kind: 'account', id: 'desk' }, state: 'HALT_ENTRIES' },
    ]);
    expect(seen.map((event) => [event.scope.id, event.from, event.to, event.setBy])).toEqual([
      ['sma', 'ACTIVE', 'REDUCE_ONLY', 'dashboard:ana'],
      ['desk', 'ACTIVE', 'HALT_ENTRIES', 'dashboard'],
      ['sma', 'REDUCE_ONLY', 'ACTIVE', 'dashboard'],
    ]);
  });

  it('passes on the risk engine refusal of a resume without a reason, and its limits', () => {
    const risk = new RiskEngine({ config: { account: { maxPosition: 5 } } });
    const control = riskEngineControl(risk);
    control.setState('HALTED', { setBy: 'dashboard', reason: 'stop' });
    expect(() => control.setState('ACTIVE', { setBy: 'dashboard', reason: ' ' })).toThrow(/reason/);
    expect(control.limits?.()).toEqual([{ name: 'account.maxPosition', limit: 5, used: 0 }]);
  });
});
