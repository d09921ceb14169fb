/**
 * The service over HTTP, in one run on one server (its own process, test/load/server.ts) whose
 * log was first seeded with N decisions (test/bench/log-store.ts), every client in a process of
 * its own (test/load/generator.ts, test/load/batch.ts):
 *
 * 1. `impact`: impact analysis of a draft over the N logged decisions;
 * 2. `verify`: the verify job (POST /api/audit/verify) over the log while the load generator
 *    sends logged evaluations at `--verify-rate` (1,000/s): the evaluations' latency while it runs;
 * 3. `evaluate`: logged POST /api/evaluate at an offered `--rate` (2,000/s) for `--seconds`, after
 *    two seconds of warm-up at the same rate, while an officer publishes overlay versions;
 * 4. `evaluateWithoutPublishing`: the same as 3 with no one publishing;
 * 5. `saturated`: as many logged evaluations as 16 connections get answered, for `--seconds`;
 * 6. `batch`: one streamed request of N cases to POST /api/evaluate/batch, logged, with the
 *    server's resident memory sampled meanwhile (`{ skipped }` while the endpoint is missing);
 * 7. `log`: the log's bytes on disk per decision once the server stopped, after a last verify of
 *    the whole chain (`log.chainIntact`).
 *
 * Impact and verify come first, so that they read exactly the N seeded decisions; progress on
 * standard error, one JSON object on standard output. The server runs as production runs it
 * (`--server=built`, the default: `dist/server/main.js`, compiled first when older than the
 * sources, see test/load/build.ts), so that its memory and speed are production's;
 * `--server=tsx` runs it from the sources under tsx, where every worker thread also has a loader
 * thread of its own (tens of MB each). The result says which (`server`).
 *
 *   npx tsx test/bench/service.bench.ts --decisions=100000 --seconds=10 [--rate=2000] [--verify-rate=1000]
 *     [--server=built|tsx]
 */
import { child, runChild } from '../load/child.js';
import type { LoadResult } from '../load/generator.js';
import { startPublisher } from '../load/publisher.js';
import { sampleRss } from '../load/rss.js';
import { serverRoot, startServer } from '../load/server.js';
import { impactOverHttp, runJob } from './impact.bench.js';

const option = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const decisions = option('decisions', 100_000);
const seconds = option('seconds', 10);
const rate = option('rate', 2000);
const verifyRate = option('verify-rate', 1000);
const serverKind = process.argv.find((a) => a.startsWith('--server='))?.split('=')[1] ?? 'built';
if (serverKind !== 'tsx' && serverKind !== 'built') throw new Error(`--server=${serverKind}: give tsx or built`);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface VerifyJob {
  status: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  result?: { ok: boolean; checked: number; problemCount: number };
}

const jobSeconds = (job: { startedAt: string; finishedAt?: string }) =>
  (Date.parse(job.finishedAt!) - Date.parse(job.startedAt)) / 1000;
const generator = (args: string[]) => ['test/load/generator.ts', args] as const;

const root = serverRoot();
log(`service: seeding ${decisions.toLocaleString('en')} logged decisions…`);
const seeded = await child<{ seconds: number }>('test/bench/log-store.ts', [
  'seed',
  `--data-dir=${root}/data`,
  `--decisions=${decisions}`,
]);
const server = await startServer({ root, built: serverKind === 'built' });
const result: Record<string, unknown> = { server: serverKind };
try {
  const caseSystem = await server.token('bench: case system', 'case-system');
  const officer = await server.token('bench: Apeldoorn', 'municipality-officer', 'apeldoorn');
  const approver = await server.token('bench: Apeldoorn (tweede)', 'municipality-officer', 'apeldoorn');
  const auditor = await server.token('bench: auditor', 'auditor');
  const target = [`--url=${server.base}`, `--token=${caseSystem}`];
  const total = async () =>
    (
      (await (
        await fetch(`${server.base}/api/decisions?limit=1`, { headers: { authorization: `Bearer ${auditor}` } })
      ).json()) as { total: number }
    ).total;

  log(`service: impact analysis over ${decisions.toLocaleString('en')} logged decisions…`);
  result.impact = { ...(await impactOverHttp(server.base, officer, server.pid)), fillSeconds: seeded.seconds };

  log(`service: verify over the log while evaluations arrive at ${verifyRate}/s…`);
  const load = runChild<LoadResult>(...generator([...target, `--rate=${verifyRate}`, '--seconds=0', '--warmup=2']));
  await load.ready;
  const verified = await runJob<VerifyJob>(server.base, auditor, '/api/audit/verify');
  load.stop();
  const during = await load.result;
  if (verified.status !== 'done' || !verified.result) throw new Error(`verify ${verified.status}: ${verified.error}`);
  result.verify = {
    entries: verified.result.checked,
    seconds: jobSeconds(verified),
    entriesPerSecond: Math.round(verified.result.checked / jobSeconds(verified)),
    ok: verified.result.ok,
    apiLatencyMs: during.latencyMs,
    apiLoad: {
      rate: verifyRate,
      seconds: during.seconds,
      requests: during.requests,
      throughputPerSecond: during.throughputPerSecond,
      errors: during.errors,
      // what the errors were, if any: statuses answered, and requests that got no answer
      statuses: during.statuses,
      networkErrors: during.networkErrors,
      timeouts: during.timeouts,
    },
  };

  log(`service: POST /api/evaluate at ${rate}/s offered for ${seconds} s, while an officer publishes…`);
  const before = await total();
  const publisher = startPublisher(server.base, officer, approver);
  const fixed = await child<LoadResult>(
    ...generator([...target, `--rate=${rate}`, `--seconds=${seconds}`, '--warmup=2', '--connections=64']),
  );
  const published = await publisher.stop();
  result.evaluate = { ...fixed, ...published, logged: (await total()) - before };

  // the same rate with no one publishing: what the officer's publishing (every half second above,
  // far more often than any real officer) adds to the latencies
  log(`service: POST /api/evaluate at ${rate}/s offered for ${seconds} s, nothing published meanwhile…`);
  result.evaluateWithoutPublishing = await child<LoadResult>(
    ...generator([...target, `--rate=${rate}`, `--seconds=${seconds}`, '--warmup=2', '--connections=64']),
  );

  log(`service: POST /api/evaluate saturated (16 connections) for ${seconds} s…`);
  result.saturated = await child<LoadResult>(
    ...generator([...target, '--rate=0', `--seconds=${seconds}`, '--connections=16']),
  );

  log(`service: one batch of ${decisions.toLocaleString('en')} cases to POST /api/evaluate/batch…`);
  const memory = sampleRss(server.pid);
  const batch = await child<Record<string, unknown>>('test/load/batch.ts', [...target, `--cases=${decisions}`]);
  const rss = memory.stop();
  result.batch =
    'skipped' in batch ? batch : { ...batch, peakRssMb: rss.peakMb, rssBeforeMb: rss.startMb, rssAfterMb: rss.endMb };

  log('service: verifying the whole log once more…');
  const last = await runJob<VerifyJob>(server.base, auditor, '/api/audit/verify');
  result.log = { chainIntact: last.result?.ok ?? false, entriesVerified: last.result?.checked };
  // the key the bench reported before the log had a part of its own
  (result.evaluate as Record<string, unknown>).chainIntact = last.result?.ok ?? false;
} finally {
  await server.stop();
}
log('service: measuring the log on disk…');
result.log = {
  ...(result.log as object),
  ...(await child('test/bench/log-store.ts', ['size', `--data-dir=${root}/data`])),
};
server.remove();
console.log(JSON.stringify(result));
