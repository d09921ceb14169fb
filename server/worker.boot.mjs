// Every worker thread's entry: loads the module named in workerData.entry (relative to this
// folder). From the sources that is TypeScript, loaded through tsx whether or not the process that
// started it runs under tsx (the server does; a test runner may not). In a build (`npm run build`
// copies this file into dist/server/) only the compiled JavaScript is there and tsx may not be
// installed: the entry's .js is loaded instead.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';
import { workerData } from 'node:worker_threads';

const source = new URL(workerData.entry, import.meta.url);
const compiled = new URL(workerData.entry.replace(/\.ts$/, '.js'), import.meta.url);
if (!existsSync(source) && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(workerData.entry, import.meta.url);
}
