/**
 * The server half of `npm run build`: compiles engine/ and server/ to JavaScript in dist/
 * (tsconfig.build.json) and puts beside it what the compiled code reads next to itself — the
 * migrations and the worker threads' entry — so that `npm start` (server/start.mjs) can run
 * dist/server/main.js with production dependencies only. The rule sets stay in rules/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string) => `${root}${path}`;

for (const dir of ['dist/engine', 'dist/server']) rmSync(at(dir), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', at('tsconfig.build.json')], { stdio: 'inherit' });
for (const dir of ['server/db/migrations', 'server/db/migrations-pg'])
  cpSync(at(dir), at(`dist/${dir}`), { recursive: true });
for (const file of ['server/worker.boot.mjs', 'server/db/wal-checkpointer.mjs'])
  copyFileSync(at(file), at(`dist/${file}`));
console.log('dist/engine en dist/server gebouwd.');
