/** The type of an entity id: a string or a number. */
export type EntityId = string | number;

/**
 * What every stored entity carries: an id and a version. The repository sets the version (1 on
 * add, one more on each update) and checks it on every write, so two writers that read the same
 * version cannot both write.
 */
export interface Entity<Id extends EntityId = string> {
  /** The entity's id, unique within its collection. */
  readonly id: Id;
  /** The version, starting at 1 and raised by one on each update. */
  readonly version: number;
}

/** An entity as given to {@link Repository.add}: the version is the repository's to set. */
export type NewEntity<T extends Entity<EntityId>> = Omit<T, 'version'>;

/**
 * Names a collection of entities (a table, in SQL) and carries its entity type, so that
 * `unitOfWork.repository(orders)` returns a `Repository<Order>`. Create one with {@link defineCollection}.
 */
export interface Collection<T extends Entity<Id>, Id extends EntityId = string> {
  /** The collection's name, such as `orders`. */
  readonly name: string;
  /** Carries the entity and id types for inference; always undefined at run time. */
  readonly types?: {
    /** The entity type. */
    readonly entity: T;
    /** The id type. */
    readonly id: Id;
  };
}

/**
 * Returns a {@link Collection} named `name` for entities of type `T`.
 * @example
 * ```ts
 * import { defineCollection, type Entity } from '@qtp/core';
 * interface OrderRow extends Entity { symbol: string; quantity: string }
 * const orders = defineCollection<OrderRow>('orders');
 * ```
 */
export function defineCollection<T extends Entity<Id>, Id extends EntityId = string>(
  name: string,
): Collection<T, Id> {
  return Object.freeze({ name });
}

/** The operators a field filter may use; values compare as numbers, strings, dates or decimals. */
export interface FieldOperators<V> {
  /** Equal to; `null` matches null and missing values. */
  eq?: V | null;
  /** Not equal to. */
  ne?: V | null;
  /** Greater than. */
  gt?: V;
  /** Greater than or equal to. */
  gte?: V;
  /** Less than. */
  lt?: V;
  /** Less than or equal to. */
  lte?: V;
  /** Equal to one of the values. */
  in?: readonly V[];
  /** Equal to none of the values. */
  notIn?: readonly V[];
}

/** A condition on one field: a value to equal, or {@link FieldOperators}. */
export type FieldFilter<V> = V | null | FieldOperators<NonNullable<V>>;

/** Conditions on top-level fields, all of which must hold. */
export type Filter<T> = { [K in keyof T & string]?: FieldFilter<T[K]> };

/** One sort key: a field and a direction (default `asc`). */
export interface SortKey<T> {
  /** The field to sort on. */
  field: keyof T & string;
  /** `asc` (default) or `desc`. */
  direction?: 'asc' | 'desc';
}

/** What {@link Repository.find} returns: which entities, in what order, which page. */
export interface Query<T> {
  /** Conditions all of which must hold (default: every entity). */
  where?: Filter<T>;
  /**
   * Sort keys, most significant first. Ties, and a query without keys, are ordered by id, so
   * pages never overlap. Missing values sort last in ascending order; strings compare by code
   * unit, as under the SQL `C` collation.
   */
  orderBy?: readonly SortKey<T>[];
  /** How many matching entities to skip (default 0). */
  offset?: number;
  /** The most entities to return (default all). */
  limit?: number;
}

/**
 * Stores entities of one collection with optimistic versioning. Every method is asynchronous,
 * so the same contract fits an in-memory map and a database.
 *
 * @example
 * ```ts
 * import { InMemoryDataStore, defineCollection, type Entity } from '@qtp/core';
 * interface OrderRow extends Entity { symbol: string; quantity: number }
 * const orders = new InMemoryDataStore().repository(defineCollection<OrderRow>('orders'));
 * const added = await orders.add({ id: 'o-1', symbol: 'BTCUSDT', quantity: 1 }); // version 1
 * await orders.update({ ...added, quantity: 2 }); // version 2
 * await orders.find({ where: { quantity: { gte: 2 } }, orderBy: [{ field: 'symbol' }], limit: 10 });
 * ```
 */
