/**
 * `npm run loadtest`: a bounded load test on loopback. A real server on a temporary database;
 * a case system posts mixed cases to POST /api/evaluate (logging on) for a fixed time while a
 * municipality officer submits new overlay versions and a second one approves them (four eyes); prints throughput, p50 / p99 latency and
 * errors, and fails when any request failed. Stops by itself.
 *
 *   npm run loadtest -- --seconds=10 --connections=8 [--rate=1000] [--json]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import fc from 'fast-check';
import { anyValidCase } from '../support/arbitraries.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
const connections = arg('connections', 8);
/** Requests per second in total; 0 means as fast as the connections go. */
const rate = arg('rate', 0);
const json = process.argv.includes('--json');

const ADMIN = 'loadtest-admin';
// the server runs in a process of its own, as in production: the load generator must not take
// its event loop (on 2 cores, one each)
const port = 20_000 + Math.floor(Math.random() * 20_000);
// LOADTEST_SERVER_ARGS passes Node options to the server, e.g. "--cpu-prof --cpu-prof-dir=prof"
const serverArgs = process.env.LOADTEST_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
const server = spawn(process.execPath, [...serverArgs, '--import', 'tsx', 'server/main.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'loadtest-')),
    RULES_ADMIN_TOKEN: ADMIN,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  server.stdout!.setEncoding('utf8');
  server.stdout!.on('data', (chunk: string) => chunk.includes('luistert op') && resolve());
  server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
});
const base = `http://127.0.0.1:${port}`;

async function token(name: string, role: string, scope?: string) {
  const res = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, role, ...(scope ? { scope } : {}) }),
  });
  return ((await res.json()) as { token: string }).token;
}
const caseSystem = await token('load: case system', 'case-system');
const officer = await token('load: Apeldoorn', 'municipality-officer', 'apeldoorn');
const approver = await token('load: Apeldoorn (tweede)', 'municipality-officer', 'apeldoorn');
const auditor = await token('load: auditor', 'auditor');

// mixed valid cases of both regions, from the property tests' generators
const bodies = fc.sample(anyValidCase, { numRuns: 500, seed: 7 }).map((c) => JSON.stringify(c));
let next = 0;

// meanwhile an officer submits a new overlay version every half second and another approves it
let publishes = 0;
let publishErrors = 0;
let stop = false;
const publisher = (async () => {
  let day = Date.UTC(2027, 0, 1);
  const auth = { authorization: `Bearer ${officer}`, 'content-type': 'application/json' };
  while (!stop) {
    await new Promise((r) => setTimeout(r, 500));
    const versions = (await (await fetch(`${base}/api/rulesets/apeldoorn/versions`, { headers: auth })).json()) as {
      versions: { version: number }[];
    };
    const current = await (
      await fetch(`${base}/api/rulesets/apeldoorn/versions/${versions.versions.at(-1)!.version}`, { headers: auth })
    ).json();
    const draft = (await (
      await fetch(`${base}/api/rulesets/apeldoorn/drafts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(current),
      })
    ).json()) as { draftId: string };
    day += 86_400_000;
    const submitted = await fetch(`${base}/api/rulesets/apeldoorn/drafts/${draft.draftId}/submit`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ validFrom: new Date(day).toISOString().slice(0, 10), changeNote: 'Belastingtest' }),
    });
    const res =
      submitted.status === 200
        ? await fetch(`${base}/api/rulesets/apeldoorn/drafts/${draft.draftId}/approve`, {
            method: 'POST',
            headers: { ...auth, authorization: `Bearer ${approver}` },
            body: '{}',
          })
        : submitted;
    if (res.status === 201) publishes += 1;
    else publishErrors += 1;
  }
})();

const result = await autocannon({
  url: `${base}/api/evaluate`,
  method: 'POST',
  connections,
  duration: seconds,
  ...(rate > 0 ? { overallRate: rate } : {}),
  headers: { authorization: `Bearer ${caseSystem}`, 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
});
stop = true;
await publisher;

const audit = { authorization: `Bearer ${auditor}` };
const logged = ((await (await fetch(`${base}/api/decisions?limit=1`, { headers: audit })).json()) as { total: number })
  .total;
const chainIntact = ((await (await fetch(`${base}/api/audit/verify`, { headers: audit })).json()) as { ok: boolean })
  .ok;
server.kill('SIGTERM');

const figures = {
  seconds,
  connections,
  rate,
  requests: result.requests.total,
  throughputPerSecond: Math.round(result.requests.average),
  latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  publishes,
  publishErrors,
  logged,
  chainIntact,
};

if (json) console.log(JSON.stringify(figures));
else {
  console.log(
    `POST /api/evaluate with logging, ${connections} connections, ${seconds} s, while an officer published ${publishes} overlay versions`,
  );
  console.log(
    `  requests ${figures.requests} · ${figures.throughputPerSecond}/s · p50 ${figures.latencyMs.p50} ms · p99 ${figures.latencyMs.p99} ms · max ${figures.latencyMs.max} ms`,
  );
  console.log(
    `  errors ${figures.errors} · non-2xx ${figures.non2xx} · publish errors ${publishErrors} · logged ${figures.logged} · chain intact ${figures.chainIntact}`,
  );
}
// requests still in flight when the clock stops are logged but not counted: at least as many
const failed =
  figures.errors > 0 ||
  figures.non2xx > 0 ||
  publishErrors > 0 ||
  !figures.chainIntact ||
  figures.logged < figures.requests;
process.exit(failed ? 1 : 0);
