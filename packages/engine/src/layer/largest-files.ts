/**
 * The N largest files of a stream of millions, in O(N) memory: a min-heap on size whose root is the
 * smallest file kept. `admits` is checked before building a record, so the common case (a file
 * smaller than all N kept) allocates nothing. On equal sizes the earlier file stays, so the result
 * is deterministic for a given layer.
 */
export class LargestFiles<T extends { readonly size: number; readonly path: string }> {
  readonly #capacity: number;
  readonly #heap: T[] = [];

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  admits(size: number): boolean {
    if (this.#heap.length < this.#capacity) return true;
    const smallest = this.#heap[0];
    return smallest !== undefined && size > smallest.size;
  }

  add(item: T): void {
    if (!this.admits(item.size)) return;
    const heap = this.#heap;
    if (heap.length < this.#capacity) {
      heap.push(item);
      this.#siftUp(heap.length - 1);
      return;
    }
    heap[0] = item;
    this.#siftDown(0);
  }

  /** Biggest first; equal sizes by path. */
  sorted(): T[] {
    return [...this.#heap].sort(
      (a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const item = heap[index];
    if (item === undefined) return;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || parent.size <= item.size) break;
      heap[i] = parent;
      i = parentIndex;
    }
    heap[i] = item;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const item = heap[index];
    if (item === undefined) return;
    const length = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childItem = heap[left];
      const rightItem = right < length ? heap[right] : undefined;
      if (rightItem !== undefined && childItem !== undefined && rightItem.size < childItem.size) {
        child = right;
        childItem = rightItem;
      }
      if (childItem === undefined || childItem.size >= item.size) break;
      heap[i] = childItem;
      i = child;
    }
    heap[i] = item;
  }
}
