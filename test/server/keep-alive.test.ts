/**
 * A case system's kept-alive connection survives an idle stretch longer than Node's default
 * (`keepAliveTimeout` 5 s, closed at ~6 s): the server keeps it open for 65 s (server/main.ts), so
 * a client reusing it gets its answer instead of a reset just as the server closed it.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../load/server.js';
import { ijsselAllocation } from '../support/factories.js';

let server: RunningServer;
let token: string;
beforeAll(async () => {
  server = await startServer();
  token = await server.token('Zaaksysteem', 'case-system');
}, 60_000);
afterAll(async () => {
  await server.stop();
  server.remove();
});

/** One logged evaluation through `agent`: its status, whether it went over a connection used before, and the Keep-Alive header. */
function evaluate(agent: http.Agent) {
  const body = JSON.stringify(ijsselAllocation());
  return new Promise<{ status: number; reused: boolean; keepAlive: unknown }>((resolve, reject) => {
    const req = http.request(
      `${server.base}/api/evaluate`,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode!, reused: req.reusedSocket, keepAlive: res.headers['keep-alive'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('keep-alive', () => {
  it('keeps an idle connection open past Node’s default, and tells clients how long', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await evaluate(agent);
      expect(first).toMatchObject({ status: 200, reused: false, keepAlive: 'timeout=65' });
      // past the ~6 s after which a server with Node's default closes the connection
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const second = await evaluate(agent);
      expect(second).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
