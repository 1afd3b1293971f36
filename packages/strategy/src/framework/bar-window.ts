import type { Bar } from '@qtp/core';

// Internal: the bounded history of one instrument's bars, a ring of the last `capacity` bars.
export class BarWindow {
  private readonly ring: (Bar | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<Bar | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  get last(): Bar | undefined {
    if (this.count === 0) return undefined;
    return this.ring[(this.next - 1 + this.capacity) % this.capacity];
  }

  push(bar: Bar): void {
    this.ring[this.next] = bar;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  replaceLast(bar: Bar): void {
    this.ring[(this.next - 1 + this.capacity) % this.capacity] = bar;
  }

  // Oldest first; a copy, so the caller cannot disturb the window.
  toArray(count: number): Bar[] {
    const n = Math.min(count, this.count);
    const out = new Array<Bar>(n);
    const start = this.next - n + this.capacity;
    for (let i = 0; i < n; i++) out[i] = this.ring[(start + i) % this.capacity]!;
    return out;
  }
}
