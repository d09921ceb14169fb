/**
 * Fresh PostgreSQL databases for tests, on the server `TEST_DATABASE_URL` names (its user must
 * be allowed to create databases): each test gets an empty database of its own with a random
 * name, dropped afterwards. Tests that need PostgreSQL skip when the variable is not set
 * (`describe.skipIf(!testDatabaseUrl)`); CI sets it (`.ci/run` starts a server).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../../server/db/pg/open.js';
import type { Store } from '../../server/db/store.js';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** An empty database of its own on the test server: its URL, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `jz_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`create database ${name}`));
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a pool a failed test left open must not keep the database alive
    drop: async () => {
      await asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

const drops = new WeakMap<Store, () => Promise<void>>();

/** A PostgreSQL store on a fresh, migrated database; give it to `disposeTestPostgresStore` after. */
export async function openTestPostgresStore(): Promise<Store> {
  const database = await createTestDatabase();
  try {
    const store = await openPostgresStore(database.url);
    drops.set(store, database.drop);
    return store;
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Closes a store from `openTestPostgresStore` and drops its database. */
export async function disposeTestPostgresStore(store: Store): Promise<void> {
  await store.close();
  await drops.get(store)?.();
}
