/**
 * Which store to open: the embedded SQLite default in a data folder, or a database server named
 * by its URL. The one place that chooses, so the service, the workers and the tools never do.
 */
import { openDatabase, openDataDir, type DataDirOptions } from './open.js';
import type { Store, StoreLocation } from './store.js';

/**
 * `databaseUrl`: the service's connection; `migrationUrl` (DATABASE_MIGRATION_URL), when given,
 * the owner's, which applies the migrations at start instead.
 */
export type StoreOptions =
  ({ dataDir: string } & DataDirOptions) | { databaseUrl: string; migrationUrl?: string | undefined };

/** Refused: a database URL the server cannot use, as one line fit to show as it is. */
export class StoreUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnsupportedError';
  }
}

function postgresUrl(url: string): string {
  if (/^postgres(ql)?:\/\//.test(url)) return url;
  throw new StoreUnsupportedError(
    'DATABASE_URL moet met postgres:// of postgresql:// beginnen; laat DATABASE_URL weg om de ingebouwde SQLite-database in DATA_DIR te gebruiken.',
  );
}

// PostgreSQL's driver is loaded only when a database server is named: the embedded default
// never pays for it
const postgres = () => import('./pg/open.js');

/**
 * Opens the store the server writes: `dataDir` takes the folder's lock (or joins the primary's)
 * and migrates its SQLite database (throws DataDirError with a message fit to show);
 * `databaseUrl` a database server.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if ('dataDir' in options) return openDataDir(options.dataDir, options);
  return (await postgres()).openPostgresStore(postgresUrl(options.databaseUrl), {
    ...(options.migrationUrl ? { migrateAs: postgresUrl(options.migrationUrl) } : {}),
  });
}

/** Opens the store at `location` for reading only, as impact and verify workers do beside the server. */
export async function openStoreForReading(location: StoreLocation): Promise<Store> {
  if (location.kind === 'sqlite') return openDatabase(location.file, { readonly: true });
  return (await postgres()).openPostgresStore(location.url, { readonly: true });
}
