import { ConcurrencyConflictError, ValidationError } from '@qtp/core';
import { applyQuery, matchesFilter } from './query.js';
import type {
  Collection,
  DataStore,
  Entity,
  EntityId,
  Filter,
  NewEntity,
  Query,
  Repository,
  UnitOfWork,
  UnitOfWorkState,
} from './repository.js';

type Stored = Entity<EntityId>;
type Table = Map<EntityId, Stored>;

/** A row a unit of work has written: the version it found first, and what it holds now (null: removed). */
interface Touch {
  readonly baseVersion: number | undefined;
  readonly current: Stored | null;
}

/** How a repository reads and writes: straight to the store, or through a unit of work. */
interface Session {
  read(table: string, id: EntityId): Stored | undefined;
  list(table: string): Iterable<Stored>;
  write(table: string, id: EntityId, next: Stored | null): void;
}

function conflict(
  entity: string,
  id: EntityId,
  expected: number | undefined,
  actual: number | undefined,
) {
  return new ConcurrencyConflictError({
    entity,
    id: String(id),
    expectedVersion: expected,
    actualVersion: actual,
  });
}

class InMemoryRepository<T extends Entity<Id>, Id extends EntityId> implements Repository<T, Id> {
  constructor(
    readonly name: string,
    private readonly session: Session,
  ) {}

  async get(id: Id): Promise<T | undefined> {
    return this.session.read(this.name, id) as T | undefined;
  }

  async find(query?: Query<T>): Promise<T[]> {
    return applyQuery([...this.session.list(this.name)] as T[], query);
  }

  async count(where?: Filter<T>): Promise<number> {
    let count = 0;
    for (const entity of this.session.list(this.name))
      if (matchesFilter(entity as T, where)) count += 1;
    return count;
  }

  async add(entity: NewEntity<T>): Promise<T> {
    const id = (entity as { id: Id }).id;
    const existing = this.session.read(this.name, id);
    if (existing !== undefined) throw conflict(this.name, id, undefined, existing.version);
    // Stored rows are frozen copies, so changing an object after writing it changes nothing stored.
    const stored = Object.freeze({ ...entity, version: 1 }) as unknown as T;
    this.session.write(this.name, id, stored);
    return stored;
  }

  async update(entity: T): Promise<T> {
    const existing = this.session.read(this.name, entity.id);
    if (existing?.version !== entity.version) {
      throw conflict(this.name, entity.id, entity.version, existing?.version);
    }
    const stored = Object.freeze({ ...entity, version: entity.version + 1 });
    this.session.write(this.name, entity.id, stored);
    return stored;
  }

  async remove(id: Id, expectedVersion?: number): Promise<boolean> {
    const existing = this.session.read(this.name, id);
    if (expectedVersion !== undefined && existing?.version !== expectedVersion) {
      throw conflict(this.name, id, expectedVersion, existing?.version);
    }
    if (existing === undefined) return false;
    this.session.write(this.name, id, null);
    return true;
  }
}

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

type Changes = Map<string, Map<EntityId, Touch>>;

function copyChanges(changes: Changes): Changes {
  return new Map([...changes].map(([table, touches]) => [table, new Map(touches)]));
}

/**
 * A {@link UnitOfWork} on an {@link InMemoryDataStore}. Its writes sit in a private overlay that
 * only its own repositories see (read committed); the version each touched entity had is
 * remembered, and at commit every one is checked against the store before any is applied.
 */
class InMemoryUnitOfWork implements UnitOfWork {
  private current: UnitOfWorkState = 'idle';
  private changes: Changes = new Map();
  private savepoints: { name: string; changes: Changes }[] = [];
  private savepointCount = 0;
  private readonly session: Session;

  constructor(private readonly tables: Map<string, Table>) {
    this.session = {
      read: (table, id) => {
        this.assertActive();
        const touch = this.changes.get(table)?.get(id);
        return touch === undefined ? this.tables.get(table)?.get(id) : (touch.current ?? undefined);
      },
      list: (table) => {
        this.assertActive();
        const merged = new Map(this.tables.get(table));
        for (const [id, touch] of this.changes.get(table) ?? []) {
          if (touch.current === null) merged.delete(id);
          else merged.set(id, touch.current);
        }
        return merged.values();
      },
      write: (table, id, next) => {
        let touches = this.changes.get(table);
        if (touches === undefined) {
          touches = new Map();
          this.changes.set(table, touches);
        }
        const baseVersion = touches.has(id)
          ? touches.get(id)?.baseVersion
          : this.tables.get(table)?.get(id)?.version;
        // A new Touch each time, never a mutated one, so savepoint copies can share them.
        touches.set(id, { baseVersion, current: next });
      },
    };
  }

  get state(): UnitOfWorkState {
    return this.current;
  }

