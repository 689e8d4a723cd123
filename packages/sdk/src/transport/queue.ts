/** A FIFO with O(1) push, shift and batch take, bounded by dropping the oldest item. */
export class BoundedQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns true when the oldest had to be dropped to make room. */
  push(item: T): boolean {
    let dropped = false;
    if (this.length >= this.capacity) {
      this.items[this.head] = undefined;
      this.head += 1;
      dropped = true;
    }
    this.items.push(item);
    this.compact();
    return dropped;
  }

  /** Removes and returns up to `n` of the oldest items. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end) as T[];
    for (let i = this.head; i < end; i++) this.items[i] = undefined;
    this.head = end;
    this.compact();
    return out;
  }

  private compact(): void {
    // Reclaim the consumed prefix once it dominates, keeping shift amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
