/**
 * `npm start`: serves the API (and, later, the editor) on PORT (default 8787) and HOST (default
 * 127.0.0.1), storing everything in DATA_DIR (default ./data). On first start the store is seeded
 * from rules/ (rule sets and their test cases); later starts keep what users changed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { openDataDir } from './db/open.js';
import { seedFromRules } from './seed.js';
import { RulesService } from './service.js';

const port = Number(process.env.PORT ?? 8787);
const hostname = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? './data';

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

const store = openDataDir(dataDir);
const seeded = seedFromRules(store, new Date().toISOString());
const service = new RulesService(store);
service.engine(); // fail at start, not at the first request, if the stored versions do not compose

const adminToken = process.env.RULES_ADMIN_TOKEN || undefined;
const server = serve({ fetch: createApp(service, { editorDir, adminToken }).fetch, port, hostname }, (info) => {
  console.log(
    `Jeugdzorg-regels luistert op http://${info.address}:${info.port}  (data: ${dataDir}${seeded.versions ? `, ${seeded.versions} versies en ${seeded.testCases} testgevallen uit rules/ geladen` : ''})`,
  );
  if (!adminToken && !store.accounts.any()) {
    console.log(
      'LET OP: lokale demo zonder accounts: iedereen die deze poort bereikt mag alles. Zet RULES_ADMIN_TOKEN om accounts in te richten (zie README).',
    );
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    store.close();
    process.exit(0);
  });
}
