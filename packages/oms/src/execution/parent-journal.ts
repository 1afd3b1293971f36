import {
  type ClientOrderId,
  Decimal,
  type ExecutionAlgorithm,
  type ExecutionContext,
  type Fill,
  type MarketDataEvent,
  type OrderReport,
  type ParentOrderStatus,
  type ParentOrderView,
  parentTag,
  ValidationError,
} from '@qtp/core';
import type { OrderJournal } from '../order-journal.js';
import { Iceberg, type IcebergOptions } from './iceberg.js';
import { Pov, type PovOptions } from './pov.js';
import { Twap, type TwapOptions } from './twap.js';
import { Vwap, type VwapOptions } from './vwap.js';

/** An algorithm and its options, as a caller writes them: what a journaled parent is made of. */
export type ExecutionSpec =
  | { readonly algorithm: 'TWAP'; readonly options: TwapOptions }
  | { readonly algorithm: 'VWAP'; readonly options: VwapOptions }
  | { readonly algorithm: 'ICEBERG'; readonly options: IcebergOptions }
  | { readonly algorithm: 'POV'; readonly options: PovOptions };

/**
 * One parent order in the journal, beside its children's order records: its latest state and
 * what it takes to start it again. Decimals are strings; absent times are `null`.
 */
export interface ParentRecord {
  /** The parent's client order id; its children carry the tag `parent:<id>`. */
  readonly id: string;
  /** The algorithm: `TWAP`, `VWAP`, `ICEBERG` or `POV`. */
  readonly algorithm: ExecutionSpec['algorithm'];
  /** The instrument traded. */
  readonly instrumentId: string;
  /** Where the parent stands. */
  readonly status: ParentOrderStatus;
  /** The parent's quantity. */
  readonly quantity: string;
  /** What its children had filled when the record was written. */
  readonly filledQuantity: string;
  /** How many children it had sent. */
  readonly children: number;
  /** When it started, epoch ms. */
  readonly startTimeMs: number | null;
  /** When it ended, epoch ms. */
  readonly endTimeMs: number | null;
  /** Why it ended before filling. */
  readonly reason: string | null;
  /** The algorithm's options as given, as JSON (decimals as strings). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The parent this one took over after a restart, or `null`. */
  readonly resumedFrom: string | null;
}

/**
 * Where parent orders are journaled: the companion of the {@link OrderJournal} port, which
 * `InMemoryOrderJournal` also implements, so one journal holds orders and their parents.
 */
export interface ParentJournal {
  /** Appends a parent's latest state. */
  appendParent(record: ParentRecord): Promise<void>;
  /** Returns the latest record of every journaled parent, ordered by id. */
  loadParents(): Promise<readonly ParentRecord[]>;
}

const TERMINAL: readonly ParentOrderStatus[] = ['FILLED', 'CANCELED', 'STOPPED'];

/** Returns a new algorithm for `spec`. */
export function createExecution(spec: ExecutionSpec): ExecutionAlgorithm {
  switch (spec.algorithm) {
    case 'TWAP':
      return new Twap(spec.options);
    case 'VWAP':
      return new Vwap(spec.options);
    case 'ICEBERG':
      return new Iceberg(spec.options);
    case 'POV':
      return new Pov(spec.options);
    default:
      throw new ValidationError(
        'algorithm',
        'be TWAP, VWAP, ICEBERG or POV',
        (spec as { algorithm: unknown }).algorithm,
      );
  }
}

/** Options of {@link JournaledExecution}. */
export interface JournaledExecutionOptions {
  /** Where the parent's records go. */
  readonly journal: ParentJournal;
  /** The parent this one takes over after a restart (set by {@link recoverParents}). */
  readonly resumedFrom?: string | undefined;
}

/**
 * An execution algorithm whose parent is journaled: it builds the algorithm of `spec` and writes
 * the parent's record when it starts, on each new child and fill, and when it ends, one append
 * at a time, so that {@link recoverParents} can resume or cancel it after a restart. Run it like
 * any algorithm (`this.execute(new JournaledExecution(spec, { journal }))` in a strategy).
 *
 * @throws `ValidationError` naming the option when the algorithm's options are invalid
 * @example
 * ```ts
 * import { InMemoryOrderJournal, JournaledExecution } from '@qtp/oms';
 * const journal = new InMemoryOrderJournal();
 * this.execute(new JournaledExecution(
 *   { algorithm: 'TWAP', options: { instrumentId: id, side: 'BUY', quantity: '5000', durationMs: 3_600_000, slices: 12 } },
 *   { journal },
 * ));
 * ```
 */
