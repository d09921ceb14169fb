/**
 * Who is calling, and may they? Identities come from an API token (`Authorization: Bearer`),
 * the bootstrap admin token (`RULES_ADMIN_TOKEN`), or an editor session cookie (with a CSRF
 * token for writes). Roles and scopes are enforced here, on the server, for every route; the
 * editor only hides what the server would refuse anyway.
 *
 * With no accounts and no RULES_ADMIN_TOKEN the service runs as a local demo in which every
 * request may do everything; it says so at start, in /api/session and in the editor.
 */
import { hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { MunicipalityId, RegionId, regionOf } from '../engine/index.js';
import type { Store } from './db/store.js';
import type { Role } from './db/schema.js';
import { ProblemError } from './problems.js';
import { TokenCache } from './token-cache.js';

export interface Principal {
  name: string;
  role: Role | 'demo';
  scope: string | null;
  via: 'token' | 'bootstrap' | 'session' | 'demo';
  csrfToken?: string;
}

export const SESSION_COOKIE = 'jr_session';
export const CSRF_COOKIE = 'jr_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** SHA-256 in hex, in one call (no Hash object per request, as `createHash` makes). */
export const sha256 = (text: string) => hash('sha256', text, 'hex');

/** scrypt in libuv's thread pool: hashing a password (~40 ms) never holds up other requests. */
const scryptAsync = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, (error, key) => (error ? reject(error) : resolve(key))),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${(await scryptAsync(password, salt)).toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const actual = await scryptAsync(password, Buffer.from(salt, 'hex'));
  const expected = Buffer.from(hash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, to verify against when the user name is unknown or disabled: the
 * answer takes as long as for a wrong password, so it does not tell which user names exist.
 */
let dummyHash: Promise<string> | undefined;
export const unknownUserHash = () => (dummyHash ??= hashPassword(newSecret()));

/** An instant in milliseconds; `Infinity` for text that is no date (never expires, never matches). */
const instant = (text: string) => Date.parse(text);

/** Whether `expiresAt` (ISO, with or without an offset) lies at or before `now`: compared as instants. */
export function hasExpired(expiresAt: string | null, now: string): boolean {
  if (!expiresAt) return false;
  const at = instant(expiresAt);
  // text that is no date cannot be trusted to be in the future
  return Number.isNaN(at) || at <= instant(now);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a));
  const y = Buffer.from(sha256(b));
  return timingSafeEqual(x, y);
}

export const newSecret = () => randomBytes(32).toString('base64url');

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal | null;
  }
}

export interface AuthOptions {
  adminToken?: string | undefined;
  /** API tokens as recently read (`TokenCache`); by default one of this middleware's own. */
  tokens?: TokenCache | undefined;
  now: () => string;
  /** TRUSTED_PROXY: the service runs behind a proxy whose X-Forwarded-For and -Host can be believed. */
  trustProxy?: boolean | undefined;
}

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The address a request comes from: the socket's, or with a trusted proxy the last address in
 * X-Forwarded-For (the one the proxy added). `unknown` without a socket (`app.request` in tests).
 */
export function clientAddress(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Whether the request's `Origin`, when it has one, is this server: a browser names the page that
 * made a request, so a write from someone else's page can be told apart from one from ours.
 */
export function sameOrigin(c: Context, trustProxy = false): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // `null` (sandboxed frames, some redirects) or garbage
  }
  const own = (trustProxy && c.req.header('x-forwarded-host')?.split(',')[0]?.trim()) || new URL(c.req.url).host;
  return host !== '' && host === own;
}

const crossOrigin = () =>
  new ProblemError(
    403,
    'CROSS_ORIGIN_REFUSED',
    'Dit verzoek komt van een andere website (Origin) en wordt geweigerd. Gebruik de editor op dit adres, of een API-token.',
  );

/**
 * Writes ride on what a browser adds by itself (a session cookie; in a demo, nothing at all), so
 * a write whose Origin is another site's is refused — and so is a login (login CSRF). Requests
 * without Origin (curl, a case system with a bearer token) are unaffected.
 */
