/**
 * `npm start`: serves the API (and, later, the editor) on PORT (default 8787) and HOST (default
 * 127.0.0.1), storing everything in DATA_DIR (default ./data), or in the database server that
 * DATABASE_URL names (migrated at start by DATABASE_MIGRATION_URL's user when that is set, so
 * that the service may run as a role without rights on the schema). On first start the store is seeded
 * from rules/ (rule sets and their test cases); later starts keep what users changed.
 *
 * The decision log's checkpoints are signed with LOG_SIGNING_KEY, else the key in
 * LOG_SIGNING_KEY_FILE (default `<DATA_DIR>.log-signing.key`, made on first start), and also
 * appended to LOG_CHECKPOINT_FILE (default `<DATA_DIR>.checkpoints.jsonl`): both beside the data
 * folder, never in it (see server/integrity.ts). A second server on the same DATA_DIR is refused;
 * any number of nodes may share one DATABASE_URL, each given the same signing key (a node whose
 * key differs from the one the database's checkpoints are signed with is refused).
 * FOUR_EYES=off lets a writer publish a draft directly; by default (with accounts) a draft is
 * published only by being submitted and approved by a second writer.
 * WEB_CONCURRENCY=N (default 1) serves from N processes on the one port (see server/cluster.ts):
 * this program then runs as their primary — it takes the data folder's lock, migrates, seeds and
 * checks the rule sets once, then forks N workers that run this program again to serve — and
 * says the start line once all of them listen.
 * What stops the start (a folder it cannot write, a lock, a key) is said in one line, exit 1.
 */
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { appendFileSync, existsSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { isLoopback } from './auth.js';
import { MAX_PROCESSES, parseConcurrency, supervise } from './cluster.js';
import { openStore, StoreUnsupportedError } from './db/connect.js';
import { DataDirError } from './db/open.js';
import type { Store } from './db/store.js';
import { defaultIntegrityFiles, loadSigningKey, SigningKeyError, type LogSigner } from './integrity.js';
import { LOG_WRITER_MAX_WINDOW_MS, LOG_WRITER_WINDOW_MS, windowFromEnv } from './log-writer.js';
import { seedFromRules } from './seed.js';
import { RulesService } from './service.js';

/**
 * How long an idle keep-alive connection stays open: longer than the clients and proxies in front
 * keep theirs (nginx's upstream `keepalive_timeout` and most load balancers: 60 s), so that they
 * close it first. With Node's default of 5 s a client could send a request on a connection just as
 * the server closed it, and get a reset instead of an answer: an evaluation that is not safe to
 * send again, since the first may have been logged (seen as failed evaluations in a bench run).
 */
const KEEP_ALIVE_MS = 65_000;

const port = Number(process.env.PORT ?? 8787);
const hostname = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? './data';
const defaults = defaultIntegrityFiles(dataDir);
const keyFile = resolve(process.env.LOG_SIGNING_KEY_FILE || defaults.keyFile);
const checkpointFile = resolve(process.env.LOG_CHECKPOINT_FILE || defaults.checkpointFile);

/** Stops the start with one line that says what and where, and what to do. */
function refuse(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const processes = parseConcurrency(process.env.WEB_CONCURRENCY);
if (processes === undefined)
  refuse(
    `WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY} is geen aantal processen: geef een geheel getal van 1 tot en met ${MAX_PROCESSES}, of laat het weg voor één proces.`,
  );
// how long a logged evaluation waits for others to share its commit (server/log-writer.ts)
const windowMs = windowFromEnv(process.env.GROUP_COMMIT_MS);
if (windowMs === undefined)
  refuse(
    `GROUP_COMMIT_MS=${process.env.GROUP_COMMIT_MS} is geen wachttijd: geef een geheel aantal milliseconden van 0 tot en met ${LOG_WRITER_MAX_WINDOW_MS}, of laat het weg voor ${LOG_WRITER_WINDOW_MS}.`,
  );
/**
 * What this process is: the server's only process; the primary of several, which prepares the
 * store and then only supervises; or one of its workers, which serve the store the primary holds.
 */
const role = cluster.isWorker ? 'worker' : processes > 1 ? 'primary' : 'single';

let store: Store;
let signer: LogSigner;
try {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  store = await openStore(
    databaseUrl
      ? { databaseUrl, migrationUrl: process.env.DATABASE_MIGRATION_URL || undefined }
      : // a worker's parent is its primary, which holds the folder's lock and has migrated
        { dataDir, primary: role === 'worker' ? process.ppid : undefined, backgroundCheckpoints: true },
  );
  const key = loadSigningKey({ key: process.env.LOG_SIGNING_KEY, keyFile });
  signer = key.signer;
  if (key.created)
    console.log(
      `Nieuwe sleutel voor het ondertekenen van het beslissingslogboek aangemaakt: ${key.source} (${signer.keyId}). Bewaar een kopie buiten deze server; zonder die sleutel zijn de controlepunten niet meer aan te vullen.`,
    );
  if (store.kind === 'postgres') {
    // every node on one database signs with the one key: a node with another key (a key file
    // made on its own first start) would write checkpoints that verify reports as forged
    const signed = await store.checkpoints.latest();
    if (signed && signed.keyId !== signer.keyId) {
      await store.close();
      throw new SigningKeyError(
        `De sleutel ${key.source} (${signer.keyId}) is niet de sleutel waarmee de andere nodes op deze database het logboek ondertekenen (${signed.keyId}). Geef elke node dezelfde sleutel met LOG_SIGNING_KEY of LOG_SIGNING_KEY_FILE.`,
      );
    }
  }
  try {
    appendFileSync(checkpointFile, '');
  } catch (error) {
    throw new SigningKeyError(
      `Kan de controlepunten van het logboek niet schrijven naar ${checkpointFile}: ${(error as Error).message}. Kies met LOG_CHECKPOINT_FILE een bestand buiten DATA_DIR waarin de server mag schrijven.`,
    );
  }
} catch (error) {
  if (
    error instanceof DataDirError ||
    error instanceof StoreUnsupportedError ||
    error instanceof SigningKeyError ||
    // pg/open.ts's, by name: PostgreSQL's driver is loaded only when DATABASE_URL is set
    (error instanceof Error && error.name === 'DatabaseUrlError')
  )
    refuse(error.message);
  throw error;
}

const adminToken = process.env.RULES_ADMIN_TOKEN || undefined;
const trustProxy = ['1', 'true', 'yes'].includes((process.env.TRUSTED_PROXY ?? '').toLowerCase());
const demo = !adminToken && !(await store.accounts.any());
if (demo && !isLoopback(hostname)) {
  // in a demo every request may do everything: it must not be reachable from other machines
  await store.close();
  refuse(
    `Geweigerd: zonder accounts draait de dienst als lokale demo waarin iedereen alles mag, en die luistert alleen op loopback (127.0.0.1), niet op HOST=${hostname}. Zet RULES_ADMIN_TOKEN om accounts in te richten (zie README), of start zonder HOST.`,
  );
}

// dist/editor, seen from the sources (server/) or from their compiled copy (dist/server/)
const compiled = import.meta.url.endsWith('.js');
const editorDir = fileURLToPath(new URL(compiled ? '../editor' : '../dist/editor', import.meta.url));
// the workers find what their primary built
if (role !== 'worker' && !existsSync(`${editorDir}/index.html`)) {
  if (compiled) refuse(`${editorDir}/index.html ontbreekt: bouw de editor met \`npm run build\`.`);
  // a fresh clone: build the editor once (a few seconds) so that `npm start` serves it. In a
  // process of its own: Vite's build leaves ~1.1 GB resident in the process that ran it, which the
  // server would otherwise carry for its whole life
  console.log('De editor wordt gebouwd (eenmalig)…');
  const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
  const built = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      `const { build } = await import('vite'); await build({ configFile: ${JSON.stringify(configFile)}, logLevel: 'warn' });`,
    ],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' },
  );
  if (built.status !== 0) refuse('De editor kon niet gebouwd worden (zie hierboven); bouw hem met `npm run build`.');
}

