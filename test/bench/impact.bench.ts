/**
 * Impact analysis over many logged decisions, over HTTP: a municipality officer of Apeldoorn
 * makes a draft of the overlay with other thresholds and starts an impact job over the whole
 * log (POST /api/impact), polled until done. Time is the job's own (its `startedAt` to its
 * `finishedAt`, in the server); memory is the server process's resident set, sampled while the
 * job runs.
 *
 * Run alone it seeds a temporary log of N decisions (test/bench/log-store.ts, in a process of its
 * own), starts a server on it and measures; `npm run bench` runs `impactOverHttp` on the server
 * it measures the rest with.
 *
 *   npx tsx test/bench/impact.bench.ts --decisions=100000 [--json]
 */
import { child } from '../load/child.js';
import { sampleRss } from '../load/rss.js';
import { startServer } from '../load/server.js';

interface JobView {
  id: string;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  processed: number;
  changedCount: number;
  workers: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

const seconds = (job: { startedAt: string; finishedAt?: string }) =>
  (Date.parse(job.finishedAt!) - Date.parse(job.startedAt)) / 1000;

/**
 * Starts a job at `path` and polls `Location` every `pollMs` until it is no longer running.
 * Exported for verify, which is polled the same way.
 */
export async function runJob<T extends { status: string }>(
  base: string,
  token: string,
  path: string,
  body?: unknown,
  pollQuery = '',
  pollMs = 100,
): Promise<T> {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (started.status !== 202) throw new Error(`POST ${path}: ${started.status} ${await started.text()}`);
  const location = started.headers.get('location')!;
  for (;;) {
    await new Promise((r) => setTimeout(r, pollMs));
    const res = await fetch(`${base}${location}${pollQuery}`, { headers: auth });
    if (res.status !== 200) throw new Error(`GET ${location}: ${res.status} ${await res.text()}`);
    const job = (await res.json()) as T;
    if (job.status !== 'running') return job;
  }
}

/** A draft of Apeldoorn's overlay with other thresholds, and its impact over the whole log. */
export async function impactOverHttp(base: string, officer: string, serverPid: number) {
  const auth = { authorization: `Bearer ${officer}`, 'content-type': 'application/json' };
  const { versions } = (await (await fetch(`${base}/api/rulesets/apeldoorn/versions`, { headers: auth })).json()) as {
    versions: { version: number }[];
  };
  const current = (await (
    await fetch(`${base}/api/rulesets/apeldoorn/versions/${versions.at(-1)!.version}`, { headers: auth })
  ).json()) as { parameters: Record<string, unknown> };
  const created = await fetch(`${base}/api/rulesets/apeldoorn/drafts`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      ...current,
      parameters: { ...current.parameters, 'admission.minClientsPerYear': 3, 'tariff.differentiationPercentage': 3 },
    }),
  });
  if (created.status !== 201) throw new Error(`concept: ${created.status} ${await created.text()}`);
  const { draftId } = (await created.json()) as { draftId: string };

  const memory = sampleRss(serverPid);
  const job = await runJob<JobView>(
    base,
    officer,
    '/api/impact',
    {
      candidate: { ruleSet: 'apeldoorn', draftId },
      filter: {},
    },
    '?limit=1',
  );
  const rss = memory.stop();
  if (job.status !== 'done') throw new Error(`impact job ${job.status}: ${job.error ?? ''}`);
  return {
    decisions: job.processed,
    seconds: seconds(job),
    decisionsPerSecond: Math.round(job.processed / seconds(job)),
    peakRssMb: rss.peakMb,
    rssBeforeMb: rss.startMb,
    changed: job.changedCount,
    workers: job.workers,
    measuredIn: 'the server process (job time from its startedAt to finishedAt; RSS sampled every 100 ms)',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv.find((a) => a.startsWith('--decisions='))?.split('=')[1] ?? 100_000);
  const { serverRoot } = await import('../load/server.js');
  const root = serverRoot();
  const fill = await child<{ seconds: number }>('test/bench/log-store.ts', [
    'seed',
    `--data-dir=${root}/data`,
    `--decisions=${n}`,
  ]);
  const server = await startServer({ root });
  try {
    const officer = await server.token('bench: Apeldoorn', 'municipality-officer', 'apeldoorn');
    const result = { ...(await impactOverHttp(server.base, officer, server.pid)), fillSeconds: fill.seconds };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result));
    else
      console.log(
        `impact analysis (${result.workers} worker thread(s)): ${result.decisions} decisions in ${result.seconds.toFixed(1)} s (${result.decisionsPerSecond}/s), server peak RSS ${result.peakRssMb} MB, ${result.changed} changed; filling the log took ${result.fillSeconds} s`,
      );
  } finally {
    await server.stop();
    server.remove();
  }
}
