import { type ConcurrencyConflictError, isQtpError, ValidationError } from '@qtp/core';
import {
  type DataStore,
  defineCollection,
  type Entity,
  type Repository,
  withUnitOfWork,
} from '@qtp/core/repository';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The entity the conformance suite stores. A SQL implementation needs a table named
 * `conformance_orders` with these columns: `id` text primary key, `symbol` text, `side` text,
 * `quantity` a number, `note` text that may be null, `version` integer.
 */
export interface ConformanceOrder extends Entity<string> {
  /** The instrument symbol, lower-case ASCII in the suite. */
  readonly symbol: string;
  /** `buy` or `sell`. */
  readonly side: 'buy' | 'sell';
  /** A quantity; an integer in the suite. */
  readonly quantity: number;
  /** A note that may be null. */
  readonly note: string | null;
}

/** The collection the conformance suite writes to. */
export const conformanceOrders = defineCollection<ConformanceOrder>('conformance_orders');

/** Options of {@link repositoryConformance}. */
export interface RepositoryConformanceOptions {
  /** The implementation's name, used in the suite's title. */
  name: string;
  /** Returns a store with an empty `conformance_orders` collection; called before every test. */
  createStore: () => DataStore | Promise<DataStore>;
  /** Releases a store after a test (close a pool, drop a schema). */
  disposeStore?: (store: DataStore) => void | Promise<void>;
  /** How many random command sequences the property runs (default 50). */
  numRuns?: number;
}

type Row = Omit<ConformanceOrder, 'version'>;

function row(id: string, overrides: Partial<Row> = {}): Row {
  return { id, symbol: 'btcusdt', side: 'buy', quantity: 1, note: null, ...overrides };
}

async function conflictOf(run: () => Promise<unknown>): Promise<ConcurrencyConflictError> {
  try {
    await run();
  } catch (error) {
    expect(isQtpError(error, 'CONCURRENCY_CONFLICT')).toBe(true);
    return error as ConcurrencyConflictError;
  }
  throw new Error('expected a ConcurrencyConflictError');
}

async function contents(
  repository: Repository<ConformanceOrder>,
): Promise<[string, number, number][]> {
  const all = await repository.find({ orderBy: [{ field: 'id' }] });
  return all.map((order) => [order.id, order.quantity, order.version]);
}

// Commands of the model-based property. Each transaction runs a few writes, optionally around a
// savepoint, then commits or rolls back; the model is a plain Map updated by the same rules.
type Command =
  | { readonly kind: 'add'; readonly id: string; readonly quantity: number }
  | {
      readonly kind: 'update';
      readonly id: string;
      readonly quantity: number;
      readonly stale: boolean;
    }
  | { readonly kind: 'remove'; readonly id: string }
  | { readonly kind: 'savepoint' }
  | { readonly kind: 'rollbackTo' }
  | { readonly kind: 'release' };

interface Transaction {
  readonly commands: readonly Command[];
  readonly commit: boolean;
}

const idArbitrary = fc.constantFrom('a', 'b', 'c', 'd');
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    id: idArbitrary,
    quantity: fc.integer({ min: 1, max: 99 }),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    id: idArbitrary,
    quantity: fc.integer({ min: 1, max: 99 }),
    stale: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('remove' as const), id: idArbitrary }),
  fc.constant({ kind: 'savepoint' as const }),
  fc.constant({ kind: 'rollbackTo' as const }),
  fc.constant({ kind: 'release' as const }),
);
const transactionArbitrary: fc.Arbitrary<Transaction> = fc.record({
  commands: fc.array(commandArbitrary, { maxLength: 8 }),
  commit: fc.boolean(),
});

type Model = Map<string, { quantity: number; version: number }>;

