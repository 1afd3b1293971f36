import { summarize } from '@qtp/dashboard';
import { describe, expect, it } from 'vitest';

describe('summarize', () => {
  it('lists the usual fields of an order event', () => {
    expect(
      summarize('order.canceled', { clientOrderId: 'a1', status: 'CANCELED', timeMs: 5 }),
    ).toBe('clientOrderId=a1 status=CANCELED');
  });

  it('shows a denial code and message and a trading state scope', () => {
    expect(
      summarize('order.denied', {
        clientOrderId: 'b',
        denial: { code: 'MAX_NOTIONAL', message: 'too big' },
      }),
    ).toBe('clientOrderId=b code=MAX_NOTIONAL too big');
    expect(
      summarize('risk.state', {
        from: 'ACTIVE',
        to: 'HALTED',
        setBy: 'dashboard',
        reason: 'r',
        scope: { kind: 'account', id: 'main' },
      }),
    ).toBe('from=ACTIVE to=HALTED setBy=dashboard reason=r scope=account:main');
  });

  it('falls back to the topic', () => {
    expect(summarize('engine.started', null)).toBe('engine.started');
    expect(summarize('engine.started', { timeMs: 1 })).toBe('engine.started');
  });
});
