/**
 * `npm start`: serves the API (and, later, the editor) on PORT (default 8787) and HOST (default
 * 127.0.0.1), storing everything in DATA_DIR (default ./data). On first start the store is seeded
 * from rules/; later starts keep what users changed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadRuleSetFiles, DEFAULT_RULES_DIR } from '../engine/index.js';
import { createApp } from './app.js';
import { isLoopback } from './auth.js';
import { openDataDir } from './db/open.js';
import { RulesService } from './service.js';

const port = Number(process.env.PORT ?? 8787);
const hostname = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? './data';

const store = openDataDir(dataDir);
const adminToken = process.env.RULES_ADMIN_TOKEN || undefined;
const trustProxy = ['1', 'true', 'yes'].includes((process.env.TRUSTED_PROXY ?? '').toLowerCase());
const demo = !adminToken && !store.accounts.any();
if (demo && !isLoopback(hostname)) {
  // in a demo every request may do everything: it must not be reachable from other machines
  console.error(
    `Geweigerd: zonder accounts draait de dienst als lokale demo waarin iedereen alles mag, en die luistert alleen op loopback (127.0.0.1), niet op HOST=${hostname}. Zet RULES_ADMIN_TOKEN om accounts in te richten (zie README), of start zonder HOST.`,
  );
  store.close();
  process.exit(1);
}

// dist/editor, seen from the sources (server/) or from their compiled copy (dist/server/)
const compiled = import.meta.url.endsWith('.js');
const editorDir = fileURLToPath(new URL(compiled ? '../editor' : '../dist/editor', import.meta.url));
if (!existsSync(`${editorDir}/index.html`)) {
  if (compiled) throw new Error(`${editorDir}/index.html ontbreekt: bouw de editor met \`npm run build\`.`);
  // a fresh clone: build the editor once (a few seconds) so that `npm start` serves it
  console.log('De editor wordt gebouwd (eenmalig)…');
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

const seeded = store.ruleSets.seedIfEmpty(
  loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
  new Date().toISOString(),
);
const service = new RulesService(store);
service.engine(); // fail at start, not at the first request, if the stored versions do not compose

const app = createApp(service, { editorDir, adminToken, trustProxy });
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(
    `Jeugdzorg-regels luistert op http://${info.address}:${info.port}  (data: ${dataDir}${seeded ? `, ${seeded} versies uit rules/ geladen` : ''})`,
  );
  if (demo) {
    console.log(
      'LET OP: lokale demo zonder accounts: alleen op loopback bereikbaar, en daar mag iedereen alles (verzoeken van andere websites worden geweigerd). Zet RULES_ADMIN_TOKEN om accounts in te richten (zie README).',
    );
  }
});

// expired editor sessions are removed at every login and once an hour
const purge = setInterval(() => store.accounts.purgeExpiredSessions(new Date().toISOString()), 3_600_000);
purge.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(purge);
    server.close();
    store.close();
    process.exit(0);
  });
}
