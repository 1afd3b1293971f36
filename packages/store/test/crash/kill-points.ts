// Where an engine process may be killed: before the journal write of an order, after it and
// before the send, after the send and before the acknowledgement is handled, between fills.
import { createOrderRequest, type Instrument, type OrderRequest } from '@qtp/core';
import type { OrderJournal, OrderRecord } from '@qtp/oms';

export type KillKind = 'beforeJournal' | 'afterJournal' | 'afterSend' | 'betweenFills';
export const KILL_KINDS: readonly KillKind[] = [
  'beforeJournal',
  'afterJournal',
  'afterSend',
  'betweenFills',
];

/** The `at`-th time the process reaches a point of `kind` it kills itself. */
export interface KillPoint {
  readonly kind: KillKind;
  readonly at: number;
}

/** Returns the function each kill point calls: it counts the point and sends SIGKILL at the chosen one. */
export function killSwitch(kill: KillPoint | undefined): (kind: KillKind) => void {
  const counts = new Map<KillKind, number>();
  return (kind) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (kill?.kind === kind && kill.at === n) process.kill(process.pid, 'SIGKILL');
  };
}

/** Wraps a journal so an intent passes the `beforeJournal` and `afterJournal` points. */
export function journalWithKills(store: OrderJournal, hit: (kind: KillKind) => void): OrderJournal {
  return {
    appendIntent: async (record: OrderRecord) => {
      hit('beforeJournal');
      await store.appendIntent(record);
      hit('afterJournal');
    },
    appendEvent: (record: OrderRecord) => store.appendEvent(record),
    loadAll: () => store.loadAll(),
  };
}

/** The seeded limit orders of one run: sides, the limit price of each side, quantities of 1 to 3.9. */
export function ordersOf(
  seed: number,
  count: number,
  instrument: Instrument,
  prices: { readonly buy: string; readonly sell: string },
): OrderRequest[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const buy = random() < 0.5;
    return createOrderRequest({
      instrumentId: instrument.id,
      side: buy ? 'BUY' : 'SELL',
      type: 'LIMIT',
      price: buy ? prices.buy : prices.sell,
      quantity: (1 + Math.floor(random() * 30) / 10).toFixed(1),
    });
  });
}
