import {
  canTransition,
  isOpenOrderStatus,
  isTerminalOrderStatus,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  TERMINAL_ORDER_STATUSES,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

describe('ORDER_TRANSITIONS', () => {
  it('lists every status and only known statuses', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const targets of Object.values(ORDER_TRANSITIONS)) {
      for (const target of targets) expect(ORDER_STATUSES).toContain(target);
    }
  });

  it('leaves no way out of a terminal status', () => {
    for (const status of TERMINAL_ORDER_STATUSES) {
      expect(ORDER_TRANSITIONS[status]).toEqual([]);
      expect(isTerminalOrderStatus(status)).toBe(true);
    }
  });

  it('leads from every non-terminal status to a terminal one', () => {
    for (const status of ORDER_STATUSES) {
      if (isTerminalOrderStatus(status)) continue;
      expect(ORDER_TRANSITIONS[status].some(isTerminalOrderStatus)).toBe(true);
    }
  });

  it('allows the edges the lifecycle needs and refuses the rest', () => {
    expect(canTransition('INITIALIZED', 'SUBMITTED')).toBe(true);
    expect(canTransition('SUBMITTED', 'FILLED')).toBe(true);
    expect(canTransition('PENDING_CANCEL', 'ACCEPTED')).toBe(true);
    expect(canTransition('INITIALIZED', 'FILLED')).toBe(false);
    expect(canTransition('SUBMITTED', 'PENDING_CANCEL')).toBe(false);
    expect(canTransition('ACCEPTED', 'REJECTED')).toBe(false);
    expect(canTransition('FILLED', 'CANCELED')).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(ORDER_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(ORDER_TRANSITIONS.ACCEPTED)).toBe(true);
  });

  it('counts an order open only between sending and a terminal status', () => {
    expect(ORDER_STATUSES.filter(isOpenOrderStatus)).toEqual([
      'SUBMITTED',
      'ACCEPTED',
      'TRIGGERED',
      'PARTIALLY_FILLED',
      'PENDING_CANCEL',
    ]);
  });
});
