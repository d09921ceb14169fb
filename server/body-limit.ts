/**
 * The body limit: a request body above the limit is refused with 413 PAYLOAD_TOO_LARGE, whether
 * it says its length (Content-Length) or is sent in chunks.
 *
 * Under @hono/node-server it works on the Node request (`c.env.incoming`) and never touches
 * `c.req.raw.body`, the one thing that makes node-server build a full WHATWG Request with an
 * AbortSignal and a web stream around it — 16% of a logged evaluation's CPU in the profile of
 * BENCHMARKS.md (1). A body with a Content-Length is only checked: Node's parser ends the body
 * after that many bytes, and hono reads it later from the Node request (node-server's fast path).
 * Any other body is read here, counting, and handed to hono as the Node request's `rawBody`, which
 * node-server reads a body from when it is there (honojs/node-server#223: `text()`, `json()`,
 * `arrayBuffer()`, and the web stream of `formData()` alike). Anywhere else (`app.request()` in
 * tests, other runtimes) hono's own `bodyLimit` does the same.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

/** The Node request of node-server, with the buffered body it reads in place of the stream. */
type NodeRequest = IncomingMessage & { rawBody?: Buffer };

/**
 * The body of a request that does not say its length, read from the Node request up to `maxBytes`; `undefined` as soon
 * as it is larger (what is left is not read: Node discards it once the answer is sent).
 */
function readUpTo(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // the client went away before the body ended: nobody is left to answer
    const onClose = () => onError(new Error('De verbinding is gesloten voordat de body binnen was.'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/**
 * Middleware that refuses bodies above `maxBytes` with `tooLarge()` (which throws or answers).
 *
 * @example
 *   app.use('/api/*', bodyLimit(1024 * 1024, () => { throw new ProblemError(413, 'PAYLOAD_TOO_LARGE', '…') }));
 */
export function bodyLimit(maxBytes: number, tooLarge: () => never): MiddlewareHandler {
  const fallback = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const incoming = (c.env as { incoming?: NodeRequest } | undefined)?.incoming;
    if (!incoming?.headers) return fallback(c, next);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = incoming.headers['content-length'];
    if (length !== undefined && incoming.headers['transfer-encoding'] === undefined) {
      if (Number(length) > maxBytes) tooLarge();
      return next();
    }
    // chunked, or no length at all (an empty HTTP/1.1 body; any HTTP/2 body): read, counting
    const body = await readUpTo(incoming, maxBytes);
    if (body === undefined) tooLarge();
    incoming.rawBody = body;
    return next();
  };
}
