/**
 * The last `capacity` items pushed, oldest dropped first: the dashboard keeps recent fills,
 * refusals and log entries in one each, so memory stays flat however long the engine runs.
 *
 * @example
 * ```ts
 * import { BoundedList } from '@qtp/dashboard';
 * const recent = new BoundedList<number>(2);
 * recent.push(1);
 * recent.push(2);
 * recent.push(3);
 * console.log(recent.newestFirst()); // [3, 2]
 * ```
 */
export class BoundedList<T> {
  private readonly items: T[] = [];
  // Index of the oldest item once the buffer is full.
  private start = 0;

  /**
   * Creates an empty list holding at most `capacity` items.
   * @throws `RangeError` when `capacity` is not a positive integer
   */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity: must be a positive integer, was ${capacity}`);
    }
  }

  /** The number of items held. */
  get size(): number {
    return this.items.length;
  }

  /** Appends an item, dropping the oldest when the list is full. */
  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Returns the items held, newest first. */
  newestFirst(): T[] {
    const out: T[] = [];
    const count = this.items.length;
    for (let i = count - 1; i >= 0; i--) out.push(this.items[(this.start + i) % count]!);
    return out;
  }
}
