import type { OrderSnapshot, OrderStatus } from '@qtp/core';
import {
  type Collection,
  defineCollection,
  type Entity,
  type NewEntity,
  type Repository,
} from '@qtp/core/repository';

/**
 * One order in the journal: its snapshot plus what the order manager needs after a restart. The
 * id is the client order id. `status` and `instrumentId` repeat the snapshot's so a store can
 * index them; absent times are `null`, which maps to a SQL NULL.
 */
export interface OrderRecord extends Entity<string> {
  /** The client order id. */
  readonly id: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly instrumentId: string;
  /** The order's status, as in the snapshot. */
  readonly status: OrderStatus;
  /**
   * When the order was handed to the gateway, in epoch milliseconds; `null` while it waits for
   * this very record to be written. Recovery looks every order up anyway: the write of this
   * field may be lost in a crash just after sending.
   */
  readonly sentTimeMs: number | null;
  /** Since when the placement's outcome is unknown, in epoch milliseconds; `null` when known. */
  readonly unknownSinceMs: number | null;
  /** The whole order: terms, status and fills, decimals as strings. */
  readonly order: OrderSnapshot;
}

/**
 * The collection the order manager journals into (`oms_orders`). Get its repository from any
 * core `DataStore`: `store.repository(orderRecords)`.
 */
export const orderRecords: Collection<OrderRecord> = defineCollection<OrderRecord>('oms_orders');

interface Slot {
  version: number | undefined;
  dirty: boolean;
  tail: Promise<void>;
}

/**
 * Writes order records through a repository, one write at a time per order, each with the
 * version the previous one returned. A write builds its record when it runs, so changes made
 * while an earlier write is in flight are coalesced into one write of the latest state.
 */
export class JournalWriter {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly repository: Repository<OrderRecord>) {}

  /** Remembers the version of a record read back from the repository. */
  adopt(id: string, version: number): void {
    this.slots.set(id, { version, dirty: false, tail: Promise.resolve() });
  }

  /**
   * Writes the record `build` returns when the write runs; resolves once it is stored.
   * @throws what the repository throws, such as a `ConcurrencyConflictError` for an id taken
   */
  write(id: string, build: () => NewEntity<OrderRecord>): Promise<void> {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { version: undefined, dirty: false, tail: Promise.resolve() };
      this.slots.set(id, slot);
    }
    const current = slot;
    current.dirty = true;
    const run = current.tail.then(async () => {
      if (!current.dirty) return;
      current.dirty = false;
      const record = build();
      const stored =
        current.version === undefined
          ? await this.repository.add(record)
          : await this.repository.update({ ...record, version: current.version });
      current.version = stored.version;
    });
    // A failed write must not block the next one, which retries with the same version.
    current.tail = run.then(
      () => undefined,
      () => {
        current.dirty = true;
      },
    );
    return run;
  }
}