async function runTransaction(store: DataStore, tx: Transaction, committed: Model): Promise<Model> {
  const uow = store.unitOfWork();
  await uow.begin();
  const repository = uow.repository(conformanceOrders);
  let model: Model = new Map(committed);
  const savepoints: { name: string; model: Model }[] = [];
  for (const command of tx.commands) {
    switch (command.kind) {
      case 'add': {
        const expectConflict = model.has(command.id);
        const outcome = await repository.add(row(command.id, { quantity: command.quantity })).then(
          () => 'ok',
          (error: unknown) =>
            isQtpError(error, 'CONCURRENCY_CONFLICT') ? 'conflict' : Promise.reject(error),
        );
        expect(outcome).toBe(expectConflict ? 'conflict' : 'ok');
        if (!expectConflict) model.set(command.id, { quantity: command.quantity, version: 1 });
        break;
      }
      case 'update': {
        const known = model.get(command.id);
        // A stale write carries the version before the current one; an unknown id carries 1.
        const version = known === undefined ? 1 : known.version - (command.stale ? 1 : 0);
        const candidate = { ...row(command.id, { quantity: command.quantity }), version };
        const expectConflict = known === undefined || command.stale;
        const outcome = await repository.update(candidate).then(
          () => 'ok',
          (error: unknown) =>
            isQtpError(error, 'CONCURRENCY_CONFLICT') ? 'conflict' : Promise.reject(error),
        );
        expect(outcome).toBe(expectConflict ? 'conflict' : 'ok');
        if (!expectConflict && known)
          model.set(command.id, { quantity: command.quantity, version: known.version + 1 });
        break;
      }
      case 'remove':
        expect(await repository.remove(command.id)).toBe(model.delete(command.id));
        break;
      case 'savepoint':
        savepoints.push({ name: await uow.savepoint(), model: new Map(model) });
        break;
      case 'rollbackTo': {
        const last = savepoints[savepoints.length - 1];
        if (last === undefined) break;
        await uow.rollbackTo(last.name);
        model = new Map(last.model);
        break;
      }
      case 'release': {
        const last = savepoints.pop();
        if (last !== undefined) await uow.release(last.name);
        break;
      }
    }
  }
  if (tx.commit) {
    await uow.commit();
    return model;
  }
  await uow.rollback();
  return committed;
}

/**
 * Registers the contract every {@link DataStore} implementation must pass: repository reads,
 * queries and optimistic versioning; units of work with commit, rollback and savepoints; and a
 * fast-check property comparing random transactions with a simple model. Call it at the top level
 * of a vitest test file.
 *
 * The suite runs one unit of work at a time, or several that never wait on each other's row
 * locks, so it suits both optimistic stores (conflicts found at commit) and locking databases
 * (conflicts found at the write).
 *
 * @example
 * ```ts
 * import { InMemoryDataStore } from '@qtp/core/repository';
 * import { repositoryConformance } from '@qtp/core/testing';
 *
 * repositoryConformance({ name: 'InMemoryDataStore', createStore: () => new InMemoryDataStore() });
 * ```
 */
