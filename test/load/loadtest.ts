/**
 * `npm run loadtest`: a bounded load test on loopback. A real server (its own process) on a
 * temporary database; the load generator (another process, test/load/generator.ts) posts mixed
 * cases to POST /api/evaluate (logging on) for a fixed time — saturated, or at a fixed rate
 * with `--rate` — while a municipality officer submits new overlay versions and a second one
 * approves them (four eyes). Prints throughput, p50 / p95 / p99 latency and errors, and fails
 * when any request failed or a served decision is missing from the log. Stops by itself.
 *
 *   npm run loadtest -- --seconds=10 --connections=8 [--rate=1000] [--json]
 *
 * LOADTEST_SERVER_ARGS passes Node options to the server, e.g. "--cpu-prof --cpu-prof-dir=prof".
 */
import { child } from './child.js';
import { startPublisher } from './publisher.js';
import { startServer } from './server.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
/** Requests per second in total; 0 means as fast as the connections go. */
const rate = arg('rate', 0);
const connections = arg('connections', rate > 0 ? 64 : 8);
const json = process.argv.includes('--json');

const server = await startServer({
  nodeArgs: process.env.LOADTEST_SERVER_ARGS?.split(' ').filter(Boolean) ?? [],
});
const caseSystem = await server.token('load: case system', 'case-system');
const officer = await server.token('load: Apeldoorn', 'municipality-officer', 'apeldoorn');
const approver = await server.token('load: Apeldoorn (tweede)', 'municipality-officer', 'apeldoorn');
const auditor = await server.token('load: auditor', 'auditor');

const publisher = startPublisher(server.base, officer, approver);
const load = await child<{
  requests: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}>('test/load/generator.ts', [
  `--url=${server.base}`,
  `--token=${caseSystem}`,
  `--rate=${rate}`,
  `--seconds=${seconds}`,
  `--connections=${connections}`,
]);
const { publishes, publishErrors } = await publisher.stop();

const audit = { authorization: `Bearer ${auditor}` };
const logged = (
  (await (await fetch(`${server.base}/api/decisions?limit=1`, { headers: audit })).json()) as { total: number }
).total;
const chainIntact = (
  (await (await fetch(`${server.base}/api/audit/verify`, { headers: audit })).json()) as { ok: boolean }
).ok;
await server.stop();
server.remove();

const figures = { seconds, connections, rate, ...load, publishes, publishErrors, logged, chainIntact };

if (json) console.log(JSON.stringify(figures));
else {
  console.log(
    `POST /api/evaluate with logging, ${rate > 0 ? `${rate}/s offered` : 'saturated'}, ${connections} connections, ${seconds} s, while an officer published ${publishes} overlay versions`,
  );
  console.log(
    `  requests ${figures.requests} · ${figures.throughputPerSecond}/s · p50 ${figures.latencyMs.p50} ms · p95 ${figures.latencyMs.p95} ms · p99 ${figures.latencyMs.p99} ms · max ${figures.latencyMs.max} ms`,
  );
  console.log(
    `  errors ${figures.errors} (non-2xx ${figures.non2xx}) · publish errors ${publishErrors} · logged ${figures.logged} · chain intact ${figures.chainIntact}`,
  );
}
// every answered decision must be in the log (requests still in flight when the clock stops are
// logged but not counted: at least as many)
const failed = figures.errors > 0 || publishErrors > 0 || !figures.chainIntact || figures.logged < figures.requests;
process.exit(failed ? 1 : 0);
