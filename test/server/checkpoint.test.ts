/**
 * The background checkpointer: with it running, the write-ahead log is moved into the database
 * file by another thread while evaluations only append — and nothing is lost or broken on the way.
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { mijovAllocation } from '../support/factories.js';
import { openServer } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function until(condition: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await sleep(20);
  return condition();
}

describe('background checkpoints', () => {
  it('move logged decisions into the database file while the server only appends', async () => {
    const s = openServer();
    const stop = s.store.startBackgroundCheckpoints(20);
    cleanups.push(async () => {
      await stop();
      s.store.close();
    });
    // let the worker start, then note the size: commits alone (autocheckpoint at 10,000 pages)
    // would leave the database file as it is for all of the decisions below
    await sleep(300);
    const before = statSync(s.file).size;
    for (let i = 0; i < 60; i++) {
      const res = await s.request('POST', '/api/evaluate', mijovAllocation({ municipality: 'apeldoorn' }));
      expect(res.status).toBe(200);
    }
    expect(await until(() => statSync(s.file).size > before + 60 * 4096)).toBe(true);
    expect(s.store.verifyChain()).toEqual({ ok: true, checked: 60 });
  });
});