const seeded = role === 'worker' ? undefined : await seedFromRules(store, new Date().toISOString());
// four eyes on publishing (with accounts): FOUR_EYES=off turns it off
const fourEyes = !['off', '0', 'false', 'no'].includes((process.env.FOUR_EYES ?? '').toLowerCase());
const service = new RulesService(store, undefined, {
  signer,
  checkpoints: { file: checkpointFile },
  fourEyes,
  logWriter: { windowMs },
});
await service.engine(); // fail at start, not at the first request, if the stored versions do not compose
if (role !== 'worker')
  for (const { ruleSet, version } of await service.tamperedVersions())
    console.error(
      `LET OP: versie ${version} van ${ruleSet} is na publicatie gewijzigd (past niet bij zijn inhoudshash); de server beslist er niet mee. Herstel de database uit een backup.`,
    );

/** Where the data is, for the start line: the data folder, or the database server without user and password. */
function where(s: Store): string {
  if (s.location.kind === 'sqlite') return dataDir;
  const url = new URL(s.location.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/** The start line (and the demo's warning), once the server listens: said by the single process or the primary. */
function listening(address: { address: string; port: number }) {
  console.log(
    `Jeugdzorg-regels luistert op http://${address.address}:${address.port}${role === 'primary' ? ` met ${processes} processen` : ''}  (data: ${where(store)}${seeded?.versions ? `, ${seeded.versions} versies en ${seeded.testCases} testgevallen uit rules/ geladen` : ''})`,
  );
  if (demo) {
    console.log(
      'LET OP: lokale demo zonder accounts: alleen op loopback bereikbaar, en daar mag iedereen alles (verzoeken van andere websites worden geweigerd). Zet RULES_ADMIN_TOKEN om accounts in te richten (zie README).',
    );
  }
}

if (role === 'primary') {
  // the primary serves nothing: it keeps the store open only to hold the data folder's lock
  await service.close();
  supervise({ workers: processes, onListening: listening, onStopped: () => store.close() });
} else {
  const app = createApp(service, { editorDir, adminToken, trustProxy });
  const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
    if (role === 'single') listening(info);
  });
  // HTTP/1.1: `serve` makes a node:http server unless given another `createServer`
  (server as HttpServer).keepAliveTimeout = KEEP_ALIVE_MS;
  server.on('error', async (error: NodeJS.ErrnoException) => {
    await service.close();
    await store.close();
    refuse(
      error.code === 'EADDRINUSE'
        ? `Poort ${port} op ${hostname} is al in gebruik. Kies met PORT een andere poort.`
        : `Kan niet luisteren op ${hostname}:${port}: ${error.message}`,
    );
  });

  // expired editor sessions are removed at every login and once an hour
  const purge = setInterval(() => {
    store.accounts.purgeExpiredSessions(new Date().toISOString()).catch((error: unknown) => {
      console.error(`Kan verlopen sessies niet opruimen: ${(error as Error).message}`);
    });
  }, 3_600_000);
  purge.unref();

  // once, whichever signal comes first: a worker started from a terminal hears Ctrl-C itself and
  // then its primary's SIGTERM
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(purge);
      server.close();
      await service.close();
      await store.close();
      process.exit(0);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
}
