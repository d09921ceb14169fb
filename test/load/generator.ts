/**
 * The load generator: a process of its own, so that it never shares the server's event loop,
 * sending logged evaluations (mixed valid cases of both regions) to POST /api/evaluate and
 * printing one JSON object with what it offered and what was served.
 *
 * - `--rate=N` (N > 0): an open loop at a fixed rate. Request i is due at start + i/N whatever
 *   happened to the ones before (a closed loop would slow down with the server and hide its
 *   queue), sent over at most `--connections` keep-alive connections; a request that waits for a
 *   free connection waits in the generator. Latency is measured from when a request was due, so
 *   that waiting counts (no coordinated omission); `serviceLatencyMs` is from when it got its
 *   connection. (autocannon's `overallRate` sends each connection's quota for a second back to
 *   back and then pauses, which is bursts at saturation, not a rate.)
 * - `--rate=0`: saturated: autocannon with `--connections` connections, each sending its next
 *   request as soon as the previous answer arrived.
 *
 * `--warmup=N` (fixed rate) first sends at the rate for N seconds and waits for those answers;
 * they are not counted. `--seconds=0` (fixed rate only) measures until standard input closes,
 * after a line "measuring" on standard output, so that the bench can measure exactly while
 * another job runs.
 *
 *   npx tsx test/load/generator.ts --url=http://127.0.0.1:8787 --token=… --rate=2000 --seconds=10
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import fc from 'fast-check';
import { anyValidCase } from '../support/arbitraries.js';
import { latencies } from './stats.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const number = (name: string, fallback: number) => Number(option(name) ?? fallback);
const base = new URL(option('url') ?? 'http://127.0.0.1:8787');
const token = option('token') ?? '';
const rate = number('rate', 0);
const seconds = number('seconds', 10);
const connections = number('connections', rate > 0 ? 64 : 16);
const timeoutMs = number('timeout', 10_000);
/** Seconds at the rate before the measured window (fixed rate): the server's JIT warms up. */
const warmUp = number('warmup', 0);
const path = option('path') ?? '/api/evaluate';

// the same mixed valid cases of both regions as the property tests, cycled
const bodies = fc.sample(anyValidCase, { numRuns: 500, seed: 7 }).map((c) => Buffer.from(JSON.stringify(c)));
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

interface Counts {
  statuses: Record<string, number>;
  non2xx: number;
  networkErrors: number;
  timeouts: number;
}
const emptyCounts = (): Counts => ({ statuses: {}, non2xx: 0, networkErrors: 0, timeouts: 0 });

async function fixedRate() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const counts = emptyCounts();
  const latency: number[] = [];
  const service: number[] = [];
  let inFlight = 0;
  let sent = 0;
  let lastAnswer = 0;
  let ok = 0;
  let drained: () => void = () => {};

  const send = (due: number, counted: boolean) => {
    inFlight++;
    let connected = due;
    let finished = false;
    const finish = (what: 'ok' | 'status' | 'error' | 'timeout', status?: number) => {
      // a request and its response may both report an error: count each request once
      if (finished) return;
      finished = true;
      inFlight--;
      const now = performance.now();
      if (counted) {
        lastAnswer = Math.max(lastAnswer, now);
        if (status !== undefined) counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
        if (what === 'ok') {
          ok++;
          latency.push(now - due);
          service.push(now - connected);
        } else if (what === 'status') counts.non2xx++;
        else if (what === 'timeout') counts.timeouts++;
        else counts.networkErrors++;
      }
      if (inFlight === 0) drained();
    };
    const body = bodies[sent++ % bodies.length]!;
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode! < 300 ? 'ok' : 'status', res.statusCode));
        res.on('error', () => finish('error'));
      },
    );
    req.on('socket', () => (connected = performance.now()));
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => finish(e.message === 'timeout' ? 'timeout' : 'error'));
    req.end(body);
  };

  /**
   * Sends at the rate from now until `until` says stop, then waits for every answer: request i
   * is due at start + i/rate. Returns when the schedule started and ended, and how many it sent.
   */
  const schedule = async (until: (elapsedMs: number) => boolean, counted: boolean) => {
    const start = performance.now();
    const interval = 1000 / rate;
    let scheduled = 0;
    let endAt = start;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (until(now - start)) {
          endAt = now;
          drained = resolve;
          if (inFlight === 0) resolve();
          return;
        }
        // every request due by now, each with the time it was due
        for (let due = start + scheduled * interval; due <= now; due = start + ++scheduled * interval)
          send(due, counted);
        setTimeout(tick, 1);
      };
      tick();
    });
    return { start, endAt, scheduled };
  };

  // warm-up at the rate (the server's JIT, its caches), answered before the measured window
  // starts, so that its queue does not become the window's
  if (warmUp > 0) {
    await schedule((elapsed) => elapsed >= warmUp * 1000, false);
  }
  let closed = false;
  if (seconds === 0) {
    process.stdin.on('end', () => (closed = true)).resume();
    process.stdout.write('measuring\n');
  }
  const window = await schedule((elapsed) => (seconds > 0 ? elapsed >= seconds * 1000 : closed), true);
  agent.destroy();
  const windowSeconds = (window.endAt - window.start) / 1000;
  // answers that came after the schedule ended count over the time they took
  const servedSeconds = (Math.max(lastAnswer, window.endAt) - window.start) / 1000;
  return {
    mode: 'fixed-rate',
    rate,
    connections,
    seconds: Math.round(windowSeconds * 100) / 100,
    requests: window.scheduled,
    offeredPerSecond: windowSeconds > 0 ? Math.round(window.scheduled / windowSeconds) : 0,
    throughputPerSecond: servedSeconds > 0 ? Math.round(ok / servedSeconds) : 0,
    latencyMs: latencies(latency),
    serviceLatencyMs: latencies(service),
    errors: counts.non2xx + counts.networkErrors + counts.timeouts,
    ...counts,
    warmUpSeconds: warmUp,
  };
}

async function saturated() {
  if (seconds <= 0) throw new Error('--rate=0 (verzadigd) vraagt --seconds > 0');
  const counts = emptyCounts();
  const latency: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL(path, base).href,
        method: 'POST',
        connections,
        duration: seconds,
        timeout: timeoutMs / 1000,
        headers,
        requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length]!.toString() }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // every answer's latency, for the same percentiles as the fixed rate (autocannon's own
    // summary has no p95)
    instance.on('response', (_client, status, _bytes, ms) => {
      counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
      if (status < 300) latency.push(ms);
      else counts.non2xx++;
    });
  });
  // autocannon counts timeouts among its errors
  counts.networkErrors = result.errors - result.timeouts;
  counts.timeouts = result.timeouts;
  return {
    mode: 'saturated',
    connections,
    seconds: result.duration,
    requests: latency.length + counts.non2xx,
    throughputPerSecond: Math.round(latency.length / result.duration),
    latencyMs: latencies(latency),
    errors: counts.non2xx + counts.networkErrors + counts.timeouts,
    ...counts,
  };
}

/** What the generator prints (one JSON object): the fixed rate's figures, or the saturated run's. */
export type LoadResult = Awaited<ReturnType<typeof fixedRate>> | Awaited<ReturnType<typeof saturated>>;

const result: LoadResult = rate > 0 ? await fixedRate() : await saturated();
process.stderr.write(
  `  ${result.mode}${rate > 0 ? ` ${rate}/s offered` : ''}, ${connections} connections: ${result.throughputPerSecond}/s served, ` +
    `p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms, errors ${result.errors}\n`,
);
console.log(JSON.stringify(result));
process.exit(0);
