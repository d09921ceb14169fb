// CI: the production install serves what it should. Run from a checkout after
// `npm ci && npm run build && npm prune --omit=dev` (see .ci/run): checks that no development tool
// is left, starts `npm start` on a temporary database and a free port, and asks it over HTTP for
// its health, the editor (page and script) and an impact analysis large enough to be split over
// worker threads. Exits 1 with the reason on any failure. Node built-ins only.
/* global fetch */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** server/impact.ts analyses a log of this many decisions or more in worker threads. */
const PARALLEL_FROM = 20_000;
const REGION = 'ijsselland';

const say = (text) => process.stdout.write(`production smoke: ${text}\n`);
function check(ok, text) {
  if (!ok) throw new Error(text);
}

for (const tool of ['tsx', 'vite', 'typescript', 'vitest']) {
  check(!existsSync(`node_modules/${tool}`), `node_modules/${tool} is installed: not a production install`);
}
check(existsSync('dist/server/main.js'), 'dist/server/main.js is missing: run `npm run build` first');

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
// the data folder inside a folder of its own: the server keeps its signing key and checkpoint
// file beside the data folder, and removing the parent removes them too
const root = mkdtempSync(join(tmpdir(), 'production-smoke-'));
const dataDir = join(root, 'data');
let output = '';
// its own process group, so that stopping it stops npm and the node process it started
const server = spawn('npm', ['start'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, RULES_ADMIN_TOKEN: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
server.stdout.on('data', (chunk) => (output += chunk));
server.stderr.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve(`code ${code}, signal ${signal}`)));

async function request(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

try {
  // health
  const started = Date.now();
  for (;;) {
    const health = await request('GET', '/api/health').catch(() => undefined);
    if (health?.status === 200) break;
    const stopped = await Promise.race([exited, sleep(250).then(() => undefined)]);
    check(stopped === undefined, `npm start stopped (${stopped})`);
    check(Date.now() - started < 60_000, 'no answer on /api/health within 60 s');
  }
  say(`/api/health answers (${Date.now() - started} ms after start)`);

  // the editor: its page and the script it loads
  const page = await request('GET', '/');
  check(page.status === 200 && page.type.startsWith('text/html'), `GET / gave ${page.status} ${page.type}`);
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
  check(script, 'GET / has no /assets/*.js script');
  const asset = await request('GET', script);
  check(asset.status === 200 && asset.text.length > 1000, `GET ${script} gave ${asset.status}`);
  say(`/ serves the editor (${script})`);

  // an impact analysis over enough logged decisions to use worker threads
  const examples = 'test/fixtures/examples';
  const cases = readdirSync(examples)
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .map((f) => JSON.parse(readFileSync(join(examples, f), 'utf8')))
    .filter((c) => existsSync(`rules/${REGION}/${c.municipality}.v1.json`));
  check(cases.length > 0, `no example case of ${REGION} in ${examples}`);
  let logged = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (logged < PARALLEL_FROM) {
        const c = cases[logged++ % cases.length];
        const answer = await request('POST', '/api/evaluate', c);
        check(answer.status === 200, `POST /api/evaluate gave ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
    }),
  );
  say(`${logged} decisions logged`);
  const start = await request('POST', '/api/impact', { candidate: { ruleSet: REGION, version: 1 }, filter: {} });
  check(start.status === 202, `POST /api/impact gave ${start.status}: ${start.text.slice(0, 300)}`);
  let job = JSON.parse(start.text);
  while (job.status === 'running') {
    await sleep(200);
    job = JSON.parse((await request('GET', `/api/impact/${job.id}`)).text);
  }
  check(job.status === 'done', `the impact analysis ended ${job.status}: ${job.error ?? ''}`);
  check(job.processed === job.total && job.total >= PARALLEL_FROM, `processed ${job.processed} of ${job.total}`);
  if (availableParallelism() > 1) check(job.workers > 1, `the impact analysis ran in ${job.workers} thread(s)`);
  else say('one core: the impact analysis ran without worker threads');
  say(`impact analysis of ${job.total} decisions done in ${job.workers} worker thread(s)`);
  say('ok');
} catch (error) {
  process.stderr.write(`production smoke FAILED: ${error.message}\n--- npm start output ---\n${output}\n`);
  process.exitCode = 1;
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already stopped
  }
  await Promise.race([exited, sleep(5000)]);
  rmSync(root, { recursive: true, force: true });
}
