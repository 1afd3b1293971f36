import type { PreTradeDecision, PreTradeGate } from '@qtp/core';

const APPROVED: PreTradeDecision = Object.freeze({ approved: true });

/** A `PreTradeGate` that approves every request: the order manager's default. */
export const approveAllGate: PreTradeGate = Object.freeze({
  check: (): PreTradeDecision => APPROVED,
});