  repository<T extends Entity<Id>, Id extends EntityId = string>(
    collection: Collection<T, Id>,
  ): Repository<T, Id> {
    return new InMemoryRepository<T, Id>(collection.name, this.session);
  }

  async begin(): Promise<void> {
    if (this.current === 'active')
      throw new ValidationError('unitOfWork', 'not be active to begin', this.current);
    this.reset('active');
  }

  async commit(): Promise<void> {
    this.assertActive();
    // Check everything first, then apply everything, with no await in between: either every
    // change lands or, on a conflict, none does.
    for (const [table, touches] of this.changes) {
      for (const [id, touch] of touches) {
        const actual = this.tables.get(table)?.get(id)?.version;
        if (actual !== touch.baseVersion) {
          this.reset('rolled-back');
          throw conflict(table, id, touch.baseVersion, actual);
        }
      }
    }
    for (const [table, touches] of this.changes) {
      let rows = this.tables.get(table);
      if (rows === undefined) {
        rows = new Map();
        this.tables.set(table, rows);
      }
      for (const [id, touch] of touches) {
        if (touch.current === null) rows.delete(id);
        else rows.set(id, touch.current);
      }
    }
    this.reset('committed');
  }

  async rollback(): Promise<void> {
    this.assertActive();
    this.reset('rolled-back');
  }

  async savepoint(name?: string): Promise<string> {
    this.assertActive();
    this.savepointCount += 1;
    const chosen = name ?? `sp_${this.savepointCount}`;
    if (!SAVEPOINT_NAME.test(chosen)) {
      throw new ValidationError(
        'savepoint',
        'be 1 to 63 letters, digits or "_", not starting with a digit',
        chosen,
      );
    }
    this.savepoints.push({ name: chosen, changes: copyChanges(this.changes) });
    return chosen;
  }

  async rollbackTo(name: string): Promise<void> {
    const index = this.findSavepoint(name);
    const savepoint = this.savepoints[index];
    if (savepoint === undefined) return;
    this.changes = copyChanges(savepoint.changes);
    this.savepoints.length = index + 1;
  }

  async release(name: string): Promise<void> {
    this.savepoints.length = this.findSavepoint(name);
  }

  private findSavepoint(name: string): number {
    this.assertActive();
    const index = this.savepoints.findLastIndex((savepoint) => savepoint.name === name);
    if (index < 0) throw new ValidationError('savepoint', 'name an active savepoint', name);
    return index;
  }

  private assertActive(): void {
    if (this.current !== 'active') {
      throw new ValidationError('unitOfWork', 'be active (call begin first)', this.current);
    }
  }

  private reset(state: UnitOfWorkState): void {
    this.current = state;
    this.changes = new Map();
    this.savepoints = [];
  }
}

/**
 * A {@link DataStore} in memory, with real transaction semantics: writes of a unit of work are
 * invisible to others until it commits, a rollback undoes every one, savepoints undo part, and
 * a commit that meets a newer version anywhere aborts as a whole. Repositories taken from the
 * store itself commit each write on its own.
 *
 * Use it in tests, backtests and single-process tools; `@qtp/store` offers the PostgreSQL store
 * with the same contract.
 *
 * @example
 * ```ts
 * import { InMemoryDataStore, defineCollection, withUnitOfWork, type Entity } from '@qtp/core';
 *
 * interface OrderRow extends Entity { symbol: string; status: string }
 * const orders = defineCollection<OrderRow>('orders');
 * const store = new InMemoryDataStore();
 * await withUnitOfWork(store, async (uow) => {
 *   await uow.repository(orders).add({ id: 'o-1', symbol: 'BTCUSDT', status: 'new' });
 * });
 * await store.repository(orders).get('o-1'); // { id: 'o-1', ..., version: 1 }
 * ```
 */
export class InMemoryDataStore implements DataStore {
  private readonly tables = new Map<string, Table>();

  /** Returns a repository whose every write commits on its own. */
  repository<T extends Entity<Id>, Id extends EntityId = string>(
    collection: Collection<T, Id>,
  ): Repository<T, Id> {
    const session: Session = {
      read: (table, id) => this.tables.get(table)?.get(id),
      list: (table) => this.tables.get(table)?.values() ?? [],
      write: (table, id, next) => {
        let rows = this.tables.get(table);
        if (rows === undefined) {
          rows = new Map();
          this.tables.set(table, rows);
        }
        if (next === null) rows.delete(id);
        else rows.set(id, next);
      },
    };
    return new InMemoryRepository<T, Id>(collection.name, session);
  }

  /** Returns a new, idle unit of work on this store. */
  unitOfWork(): UnitOfWork {
    return new InMemoryUnitOfWork(this.tables);
  }
}
