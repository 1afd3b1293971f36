import {
  type ClientOrderId,
  createOrderRequest,
  Decimal,
  instrumentId,
  type OrderStatus,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BracketBook } from './bracket.js';
import type { LocalStop } from './local-stops.js';

const id = instrumentId('BTCUSDT', 'BINANCE');

type Step =
  | { readonly kind: 'entryEnds'; readonly status: OrderStatus; readonly filled: number }
  | { readonly kind: 'takeProfitFill' }
  | { readonly kind: 'takeProfitEnds'; readonly status: OrderStatus; readonly filled: number }
  | { readonly kind: 'stopTriggers' }
  | { readonly kind: 'stopOrderFill' };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('entryEnds' as const),
      status: fc.constantFrom<OrderStatus>('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'),
      filled: fc.integer({ min: 0, max: 3 }),
    }),
    fc.constant({ kind: 'takeProfitFill' as const }),
    fc.record({
      kind: fc.constant('takeProfitEnds' as const),
      status: fc.constantFrom<OrderStatus>('FILLED', 'CANCELED', 'EXPIRED'),
      filled: fc.integer({ min: 0, max: 3 }),
    }),
    fc.constant({ kind: 'stopTriggers' as const }),
    fc.constant({ kind: 'stopOrderFill' as const }),
  ),
  { maxLength: 12 },
);

// Drives one bracket through a random sequence of venue events and records what it asked for.
function drive(sequence: readonly Step[]) {
  const placed: { kind: 'stop' | 'limit' | 'fired'; id: ClientOrderId; quantity: string }[] = [];
  const canceled: ClientOrderId[] = [];
  const held = new Map<ClientOrderId, LocalStop>();
  let next = 0;
  const book = new BracketBook({
    holdStop: (instrument, side, quantity, trigger, _limit, tags) => {
      const stopId = `stop-${++next}`;
      const request = createOrderRequest({
        instrumentId: instrument,
        side,
        type: 'STOP_MARKET',
        quantity,
        triggerPrice: trigger,
        tags,
      });
      held.set(stopId, { clientOrderId: stopId, request, trigger: Number(trigger) });
      placed.push({ kind: 'stop', id: stopId, quantity: quantity.toString() });
      return stopId;
    },
    placeLimit: (_instrument, _side, quantity) => {
      const limitId = `limit-${++next}`;
      placed.push({ kind: 'limit', id: limitId, quantity: quantity.toString() });
      return limitId;
    },
    cancel: (orderId) => {
      canceled.push(orderId);
      held.delete(orderId);
    },
    fire: (stop) => {
      const firedId = `fired-${++next}`;
      placed.push({ kind: 'fired', id: firedId, quantity: stop.request.quantity.toString() });
      return firedId;
    },
  });
  book.add('entry', {
    instrumentId: id,
    side: 'BUY',
    quantity: '3',
    stopLoss: '90',
    takeProfit: '110',
  });
  let exitFills = 0;
  const fillsOf = new Set<ClientOrderId>();
  const ended = new Set<ClientOrderId>();
  const idOf = (kind: 'stop' | 'limit' | 'fired') =>
    [...placed].reverse().find((entry) => entry.kind === kind)?.id;
  for (const step of sequence) {
    switch (step.kind) {
      case 'entryEnds':
        book.onStatus('entry', step.status, new Decimal(step.filled));
        break;
      case 'takeProfitFill': {
        const limit = idOf('limit');
        if (limit !== undefined && !ended.has(limit) && !canceled.includes(limit)) {
          fillsOf.add(limit);
          exitFills++;
          book.onFill(limit);
        }
        break;
      }
      case 'takeProfitEnds': {
        const limit = idOf('limit');
        if (limit === undefined || ended.has(limit)) break;
        ended.add(limit);
        // As a venue reports it: a FILLED status follows a fill; a canceled order ends CANCELED.
        const status = canceled.includes(limit) ? 'CANCELED' : step.status;
        if (status === 'FILLED' && !fillsOf.has(limit)) {
          fillsOf.add(limit);
          exitFills++;
          book.onFill(limit);
        }
        const filled = fillsOf.has(limit) ? Math.max(step.filled, 1) : 0;
        book.onStatus(limit, status, new Decimal(filled));
        break;
      }
      case 'stopTriggers': {
        const stop = idOf('stop');
        const local = stop === undefined ? undefined : held.get(stop);
        if (local !== undefined) {
          held.delete(local.clientOrderId);
          book.claimTrigger(local);
        }
        break;
      }
      case 'stopOrderFill': {
        const fired = idOf('fired');
        if (fired !== undefined) {
          fillsOf.add(fired);
          exitFills++;
          book.onFill(fired);
        }
        break;
      }
    }
  }
  return { book, placed, canceled, exitFills, fillsOf, ended };
}

describe('BracketBook', () => {
  it('places each exit at most once, for the quantity the entry filled', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { placed } = drive(sequence);
        expect(placed.filter((entry) => entry.kind === 'stop').length).toBeLessThanOrEqual(1);
        expect(placed.filter((entry) => entry.kind === 'limit').length).toBeLessThanOrEqual(1);
        const firstEnd = sequence.find((step) => step.kind === 'entryEnds');
        const exits = placed.filter((entry) => entry.kind !== 'fired');
        if (firstEnd === undefined || firstEnd.filled === 0) expect(exits).toEqual([]);
        else for (const exit of exits) expect(exit.quantity).toBe(String(firstEnd.filled));
      }),
    );
  });

  it('never lets both exits fill: the first fill of one cancels the other', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { placed, canceled, fillsOf, ended } = drive(sequence);
        const limit = placed.find((entry) => entry.kind === 'limit')?.id;
        const fired = placed.find((entry) => entry.kind === 'fired')?.id;
        // The stop's order is sent only once the take-profit has ended (canceled by the bracket
        // and confirmed, or ended by the venue) without a fill.
        if (fired !== undefined && limit !== undefined) {
          expect(ended.has(limit)).toBe(true);
          expect(fillsOf.has(limit)).toBe(false);
        }
        if (limit !== undefined && fillsOf.has(limit)) {
          const stop = placed.find((entry) => entry.kind === 'stop')?.id;
          expect(fired).toBeUndefined();
          expect(canceled).toContain(stop);
        }
      }),
    );
  });

  it('reports a bracket closed once an exit filled or the entry ended empty', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { book, exitFills } = drive(sequence);
        const firstEnd = sequence.find((step) => step.kind === 'entryEnds');
        const closed = exitFills > 0 || (firstEnd !== undefined && firstEnd.filled === 0);
        if (closed) expect(book.list()).toEqual([]);
        if (firstEnd === undefined) expect(book.list().map((b) => b.state)).toEqual(['entering']);
      }),
    );
  });
});
