/**
 * The server as production runs it (`node dist/server/main.js`, see README "Running in
 * production"), for the load tests and the bench: compiled from the current sources, never stale.
 * The compiled server is stamped with a hash of what it was compiled from (everything under
 * engine/ and server/, the tsconfigs, the lock file); when the stamp differs, the server part of
 * the build (`server/scripts/build.ts`, ~20 s) runs again, and the editor is built once when
 * `dist/editor` is missing (the compiled server refuses to start without it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const STAMP = 'dist/server/.sources-hash';
/** What the compiled server is made of, besides the folders. */
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A hash of every source the server is compiled from, by path and content. */
export function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = [...filesUnder('engine'), ...filesUnder('server'), ...FILES.map((f) => join(root, f))].sort();
  for (const file of files) hash.update(`${file.slice(root.length)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/** The path of the compiled server's main module, built first when missing or older than the sources. */
export function builtServer(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const main = join(root, 'dist/server/main.js');
  const hash = sourcesHash();
  const stamp = join(root, STAMP);
  if (!existsSync(main) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
    log('server: engine/ en server/ worden gecompileerd naar dist/ (de bronnen veranderden)…');
    // its output on standard error: a bench's standard output is its JSON
    execFileSync(process.execPath, ['--import', 'tsx', 'server/scripts/build.ts'], {
      cwd: root,
      stdio: ['ignore', process.stderr, 'inherit'],
    });
    writeFileSync(stamp, hash);
  }
  if (!existsSync(join(root, 'dist/editor/index.html'))) {
    log('server: de editor wordt gebouwd (eenmalig)…');
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', process.stderr, 'inherit'],
    });
  }
  return main;
}
