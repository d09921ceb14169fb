/**
 * The bench's clients measure what they claim: run as the bench runs them (processes of their
 * own) against small HTTP servers in this process whose speed the test controls.
 *
 * - The fixed-rate generator is an open loop: when the server is slower than the offered rate,
 *   the waiting shows in the latency (counted from when a request was due), not only in a lower
 *   rate; at a rate the server keeps up with, latency is the server's.
 * - The batch client streams N lines, counts decisions and problems line by line, and reports
 *   `skipped` when the endpoint answers 404.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { child } from './child.js';
import type { Latencies } from './stats.js';

interface Load {
  requests: number;
  offeredPerSecond: number;
  throughputPerSecond: number;
  latencyMs: Latencies;
  serviceLatencyMs: Latencies;
  errors: number;
  non2xx: number;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers every POST after `delayMs`, one at a time per connection, checking the token and the body. */
function evaluateServer(delayMs: number, seen: { requests: number; badBodies: number; badTokens: number }) {
  return serve((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.requests++;
      if (req.headers.authorization !== 'Bearer t') seen.badTokens++;
      try {
        if (typeof (JSON.parse(body) as { type?: unknown }).type !== 'string') seen.badBodies++;
      } catch {
        seen.badBodies++;
      }
      setTimeout(() => res.end('{"outcome":"granted"}'), delayMs);
    });
  });
}

describe('the fixed-rate load generator', () => {
  it('counts the queue of a server slower than the offered rate in the latency', async () => {
    const seen = { requests: 0, badBodies: 0, badTokens: 0 };
    const base = await evaluateServer(40, seen);
    // one connection and 40 ms an answer: at most 25/s served of 50/s offered, so the last of the
    // 50 requests due within the second waits about a second
    const load = await child<Load>('test/load/generator.ts', [
      `--url=${base}`,
      '--token=t',
      '--rate=50',
      '--seconds=1',
      '--connections=1',
    ]);
    expect(load.requests).toBe(50);
    expect(load.offeredPerSecond).toBeGreaterThanOrEqual(45);
    expect(load.throughputPerSecond).toBeLessThanOrEqual(26);
    expect(load.latencyMs.p99).toBeGreaterThan(700);
    expect(load.serviceLatencyMs.p50).toBeGreaterThanOrEqual(40);
    expect(load.serviceLatencyMs.p50).toBeLessThan(400);
    expect(load.errors).toBe(0);
    expect(seen).toEqual({ requests: 50, badBodies: 0, badTokens: 0 });
  }, 60_000);

  it('measures the server alone at a rate it keeps up with, and counts refusals as errors', async () => {
    const seen = { requests: 0, badBodies: 0, badTokens: 0 };
    const base = await evaluateServer(5, seen);
    const load = await child<Load>('test/load/generator.ts', [
      `--url=${base}`,
      '--token=t',
      '--rate=40',
      '--seconds=1',
      '--connections=8',
    ]);
    expect(load.requests).toBe(40);
    expect(load.throughputPerSecond).toBeGreaterThanOrEqual(30);
    expect(load.latencyMs.p50).toBeGreaterThanOrEqual(5);
    expect(load.latencyMs.p50).toBeLessThan(300);
    expect(load.errors).toBe(0);

    const refusing = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 503;
        res.end();
      });
    });
    const refused = await child<Load>('test/load/generator.ts', [`--url=${refusing}`, '--rate=20', '--seconds=1']);
    expect(refused.errors).toBe(20);
    expect(refused.non2xx).toBe(20);
  }, 60_000);
});

describe('the batch client', () => {
  it('streams N lines and counts the decisions and problems answered line by line', async () => {
    let received = 0;
    let answeredBeforeTheEnd = false;
    const base = await serve((req, res) => {
      if (req.url!.includes('dryRun=true'))
        return void req.resume().on('end', () => res.end('{"id":"x","decision":{}}\n'));
      res.setHeader('content-type', 'application/x-ndjson');
      let carry = '';
      req.on('data', (chunk: Buffer) => {
        const lines = (carry + chunk.toString('utf8')).split('\n');
        carry = lines.pop()!;
        const out = lines.map(() => {
          received++;
          // every tenth line a problem for that line, as the contract says
          return received % 10 === 0
            ? `{"line":${received},"problem":{"status":400,"title":"Ongeldige casus"}}\n`
            : `{"line":${received},"id":"d${received}","outcome":"granted"}\n`;
        });
        if (out.length) answeredBeforeTheEnd ||= !req.readableEnded;
        res.write(out.join(''));
      });
      req.on('end', () => res.end());
    });
    const result = await child<Record<string, unknown>>('test/load/batch.ts', [
      `--url=${base}`,
      '--token=t',
      '--cases=30000',
    ]);
    expect(received).toBe(30_000);
    expect(result).toMatchObject({ cases: 30_000, answered: 30_000, decisions: 27_000, problems: 3_000 });
    expect(result.firstProblem).toEqual({ line: 10, problem: { status: 400, title: 'Ongeldige casus' } });
    expect(answeredBeforeTheEnd).toBe(true);
  }, 60_000);

  it('reports the batch as skipped while the endpoint answers 404', async () => {
    const base = await serve((req, res) => {
      req.resume();
      res.statusCode = 404;
      res.end('{"status":404}');
    });
    const result = await child<Record<string, unknown>>('test/load/batch.ts', [`--url=${base}`, '--cases=10']);
    expect(result.skipped).toMatch(/404/);
  }, 60_000);
});
