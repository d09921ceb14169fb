/**
 * The editor's only way to the platform: the HTTP API. Problem documents become `ApiProblem`
 * errors whose text is readable (title plus each issue with its JSON path), never raw JSON.
 */
export interface Issue {
  path: string;
  message: string;
  code: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly issues: Issue[],
    readonly body: Record<string, unknown>,
  ) {
    super(issues.length > 0 ? `${title} ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` : title);
    this.name = 'ApiProblem';
  }
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

export function createApiClient(base = '', user = 'editor'): ApiClient {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    // a signed-in editor proves its writes with the CSRF token the server set beside the session
    const csrf = method === 'GET' ? undefined : readCookie('jr_csrf');
    const res = await fetch(base + path, {
      method,
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        'x-user': user,
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const p = (data ?? {}) as Record<string, unknown>;
      throw new ApiProblem(
        res.status,
        String(p.code ?? res.status),
        String(p.title ?? res.statusText),
        (p.issues as Issue[]) ?? [],
        p,
      );
    }
    return { data: data as T, etag: res.headers.get('etag') };
  }
  return {
    get: async <T>(path: string) => (await request<T>('GET', path)).data,
    send: (method, path, body, headers) => request(method, path, body, headers),
  };
}

function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

export const api = createApiClient();
