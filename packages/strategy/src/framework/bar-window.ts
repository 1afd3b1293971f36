import type { Bar } from '@qtp/core';

// Internal: the bounded history of one instrument's bars, a ring of the last `capacity` bars.
// The ring wraps by comparison, not `%`: an integer division per bar costs more than the rest.
export class BarWindow {
  private readonly ring: (Bar | undefined)[];
  // Where the next bar goes, and where the last one is (-1 before the first).
  private next = 0;
  private lastIndex = -1;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<Bar | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  get last(): Bar | undefined {
    return this.lastIndex < 0 ? undefined : this.ring[this.lastIndex];
  }

  push(bar: Bar): void {
    const index = this.next;
    this.ring[index] = bar;
    this.lastIndex = index;
    this.next = index + 1 === this.capacity ? 0 : index + 1;
    if (this.count < this.capacity) this.count++;
  }

  replaceLast(bar: Bar): void {
    this.ring[this.lastIndex] = bar;
  }

  // Oldest first; a copy, so the caller cannot disturb the window.
  toArray(count: number): Bar[] {
    const n = Math.min(count, this.count);
    const out = new Array<Bar>(n);
    let index = this.next - n;
    if (index < 0) index += this.capacity;
    for (let i = 0; i < n; i++) {
      out[i] = this.ring[index]!;
      index = index + 1 === this.capacity ? 0 : index + 1;
    }
    return out;
  }
}
