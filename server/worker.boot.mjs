// Every worker thread's entry: loads the module named in workerData.entry (relative to this
// folder). From the sources that is TypeScript, loaded through tsx whether or not the process that
// started it runs under tsx (the server does; a test runner may not). In a build (`npm run build`
// copies this file into dist/server/) only the compiled JavaScript is there and tsx may not be
// installed: the entry's .js is loaded instead.
//
// workerData.background: the thread runs long jobs beside the API (impact analysis, verify; see
// server/worker-pool.ts) and takes the lowest scheduling priority before it loads anything, so
// that even loading its code never keeps the API's thread from a core.
import { existsSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { URL } from 'node:url';
import { workerData } from 'node:worker_threads';

/**
 * Nice 19 for this thread only: Linux gives each thread an id of its own (`/proc/thread-self` is
 * `<pid>/task/<tid>`) and setpriority takes it. Elsewhere, or where it is not allowed, the thread
 * keeps the process's priority.
 */
function lowerPriority() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // the jobs then share the cores with the API as equals
  }
}

if (workerData.background) lowerPriority();
const source = new URL(workerData.entry, import.meta.url);
const compiled = new URL(workerData.entry.replace(/\.ts$/, '.js'), import.meta.url);
if (!existsSync(source) && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(workerData.entry, import.meta.url);
}