export function refuseCrossOriginWrite(c: Context, via: Principal['via'] | 'login', trustProxy = false) {
  if (SAFE_METHODS.includes(c.req.method)) return;
  if (via !== 'session' && via !== 'demo' && via !== 'login') return;
  if (!sameOrigin(c, trustProxy)) throw crossOrigin();
}

/** Resolves the caller into `c.get('principal')`; refuses bad credentials with 401. */
export function authenticate(store: Store, options: AuthOptions): MiddlewareHandler {
  const tokens = options.tokens ?? new TokenCache((tokenHash) => store.accounts.tokenByHash(tokenHash));
  // hashed once: each request's token is hashed once too, and the two hashes compared in constant time
  const adminHash = options.adminToken ? hash('sha256', options.adminToken, 'buffer') : undefined;
  return async (c, next) => {
    const header = c.req.header('authorization');
    let principal: Principal | null = null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new ProblemError(401, 'UNAUTHENTICATED', 'Gebruik "Authorization: Bearer <token>".');
      const digest = hash('sha256', match[1]!, 'buffer');
      if (adminHash && timingSafeEqual(digest, adminHash)) {
        principal = { name: 'admin (RULES_ADMIN_TOKEN)', role: 'admin', scope: null, via: 'bootstrap' };
      } else {
        const row = await tokens.byHash(digest.toString('hex'));
        // the clock read only for a token that can expire (most never do)
        if (!row || row.revokedAt || (row.expiresAt !== null && hasExpired(row.expiresAt, options.now()))) {
          throw new ProblemError(401, 'UNAUTHENTICATED', 'Dit token is onbekend, ingetrokken of verlopen.');
        }
        principal = { name: row.name, role: row.role, scope: row.scope, via: 'token' };
      }
    } else {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) {
        const session = await store.accounts.session(sha256(sessionId));
        const user =
          session && !hasExpired(session.expiresAt, options.now())
            ? await store.accounts.user(session.username)
            : undefined;
        if (user && !user.disabledAt) {
          principal = {
            name: user.username,
            role: user.role,
            scope: user.scope,
            via: 'session',
            csrfToken: session!.csrfToken,
          };
          // cookies ride along with any request a browser makes: writes must prove they come from our page
          refuseCrossOriginWrite(c, 'session', options.trustProxy);
          if (
            !SAFE_METHODS.includes(c.req.method) &&
            !sameSecret(c.req.header(CSRF_HEADER) ?? '', session!.csrfToken)
          ) {
            throw new ProblemError(
              403,
              'CSRF_TOKEN_INVALID',
              'Het CSRF-token ontbreekt of klopt niet. Laad de pagina opnieuw.',
            );
          }
        }
      }
    }
    if (!principal && !options.adminToken && !(await store.accounts.any())) {
      // a demo has no accounts; a caller may still name itself so that the log says who it was
      // a demo listens on loopback only (see main.ts); a request naming another host reached it
      // through DNS rebinding (a foreign page whose name now points at 127.0.0.1)
      if (!isLoopback(new URL(c.req.url).hostname))
        throw new ProblemError(
          403,
          'DEMO_LOOPBACK_ONLY',
          'De lokale demo beantwoordt alleen verzoeken aan localhost of 127.0.0.1. Richt accounts in (RULES_ADMIN_TOKEN) om de dienst anders te gebruiken.',
        );
      principal = { name: c.req.header('x-user')?.slice(0, 100) || 'demo', role: 'demo', scope: null, via: 'demo' };
      // any web page can make a browser send a simple POST to a local port: a demo takes writes
      // only from its own pages and from clients that name no origin
      refuseCrossOriginWrite(c, 'demo', options.trustProxy);
    }
    c.set('principal', principal);
    await next();
  };
}

export function principalOf(c: Context): Principal {
  const p = c.get('principal');
  if (!p)
    throw new ProblemError(401, 'UNAUTHENTICATED', 'Log in of stuur een API-token mee (Authorization: Bearer …).');
  return p;
}

/** Throws 401 without identity and 403 unless the caller has one of the roles. */
export function requireRole(c: Context, ...roles: Role[]): Principal {
  const p = principalOf(c);
  if (p.role === 'demo' || roles.includes(p.role)) return p;
  throw new ProblemError(403, 'FORBIDDEN', `Uw rol (${p.role}) mag dit niet; nodig: ${roles.join(' of ')}.`);
}

