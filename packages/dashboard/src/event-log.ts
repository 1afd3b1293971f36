/** One entry of an {@link EventLog}: the event as heard, formatted only when a view is built. */
export interface EventLogEntry {
  /** The entry's number, from 1, in the order heard. */
  readonly seq: number;
  /** The event's time, epoch milliseconds. */
  readonly timeMs: number;
  /** The bus topic. */
  readonly topic: string;
  /** The event. */
  readonly event: unknown;
}

/** One entry of an {@link EventLog} as the log view shows it: its summary instead of the event. */
export interface EventLogRow {
  readonly seq: number;
  readonly timeMs: number;
  readonly topic: string;
  readonly summary: string;
}

/**
 * The last `capacity` bus events, kept in parallel arrays written in place: hearing an event
 * costs five array writes and no allocation, so a dashboard that no page watches adds next to
 * nothing to the engine's work. Entries are made only when the log view is built, and each
 * event is summarised once however many views show it.
 *
 * @example
 * ```ts
 * const log = new EventLog(2);
 * log.push(1_000, 'order.fill', fill);
 * log.push(2_000, 'order.filled', filled);
 * log.push(3_000, 'portfolio.fillBooked', booked);
 * log.newestFirst().map((entry) => entry.seq); // [3, 2]
 * ```
 */
export class EventLog {
  readonly #times: Float64Array;
  readonly #seqs: Float64Array;
  readonly #topics: string[];
  readonly #events: unknown[];
  // Each event's summary, made the first time a view shows it and kept until its slot is reused.
  readonly #summaries: (string | undefined)[];
  #count = 0;
  #next = 0;
  #seq = 0;

  /**
   * Creates an empty log of at most `capacity` events.
   * @throws `RangeError` when `capacity` is not a positive integer
   */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity: must be a positive integer, was ${capacity}`);
    }
    this.#times = new Float64Array(capacity);
    this.#seqs = new Float64Array(capacity);
    this.#topics = new Array<string>(capacity).fill('');
    this.#events = new Array<unknown>(capacity).fill(undefined);
    this.#summaries = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** The number of events held. */
  get size(): number {
    return this.#count;
  }

  /** Appends an event, dropping the oldest when the log is full. */
  push(timeMs: number, topic: string, event: unknown): void {
    const slot = this.#next;
    this.#seqs[slot] = ++this.#seq;
    this.#times[slot] = timeMs;
    this.#topics[slot] = topic;
    this.#events[slot] = event;
    this.#summaries[slot] = undefined;
    this.#next = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.#count < this.capacity) this.#count++;
  }

  /** Returns the events held, newest first. */
  newestFirst(): EventLogEntry[] {
    const out: EventLogEntry[] = [];
    for (let i = 1; i <= this.#count; i++) {
      const slot = (this.#next - i + this.capacity) % this.capacity;
      out.push({
        seq: this.#seqs[slot]!,
        timeMs: this.#times[slot]!,
        topic: this.#topics[slot]!,
        event: this.#events[slot],
      });
    }
    return out;
  }

  /** The number of the newest entry, 0 while the log is empty. */
  get lastSeq(): number {
    return this.#seq;
  }

  /**
   * Returns the events held as rows with a one-line summary, newest first, summarising each
   * event the first time only; with `afterSeq`, only those numbered after it.
   */
  rows(summarize: (topic: string, event: unknown) => string, afterSeq = 0): EventLogRow[] {
    const out: EventLogRow[] = [];
    const count = Math.min(this.#count, this.#seq - afterSeq);
    for (let i = 1; i <= count; i++) {
      const slot = (this.#next - i + this.capacity) % this.capacity;
      const topic = this.#topics[slot]!;
      let summary = this.#summaries[slot];
      if (summary === undefined) {
        summary = summarize(topic, this.#events[slot]);
        this.#summaries[slot] = summary;
      }
      out.push({ seq: this.#seqs[slot]!, timeMs: this.#times[slot]!, topic, summary });
    }
    return out;
  }
}
