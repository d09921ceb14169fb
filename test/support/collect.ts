/** Every item of an async iterable (a store's batches), in order: `Array.fromAsync` before Node 22. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