export interface Repository<T extends Entity<Id>, Id extends EntityId = string> {
  /** The collection's name. */
  readonly name: string;
  /** Returns the entity with `id`, or undefined when there is none. */
  get(id: Id): Promise<T | undefined>;
  /**
   * Returns the entities matching the query, sorted and paged.
   * @throws `ValidationError` when `offset` or `limit` is not a non-negative integer
   */
  find(query?: Query<T>): Promise<T[]>;
  /** Returns how many entities match `where`. */
  count(where?: Filter<T>): Promise<number>;
  /**
   * Stores a new entity at version 1 and returns it.
   * @throws `ConcurrencyConflictError` when the id is taken
   */
  add(entity: NewEntity<T>): Promise<T>;
  /**
   * Replaces the entity whose id and version match `entity`, and returns it at the next version.
   * @throws `ConcurrencyConflictError` when the stored version differs or the entity is gone
   */
  update(entity: T): Promise<T>;
  /**
   * Removes the entity with `id`; returns false when there was none.
   * @throws `ConcurrencyConflictError` when `expectedVersion` is given and differs, or the entity is gone
   */
  remove(id: Id, expectedVersion?: number): Promise<boolean>;
}

/** Gives repositories of any collection. */
export interface RepositoryProvider {
  /** Returns the repository of `collection`. */
  repository<T extends Entity<Id>, Id extends EntityId = string>(
    collection: Collection<T, Id>,
  ): Repository<T, Id>;
}

/** Where a {@link UnitOfWork} stands. */
export type UnitOfWorkState = 'idle' | 'active' | 'committed' | 'rolled-back';

/**
 * A transaction over any number of repositories: their writes become visible to others together
 * at {@link UnitOfWork.commit}, or not at all. Savepoints undo part of the work. A failed write
 * throws and has no effect; the unit of work stays active. A commit that fails rolls everything
 * back and leaves nothing half-written.
 *
 * @example
 * ```ts
 * const uow = store.unitOfWork();
 * await uow.begin();
 * try {
 *   const orders = uow.repository(ordersCollection);
 *   await orders.add({ id: 'o-1', symbol: 'BTCUSDT', quantity: 1 });
 *   await uow.savepoint('fills');
 *   await uow.repository(fillsCollection).add(fill);
 *   await uow.commit();
 * } catch (error) {
 *   if (uow.state === 'active') await uow.rollback();
 *   throw error;
 * }
 * ```
 */
export interface UnitOfWork extends RepositoryProvider {
  /** Where the unit of work stands. */
  readonly state: UnitOfWorkState;
  /**
   * Starts the transaction.
   * @throws `ValidationError` when it is already active
   */
  begin(): Promise<void>;
  /**
   * Makes every write visible at once and ends the transaction.
   * @throws `ConcurrencyConflictError` when another writer got there first; nothing is written
   */
  commit(): Promise<void>;
  /** Discards every write and ends the transaction. */
  rollback(): Promise<void>;
  /**
   * Marks the current point, named `name` or a generated name, which it returns.
   * @throws `ValidationError` when the name is not letters, digits and `_`
   */
  savepoint(name?: string): Promise<string>;
  /**
   * Undoes the writes made since the savepoint, which stays; later savepoints are dropped.
   * @throws `ValidationError` when no active savepoint has that name
   */
  rollbackTo(name: string): Promise<void>;
  /**
   * Forgets the savepoint and those after it, keeping their writes.
   * @throws `ValidationError` when no active savepoint has that name
   */
  release(name: string): Promise<void>;
}

/**
 * A store of collections: repositories whose writes commit one by one, and units of work that
 * group writes into transactions. `InMemoryDataStore` implements it; `@qtp/store` implements it on
 * PostgreSQL.
 */
export interface DataStore extends RepositoryProvider {
  /** Returns a new, idle unit of work on this store. */
  unitOfWork(): UnitOfWork;
}

/**
 * Runs `work` in a new unit of work: begins, commits when `work` resolves, rolls back when it
 * throws (rethrowing), and returns what `work` returned.
 * @throws what `work` throws, or the commit's `ConcurrencyConflictError`
 * @example
 * ```ts
 * import { withUnitOfWork } from '@qtp/core';
 * await withUnitOfWork(store, async (uow) => {
 *   const order = await uow.repository(orders).get('o-1');
 *   if (order) await uow.repository(orders).update({ ...order, quantity: 3 });
 * });
 * ```
 */
export async function withUnitOfWork<R>(
  store: DataStore,
  work: (uow: UnitOfWork) => Promise<R>,
): Promise<R> {
  const uow = store.unitOfWork();
  await uow.begin();
  let result: R;
  try {
    result = await work(uow);
  } catch (error) {
    if (uow.state === 'active') await uow.rollback();
    throw error;
  }
  await uow.commit();
  return result;
}
