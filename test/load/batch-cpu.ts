/**
 * CPU per case of a logged batch, per thread of the server and for the batch client: a measure
 * that holds on a shared machine, where cases per second depend on what else runs. A compiled
 * server (test/load/server.ts, `built`) in a process of its own gets one streamed batch from the
 * batch client (test/load/batch.ts, a process of its own); the kernel's CPU time of each of the
 * server's threads (/proc/<pid>/task/<tid>/stat) is sampled every 50 ms while it runs — the
 * batch's deciding worker ends with the batch, so its last sample is its time — and divided by
 * the cases.
 *
 *   npx tsx test/load/batch-cpu.ts [--cases=200000] [--repeat=1] [--prof=DIR]
 *
 * Linux only (/proc). `--prof` starts the server with `--cpu-prof` into DIR.
 */
import { readdirSync } from 'node:fs';
import { child } from './child.js';
import { cpuMicros } from './cpu-time.js';
import { startServer } from './server.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const cases = Number(option('cases') ?? 200_000);
const repeat = Number(option('repeat') ?? 1);
const prof = option('prof');

/** Each live thread's CPU time so far (µs), by thread id; a thread that ended keeps its last sample. */
function sample(pid: number, into: Map<string, number>) {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      into.set(tid, cpuMicros(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // ended meanwhile
    }
  }
}

const server = await startServer({ built: true, nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [] });
const token = await server.token('batch-cpu: case system', 'case-system');
const runs = [];
// a first small batch, not measured: the worker's code and the server's paths warmed up
await child('test/load/batch.ts', [`--url=${server.base}`, `--token=${token}`, `--cases=20000`]);
for (let r = 0; r < repeat; r++) {
  const before = new Map<string, number>();
  sample(server.pid, before);
  const during = new Map(before);
  const timer = setInterval(() => sample(server.pid, during), 50);
  const batch = await child<Record<string, number>>('test/load/batch.ts', [
    `--url=${server.base}`,
    `--token=${token}`,
    `--cases=${cases}`,
  ]);
  clearInterval(timer);
  sample(server.pid, during);
  const perCase = (us: number) => Math.round((us / cases) * 10) / 10;
  // Node names none of its threads: the main thread by its id, the others by their cost, the
  // largest first (the deciding worker, then V8's helpers and the WAL checkpointer)
  const threads: Record<string, number> = {};
  const others: number[] = [];
  let total = 0;
  for (const [tid, seen] of during) {
    const us = seen - (before.get(tid) ?? 0);
    total += us;
    if (tid === String(server.pid)) threads.main = perCase(us);
    else if (us > 0) others.push(us);
  }
  others.sort((a, b) => b - a).forEach((us, i) => (threads[`t${i + 1}`] = perCase(us)));
  runs.push({
    casesPerSecond: batch.casesPerSecond,
    decisions: batch.decisions,
    problems: batch.problems,
    serverUsPerCase: perCase(total),
    threads,
    clientUsPerCase: batch.clientCpuUsPerCase,
  });
  console.log(JSON.stringify(runs.at(-1)));
}
await server.stop();
server.remove();
process.exit(0);
