import { type ExecutionEndedEvent, instrumentId, parseExecutionEndedEvent } from '@qtp/core';
import { describe, expect, it } from 'vitest';

const event: ExecutionEndedEvent = {
  type: 'execution.ended',
  parentClientOrderId: 'exec-P1-1',
  algorithm: 'TWAP',
  instrumentId: instrumentId('XRPETH', 'BINANCE'),
  side: 'BUY',
  status: 'FILLED',
  reason: null,
  quantity: '6000',
  filledQuantity: '6000',
  startTimeMs: 1_000,
  endTimeMs: 9_000,
  costs: {
    parentClientOrderId: 'exec-P1-1',
    algorithm: 'TWAP',
    filledQuantity: 6000,
    averagePrice: 0.00142,
    arrivalPrice: 0.0014,
    intervalVwap: 0.00141,
    closePrice: 0.00143,
    implementationShortfallBps: 152.9,
    slippageVsVwapBps: 70.9,
    slippageVsCloseBps: -69.9,
    participation: 0.05,
    fees: 0.00852,
    estimatedImpactBps: null,
  },
};

describe('execution.ended codec', () => {
  it('reads back what JSON.stringify wrote', () => {
    expect(parseExecutionEndedEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('carries no costs for a parent that filled nothing', () => {
    const none = { ...event, status: 'CANCELED', filledQuantity: '0', costs: null, reason: 'x' };
    expect(parseExecutionEndedEvent(none).costs).toBeNull();
  });

  it('refuses a working parent, naming the status', () => {
    expect(() => parseExecutionEndedEvent({ ...event, status: 'WORKING' })).toThrow(/status/);
  });

  it('refuses a quantity written as a number', () => {
    expect(() => parseExecutionEndedEvent({ ...event, quantity: 6000 })).toThrow(/quantity/);
  });

  it('refuses an unknown field', () => {
    expect(() => parseExecutionEndedEvent({ ...event, extra: 1 })).toThrow();
  });
});
