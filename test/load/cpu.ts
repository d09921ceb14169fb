/**
 * CPU per logged `POST /api/evaluate`, of the server process and of its main thread: a measure
 * that holds on a shared machine, where throughput measured by the clock depends on what else
 * runs. A real server (its own process, test/load/server.ts) gets the load generator's mixed
 * cases at a fixed moderate rate (well below saturation, so no queue builds up); the CPU time the
 * kernel counted for the server (/proc/<pid>/stat, and /proc/<pid>/task/<pid>/stat for the main
 * thread) over the measured window, divided by the requests sent in it, is the cost of one.
 *
 *   npx tsx test/load/cpu.ts [--rate=500] [--seconds=10] [--warmup=5] [--repeat=3] [--json]
 *
 * Linux only (/proc). The kernel counts in clock ticks (10 ms), so a window needs a few thousand
 * requests to give µs per request to a few percent.
 */
import { runChild } from './child.js';
import { cpuMicros } from './cpu-time.js';
import { startServer } from './server.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rate = arg('rate', 500);
const seconds = arg('seconds', 10);
const warmUp = arg('warmup', 5);
const repeat = arg('repeat', 3);
const json = process.argv.includes('--json');

const server = await startServer({
  nodeArgs: process.env.LOADTEST_SERVER_ARGS?.split(' ').filter(Boolean) ?? [],
});
const token = await server.token('cpu: case system', 'case-system');
const processStat = `/proc/${server.pid}/stat`;
const mainStat = `/proc/${server.pid}/task/${server.pid}/stat`;

const runs: { requests: number; errors: number; processUs: number; mainUs: number; p99: number }[] = [];
for (let i = 0; i < repeat; i++) {
  const generator = runChild<{ requests: number; errors: number; latencyMs: { p99: number } }>(
    'test/load/generator.ts',
    [
      `--url=${server.base}`,
      `--token=${token}`,
      `--rate=${rate}`,
      `--seconds=0`,
      `--connections=16`,
      `--warmup=${i === 0 ? warmUp : 1}`,
    ],
  );
  await generator.ready;
  const before = { process: cpuMicros(processStat), main: cpuMicros(mainStat) };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  generator.stop();
  const result = await generator.result;
  // the answers still in flight when the window closed are in `requests` and mostly in the
  // CPU time too: read after they have all come back
  const after = { process: cpuMicros(processStat), main: cpuMicros(mainStat) };
  runs.push({
    requests: result.requests,
    errors: result.errors,
    processUs: Math.round((after.process - before.process) / result.requests),
    mainUs: Math.round((after.main - before.main) / result.requests),
    p99: result.latencyMs.p99,
  });
}
await server.stop();
server.remove();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures = {
  rate,
  seconds,
  runs,
  processUsPerRequest: median(runs.map((r) => r.processUs)),
  mainThreadUsPerRequest: median(runs.map((r) => r.mainUs)),
};
if (json) console.log(JSON.stringify(figures));
else {
  for (const r of runs)
    console.log(
      `  ${r.requests} requests, ${r.errors} errors: process ${r.processUs} µs, main thread ${r.mainUs} µs per request (p99 ${r.p99} ms)`,
    );
  console.log(
    `median: process ${figures.processUsPerRequest} µs, main thread ${figures.mainThreadUsPerRequest} µs per logged POST /api/evaluate at ${rate}/s`,
  );
}
process.exit(runs.some((r) => r.errors > 0) ? 1 : 0);
