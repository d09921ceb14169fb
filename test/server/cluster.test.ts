/**
 * A server of several processes on one SQLite data folder (`WEB_CONCURRENCY=2`), as in
 * production: `server/main.ts` as a primary with two workers sharing the port. Which worker a
 * connection reached is read from Linux's /proc (the worker holding the server's side of the
 * socket), so that a test can speak to each worker on purpose; skipped where /proc is missing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../engine/index.js';
import { joinDataDirLock, LOCK_FILE, lockDataDir } from '../../server/db/lock.js';
import { DataDirError, openDatabase, openDataDir } from '../../server/db/open.js';
import type { Store } from '../../server/db/store.js';
import { readCheckpointFile } from '../../server/integrity.js';
import { seedFromRules } from '../../server/seed.js';
import { runRefusedServer, serverRoot, startServer, type RunningServer } from '../load/server.js';
import { bearer } from './harness.js';
import { anyValidCase } from '../support/arbitraries.js';
import { type ApiCall, expectPublishTakenUp, insertNextApeldoorn, publishApeldoorn } from '../support/publishing.js';

type Json = Record<string, unknown>;

const linux = existsSync('/proc/net/tcp');

/** A connection of its own to the server, kept alive: every request on it reaches the same worker. */
interface Connection {
  agent: http.Agent;
  /** The client's port, by which /proc names the connection. */
  localPort: number;
}

/** One request over `agent`; its status, JSON body and the client port of the connection it used. */
function request(
  base: string,
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: Json; localPort: number }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: (text ? JSON.parse(text) : {}) as Json,
            localPort: req.socket!.localPort!,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The worker of `pids` that holds the server's side of the loopback connection from client port
 * `localPort`: /proc/net/tcp gives the socket's inode (the line whose remote end is that port),
 * and the worker whose file descriptors include `socket:[inode]` holds it.
 */
