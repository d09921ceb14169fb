/**
 * The WAL's checkpoints on a thread of their own (server/db/wal-checkpointer.ts): a server's
 * connection commits without ever checkpointing, and the committed pages still reach the
 * database file while the store is open — which, with SQLite's automatic checkpoint at 1,000
 * pages of 16 KiB, they would not for a log of this size; and under steady appends the WAL is
 * emptied and started again once it holds its limit, instead of growing for as long as they come.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Decision } from '../../engine/schema.js';
import type { NewDecision } from '../../server/db/log.js';
import { openDataDir, type SqliteStore } from '../../server/db/open.js';
import type { WalCheckpointerOptions } from '../../server/db/wal-checkpointer.js';
import { decide, ijsselAllocation } from '../support/factories.js';

const AT = '2026-07-01T00:00:00.000Z';
const ENTRIES = 3000;

let decided: { case: Case; decision: Decision };
beforeAll(async () => {
  const c = ijsselAllocation({ referenceDate: '2026-03-15' }) as Case;
  decided = { case: c, decision: await decide(c) };
});

const opened: { store: SqliteStore; dir: string }[] = [];
afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function open(backgroundCheckpoints: boolean | WalCheckpointerOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const store = openDataDir(dir, { backgroundCheckpoints });
  opened.push({ store, dir });
  return { store, dir, file: join(dir, 'rules.sqlite') };
}

/** The decision of `decided` as the log takes it. */
const logEntry = (): NewDecision => ({
  municipality: decided.case.municipality,
  region: 'ijsselland',
  case: decided.case,
  decision: decided.decision,
  decidedBy: 'test',
});

/** 3,000 entries (about 4 MB of pages) in transactions of 100, as group commit writes them. */
async function fill(store: SqliteStore) {
  const entry = logEntry();
  for (let i = 0; i < ENTRIES; i += 100) await store.log.appendMany(Array(100).fill(entry), AT);
}

async function until(check: () => boolean, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

describe('WAL checkpoints on their own thread', () => {
  it('move the committed pages into the database file while the store is open', async () => {
    const { store, file } = open(true);
    const before = statSync(file).size;
    await fill(store);
    const checkpointer = store.walCheckpointer!;
    // the file comes to hold the log (far more than it did), without a commit having checkpointed,
    // and the thread reports a checkpoint that copied the whole WAL
    expect(await until(() => statSync(file).size - before > 3 * 1024 * 1024)).toBe(true);
    expect(
      await until(() => checkpointer.last !== undefined && checkpointer.last.checkpointed === checkpointer.last.log),
    ).toBe(true);
    expect(checkpointer.last).toMatchObject({ busy: 0 });
    expect(checkpointer.fellBack).toBe(false);
    expect(await store.log.verifyChain()).toMatchObject({ ok: true, checked: ENTRIES });
  }, 60_000);

  it('are not taken by the connection itself when it runs them (without: the pages stay in the WAL)', async () => {
    const { store, file } = open(false);
    const before = statSync(file).size;
    await fill(store);
    await new Promise((r) => setTimeout(r, 300));
    expect(store.walCheckpointer).toBeUndefined();
    // below SQLite's own threshold of 1,000 pages nothing was checkpointed: the contrast above
    expect(statSync(file).size - before).toBeLessThan(1024 * 1024);
  }, 60_000);

  it('keep the WAL near its limit under steady appends: appends wait for it to be emptied', async () => {
    const limit = 1024 * 1024;
    const { store, file } = open({ intervalMs: 20, restartBytes: limit, retryMs: 20 });
    const wal = `${file}-wal`;
    const entry = logEntry();
    // one small commit every millisecond or two, as logged evaluations come: each writes its
    // pages to the WAL again (~80 KB), ~50 MB in all, and a PASSIVE checkpoint alone would not
    // find a moment between two commits to let the WAL start again
    let largest = 0;
    for (let i = 0; i < 600; i++) {
      await store.log.append(entry, AT);
      largest = Math.max(largest, statSync(wal).size);
      await new Promise((r) => setTimeout(r, 1));
    }
    const checkpointer = store.walCheckpointer!;
    expect(checkpointer.emptied).toBeGreaterThan(0);
    // the limit, and what came in the checkpoint interval before an append noticed it (without
    // the wait, measured: 51 MB)
    expect(largest).toBeLessThan(limit + 8 * 1024 * 1024);
    expect(await store.log.verifyChain()).toMatchObject({ ok: true, checked: 600 });
  }, 60_000);

  it('cut a WAL that grew past its limit back in steps, not at once', async () => {
    const limit = 1024 * 1024;
    const step = 2 * 1024 * 1024;
    const { store, file } = open({
      intervalMs: 20,
      restartBytes: limit,
      retryMs: 20,
      sizeLimitBytes: limit,
      cutStepBytes: step,
    });
    const wal = `${file}-wal`;
    const entry = logEntry();
    const appendAndMeasure = async () => {
      await store.log.append(entry, AT);
      await new Promise((r) => setTimeout(r, 1));
      return statSync(wal).size;
    };
    // a reader keeps one snapshot, as a long read does: the WAL cannot start again and grows
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM decisions').get();
    let grown = 0;
    for (let i = 0; i < 150; i++) grown = await appendAndMeasure();
    expect(grown).toBeGreaterThan(4 * step);
    reader.exec('COMMIT');
    reader.close();
    // from now on the WAL starts again; each start cuts the file by the step, and by what the
    // WAL grew after its size was last read (a checkpoint, every 20 ms here: ~1 MB at most);
    // without the steps, the first start cut it to the limit at once (~13 MB)
    let size = grown;
    let largestCut = 0;
    for (let i = 0; i < 600 && size > limit + step; i++) {
      const next = await appendAndMeasure();
      largestCut = Math.max(largestCut, size - next);
      size = next;
    }
    expect(largestCut).toBeGreaterThan(0);
    expect(largestCut).toBeLessThanOrEqual(2 * step);
    expect(size).toBeLessThanOrEqual(limit + step);
    // so it took several starts
    expect(store.walCheckpointer!.emptied).toBeGreaterThan(1);
    const { seq } = await store.log.head();
    expect(seq).toBeGreaterThan(150);
    expect(await store.log.verifyChain()).toMatchObject({ ok: true, checked: seq });
  }, 60_000);

  it('stop with the store, and what was written reads and verifies on opening again', async () => {
    const { store, dir } = open(true);
    await fill(store);
    opened.pop();
    await store.close();
    const again = openDataDir(dir, { backgroundCheckpoints: true });
    opened.push({ store: again, dir });
    expect(await again.log.verifyChain()).toMatchObject({ ok: true, checked: ENTRIES });
  }, 60_000);
});