/** The region a rule set belongs to: the region itself, or the municipality's region. */
export function regionOfRuleSet(ruleSetId: string): string | null {
  if (RegionId.safeParse(ruleSetId).success) return ruleSetId;
  const m = MunicipalityId.safeParse(ruleSetId);
  return m.success ? regionOf(m.data) : null;
}

/**
 * May the caller change this rule set (drafts, test cases, publishing)? A policy advisor for
 * the region's own rule set, a municipality officer for that municipality's overlay.
 */
export function requireRuleSetWriter(c: Context, ruleSetId: string): Principal {
  const p = requireRole(c, 'policy-advisor', 'municipality-officer');
  if (p.role === 'demo') return p;
  const isRegion = RegionId.safeParse(ruleSetId).success;
  if (p.role === 'policy-advisor' && isRegion && p.scope === ruleSetId) return p;
  if (p.role === 'municipality-officer' && !isRegion && p.scope === ruleSetId) return p;
  throw new ProblemError(
    403,
    'FORBIDDEN',
    `${p.name} (${p.role}${p.scope ? ` voor ${p.scope}` : ''}) mag regelset ${ruleSetId} niet wijzigen.`,
  );
}

const forbidden = (p: Principal, what: string) =>
  new ProblemError(
    403,
    'FORBIDDEN',
    `${p.name} (${p.role}${p.scope ? ` voor ${p.scope}` : ''}) mag ${what} niet lezen.`,
  );

/**
 * May the caller read this rule set's drafts and test cases (and try them)? Auditors all; a
 * policy advisor the region's and its municipalities' overlays; a municipality officer that
 * municipality's overlay; nobody else (admins and case systems have no business in drafts).
 * Published versions are for everyone signed in.
 */
export function mayReadRuleSetWork(p: Principal, ruleSetId: string): boolean {
  switch (p.role) {
    case 'demo':
    case 'auditor':
      return true;
    case 'policy-advisor':
      return p.scope !== null && regionOfRuleSet(ruleSetId) === p.scope;
    case 'municipality-officer':
      return p.scope !== null && ruleSetId === p.scope;
    default:
      return false;
  }
}

/** Throws 401 without identity and 403 unless the caller may read the rule set's drafts and test cases. */
export function requireRuleSetReader(c: Context, ruleSetId: string): Principal {
  const p = principalOf(c);
  if (mayReadRuleSetWork(p, ruleSetId)) return p;
  throw forbidden(p, `de concepten en testgevallen van regelset ${ruleSetId}`);
}

/**
 * The part of the decision log a caller may read, as a filter: auditors (and the demo) all of
 * it, a policy advisor the region's decisions, a municipality officer the municipality's, a case
 * system the decisions it made itself. Admins do not read the log.
 */
export interface DecisionScope {
  region?: string;
  municipality?: string;
  decidedBy?: string;
}

export function decisionScope(c: Context): DecisionScope {
  const p = principalOf(c);
  switch (p.role) {
    case 'demo':
    case 'auditor':
      return {};
    case 'policy-advisor':
      if (p.scope) return { region: p.scope };
      break;
    case 'municipality-officer':
      if (p.scope) return { municipality: p.scope };
      break;
    case 'case-system':
      return { decidedBy: p.name };
    default:
      break;
  }
  throw new ProblemError(403, 'FORBIDDEN', `Uw rol (${p.role}) mag het beslissingenlogboek niet lezen.`);
}

/** Throws 403 unless the logged decision lies within the caller's part of the log. */
export function requireDecisionReader(
  c: Context,
  row: { region: string; municipality: string; decidedBy: string; id: string },
): Principal {
  const scope = decisionScope(c);
  if (
    (scope.region === undefined || scope.region === row.region) &&
    (scope.municipality === undefined || scope.municipality === row.municipality) &&
    (scope.decidedBy === undefined || scope.decidedBy === row.decidedBy)
  )
    return principalOf(c);
  throw forbidden(principalOf(c), `beslissing ${row.id}`);
}

/** The name recorded with what a caller does. */
export function actorName(c: Context): string {
  return principalOf(c).name;
}