function workerOf(localPort: number, pids: number[]): number | undefined {
  const port = localPort.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((fields) => fields[2]?.endsWith(`:${port}`) && fields[2].startsWith('0100007F'));
  const inode = line?.[9];
  if (!inode) return undefined;
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`);
    } catch {
      return false;
    }
  });
}

/** CPU seconds (user and system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are the 14th and 15th fields of the line, in clock ticks (100 a second on Linux)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string) {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > ms) throw new Error(`niet binnen ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!linux)('a server of two processes on one SQLite data folder (WEB_CONCURRENCY=2)', () => {
  let server: RunningServer;
  const agents: http.Agent[] = [];

  beforeAll(async () => {
    server = await startServer({ root: serverRoot('jz-cluster-'), processes: 2, env: { FOUR_EYES: 'off' } });
  }, 300_000);

  afterAll(async () => {
    for (const agent of agents) agent.destroy();
    await server?.stop();
    server?.remove();
  }, 60_000);

  /** A kept-alive connection to each worker, found by opening connections until both are reached. */
  async function connectionPerWorker(withinMs = 5_000): Promise<Map<number, Connection>> {
    const workers = server.servingPids();
    const found = new Map<number, Connection>();
    const started = performance.now();
    while (found.size < workers.length && performance.now() - started < withinMs) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      const { status, localPort } = await request(server.base, agent, 'GET', '/api/health');
      expect(status).toBe(200);
      const pid = workerOf(localPort, workers);
      if (pid !== undefined && !found.has(pid)) found.set(pid, { agent, localPort });
      else await new Promise((r) => setTimeout(r, 20)); // a worker still starting listens soon
    }
    expect([...found.keys()].sort()).toEqual([...workers].sort());
    return found;
  }

  it('serves from two workers while the primary holds the lock, and refuses another server on the folder', async () => {
    const workers = server.servingPids();
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(server.pid);
    const lock = JSON.parse(readFileSync(join(server.dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(server.pid);

    const second = runRefusedServer({ DATA_DIR: server.dataDir, WEB_CONCURRENCY: '2' });
    expect(second.status).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`al in gebruik door een andere server (pid ${server.pid}`);
  }, 60_000);

  it('answers concurrent logged evaluations on both workers without error, logs each once and verifies', async () => {
    const caseSystem = await server.token('cluster: case system', 'case-system');
    const auditor = await server.token('cluster: auditor', 'auditor');
    const connections = await connectionPerWorker();
    const [one] = [...connections.values()];
    const total = async () =>
      (await request(server.base, one!.agent, 'GET', '/api/decisions?limit=1', bearer(auditor))).body.total as number;
    const before = await total();
    const cpuBefore = new Map([...connections.keys()].map((pid) => [pid, cpuSeconds(pid)]));

    // four clients per worker, each on a connection of its own to that worker, sending its next
    // case as soon as the previous one is answered: both write the one log at the same time
    const perWorker = new Map<number, http.Agent[]>();
    for (const pid of connections.keys()) perWorker.set(pid, [connections.get(pid)!.agent]);
    for (let attempt = 0; [...perWorker.values()].some((a) => a.length < 4) && attempt < 40; attempt++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      const { localPort } = await request(server.base, agent, 'GET', '/api/health');
      const pid = workerOf(localPort, [...connections.keys()]);
      if (pid !== undefined && perWorker.get(pid)!.length < 4) perWorker.get(pid)!.push(agent);
    }
    const bodies = fc.sample(anyValidCase, { numRuns: 200, seed: 18 });
    const answered = new Map<number, number>([...connections.keys()].map((pid) => [pid, 0]));
    const failures: string[] = [];
    const stopAt = Date.now() + 10_000;
    const client = async (pid: number, agent: http.Agent, offset: number) => {
      for (let i = offset; Date.now() < stopAt; i += 8) {
        const res = await request(
          server.base,
          agent,
          'POST',
          '/api/evaluate',
          bearer(caseSystem),
          bodies[i % bodies.length],
        );
        if (res.status === 200 && typeof res.body.id === 'string') answered.set(pid, answered.get(pid)! + 1);
        else failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    };
    await Promise.all(
      [...perWorker].flatMap(([pid, list], w) => list.map((agent, k) => client(pid, agent, w * 4 + k))),
    );
    expect(failures).toEqual([]);
    const sum = [...answered.values()].reduce((a, b) => a + b, 0);
    for (const [pid, n] of answered) {
      expect(n, `worker ${pid} answered`).toBeGreaterThan(50);
      expect(cpuSeconds(pid) - cpuBefore.get(pid)!, `CPU seconds of worker ${pid}`).toBeGreaterThan(0.5);
    }
    expect((await total()) - before).toBe(sum);

    // each worker signs checkpoints of the one chain: each once in the database and in the file
    const reader = openDatabase(join(server.dataDir, 'rules.sqlite'), { readonly: true });
    const checkpoints = await reader.checkpoints.all();
    await reader.close();
    expect(checkpoints.length).toBeGreaterThan(1);
    const file = readCheckpointFile(`${server.dataDir}.checkpoints.jsonl`);
    expect(file.unreadable).toEqual([]);
    const inFile = file.checkpoints.map((c) => c.seq);
    expect(new Set(inFile).size).toBe(inFile.length);
    expect(inFile.sort((a, b) => a - b)).toEqual(checkpoints.map((c) => c.seq).sort((a, b) => a - b));
    // and both verify the whole log with them
    for (const { agent } of connections.values()) {
      const verified = await request(server.base, agent, 'GET', '/api/audit/verify', bearer(auditor));
      expect(verified.status).toBe(200);
      expect(verified.body.problems).toEqual([]);
      expect(verified.body).toMatchObject({ ok: true, checked: before + sum });
    }
  }, 120_000);

  it('decides on one worker with a version published on the other within one second', async () => {
    const officer = await server.token('cluster: Apeldoorn', 'municipality-officer', 'apeldoorn');
    const auth = bearer(officer);
    const [onA, onB] = [...(await connectionPerWorker()).values()].map(
      ({ agent }): ApiCall =>
        (method, path, body) =>
          request(server.base, agent, method, path, auth, body),
    ) as [ApiCall, ApiCall];
    const { latest, nextValidFrom } = await expectPublishTakenUp(onA, onB, 'Gepubliceerd op werkproces A');

    // two more publishes at once, one on each worker: one chain of versions, never one number twice
    const results = await Promise.all(
      [onA, onB].map((on, k) =>
        publishApeldoorn(on, latest.document, addDays(nextValidFrom, k + 1), `Tegelijk gepubliceerd (${k})`),
      ),
    );
    // the later date always follows the earlier; the earlier one after the later is refused (409)
    for (const status of results) expect([201, 409, 422]).toContain(status);
    expect(results).toContain(201);
    const after = (await onB('GET', '/api/rulesets/apeldoorn/versions')).body.versions as { version: number }[];
    const numbers = after.map((v) => v.version);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers.at(-1)).toBe(latest.version + 1 + results.filter((status) => status === 201).length);
  }, 60_000);

  it('starts a new worker in place of one that died, and keeps serving', async () => {
    const [victim, survivor] = server.servingPids();
    process.kill(victim!, 'SIGKILL');
    await until(
      () => {
        const now = server.servingPids();
        return now.length === 2 && !now.includes(victim!) && now.includes(survivor!);
      },
      30_000,
      'een nieuw werkproces',
    );
    // the newcomer serves once a connection of its own reaches it
    const connections = await connectionPerWorker(30_000);
    for (const { agent } of connections.values())
      expect((await request(server.base, agent, 'GET', '/api/health')).status).toBe(200);
  }, 60_000);

  it('stops on SIGTERM with every process, lets go of the folder, and the log verifies on the next start', async () => {
    const auditor = await server.token('cluster: auditor at the end', 'auditor');
    const workers = server.servingPids();
    await server.stop();
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(server.dataDir, LOCK_FILE))).toBe(false);

    const again = await startServer({ root: server.root, processes: 1, adminToken: undefined });
    try {
      // the admin token differs: the auditor's token is in the database, which outlives both
      const verified = await fetch(`${again.base}/api/audit/verify`, { headers: bearer(auditor) });
      const body = (await verified.json()) as Json;
      expect(body.problems).toEqual([]);
      expect(body.ok).toBe(true);
    } finally {
      await again.stop();
    }
  }, 120_000);
});

