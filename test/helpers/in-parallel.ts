// Runs a task over many items with a bounded number in flight, for tests that fill a bucket quickly.

/** Runs `task` over `items`, `width` at a time. */
export async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<unknown>, width = 16): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}