export class JournaledExecution implements ExecutionAlgorithm {
  readonly #inner: ExecutionAlgorithm;
  readonly #spec: ExecutionSpec;
  readonly #journal: ParentJournal;
  readonly #resumedFrom: string | null;
  readonly #options: Readonly<Record<string, unknown>>;
  #written = '';
  #tail: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(spec: ExecutionSpec, options: JournaledExecutionOptions) {
    this.#inner = createExecution(spec);
    this.#spec = spec;
    this.#journal = options.journal;
    this.#resumedFrom = options.resumedFrom ?? null;
    // Decimals write themselves as strings, so the options read back as a caller would write them.
    this.#options = Object.freeze(JSON.parse(JSON.stringify(spec.options)));
  }

  get instrumentId() {
    return this.#inner.instrumentId;
  }

  get parent(): ParentOrderView {
    return this.#inner.parent;
  }

  /** The last journal write's error, if one failed; the next change writes again. */
  get journalFailure(): unknown {
    return this.#failure;
  }

  start(context: ExecutionContext, parentClientOrderId: string): void {
    this.#inner.start(context, parentClientOrderId);
    this.#save();
  }

  onMarketData(event: MarketDataEvent): void {
    this.#inner.onMarketData(event);
    this.#save();
  }

  onChildUpdate(report: OrderReport): void {
    this.#inner.onChildUpdate(report);
    this.#save();
  }

  onChildFill(fill: Fill): void {
    this.#inner.onChildFill(fill);
    this.#save();
  }

  onTimer(nowMs: number): void {
    this.#inner.onTimer(nowMs);
    this.#save();
  }

  cancel(reason?: string): void {
    this.#inner.cancel(reason);
    this.#save();
  }

  /** Resolves once every record asked for is written (or failed). */
  flush(): Promise<void> {
    return this.#tail;
  }

  #record(): ParentRecord {
    const parent = this.#inner.parent;
    return {
      id: parent.parentClientOrderId,
      algorithm: this.#spec.algorithm,
      instrumentId: parent.instrumentId,
      status: parent.status,
      quantity: parent.quantity.toString(),
      filledQuantity: parent.filledQuantity.toString(),
      children: parent.children.length,
      startTimeMs: parent.startTimeMs ?? null,
      endTimeMs: parent.endTimeMs ?? null,
      reason: parent.reason ?? null,
      options: this.#options,
      resumedFrom: this.#resumedFrom,
    };
  }

  // Writes only what changed: market data that moved nothing costs a comparison.
  #save(): void {
    const parent = this.#inner.parent;
    const key = `${parent.status}|${parent.filledQuantity}|${parent.children.length}|${parent.startTimeMs}`;
    if (key === this.#written) return;
    this.#written = key;
    const record = this.#record();
    this.#tail = this.#tail.then(
      () =>
        this.#journal.appendParent(record).then(
          () => {
            this.#failure = undefined;
          },
          (error: unknown) => {
            this.#failure = error;
            this.#written = '';
          },
        ),
      () => undefined,
    );
  }
}

/** What to do with a parent that was working when the process stopped. */
export type RestartPolicy = 'resume' | 'cancel';

/** The orders a recovery reads and cancels: the order manager, once it has recovered. */
export interface RecoveryOrders {
  /** The orders carrying `tag`. */
  orders(filter: { readonly tag: string }): readonly {
    readonly clientOrderId: ClientOrderId;
    readonly status: string;
    readonly filledQuantity: Decimal;
  }[];
  /** Cancels an order; resolves false when it was already done. */
  cancel(clientOrderId: ClientOrderId): Promise<boolean>;
}

/** Options of {@link recoverParents}. */
export interface RecoverParentsOptions {
  /**
   * The journal the parents and their children were written to: the children that ended
   * before the restart are read from its order records.
   */
  readonly journal: ParentJournal & Pick<OrderJournal, 'loadAll'>;
  /**
   * The order manager, recovered (`await oms.recover()`): the children still open are read from
   * it, with what the venue filled while the process was down, and canceled through it.
   */
  readonly orders: RecoveryOrders;
  /** `resume` or `cancel`, for every parent or decided per parent. */
  readonly policy: RestartPolicy | ((record: ParentRecord) => RestartPolicy);
  /** The time now, epoch ms: a resumed schedule keeps its end time. */
  readonly nowMs: number;
}

/** What {@link recoverParents} did with one parent. */
export interface RecoveredParent {
  /** The journaled parent, as it was found. */
  readonly record: ParentRecord;
  /** `resumed`: a new algorithm works the rest; `canceled`; `filled`: nothing was left. */
  readonly action: 'resumed' | 'canceled' | 'filled';
  /** What its children had filled, by the order manager's books. */
  readonly filledQuantity: string;
  /** The children still working that were canceled. */
  readonly canceledChildren: readonly string[];
  /** For `resumed`: the algorithm to start (`this.execute(algorithm)`), for the unfilled rest. */
  readonly algorithm?: JournaledExecution;
}

