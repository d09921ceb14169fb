/**
 * POST /api/evaluate/batch: NDJSON in, NDJSON out in input order across worker threads; a bad
 * line is a problem for that line and the batch goes on; logged under the case system's name
 * (entries that read back and verify) or not at all on a dry run; the trace only when asked for;
 * the same roles as a single evaluation; a line or a batch over its limit; a client that goes
 * away stops the logging; and memory that stays flat over 200,000 lines on a real server.
 */
import { serve, type ServerType } from '@hono/node-server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '../../server/app.js';
import {
  batchFrames,
  batchLines,
  batchWorkers,
  CHUNK_CHARS,
  CHUNK_LINES,
  chunksOf,
  evaluateBatch,
  maxChunksHeld,
} from '../../server/batch.js';
import { seedFromRules } from '../../server/seed.js';
import { RulesService } from '../../server/service.js';
import { child } from '../load/child.js';
import { memoryOf } from '../load/rss.js';
import { startServer } from '../load/server.js';
import { dyslexiaCase, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { disposeTestPostgresStore, openTestPostgresStore, testDatabaseUrl } from '../support/postgres.js';
import { bearer, openServer, TEST_SIGNER, tokenMaker } from './harness.js';

const ADMIN = 'bootstrap-admin-token-for-batch-tests';
const s = await openServer(undefined, { adminToken: ADMIN });
afterAll(() => s.store.close());

const tokens: Record<string, string> = {};
beforeAll(async () => {
  const token = tokenMaker(s, ADMIN);
  tokens.caseSystem = await token('Zaaksysteem Deventer', 'case-system');
  tokens.auditor = await token('Eva (rekenkamer)', 'auditor');
});

type Line = { line: number; id?: string | null; problem?: Record<string, unknown>; [k: string]: unknown };

async function batch(body: string, query = '', headers: Record<string, string> = bearer(tokens.caseSystem!)) {
  const res = await s.app.request(`/api/evaluate/batch${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...headers },
    body,
  });
  const text = await res.text();
  const lines: Line[] =
    res.status === 200
      ? text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Line)
      : [];
  return { status: res.status, type: res.headers.get('content-type'), text, lines };
}

const ndjson = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');

/** Three kinds of lines: two valid cases, a line that is not JSON and a case that is invalid. */
/** Every line `evaluateBatch` writes for `input`, parsed, as the service's own caller reads them. */
async function batchLinesOf(
  service: RulesService,
  input: unknown[],
  options: Omit<Parameters<typeof evaluateBatch>[2], 'maxLineBytes'>,
): Promise<Line[]> {
  let out = '';
  for await (const text of evaluateBatch(service, new Response(ndjson(input)).body!, {
    maxLineBytes: MAX_BODY_BYTES,
    ...options,
  }))
    out += Buffer.from(text).toString();
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

function mixed(n: number) {
  const kinds = [
    ijsselAllocation(),
    '{"type": "allocation", ',
    mijovAllocation(),
    { ...dyslexiaCase(), colour: 'blauw', referenceDate: '2026-02-30' },
  ];
  return Array.from({ length: n }, (_, i) => kinds[i % kinds.length]);
}

describe('POST /api/evaluate/batch', () => {
  it('answers every line in input order, a problem for each bad line', async () => {
    const input = mixed(2600); // six chunks of lines
    const { status, type, lines } = await batch(ndjson(input));
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/x-ndjson/);
    expect(lines.map((l) => l.line)).toEqual(input.map((_, i) => i + 1));
    for (const [i, l] of lines.entries()) {
      if (i % 4 === 1) {
        expect(l.problem).toMatchObject({ status: 400, code: 'INVALID_JSON', title: 'De regel is geen geldige JSON.' });
        expect(l).not.toHaveProperty('id');
      } else if (i % 4 === 3) {
        expect(l.problem).toMatchObject({ status: 400, code: 'INVALID_CASE', title: 'De casus is niet geldig.' });
        const paths = (l.problem!.issues as { path: string }[]).map((x) => x.path);
        expect(paths).toEqual(expect.arrayContaining(['$.colour', '$.referenceDate']));
      } else {
        expect(l.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(l.ruleSets).toBeInstanceOf(Array);
      }
    }
    // each decision as a single evaluation gives it, without the trace
    const single = await (
      await s.request('POST', '/api/evaluate?dryRun=true', mijovAllocation(), bearer(tokens.caseSystem!))
    ).json();
    const { id: _id, trace: _trace, ...expected } = single;
    const { line: _line, id: _batchId, ...answered } = lines[2]!;
    expect(answered).toEqual(expected);
  }, 60_000);

  it('answers in input order over three workers, whatever the cores of this machine', async () => {
    // the default on two cores is one worker (`batchWorkers`): the order across workers is held here
    const input = mixed(2600);
    const lines = await batchLinesOf(s.service, input, { dryRun: true, trace: false, by: 'test', workers: 3 });
    expect(lines.map((l) => l.line)).toEqual(input.map((_, i) => i + 1));
    expect(lines.map((l) => (l.problem ? l.problem.code : l.outcome))).toEqual(
      input.map((_, i) => [undefined, 'INVALID_JSON', undefined, 'INVALID_CASE'][i % 4] ?? expect.any(String)),
    );
  }, 60_000);

  it('writes chunk after chunk into the few buffers that go round between the worker and the main thread', async () => {
    const before = { ...batchFrames };
    const input = mixed(5200); // eleven chunks
    const lines = await batchLinesOf(s.service, input, { dryRun: true, trace: false, by: 'test', workers: 1 });
    expect(lines).toHaveLength(5200);
    expect(batchFrames.decided - before.decided).toBe(11);
    // without the buffers given back, a new one for every chunk (and the first): twelve
    expect(batchFrames.buffersMade - before.buffersMade).toBeLessThanOrEqual(maxChunksHeld(1) + 1);
  }, 60_000);

  it('collects the heap once before a batch, where Node exposes the collector (npm start does)', async () => {
    const exposed = globalThis.gc;
    const gc = vi.fn();
    globalThis.gc = gc as unknown as NodeJS.GCFunction;
    try {
      const lines = await batchLinesOf(s.service, mixed(600), { dryRun: true, trace: false, by: 'test', workers: 1 });
      expect(lines).toHaveLength(600);
      expect(gc).toHaveBeenCalledTimes(1);
    } finally {
      globalThis.gc = exposed;
    }
  }, 60_000);

  it('decides on one core fewer than the machine has: the main thread logs and answers on the other', () => {
    expect([1, 2, 3, 4, 5, 64].map((cores) => batchWorkers(cores))).toEqual([1, 1, 2, 3, 4, 4]);
  });

  it("logs each decision under the case system's name, as answered, in a chain that verifies", async () => {
    const before = (await s.store.counts()).decisions!;
    const { lines } = await batch(ndjson(mixed(40)));
    const decided = lines.filter((l) => l.id);
    expect(decided).toHaveLength(20);
    expect((await s.store.counts()).decisions).toBe(before + 20);
    for (const l of decided.slice(0, 3)) {
      const res = await s.request('GET', `/api/decisions/${l.id}`, undefined, bearer(tokens.caseSystem!));
      expect(res.status).toBe(200);
      const entry = await res.json();
      expect(entry.decidedBy).toBe('Zaaksysteem Deventer');
      const { line: _line, ...answered } = l;
      const { decidedAt: _at, decidedBy: _by, case: _case, hash: _hash, trace, ...logged } = entry;
      expect(logged).toEqual(answered);
      expect(trace.length).toBeGreaterThan(0); // the log keeps the trace, as for a single evaluation
    }
    expect(await s.store.log.verifyChain()).toMatchObject({ ok: true, checked: before + 20 });
  }, 60_000);

  it('logs nothing on a dry run, answering ids of null', async () => {
    const before = await s.store.counts();
    const { status, lines } = await batch(ndjson(mixed(8)), '?dryRun=true');
    expect(status).toBe(200);
    expect(lines.filter((l) => 'id' in l).map((l) => l.id)).toEqual([null, null, null, null]);
    expect(await s.store.counts()).toEqual(before);
  }, 60_000);

  it('answers the trace only with ?trace=true', async () => {
    const input = ndjson([ijsselAllocation()]);
    expect((await batch(input, '?dryRun=true')).lines[0]).not.toHaveProperty('trace');
    const traced = (await batch(input, '?dryRun=true&trace=true')).lines[0]!;
    expect((traced.trace as unknown[]).length).toBeGreaterThan(0);
    expect((await batch(input, '?trace=maybe')).status).toBe(400);
  }, 60_000);

  it('refuses as a single evaluation does: who may log, and what is not NDJSON', async () => {
    const input = ndjson([ijsselAllocation()]);
    expect((await batch(input, '', {})).status).toBe(401);
    const refused = await batch(input, '', bearer(tokens.auditor!));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'FORBIDDEN' });
    // anyone signed in may try a batch without logging it
    expect((await batch(input, '?dryRun=true', bearer(tokens.auditor!))).lines[0]).toMatchObject({ id: null });
    const asJson = await s.app.request('/api/evaluate/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(tokens.caseSystem!) },
      body: input,
    });
    expect(asJson.status).toBe(415);
    expect((await asJson.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // a charset, and a media type in capitals (they are case-insensitive), are NDJSON all the same
    const withCharset = await batch(input, '?dryRun=true', {
      ...bearer(tokens.caseSystem!),
      'content-type': 'Application/X-NDJSON; charset=utf-8',
    });
    expect(withCharset.status).toBe(200);
    expect(withCharset.lines[0]).toMatchObject({ line: 1, id: null });
  }, 60_000);

  it('answers a line over the body limit with a 413 line and goes on with the next', async () => {
    const long = JSON.stringify({ ...ijsselAllocation(), pad: 'x'.repeat(MAX_BODY_BYTES) });
    const { status, lines } = await batch(ndjson([long, ijsselAllocation()]), '?dryRun=true');
    expect(status).toBe(200);
    expect(lines[0]).toMatchObject({ line: 1, problem: { status: 413, code: 'LINE_TOO_LARGE' } });
    expect(lines[1]).toMatchObject({ line: 2, id: null, outcome: 'granted' });
    expect(lines).toHaveLength(2);
  }, 60_000);

  it('sends lines near the body limit to the workers in chunks of a few megabytes, not 500 at once', async () => {
    // 60 lines of 0.9 MB: one chunk of them would be 54 MB, more than a worker's heap holds
    const big = JSON.stringify({ ...ijsselAllocation(), pad: 'x'.repeat(900_000) });
    const body = ndjson([...Array.from({ length: 60 }, () => big), ijsselAllocation()]);
    const sizes: number[] = [];
    for await (const chunk of chunksOf(new Response(body).body!, MAX_BODY_BYTES, 1000))
      sizes.push(chunk.reduce((n, item) => n + ('text' in item ? item.text.length : 0), 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(body.length - 60);
    for (const size of sizes) expect(size).toBeLessThan(CHUNK_CHARS + MAX_BODY_BYTES);
    // and the batch answers every line (each a problem: `pad` is no field of a case), the last decided
    const { status, lines } = await batch(body, '?dryRun=true');
    expect(status).toBe(200);
    expect(lines).toHaveLength(61);
    expect(lines.slice(0, 60).every((l) => l.problem?.code === 'INVALID_CASE')).toBe(true);
    expect(lines[60]).toMatchObject({ line: 61, id: null, outcome: 'granted' });
  }, 120_000);

  it('decides no more than the line limit, and says so in a last 413 line', async () => {
    const lines = await batchLinesOf(s.service, mixed(7), { dryRun: true, trace: false, by: 'test', maxLines: 5 });
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines[5]).toMatchObject({ problem: { status: 413, code: 'TOO_MANY_LINES' } });
  }, 60_000);

  it('holds no more than a few chunks for a client that stops reading the answer', async () => {
    const server: ServerType = await new Promise((resolve) => {
      const started = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    const { port } = server.address() as AddressInfo;
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/api/evaluate/batch?dryRun=true',
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...bearer(tokens.caseSystem!) },
    });
    try {
      const before = { ...batchLines };
      const line = Buffer.from(`${JSON.stringify(ijsselAllocation())}\n`);
      const many = Buffer.concat(Array.from({ length: 500 }, () => line));
      const LINES = 300_000;
      let sent = 0;
      const pump = () => {
        while (sent < LINES && !req.destroyed) {
          sent += 500;
          if (!req.write(many)) return void req.once('drain', pump);
        }
      };
      req.on('error', () => undefined);
      // the answer is never read: the response stays paused
      const answered = new Promise<void>((resolve) => req.on('response', () => resolve()));
      pump();
      await answered;
      // until the server stops reading: its count the same for a second (polled; how long it
      // takes to fill the sockets' buffers is not the point)
      let last = -1;
      await vi.waitFor(
        () => {
          const now = batchLines.read;
          const still = now === last;
          last = now;
          expect(still).toBe(true);
        },
        { timeout: 60_000, interval: 1000 },
      );
      const read = batchLines.read - before.read;
      const held = read - (batchLines.answered - before.answered);
      // the server stopped reading long before the body's end, and holds at most its few chunks
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(LINES / 2);
      expect(held).toBeLessThanOrEqual(maxChunksHeld(batchWorkers()) * CHUNK_LINES);
    } finally {
      req.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 120_000);

  it('stops logging when the client goes away', async () => {
    const server: ServerType = await new Promise((resolve) => {
      const started = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const before = (await s.store.counts()).decisions!;
      const line = Buffer.from(`${JSON.stringify(ijsselAllocation())}\n`);
      const many = Buffer.concat(Array.from({ length: 500 }, () => line));
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/api/evaluate/batch',
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...bearer(tokens.caseSystem!) },
      });
      let sent = 0;
      // sends for as long as the socket takes it, up to 1,000,000 lines: only the disconnect stops it
      const pump = () => {
        while (sent < 2000 && !req.destroyed) {
          sent++;
          if (!req.write(many)) return void req.once('drain', pump);
        }
      };
      req.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        req.on('response', (res) => res.once('data', () => resolve()));
        pump();
      });
      req.destroy();
      // the chunk in flight may still be logged; after that, nothing
      await new Promise((r) => setTimeout(r, 1500));
      const settled = (await s.store.counts()).decisions!;
      await new Promise((r) => setTimeout(r, 1500));
      expect((await s.store.counts()).decisions).toBe(settled);
      expect(settled - before).toBeLessThan(sent * 500);
      expect(settled - before).toBeGreaterThan(0);
      expect(await s.store.log.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 60_000);
});

describe.skipIf(!testDatabaseUrl)('a batch on PostgreSQL', () => {
  it('logs each chunk in a transaction of its own, in input order, in a chain that verifies', async () => {
    const store = await openTestPostgresStore();
    try {
      await seedFromRules(store, '2026-01-01T00:00:00.000Z');
      const service = new RulesService(store, undefined, { signer: TEST_SIGNER });
      const input = mixed(2100);
      const lines = await batchLinesOf(service, input, { dryRun: false, trace: false, by: 'Zaaksysteem PG' });
      await service.close();
      expect(lines.map((l) => l.line)).toEqual(input.map((_, i) => i + 1));
      const ids = lines.filter((l) => l.id).map((l) => l.id);
      expect(ids).toHaveLength(1050);
      const page = await store.log.page({}, { limit: 1050, offset: 0 });
      // newest first in a page: the log's order is the input's
      expect(page.items.map((r) => r.id).reverse()).toEqual(ids);
      expect(await store.log.verifyChain()).toMatchObject({ ok: true, checked: 1050 });
    } finally {
      await disposeTestPostgresStore(store);
    }
  }, 120_000);
});

describe('a batch of 300,000 lines on a real server', () => {
  it('keeps the server’s memory flat: no higher in the second half of the stream than in the first', async () => {
    // unset VITEST: a server that finds no built editor builds it, with the editor's Vite config
    const server = await startServer({ env: { VITEST: undefined } });
    try {
      const token = await server.token('Zaaksysteem bulk', 'case-system');
      const samples: number[] = [];
      const timer = setInterval(() => samples.push(memoryOf(server.pid)?.rssMb ?? 0), 100);
      // a dry run: the pipeline (read, decide in workers, write in order) without the log's own
      // cost per entry, so that 300,000 lines take seconds rather than minutes
      const result = await child<Record<string, number>>('test/load/batch.ts', [
        `--url=${server.base}`,
        `--token=${token}`,
        '--cases=300000',
        '--dry-run',
      ]);
      clearInterval(timer);
      expect(result).toMatchObject({ cases: 300_000, answered: 300_000, problems: 0 });
      const half = Math.floor(samples.length / 2);
      const first = Math.max(...samples.slice(0, half));
      const second = Math.max(...samples.slice(half));
      // flat: the second half of the stream needs no more memory than the first, up to a margin
      // for the heaps' warm-up (holding the answers would add about 225 MB per half)
      expect(second).toBeLessThan(first + 100);
      // and bounded: far below what holding 300,000 answers would take (about 450 MB of text)
      expect(Math.max(first, second)).toBeLessThan(600);
    } finally {
      await server.stop();
      server.remove();
    }
  }, 300_000);
});
