/**
 * The servers that the bench and the load tests start (test/load/server.ts) run with the Node flags
 * `npm start` gives (package.json's start script), so that what they measure is production's: with
 * `--expose-gc`, which lets a batch start from a collected heap (server/batch.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlags, startServer, type RunningServer } from '../load/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server.stop();
  server.remove();
});

describe('the server’s Node flags', () => {
  it('are npm start’s for a server started for the bench, the collector exposed among them', () => {
    expect(startFlags()).toContain('--expose-gc');
    const args = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    for (const flag of startFlags()) expect(args).toContain(flag);
  });
});
