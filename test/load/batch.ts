/**
 * The batch client: one streamed request to POST /api/evaluate/batch (NDJSON in, NDJSON out)
 * of N cases, generated while the request is sent (a pool of 2,000 random valid cases of both
 * regions, cycled, written as the socket takes them: never N lines in memory), counting the
 * answer's lines as they arrive. A process of its own, so that its work is not the server's.
 *
 * When the endpoint is not there (404/405 to a one-line dry run) it prints `{ skipped }`.
 *
 *   npx tsx test/load/batch.ts --url=http://127.0.0.1:8787 --token=… --cases=1000000 [--dry-run]
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { anyValidCase } from '../support/arbitraries.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const base = new URL(option('url') ?? 'http://127.0.0.1:8787');
const token = option('token') ?? '';
const cases = Number(option('cases') ?? 100_000);
const dryRun = process.argv.includes('--dry-run');
const PATH = '/api/evaluate/batch';

const lines = fc.sample(anyValidCase, { numRuns: 2000, seed: 5 }).map((c) => Buffer.from(`${JSON.stringify(c)}\n`));
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' };
const log = (line: string) => process.stderr.write(`  batch: ${line}\n`);

/** One line, as a dry run: is the endpoint there? */
async function probe() {
  const res = await fetch(new URL(`${PATH}?dryRun=true`, base), { method: 'POST', headers, body: lines[0] });
  return { status: res.status, text: await res.text() };
}

const CHAR_I = 'i'.charCodeAt(0);
const CHAR_L = 'l'.charCodeAt(0);
const CHAR_P = 'p'.charCodeAt(0);

/** This process's CPU (user and system) since it started, in µs per case. */
const cpuPerCase = () => {
  const { user, system } = process.cpuUsage();
  return Math.round(((user + system) / cases) * 10) / 10;
};

function run() {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    let sent = 0;
    let decisions = 0;
    let problems = 0;
    let other = 0;
    let firstProblem: unknown;
    let carry = Buffer.alloc(0);
    let status = 0;
    let errorText = '';
    const started = performance.now();
    let firstAnswer = 0;
    const progress = setInterval(
      () => log(`${sent.toLocaleString('en')} sent, ${(decisions + problems + other).toLocaleString('en')} answered`),
      5000,
    );
    const req = http.request(
      { host: base.hostname, port: base.port, path: `${PATH}${dryRun ? '?dryRun=true' : ''}`, method: 'POST', headers },
      (res) => {
        status = res.statusCode!;
        res.on('data', (chunk: Buffer) => {
          firstAnswer ||= performance.now();
          if (status !== 200) {
            if (errorText.length < 2000) errorText += chunk.toString('utf8');
            return;
          }
          const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
          let start = 0;
          for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
            // `{"id":…` or `{"line":n,"id":…` is a decision, `{"line":n,"problem":…` a problem (the
            // endpoint's key order); anything else is read in full
            let third = buf[start + 2];
            if (buf[start] === 123 && third === CHAR_L) {
              const comma = buf.indexOf(44, start);
              if (comma !== -1 && comma < nl) third = buf[comma + 2];
            }
            if (buf[start] === 123 && third === CHAR_I) decisions++;
            else if (buf[start] === 123 && third === CHAR_P) {
              problems++;
              firstProblem ??= JSON.parse(buf.toString('utf8', start, nl));
            } else if (nl > start) {
              const value = JSON.parse(buf.toString('utf8', start, nl)) as Record<string, unknown>;
              if ('decision' in value || 'outcome' in value) decisions++;
              else if ('problem' in value) {
                problems++;
                firstProblem ??= value;
              } else other++;
            }
            start = nl + 1;
          }
          carry = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
        });
        res.on('end', () => {
          clearInterval(progress);
          const seconds = (performance.now() - started) / 1000;
          if (status !== 200)
            return resolve({ cases, status, error: errorText.slice(0, 500), seconds: Math.round(seconds * 100) / 100 });
          resolve({
            cases,
            logged: !dryRun,
            seconds: Math.round(seconds * 100) / 100,
            casesPerSecond: Math.round(cases / seconds),
            answered: decisions + problems + other,
            decisions,
            problems,
            unrecognised: other,
            firstAnswerMs: Math.round(firstAnswer - started),
            // the client shares the machine's cores with the server: its own CPU a case
            clientCpuUsPerCase: cpuPerCase(),
            ...(firstProblem ? { firstProblem } : {}),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (e) => {
      clearInterval(progress);
      reject(e);
    });
    const pump = () => {
      while (sent < cases) {
        const parts: Buffer[] = [];
        for (const end = Math.min(cases, sent + 256); sent < end; sent++) parts.push(lines[sent % lines.length]!);
        if (!req.write(Buffer.concat(parts))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const seen = await probe();
const result =
  seen.status === 404 || seen.status === 405
    ? { skipped: `POST ${PATH} answered ${seen.status} to a one-line dry run: the endpoint is not there yet` }
    : await run();
if ('casesPerSecond' in result)
  log(
    `${result.cases} cases in ${String(result.seconds)} s: ${String(result.casesPerSecond)}/s, ${String(result.problems)} problems`,
  );
console.log(JSON.stringify(result));
process.exit(0);
