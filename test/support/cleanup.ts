/**
 * What a test leaves to undo (databases to drop, stores and clients to close), undone after each
 * test, the last made first. Call at a test file's top level: it registers vitest's `afterEach`.
 *
 * @example
 *   const cleanup = cleanupAfterEach();
 *   const client = await connect();
 *   cleanup(() => client.end());
 */
import { afterEach } from 'vitest';

export function cleanupAfterEach(): (undo: () => Promise<void> | void) => void {
  const stack: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const undo of stack.splice(0).reverse()) await undo();
  });
  return (undo) => void stack.push(undo);
}