describe('hearing publishes of another process on SQLite (store.watchPublished)', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('hears a publish by another connection within a second, nothing rolled back, and nothing after it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-watch-'));
    const publisher = openDataDir(dir);
    opened.push(publisher);
    await seedFromRules(publisher, new Date().toISOString());
    const listener = openDatabase(join(dir, 'rules.sqlite'), { migrate: false });
    opened.push(listener);
    const heard: number[] = [];
    const unwatch = listener.watchPublished(() => heard.push(performance.now()));

    // log appends and drafts are changes too, but no publish
    await publisher.ruleSets.createDraft(
      (await publisher.ruleSets.versionsOf('zwolle')).at(-1)!.document,
      1,
      'test',
      new Date().toISOString(),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);

    const at = performance.now();
    await insertNextApeldoorn(publisher);
    await until(() => heard.length === 1, 1_000, 'de publicatie gehoord');
    expect(heard[0]! - at).toBeLessThan(1_000);

    await expect(insertNextApeldoorn(publisher, { rollBack: true })).rejects.toThrow('teruggedraaid');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toHaveLength(1);

    unwatch();
    await insertNextApeldoorn(publisher);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toHaveLength(1);
  });
});

describe('the data folder lock of a server of several processes', () => {
  const tempDir = () => mkdtempSync(join(tmpdir(), 'jz-join-'));

  it('lets a worker join the lock its primary holds, and no one else', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    try {
      expect(() => joinDataDirLock(dir, process.pid)).not.toThrow();
      expect(() => joinDataDirLock(dir, process.pid + 1)).toThrow(/al in gebruik door een andere server \(pid \d+/);
      // an independent second store on the folder is still refused while the primary holds it
      expect(() => openDataDir(dir)).toThrow(DataDirError);
    } finally {
      release();
    }
  });

  it('refuses a worker whose primary no longer holds the folder', () => {
    const dir = tempDir();
    expect(() => openDataDir(dir, { primary: process.pid })).toThrow(DataDirError);
    expect(() => openDataDir(dir, { primary: process.pid })).toThrow(/houdt de map niet \(meer\) vast/);
  });
});
