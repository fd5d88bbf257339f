// The scheduler's queue of tasks waiting for a free worker slot. A wide foreach queues tens of
// thousands of tasks at once; Array#shift copies the whole array once it is large (V8 only
// trims small arrays in place), which made taking each task O(n) and the run O(n²). Here taking
// is O(1): a read position, and the taken part is dropped once it is half of the storage.

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.head += 1;
    if (this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Every item, oldest first; the queue is empty afterwards. */
  drain(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}
