/**
 * The body limit on a real HTTP server (@hono/node-server, as `npm start` serves it), where it
 * reads the Node request instead of hono's web stream: a body over the limit is 413
 * PAYLOAD_TOO_LARGE whether it gives its length or comes in chunks, and a body under it reaches
 * every way a route reads one — the evaluation's own JSON reading, @hono/zod-openapi's body
 * validation, and a binary upload.
 */
import { serve, type ServerType } from '@hono/node-server';
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../server/app.js';
import { ijsselAllocation } from '../support/factories.js';
import { openServer } from './harness.js';

// no accounts: the local demo, in which every request from loopback may do everything
const s = await openServer();
let server: ServerType;
let port: number;
beforeAll(async () => {
  server = await new Promise((resolve) => {
    const started = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await s.service.close();
  await s.store.close();
});

/**
 * Sends `body` to `path`: with a Content-Length, or in chunks of 64 KiB without one (Node's
 * client then sends `Transfer-Encoding: chunked`). Resolves with the status and the answer's text.
 */
function send(
  path: string,
  body: Buffer,
  options: { chunked: boolean; type?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'content-type': options.type ?? 'application/json',
        ...(options.chunked ? {} : { 'content-length': body.length }),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    // a server that refuses a body may close before the client has sent all of it
    req.on('error', (error) => (req.headersSent ? undefined : reject(error)));
    if (!options.chunked) return void req.end(body);
    const chunk = 64 * 1024;
    for (let at = 0; at < body.length; at += chunk) req.write(body.subarray(at, at + chunk));
    req.end();
  });
}

const caseBody = () => Buffer.from(JSON.stringify(ijsselAllocation()));
/** JSON of more than `MAX_BODY_BYTES` bytes. */
const oversized = () => Buffer.from(JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES + 10) }));

describe('the body limit on a real server', () => {
  it.each([
    ['with a Content-Length', false],
    ['in chunks', true],
  ])('refuses a body over the limit sent %s with 413 PAYLOAD_TOO_LARGE', async (_, chunked) => {
    const res = await send('/api/evaluate', oversized(), { chunked });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: `De body is groter dan ${MAX_BODY_BYTES} bytes.`,
    });
    expect(await s.store.counts()).toMatchObject({ decisions: 0 });
  });

  it('takes a chunked body of exactly the limit', async () => {
    // JSON padded with spaces to MAX_BODY_BYTES: refused only if the limit were off by one
    const json = JSON.stringify(ijsselAllocation());
    const body = Buffer.from(json + ' '.repeat(MAX_BODY_BYTES - json.length));
    expect(body.length).toBe(MAX_BODY_BYTES);
    const res = await send('/api/evaluate?dryRun=true', body, { chunked: true });
    expect(res.status).toBe(200);
  });

  it.each([
    ['with a Content-Length', false],
    ['in chunks', true],
  ])('decides and logs a case sent %s, the same as through app.request', async (_, chunked) => {
    const res = await send('/api/evaluate', caseBody(), { chunked });
    expect(res.status).toBe(200);
    const { id, ...decision } = JSON.parse(res.text) as { id: string };
    const inProcess = await s.request('POST', '/api/evaluate?dryRun=true', ijsselAllocation());
    const { id: _none, ...expected } = (await inProcess.json()) as { id: null };
    expect(decision).toEqual(expected);
    expect((await s.request('GET', `/api/decisions/${id}`)).status).toBe(200);
  });

  it.each([
    ['with a Content-Length', false],
    ['in chunks', true],
  ])('hands a body sent %s to the routes that validate it with @hono/zod-openapi', async (_, chunked) => {
    const { id } = (await (await s.request('POST', '/api/evaluate', ijsselAllocation())).json()) as { id: string };
    const replay = await send(`/api/decisions/${id}/replay`, Buffer.from(JSON.stringify({ against: 'recorded' })), {
      chunked,
    });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.text)).toMatchObject({ identical: true });
    const invalid = await send(`/api/decisions/${id}/replay`, Buffer.from(JSON.stringify({ against: 'gisteren' })), {
      chunked,
    });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text)).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('reads a body that gives neither a length nor chunks as the empty body it is', async () => {
    // HTTP/1.1 without Content-Length and Transfer-Encoding: no body (RFC 9112 §6.3), not a wait
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.end(
          'POST /api/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n',
        ),
      );
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"INVALID_JSON"');
  });

  it('refuses invalid JSON in chunks as INVALID_JSON, not as a failure to read', async () => {
    const res = await send('/api/evaluate', Buffer.from('{"type": '), { chunked: true });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'INVALID_JSON' });
  });
});
