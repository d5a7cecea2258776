/**
 * Maps items with at most `limit` calls of `fn` under way, yielding results in the items' order.
 * The first failure (in order) ends the iteration; later failures are dropped, never unhandled.
 */
export async function* mapOrdered<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < items.length && window.length < Math.max(1, limit)) {
      const promise = fn(items[next] as T);
      promise.catch(() => undefined);
      window.push(promise);
      next += 1;
    }
  };
  fill();
  for (let head = window.shift(); head !== undefined; head = window.shift()) {
    const result = await head;
    fill();
    yield result;
  }
}
