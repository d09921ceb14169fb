/**
 * Group commit (server/log-writer.ts) on every store: concurrent appends share one transaction
 * and one chain update, each caller hears only after its entry has committed (another connection
 * sees it), the chain verifies, and a group whose transaction fails is refused to every caller in
 * it while the next group goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regionOf } from '../../engine/compose.js';
import type { Case, Decision } from '../../engine/schema.js';
import type { NewDecision } from '../../server/db/log.js';
import type { DecisionLogStore } from '../../server/db/store.js';
import { LOG_WRITER_MAX_WINDOW_MS, LOG_WRITER_WINDOW_MS, LogWriter, windowFromEnv } from '../../server/log-writer.js';
import { runRefusedServer } from '../load/server.js';
import { admission, decide } from '../support/factories.js';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-07-01T00:00:00.000Z';

async function entry(i: number): Promise<NewDecision> {
  const c = admission({ provider: { clientsLastYear: i + 1 } }) as Case;
  const decision: Decision = await decide(c);
  return {
    municipality: c.municipality,
    region: regionOf(c.municipality),
    case: c,
    decision,
    decidedBy: `writer-${i}`,
  };
}

/** A store's log that records the size of each group written to it. */
function counted(s: { log: Pick<DecisionLogStore, 'appendMany'> }) {
  const groups: number[] = [];
  const log: Pick<DecisionLogStore, 'appendMany'> = {
    appendMany: async (entries, at) => {
      groups.push(entries.length);
      return s.log.appendMany(entries, at);
    },
  };
  return { groups, log };
}

describe.each(storeFactories)('group commit on $name', (factory) => {
  const store = freshStores(factory);

  it('writes appends of the same few milliseconds in one transaction, answering each after the commit', async () => {
    const s = await store();
    const { groups, log } = counted(s);
    const writer = new LogWriter(log, () => AT, { windowMs: 20, maxEntries: 1000 });
    const entries = await Promise.all(Array.from({ length: 40 }, (_, i) => entry(i)));
    const rows = await Promise.all(
      entries.map((e) =>
        writer.append(e).then(async (row) => {
          // answered: the entry is in the database, as a new read sees it
          expect((await s.log.get(row.id))?.decidedBy).toBe(e.decidedBy);
          return row;
        }),
      ),
    );
    expect(groups).toEqual([40]);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.map((r) => r.decidedBy)).toEqual(entries.map((e) => e.decidedBy));
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 40 });
  });

  it('closes a group at maxEntries and writes the ones that came meanwhile in the next', async () => {
    const s = await store();
    const { groups, log } = counted(s);
    const writer = new LogWriter(log, () => AT, { windowMs: 10_000, maxEntries: 8 });
    const e = await entry(0);
    // a window of ten seconds: only maxEntries (and then the commit of the group before) starts a write
    const rows = await Promise.all(Array.from({ length: 20 }, () => writer.append(e)));
    expect(rows).toHaveLength(20);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...groups)).toBeLessThanOrEqual(8);
    expect(groups.length).toBeLessThan(20);
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 20 });
  }, 20_000);

  it('refuses a failed group to each of its callers and goes on with the next', async () => {
    const s = await store();
    let fail = true;
    const writer = new LogWriter(
      {
        appendMany: async (entries, at) => {
          if (fail) {
            fail = false;
            // a broken entry makes the real transaction fail and roll back
            return s.log.appendMany([...entries, { ...entries[0]!, case: undefined as unknown as Case }], at);
          }
          return s.log.appendMany(entries, at);
        },
      },
      () => AT,
      { windowMs: 5 },
    );
    const e = await entry(1);
    const first = await Promise.allSettled([writer.append(e), writer.append(e), writer.append(e)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await s.log.count({})).toBe(0);
    const next = await writer.append(e);
    expect(next.seq).toBe(1);
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
  });

  it('with a window of 0, groups the appends of one turn of the event loop and writes a later one apart', async () => {
    const s = await store();
    const { groups, log } = counted(s);
    const writer = new LogWriter(log, () => AT, { windowMs: 0 });
    const e = await entry(3);
    const together = Promise.all([writer.append(e), writer.append(e), writer.append(e)]);
    // no timer: the group is written after this turn's callbacks, before any timer of 0 ms fires
    await new Promise((r) => setImmediate(r));
    expect(groups).toEqual([3]);
    await together;
    await writer.append(e);
    expect(groups).toEqual([3, 1]);
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 4 });
  });

  it('writes what waits before the service closes', async () => {
    const s = await store();
    const writer = new LogWriter(s.log, () => AT, { windowMs: 60_000 });
    const pending = writer.append(await entry(2));
    await writer.flush();
    expect((await pending).seq).toBe(1);
    expect(await s.log.count({})).toBe(1);
  });
});

describe('GROUP_COMMIT_MS', () => {
  it('gives the default when unset, a whole number of milliseconds within bounds, and nothing else', () => {
    expect(windowFromEnv(undefined)).toBe(LOG_WRITER_WINDOW_MS);
    expect(windowFromEnv(' ')).toBe(LOG_WRITER_WINDOW_MS);
    expect(windowFromEnv('0')).toBe(0);
    expect(windowFromEnv('5')).toBe(5);
    expect(windowFromEnv(String(LOG_WRITER_MAX_WINDOW_MS))).toBe(LOG_WRITER_MAX_WINDOW_MS);
    for (const bad of ['-1', '1.5', 'twee', String(LOG_WRITER_MAX_WINDOW_MS + 1), '1e9'])
      expect(windowFromEnv(bad)).toBeUndefined();
  });

  it('stops a server asked for another window with one Dutch line that says what to give', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jz-window-'));
    try {
      const started = runRefusedServer({ DATA_DIR: dataDir, GROUP_COMMIT_MS: 'twee' });
      expect(started.status).toBe(1);
      const lines = started.stderr.trim().split('\n');
      expect(lines).toEqual([
        `GROUP_COMMIT_MS=twee is geen wachttijd: geef een geheel aantal milliseconden van 0 tot en met ${LOG_WRITER_MAX_WINDOW_MS}, of laat het weg voor ${LOG_WRITER_WINDOW_MS}.`,
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