export function repositoryConformance(options: RepositoryConformanceOptions): void {
  describe(`${options.name} repository conformance`, () => {
    let store: DataStore;
    let orders: Repository<ConformanceOrder>;

    beforeEach(async () => {
      store = await options.createStore();
      orders = store.repository(conformanceOrders);
    });
    afterEach(async () => {
      await options.disposeStore?.(store);
    });

    describe('repository', () => {
      it('adds an entity at version 1 and gets it by id', async () => {
        const added = await orders.add(row('o-1', { quantity: 5, note: 'first' }));
        expect(added).toEqual({ ...row('o-1', { quantity: 5, note: 'first' }), version: 1 });
        expect(await orders.get('o-1')).toEqual(added);
        expect(await orders.get('missing')).toBeUndefined();
      });

      it('refuses to add an id that is taken, naming the stored version', async () => {
        await orders.add(row('o-1'));
        const error = await conflictOf(() => orders.add(row('o-1', { quantity: 9 })));
        expect(error.expectedVersion).toBeUndefined();
        expect(error.actualVersion).toBe(1);
        expect((await orders.get('o-1'))?.quantity).toBe(1);
      });

      it('updates at the next version and refuses a stale version', async () => {
        const v1 = await orders.add(row('o-1'));
        const v2 = await orders.update({ ...v1, quantity: 2 });
        expect(v2.version).toBe(2);
        const error = await conflictOf(() => orders.update({ ...v1, quantity: 3 }));
        expect([error.expectedVersion, error.actualVersion]).toEqual([1, 2]);
        expect(await orders.get('o-1')).toEqual(v2);
      });

      it('refuses to update an entity that does not exist', async () => {
        const error = await conflictOf(() => orders.update({ ...row('ghost'), version: 1 }));
        expect(error.actualVersion).toBeUndefined();
      });

      it('removes an entity once and checks an expected version', async () => {
        const v1 = await orders.add(row('o-1'));
        await orders.update({ ...v1, quantity: 2 });
        await conflictOf(() => orders.remove('o-1', 1));
        expect(await orders.remove('o-1', 2)).toBe(true);
        expect(await orders.remove('o-1')).toBe(false);
        expect(await orders.get('o-1')).toBeUndefined();
      });

      it('keeps the stored entity when a returned copy is changed', async () => {
        const added = await orders.add(row('o-1'));
        try {
          (added as { quantity: number }).quantity = 99;
        } catch {
          // A frozen entity refuses the change, which is as good.
        }
        expect((await orders.get('o-1'))?.quantity).toBe(1);
      });

      it('finds by equality, operators and null', async () => {
        await orders.add(row('o-1', { symbol: 'btcusdt', quantity: 1 }));
        await orders.add(
          row('o-2', { symbol: 'ethusdt', quantity: 5, side: 'sell', note: 'hedge' }),
        );
        await orders.add(row('o-3', { symbol: 'btcusdt', quantity: 10, side: 'sell' }));
        const ids = async (where: Parameters<typeof orders.find>[0]) =>
          (await orders.find(where)).map((o) => o.id);
        expect(await ids({ where: { symbol: 'btcusdt' } })).toEqual(['o-1', 'o-3']);
        expect(await ids({ where: { quantity: { gt: 1, lte: 10 } } })).toEqual(['o-2', 'o-3']);
        expect(await ids({ where: { quantity: { gte: 5 }, side: 'sell' } })).toEqual([
          'o-2',
          'o-3',
        ]);
        expect(await ids({ where: { quantity: { lt: 5 } } })).toEqual(['o-1']);
        expect(await ids({ where: { symbol: { ne: 'btcusdt' } } })).toEqual(['o-2']);
        expect(await ids({ where: { id: { in: ['o-1', 'o-3', 'o-9'] } } })).toEqual(['o-1', 'o-3']);
        expect(await ids({ where: { id: { notIn: ['o-1'] } } })).toEqual(['o-2', 'o-3']);
        expect(await ids({ where: { note: null } })).toEqual(['o-1', 'o-3']);
        expect(await ids({ where: { note: 'hedge' } })).toEqual(['o-2']);
        expect(await orders.count({ side: 'sell' })).toBe(2);
        expect(await orders.count()).toBe(3);
      });

      it('sorts by several fields with ties broken by id, and pages', async () => {
        await orders.add(row('o-4', { symbol: 'ethusdt', quantity: 2 }));
        await orders.add(row('o-2', { symbol: 'btcusdt', quantity: 2 }));
        await orders.add(row('o-3', { symbol: 'btcusdt', quantity: 7 }));
        await orders.add(row('o-1', { symbol: 'ethusdt', quantity: 2 }));
        const sorted = await orders.find({
          orderBy: [{ field: 'quantity', direction: 'desc' }, { field: 'symbol' }],
        });
        expect(sorted.map((o) => o.id)).toEqual(['o-3', 'o-2', 'o-1', 'o-4']);
        const page = await orders.find({ orderBy: [{ field: 'symbol' }], offset: 1, limit: 2 });
        expect(page.map((o) => o.id)).toEqual(['o-3', 'o-1']);
        expect(await orders.find({ offset: 10 })).toEqual([]);
        await expect(orders.find({ limit: -1 })).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe('unit of work', () => {
      it('shows its writes to its own repositories and to others only after commit', async () => {
        await orders.add(row('o-1'));
        const uow = store.unitOfWork();
        await uow.begin();
        const inside = uow.repository(conformanceOrders);
        await inside.add(row('o-2'));
        const v1 = await inside.get('o-1');
        if (v1 === undefined) throw new Error('o-1 should be visible inside');
        await inside.update({ ...v1, quantity: 4 });
        expect(await contents(inside)).toEqual([
          ['o-1', 4, 2],
          ['o-2', 1, 1],
        ]);
        expect(await contents(orders)).toEqual([['o-1', 1, 1]]);
        await uow.commit();
        expect(uow.state).toBe('committed');
        expect(await contents(orders)).toEqual([
          ['o-1', 4, 2],
          ['o-2', 1, 1],
        ]);
      });

      it('undoes every add, update and remove on rollback', async () => {
        const a = await orders.add(row('o-1'));
        await orders.add(row('o-2'));
        const before = await contents(orders);
        const uow = store.unitOfWork();
        await uow.begin();
        const inside = uow.repository(conformanceOrders);
        await inside.update({ ...a, quantity: 8 });
        await inside.remove('o-2');
        await inside.add(row('o-3'));
        await uow.rollback();
        expect(uow.state).toBe('rolled-back');
        expect(await contents(orders)).toEqual(before);
      });

      it('rolls back to a savepoint, keeping earlier writes and the savepoint itself', async () => {
        const uow = store.unitOfWork();
        await uow.begin();
        const inside = uow.repository(conformanceOrders);
        await inside.add(row('o-1'));
        const outer = await uow.savepoint('outer');
        expect(outer).toBe('outer');
        await inside.add(row('o-2'));
        const inner = await uow.savepoint();
        await inside.add(row('o-3'));
        await uow.rollbackTo(inner);
        expect((await contents(inside)).map(([id]) => id)).toEqual(['o-1', 'o-2']);
        await uow.rollbackTo('outer');
        expect((await contents(inside)).map(([id]) => id)).toEqual(['o-1']);
        await expect(uow.rollbackTo(inner)).rejects.toBeInstanceOf(ValidationError);
        await inside.add(row('o-4'));
        await uow.rollbackTo('outer');
        await uow.commit();
        expect((await contents(orders)).map(([id]) => id)).toEqual(['o-1']);
      });

      it('keeps the writes of a released savepoint', async () => {
        const uow = store.unitOfWork();
        await uow.begin();
        const inside = uow.repository(conformanceOrders);
        await uow.savepoint('a');
        await inside.add(row('o-1'));
        await uow.release('a');
        await expect(uow.rollbackTo('a')).rejects.toBeInstanceOf(ValidationError);
        await uow.commit();
        expect((await contents(orders)).map(([id]) => id)).toEqual(['o-1']);
      });

      it('refuses a savepoint name that is not an identifier', async () => {
        const uow = store.unitOfWork();
        await uow.begin();
        await expect(uow.savepoint('x; DROP TABLE orders')).rejects.toBeInstanceOf(ValidationError);
        await uow.rollback();
      });

      it('stays usable after a write fails, and commits the rest', async () => {
        await orders.add(row('o-1'));
        const uow = store.unitOfWork();
        await uow.begin();
        const inside = uow.repository(conformanceOrders);
        await inside.add(row('o-2'));
        await conflictOf(() => inside.add(row('o-1')));
        await conflictOf(() => inside.update({ ...row('o-1'), version: 7 }));
        await inside.add(row('o-3'));
        await uow.commit();
        expect((await contents(orders)).map(([id]) => id)).toEqual(['o-1', 'o-2', 'o-3']);
      });

      it('refuses a stale update after another unit of work committed', async () => {
        const v1 = await orders.add(row('o-1'));
        const slow = store.unitOfWork();
        await slow.begin();
        const seen = await slow.repository(conformanceOrders).get('o-1');
        expect(seen).toEqual(v1);
        await withUnitOfWork(store, async (fast) => {
          await fast.repository(conformanceOrders).update({ ...v1, quantity: 2 });
        });
        await conflictOf(() => slow.repository(conformanceOrders).update({ ...v1, quantity: 3 }));
        await slow.rollback();
        expect(await contents(orders)).toEqual([['o-1', 2, 2]]);
      });

      it('refuses to work before begin and after the end', async () => {
        const uow = store.unitOfWork();
        expect(uow.state).toBe('idle');
        await expect(uow.commit()).rejects.toBeInstanceOf(ValidationError);
        await expect(uow.repository(conformanceOrders).get('o-1')).rejects.toBeInstanceOf(
          ValidationError,
        );
        await uow.begin();
        await expect(uow.begin()).rejects.toBeInstanceOf(ValidationError);
        await uow.commit();
        await expect(uow.repository(conformanceOrders).add(row('o-1'))).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(uow.rollback()).rejects.toBeInstanceOf(ValidationError);
      });

      it('commits with withUnitOfWork and rolls back when the work throws', async () => {
        const result = await withUnitOfWork(store, async (uow) => {
          await uow.repository(conformanceOrders).add(row('o-1'));
          return 'done';
        });
        expect(result).toBe('done');
        await expect(
          withUnitOfWork(store, async (uow) => {
            await uow.repository(conformanceOrders).add(row('o-2'));
            throw new Error('strategy failed');
          }),
        ).rejects.toThrow('strategy failed');
        expect((await contents(orders)).map(([id]) => id)).toEqual(['o-1']);
      });
    });

    it('matches a simple model over random transactions', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(transactionArbitrary, { maxLength: 6 }), async (transactions) => {
          const fresh = await options.createStore();
          try {
            let model: Model = new Map();
            for (const tx of transactions) {
              model = await runTransaction(fresh, tx, model);
              const expected = [...model]
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([id, entry]): [string, number, number] => [
                  id,
                  entry.quantity,
                  entry.version,
                ]);
              expect(await contents(fresh.repository(conformanceOrders))).toEqual(expected);
            }
          } finally {
            await options.disposeStore?.(fresh);
          }
        }),
        { numRuns: options.numRuns ?? 50 },
      );
    });
  });
}
