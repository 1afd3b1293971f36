/**
 * Remembers the last `size` message ids, so an idempotent consumer can drop a redelivery.
 *
 * @example
 * ```ts
 * import { DedupeWindow } from '@qtp/messaging';
 * const seen = new DedupeWindow(1000);
 * seen.add('m1'); // true: first time
 * seen.add('m1'); // false: a duplicate
 * ```
 */
export class DedupeWindow {
  private readonly ids = new Set<string>();
  private readonly size: number;

  /** Creates a window of `size` ids (at least 1). */
  constructor(size = 10_000) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Records `id`; returns `false` when it was already in the window. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.size) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  /** Returns whether `id` is in the window. */
  has(id: string): boolean {
    return this.ids.has(id);
  }
}
