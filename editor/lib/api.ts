/**
 * The editor's only way to the platform: the HTTP API, through Hono's typed client over the
 * server's route types (`hc<AppType>`, a type-only import: no server code enters the bundle).
 * Every request and response shape comes from the route declarations; the editor writes none.
 * Problem documents become `ApiProblem` errors whose text is readable (title plus each issue
 * with its JSON path), never raw JSON.
 */
import { hc, type ClientResponse, type InferResponseType } from 'hono/client';
import type { ResponseFormat } from 'hono/types';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { AppType } from '../../server/app.js';

export interface ApiClientOptions {
  /** The name a demo server records with what the editor does (`x-user`; other modes ignore it). */
  user?: string;
  /** The transport: the browser's fetch, or `app.request` in tests. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The typed client, with what the server asks of the editor on every request: its session
 * cookie (same origin), the demo user's name, and on writes the CSRF token from `jr_csrf`.
 * @example
 * const api = createApiClient();
 * const { ruleSets } = await read(api.api.rulesets.$get());
 */
export function createApiClient(base = '', options: ApiClientOptions = {}) {
  const user = options.user ?? 'editor';
  return hc<AppType>(base, {
    fetch: (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('x-user', user);
      // a signed-in editor proves its writes with the CSRF token the server set beside the session
      const csrf = READS.has((init.method ?? 'GET').toUpperCase()) ? undefined : readCookie('jr_csrf');
      if (csrf) headers.set('x-csrf-token', csrf);
      // looked up on each call, so a test may swap the global fetch after the client is made
      return (options.fetch ?? fetch)(input, { ...init, headers, credentials: 'same-origin' });
    },
  });
}
export type ApiClient = ReturnType<typeof createApiClient>;

type AnyResponse = ClientResponse<unknown, number, ResponseFormat>;

/** What a successful answer carries: its JSON for JSON answers, null for empty ones (204). */
export type OkBody<R> =
  R extends ClientResponse<infer T, infer S, infer F>
    ? S extends SuccessStatusCode
      ? F extends 'json'
        ? T
        : null
      : never
    : never;

/** What an endpoint (`client.api.….$get` etc.) answers when it succeeds. */
export type OkOf<E extends (...args: never[]) => Promise<AnyResponse>> = OkBody<Awaited<ReturnType<E>>>;

/** The problem document every route declares for its errors (RFC 9457). */
export type ProblemDocument = InferResponseType<ApiClient['api']['rulesets'][':id']['drafts']['$post'], 422>;
export type Issue = ProblemDocument['issues'][number];

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly issues: Issue[],
    readonly body: Partial<ProblemDocument>,
  ) {
    super(issues.length > 0 ? `${title} ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` : title);
    this.name = 'ApiProblem';
  }
}

/**
 * A successful answer's body and its ETag (drafts and versions carry one, for If-Match);
 * any other answer throws its problem document as an `ApiProblem`.
 */
export async function readWithEtag<R extends AnyResponse>(
  pending: R | Promise<R>,
): Promise<{ data: OkBody<R>; etag: string | null }> {
  const res = await pending;
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    // a proxy or a crash may answer something else than a problem document
    const p = (data ?? {}) as Partial<ProblemDocument>;
    throw new ApiProblem(
      res.status,
      String(p.code ?? res.status),
      String(p.title ?? res.statusText),
      p.issues ?? [],
      p,
    );
  }
  return { data: data as OkBody<R>, etag: res.headers.get('etag') };
}

/** A successful answer's body; any other answer throws its problem document as an `ApiProblem`. */
export async function read<R extends AnyResponse>(pending: R | Promise<R>): Promise<OkBody<R>> {
  return (await readWithEtag(pending)).data;
}

/**
 * A domain value the API answered (a decision, a rule set), with the engine's type for it: the
 * routes declare the engine's zod schemas, but the client's `JSONParsed` cuts a recursive type
 * (conditions, condition traces) to `JSONValue` where it recurs. The argument must be the JSON
 * form of `T`, so this views an answer as its schema's type, and cannot turn one shape into another.
 * @example
 * <DecisionView decision={asDomain<Decision>(await read(api.api.evaluate.$post({ json })))} />
 */
export const asDomain = <T>(value: JSONParsed<T>): T => value as T;

function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

export const api = createApiClient();
