import {
  ConcurrencyConflictError,
  type OrderSnapshot,
  type OrderStatus,
  ValidationError,
} from '@qtp/core';
import type { ParentJournal, ParentRecord } from './execution/parent-journal.js';

/**
 * One order in the journal: its snapshot plus what the order manager needs after a restart. The
 * id is the client order id. `status` and `instrumentId` repeat the snapshot's so a store can
 * index them; absent times are `null`, which maps to a SQL NULL.
 */
export interface OrderRecord {
  /** The client order id. */
  readonly id: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly instrumentId: string;
  /** The order's status, as in the snapshot. */
  readonly status: OrderStatus;
  /**
   * When the order was handed to the gateway, in epoch milliseconds; `null` while it waits for
   * its intent to be written. Recovery looks every order up anyway: the write of this field may
   * be lost in a crash just after sending.
   */
  readonly sentTimeMs: number | null;
  /** Since when the placement's outcome is unknown, in epoch milliseconds; `null` when known. */
  readonly unknownSinceMs: number | null;
  /** The whole order: terms, status and fills, decimals as strings. */
  readonly order: OrderSnapshot;
}

/**
 * The order manager's journal: the narrow port a store implements (in memory here, PostgreSQL in
 * `@qtp/store`). The manager appends an order's intent before it sends it, then every change of
 * it (a status, a fill, an unknown outcome), one append at a time per order, and reads every
 * order back after a restart. A record carries the order's whole state, so the latest one per id
 * is all recovery needs; a store may keep the history beside it.
 *
 * @example
 * ```ts
 * import { InMemoryOrderJournal, OrderManager } from '@qtp/oms';
 * const journal = new InMemoryOrderJournal();
 * const oms = new OrderManager({ gateway, instruments, clock, journal });
 * const { recovered } = await oms.recover();
 * ```
 */
export interface OrderJournal {
  /**
   * Appends an order's intent: its first record, written before the order is sent.
   * @throws `ConcurrencyConflictError` when the journal already holds an order with this id
   */
  appendIntent(record: OrderRecord): Promise<void>;
  /**
   * Appends a change of an order whose intent is journaled: its new status, a fill, a changed
   * unknown flag. The record is the order's state after the change.
   * @throws `ValidationError` when the journal holds no intent for the id
   */
  appendEvent(record: OrderRecord): Promise<void>;
  /** Returns the latest record of every journaled order, terminal ones included, by id. */
  loadAll(): Promise<readonly OrderRecord[]>;
}

/**
 * An {@link OrderJournal} in memory: for backtests, paper trading and tests. It keeps every
 * appended record of each order, so `history(id)` shows what was journaled and in what order.
 *
 * @example
 * ```ts
 * import { InMemoryOrderJournal } from '@qtp/oms';
 * const journal = new InMemoryOrderJournal();
 * const latest = await journal.loadAll();
 * ```
 */
export class InMemoryOrderJournal implements OrderJournal, ParentJournal {
  private readonly records = new Map<string, OrderRecord[]>();
  private readonly parents = new Map<string, ParentRecord[]>();

  /** {@inheritDoc OrderJournal.appendIntent} */
  async appendIntent(record: OrderRecord): Promise<void> {
    if (this.records.has(record.id)) {
      throw new ConcurrencyConflictError({
        entity: 'order journal',
        id: record.id,
        expectedVersion: undefined,
        actualVersion: this.records.get(record.id)!.length,
      });
    }
    this.records.set(record.id, [freeze(record)]);
  }

  /** {@inheritDoc OrderJournal.appendEvent} */
  async appendEvent(record: OrderRecord): Promise<void> {
    const history = this.records.get(record.id);
    if (history === undefined) {
      throw new ValidationError('id', 'name an order whose intent is journaled', record.id);
    }
    history.push(freeze(record));
  }

  /** {@inheritDoc OrderJournal.loadAll} */
  async loadAll(): Promise<readonly OrderRecord[]> {
    return [...this.records.keys()].sort().map((id) => this.records.get(id)!.at(-1)!);
  }

  /** Returns the latest record of an order, or `undefined` when it is not journaled. */
  async get(id: string): Promise<OrderRecord | undefined> {
    return this.records.get(id)?.at(-1);
  }

  /** Returns every record appended for an order, oldest first. */
  history(id: string): readonly OrderRecord[] {
    return [...(this.records.get(id) ?? [])];
  }

  /** {@inheritDoc ParentJournal.appendParent} */
  async appendParent(record: ParentRecord): Promise<void> {
    const copy = Object.freeze(JSON.parse(JSON.stringify(record)) as ParentRecord);
    const history = this.parents.get(record.id);
    if (history === undefined) this.parents.set(record.id, [copy]);
    else history.push(copy);
  }

  /** {@inheritDoc ParentJournal.loadParents} */
  async loadParents(): Promise<readonly ParentRecord[]> {
    return [...this.parents.keys()].sort().map((id) => this.parents.get(id)!.at(-1)!);
  }

  /** Returns every record appended for a parent order, oldest first. */
  parentHistory(id: string): readonly ParentRecord[] {
    return [...(this.parents.get(id) ?? [])];
  }
}

// A stored record must not change when the caller's object does.
function freeze(record: OrderRecord): OrderRecord {
  return Object.freeze(JSON.parse(JSON.stringify(record)) as OrderRecord);
}

interface Slot {
  journaled: boolean;
  dirty: boolean;
  tail: Promise<void>;
}

/**
 * Writes an order's records through an {@link OrderJournal}, one append at a time per order: the
 * intent first, then events. An append builds its record when it runs, so changes made while an
 * earlier append is in flight are coalesced into one append of the latest state.
 */
export class JournalWriter {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly journal: OrderJournal) {}

  /** Remembers an order read back from the journal: its next append is an event. */
  adopt(id: string): void {
    this.slots.set(id, { journaled: true, dirty: false, tail: Promise.resolve() });
  }

  /**
   * Appends the record `build` returns when the append runs; resolves once it is stored.
   * @throws what the journal throws, such as a `ConcurrencyConflictError` for an id taken
   */
  write(id: string, build: () => OrderRecord): Promise<void> {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { journaled: false, dirty: false, tail: Promise.resolve() };
      this.slots.set(id, slot);
    }
    const current = slot;
    current.dirty = true;
    const run = current.tail.then(async () => {
      if (!current.dirty) return;
      current.dirty = false;
      const record = build();
      if (current.journaled) {
        await this.journal.appendEvent(record);
      } else {
        await this.journal.appendIntent(record);
        current.journaled = true;
      }
    });
    // A failed append must not block the next one, which retries with the latest state.
    current.tail = run.then(
      () => undefined,
      () => {
        current.dirty = true;
      },
    );
    return run;
  }
}
