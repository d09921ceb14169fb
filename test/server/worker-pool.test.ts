/**
 * The pool of worker threads that impact analyses and verifications run in: a thread runs one
 * task after another (no new thread, no code loaded again), a task that fails leaves its thread
 * for the next, a stopped task ends its thread, an idle thread is ended after a while and another
 * started for the next task, the threads run at the lowest priority (Linux), and idle threads do
 * not keep a process alive.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, getPriority, platform } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerifyMessage, VerifyTask } from '../../server/audit.js';
import { WorkerPool, workerPool } from '../../server/worker-pool.js';
import { apeldoornRenewal } from '../support/factories.js';
import { openServer, serverPool, TEST_SIGNER } from './harness.js';

const server = serverPool();
const pools: WorkerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});
function pool(keep = 2, idleMs?: number) {
  const p = new WorkerPool(keep, idleMs);
  pools.push(p);
  return p;
}

const WHOLE = { after: 0, until: Number.MAX_SAFE_INTEGER };
const renewal = (clientsLastYear: number) => apeldoornRenewal(clientsLastYear);

async function loggedServer(n: number) {
  const s = await server();
  for (let i = 0; i < n; i++) expect((await s.request('POST', '/api/evaluate', renewal(i % 8))).status).toBe(200);
  const task: VerifyTask = {
    location: s.store.location,
    publicKeyPem: TEST_SIGNER.publicKeyPem,
    range: WHOLE,
    rest: false,
  };
  return { s, task };
}

function verifyOn(p: WorkerPool, task: VerifyTask) {
  const messages: VerifyMessage[] = [];
  const run = p.run<VerifyMessage>('verify', task, (m) => messages.push(m));
  return { run, messages };
}

/** The nice value of each thread of this process, by thread id (Linux). */
function niceByThread(): number[] {
  return readdirSync('/proc/self/task').map((tid) =>
    Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
  );
}

describe('the worker pool', () => {
  it('runs one task after another on the same thread, passing on what each posts', async () => {
    const { task } = await loggedServer(5);
    const p = pool();
    const first = verifyOn(p, task);
    await first.run.done;
    const second = verifyOn(p, task);
    await second.run.done;
    expect(second.run.threadId).toBe(first.run.threadId);
    for (const { messages } of [first, second])
      expect(messages.at(-1)).toMatchObject({ type: 'done', range: { checked: 5, problemCount: 0 } });
  });

  it('ends a failed task with its error and keeps the thread for the next', async () => {
    const { task } = await loggedServer(2);
    const p = pool();
    const broken = verifyOn(p, { ...task, location: { kind: 'sqlite', file: '/nonexistent/rules.sqlite' } });
    await expect(broken.run.done).rejects.toThrow(/.+/);
    const next = verifyOn(p, task);
    await next.run.done;
    expect(next.run.threadId).toBe(broken.run.threadId);
    expect(next.messages.at(-1)).toMatchObject({ type: 'done', range: { checked: 2 } });
  });

  it('ends the thread of a stopped task, and starts another for the next', async () => {
    const { task } = await loggedServer(2);
    const p = pool();
    const stopped = verifyOn(p, task);
    stopped.run.stop();
    await expect(stopped.run.done).resolves.toBeUndefined();
    const next = verifyOn(p, task);
    await next.run.done;
    expect(next.run.threadId).not.toBe(stopped.run.threadId);
  });

  it('ends a thread idle for `idleMs`, and starts another for the next task', async () => {
    const { task } = await loggedServer(3);
    const p = pool(2, 200);
    const first = verifyOn(p, task);
    await first.run.done;
    expect(p.idleThreads).toBe(1);
    // ended by its timer (polled: how long the ending takes is not the point)
    await vi.waitFor(() => expect(p.idleThreads).toBe(0), { timeout: 20_000, interval: 50 });
    const next = verifyOn(p, task);
    await next.run.done;
    expect(next.run.threadId).not.toBe(first.run.threadId);
    expect(p.threadsStarted).toBe(2);
    expect(next.messages.at(-1)).toMatchObject({ type: 'done', range: { checked: 3, problemCount: 0 } });
  });

  it('keeps a thread that gets a task before `idleMs` is over', async () => {
    const { task } = await loggedServer(3);
    const p = pool(2, 60_000);
    for (let i = 0; i < 3; i++) await verifyOn(p, task).run.done;
    expect(p.threadsStarted).toBe(1);
    expect(p.idleThreads).toBe(1);
  });

  it('keeps at most `keep` idle threads after many tasks at once', async () => {
    const { task } = await loggedServer(2);
    const p = pool(1);
    const runs = [verifyOn(p, task), verifyOn(p, task), verifyOn(p, task)];
    await Promise.all(runs.map((r) => r.run.done));
    expect(new Set(runs.map((r) => r.run.threadId)).size).toBe(3);
    // the one thread kept runs the next; the other two were ended
    const next = verifyOn(p, task);
    await next.run.done;
    expect(runs.map((r) => r.run.threadId)).toContain(next.run.threadId);
  });

  it.runIf(platform() === 'linux')('runs its threads at the lowest priority, and only them', async () => {
    const { task } = await loggedServer(1);
    const before = niceByThread().filter((n) => n === 19).length;
    const p = pool();
    const run = verifyOn(p, task);
    await run.run.done;
    expect(niceByThread().filter((n) => n === 19).length).toBeGreaterThan(before);
    expect(getPriority()).toBe(0);
  });

  it('does not keep a process alive with idle threads', async () => {
    const { task, s } = await loggedServer(1);
    // a process that runs a task and does nothing else ends by itself, its thread idle
    const script = join(s.dataDir, 'pool-exit.mts');
    writeFileSync(
      script,
      `import { WorkerPool } from ${JSON.stringify(new URL('../../server/worker-pool.ts', import.meta.url).href)};
      const run = new WorkerPool(2).run('verify', ${JSON.stringify(task)}, () => {});
      await run.done;
      console.log('verified');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toContain('verified');
    expect(child.status).toBe(0);
  });

  it('starts with a server whose log is large enough for worker threads, not with one whose log is not', async () => {
    const { s } = await loggedServer(3);
    await s.service.close();
    await s.store.close();
    const shared = workerPool();
    const idle = shared.idleThreads;
    // a log below `parallelFrom`: nothing started
    const small = await openServer(s.dataDir, { service: { impact: { parallelFrom: 4 } } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shared.idleThreads).toBe(idle);
    await small.service.close();
    await small.store.close();
    // at `parallelFrom` or more: the threads start with the server, before any job
    await server(s.dataDir, { service: { impact: { parallelFrom: 3, threads: 2 } } });
    await vi.waitFor(() => expect(shared.idleThreads).toBeGreaterThanOrEqual(Math.min(2, availableParallelism())));
    await shared.close();
  });
});
