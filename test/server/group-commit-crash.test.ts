/**
 * Group commit loses nothing it acknowledged: the real server in a process of its own, a burst of
 * concurrent logged evaluations, SIGKILL in the middle of it, a restart on the same data (the same
 * folder, or the same PostgreSQL database) — and every decision answered 200 is in the log, whose
 * chain and signed checkpoints verify.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admission, dyslexiaCase, mijovAllocation } from '../support/factories.js';
import { createTestDatabase, testDatabaseUrl } from '../support/postgres.js';
import { listeningAt } from '../load/server.js';

interface Running {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}

/** `server/main.ts` on `dataDir` (and `databaseUrl`, if given), resolved once it listens. */
async function start(dataDir: string, databaseUrl?: string): Promise<Running> {
  // node itself (not npx), so that SIGKILL hits the process that is writing
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      // not vitest's variables: under them vite.config.ts would build the editor from the wrong root
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST'))),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? '',
      RULES_ADMIN_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, base: await listeningAt(child, exited), exited };
}

const CASES = [dyslexiaCase(), mijovAllocation(), admission(), dyslexiaCase({ referral: { referrer: 'huisarts' } })];

/**
 * Keeps `concurrency` logged evaluations in flight until the server dies; kills it with SIGKILL
 * once `killAfter` have been answered. Returns the ids answered 200.
 */
async function burstUntilKilled(
  server: Running,
  concurrency: number,
  killAfter: number,
): Promise<{ answered: string[]; cutOff: number }> {
  const answered: string[] = [];
  let cutOff = 0;
  let dead = false;
  void server.exited.then(() => (dead = true));
  const client = async (k: number) => {
    for (let i = 0; !dead; i++) {
      try {
        const res = await fetch(`${server.base}/api/evaluate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(CASES[(k + i) % CASES.length]),
        });
        const body = await res.text();
        if (res.status === 200) answered.push((JSON.parse(body) as { id: string }).id);
        else throw new Error(`${res.status} ${body.slice(0, 300)}`);
        if (answered.length >= killAfter && !server.child.killed) server.child.kill('SIGKILL');
      } catch (error) {
        if (!dead && !server.child.killed) throw error;
        cutOff += 1; // the connection died with the server: no answer, nothing promised
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => client(k)));
  await server.exited;
  return { answered, cutOff };
}

async function get(server: Running, path: string) {
  const res = await fetch(`${server.base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const databases: { name: string; open(): Promise<{ url?: string; drop(): Promise<void> }> }[] = [
  { name: 'sqlite', open: async () => ({ drop: async () => {} }) },
  ...(testDatabaseUrl ? [{ name: 'postgres', open: createTestDatabase }] : []),
];

describe.each(databases)('a server killed (SIGKILL) during a burst of logged evaluations on $name', (database) => {
  it('has every decision it answered 200 in the log after a restart, and the log verifies', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'group-commit-crash-')), 'data');
    const db = await database.open();
    try {
      const first = await start(dataDir, db.url);
      const { answered, cutOff } = await burstUntilKilled(first, 48, 400);
      expect(answered.length).toBeGreaterThanOrEqual(400);
      // killed in the middle: evaluations were in flight, unanswered
      expect(cutOff).toBeGreaterThan(0);
      expect(new Set(answered).size).toBe(answered.length);

      const second = await start(dataDir, db.url);
      try {
        const missing: string[] = [];
        for (const id of answered) if ((await get(second, `/api/decisions/${id}`)).status !== 200) missing.push(id);
        expect(missing).toEqual([]);
        const verified = await get(second, '/api/audit/verify');
        expect(verified.status).toBe(200);
        expect(verified.body).toMatchObject({ ok: true, problems: [] });
        expect(verified.body.checked as number).toBeGreaterThanOrEqual(answered.length);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await db.drop();
    }
  }, 180_000);
});
