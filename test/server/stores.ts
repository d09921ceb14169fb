/**
 * The stores every store contract test runs against: one entry per implementation of `Store`.
 * Another database joins the contract tests by adding its entry here (PostgreSQL when
 * `TEST_DATABASE_URL` is set), each `open()` giving a fresh, empty, migrated store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../server/db/connect.js';
import type { Store } from '../../server/db/store.js';
import { disposeTestPostgresStore, openTestPostgresStore, testDatabaseUrl } from '../support/postgres.js';

export interface StoreFactory {
  name: string;
  open(): Promise<Store>;
  dispose(store: Store): Promise<void>;
}

export const storeFactories: StoreFactory[] = [
  {
    name: 'sqlite',
    open: () => openStore({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) }),
    dispose: (store) => store.close(),
  },
  // a fresh database per test on the server TEST_DATABASE_URL names (CI starts one)
  ...(testDatabaseUrl ? [{ name: 'postgres', open: openTestPostgresStore, dispose: disposeTestPostgresStore }] : []),
];

/**
 * Fresh stores of one factory for one describe, each disposed after the test that opened it:
 * call inside `describe.each(storeFactories)`.
 *
 * @example
 *   describe.each(storeFactories)('on $name', (factory) => {
 *     const store = freshStores(factory);
 *     it('…', async () => { const s = await store(); … });
 *   });
 */
export function freshStores(factory: StoreFactory) {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await factory.dispose(s);
  });
  return async () => {
    const s = await factory.open();
    opened.push(s);
    return s;
  };
}