function isLive(status: string): boolean {
  return !['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'].includes(status);
}

/**
 * Applies the restart policy to every parent the journal holds as pending or working. Either
 * way the parent's children still working are canceled, so nothing of the old parent trades on
 * unseen; what they filled is read from the order manager, whose books were recovered from the
 * journal and the venue. `cancel` ends the parent as canceled. `resume` ends it too and returns
 * a new {@link JournaledExecution} of the same algorithm for the unfilled rest, marked as
 * resumed from it; a TWAP or VWAP runs from now to its original end, a TWAP with the slices that part of its
 * window held. A parent with nothing left ends
 * as filled. The old parent's record is appended with its end.
 *
 * @example
 * ```ts
 * import { recoverParents } from '@qtp/oms';
 * await oms.recover();
 * for (const outcome of await recoverParents({ journal, orders: oms, policy: 'resume', nowMs: clock.now() })) {
 *   if (outcome.algorithm !== undefined) strategy.execute(outcome.algorithm);
 * }
 * ```
 */
export async function recoverParents(options: RecoverParentsOptions): Promise<RecoveredParent[]> {
  const out: RecoveredParent[] = [];
  const parents = (await options.journal.loadParents()).filter(
    (record) => !TERMINAL.includes(record.status),
  );
  if (parents.length === 0) return out;
  const journaled = await options.journal.loadAll();
  for (const record of parents) {
    const tag = parentTag(record.id);
    // The manager's view of an order it recovered is newer than the journal's last record.
    const children = new Map<string, { status: string; filled: Decimal }>();
    for (const entry of journaled) {
      if (!entry.order.tags.includes(tag)) continue;
      children.set(entry.id, {
        status: entry.status,
        filled: new Decimal(entry.order.filledQuantity),
      });
    }
    const open = options.orders.orders({ tag });
    for (const child of open) {
      children.set(child.clientOrderId, { status: child.status, filled: child.filledQuantity });
    }
    const canceled: string[] = [];
    let filled = new Decimal(0);
    for (const child of children.values()) filled = filled.plus(child.filled);
    for (const child of open) {
      if (!isLive(child.status)) continue;
      await options.orders.cancel(child.clientOrderId);
      canceled.push(child.clientOrderId);
    }
    const filledText = filled.toString();
    const left = new Decimal(record.quantity).minus(filled);
    const policy = typeof options.policy === 'function' ? options.policy(record) : options.policy;
    const ended = (status: ParentOrderStatus, reason: string) =>
      options.journal.appendParent({
        ...record,
        status,
        filledQuantity: filledText,
        endTimeMs: options.nowMs,
        reason,
      });
    if (!left.gt(0)) {
      await ended('FILLED', 'filled before the restart');
      out.push({
        record,
        action: 'filled',
        filledQuantity: filledText,
        canceledChildren: canceled,
      });
      continue;
    }
    if (policy === 'cancel') {
      await ended('CANCELED', 'canceled on restart by policy');
      out.push({
        record,
        action: 'canceled',
        filledQuantity: filledText,
        canceledChildren: canceled,
      });
      continue;
    }
    const resumedOptions: Record<string, unknown> = {
      ...record.options,
      quantity: left.toString(),
    };
    if (
      (record.algorithm === 'TWAP' || record.algorithm === 'VWAP') &&
      typeof record.options.durationMs === 'number'
    ) {
      const begun =
        record.startTimeMs ??
        (typeof record.options.startTimeMs === 'number' ? record.options.startTimeMs : null);
      if (begun !== null) {
        // The rest runs from now (or the original start, if still ahead) to the original end.
        const endMs = begun + record.options.durationMs;
        const fromMs = Math.max(options.nowMs, begun);
        resumedOptions.startTimeMs = fromMs;
        resumedOptions.durationMs = Math.max(1, endMs - fromMs);
        // A TWAP keeps its slice interval: the rest gets the slices the rest of the window held.
        if (typeof record.options.slices === 'number') {
          const share = (resumedOptions.durationMs as number) / record.options.durationMs;
          resumedOptions.slices = Math.max(1, Math.round(record.options.slices * share));
        }
      }
    }
    const algorithm = new JournaledExecution(
      { algorithm: record.algorithm, options: resumedOptions } as ExecutionSpec,
      { journal: options.journal, resumedFrom: record.id },
    );
    await ended('CANCELED', `resumed after a restart for the unfilled ${left.toString()}`);
    out.push({
      record,
      action: 'resumed',
      filledQuantity: filledText,
      canceledChildren: canceled,
      algorithm,
    });
  }
  return out;
}
