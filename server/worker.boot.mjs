// Every worker thread's entry: loads the TypeScript module named in workerData.entry (relative to
// this folder) through tsx, whether or not the process that started it runs under tsx (the server
// does; a test runner may not).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
