import { isQtpError } from '@qtp/core';
import type { OrderJournal, OrderRecord } from '@qtp/oms';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LifecycleEnd, orderLifecycle } from './order-records.js';

/** Options of {@link orderJournalConformance}. */
export interface OrderJournalConformanceOptions {
  /** The implementation's name, used in the suite's title. */
  name: string;
  /** Returns an empty journal; called before every test and for every property run. */
  createJournal: () => OrderJournal | Promise<OrderJournal>;
  /** Releases a journal after a test (close a pool, drop a schema). */
  disposeJournal?: (journal: OrderJournal) => void | Promise<void>;
  /** How many random append sequences the property runs (default 25). */
  numRuns?: number;
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the append to throw');
}

/**
 * Registers the contract every `OrderJournal` of `@qtp/oms` must pass: an intent first, events
 * after it, the latest record per order read back by id, a taken id refused, an event without
 * an intent refused, replayed records changing nothing, and a fast-check property that appends
 * random interleavings of order lifecycles and compares the journal with a plain model. Call it
 * at the top level of a vitest test file.
 *
 * @example
 * ```ts
 * import { InMemoryOrderJournal } from '@qtp/oms';
 * import { orderJournalConformance } from '@qtp/store/testing';
 *
 * orderJournalConformance({ name: 'InMemoryOrderJournal', createJournal: () => new InMemoryOrderJournal() });
 * ```
 */
export function orderJournalConformance(options: OrderJournalConformanceOptions): void {
  describe(`${options.name} order journal conformance`, () => {
    let journal: OrderJournal;

    beforeEach(async () => {
      journal = await options.createJournal();
    });
    afterEach(async () => {
      await options.disposeJournal?.(journal);
    });

    it('loads the latest record of each order after its intent and events, sorted by id', async () => {
      const filled = orderLifecycle('o-2', 'filled');
      const canceled = orderLifecycle('o-1', 'canceled');
      await journal.appendIntent(filled[0]!);
      await journal.appendIntent(canceled[0]!);
      for (const record of filled.slice(1)) await journal.appendEvent(record);
      await journal.appendEvent(canceled[1]!);
      const loaded = await journal.loadAll();
      expect(loaded.map((record) => [record.id, record.status])).toEqual([
        ['o-1', 'SUBMITTED'],
        ['o-2', 'FILLED'],
      ]);
      expect(loaded[1]).toEqual(filled.at(-1));
      expect(loaded[1]?.order.fills.map((fill) => fill.tradeId)).toEqual(['o-2-t1', 'o-2-t2']);
      expect(loaded[1]?.order.fills[1]?.price).toBe('27000.25');
      expect(loaded[1]?.order.venueOrderId).toBe('v-o-2');
    });

    it('refuses a different intent for a taken id and keeps the first', async () => {
      const [intent, submitted] = orderLifecycle('o-1', 'filled');
      await journal.appendIntent(intent!);
      const other = { ...intent!, order: { ...intent!.order, quantity: '0.5' } };
      const error = await errorOf(() => journal.appendIntent(other));
      expect(isQtpError(error, 'CONCURRENCY_CONFLICT')).toBe(true);
      await journal.appendEvent(submitted!);
      const again = await errorOf(() => journal.appendIntent(other));
      expect(isQtpError(again, 'CONCURRENCY_CONFLICT')).toBe(true);
      expect((await journal.loadAll()).map((record) => record.order.quantity)).toEqual(['0.03']);
    });

    it('refuses an event of an order whose intent is not journaled', async () => {
      const [, submitted] = orderLifecycle('o-1', 'filled');
      const error = await errorOf(() => journal.appendEvent(submitted!));
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect(await journal.loadAll()).toEqual([]);
    });

    it('changes nothing when an event already journaled is appended again', async () => {
      const records = orderLifecycle('o-1', 'filled');
      await journal.appendIntent(records[0]!);
      for (const record of records.slice(1)) await journal.appendEvent(record);
      const before = await journal.loadAll();
      await journal.appendEvent(records.at(-1)!);
      expect(await journal.loadAll()).toEqual(before);
    });

    it('keeps a stored record unchanged when the caller changes its object', async () => {
      const [intent] = orderLifecycle('o-1', 'filled');
      const copy = structuredClone(intent!) as { status: string; order: { quantity: string } };
      await journal.appendIntent(copy as unknown as OrderRecord);
      copy.status = 'FILLED';
      copy.order.quantity = '9';
      const [stored] = await journal.loadAll();
      expect([stored?.status, stored?.order.quantity]).toEqual(['INITIALIZED', '0.03']);
    });

    it('matches a model over random interleavings of order lifecycles', async () => {
      const ends = fc.constantFrom<LifecycleEnd>('filled', 'canceled', 'rejected');
      const scenario = fc.array(ends, { minLength: 1, maxLength: 4 }).chain((orders) =>
        fc.tuple(
          fc.constant(orders),
          fc.shuffledSubarray(
            orders.flatMap((end, index) =>
              orderLifecycle(`p-${index}`, end).map((_, step) => [index, step] as const),
            ),
            { minLength: 0 },
          ),
        ),
      );
      await fc.assert(
        fc.asyncProperty(scenario, async ([orders, picks]) => {
          const fresh = await options.createJournal();
          try {
            const lifecycles = orders.map((end, index) => orderLifecycle(`p-${index}`, end));
            // Each order's records go in order, as the order manager writes them; orders interleave.
            const next = orders.map(() => 0);
            const model = new Map<string, OrderRecord>();
            for (const [index] of picks) {
              const step = next[index]!;
              const record = lifecycles[index]![step];
              if (record === undefined) continue;
              next[index] = step + 1;
              if (step === 0) await fresh.appendIntent(record);
              else await fresh.appendEvent(record);
              model.set(record.id, record);
            }
            const expected = [...model.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
            expect(await fresh.loadAll()).toEqual(expected);
          } finally {
            await options.disposeJournal?.(fresh);
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    });
  });
}
