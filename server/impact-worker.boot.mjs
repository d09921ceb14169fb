// The worker's entry: loads impact-worker.ts through tsx, whether or not the process that
// started it runs under tsx (the server does; a test runner may not).
import { tsImport } from 'tsx/esm/api';

await tsImport('./impact-worker.ts', import.meta.url);
