/**
 * Who is calling, and may they? Identities come from an API token (`Authorization: Bearer`),
 * the bootstrap admin token (`RULES_ADMIN_TOKEN`), or an editor session cookie (with a CSRF
 * token for writes). Roles and scopes are enforced here, on the server, for every route; the
 * editor only hides what the server would refuse anyway.
 *
 * With no accounts and no RULES_ADMIN_TOKEN the service runs as a local demo in which every
 * request may do everything; it says so at start, in /api/session and in the editor.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { MunicipalityId, RegionId, regionOf } from '../engine/index.js';
import type { Store } from './db/open.js';
import type { Role } from './db/schema.js';
import { ProblemError } from './problems.js';

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

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  return timingSafeEqual(actual, Buffer.from(hash, 'hex'));
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
  now: () => string;
}

/** Resolves the caller into `c.get('principal')`; refuses bad credentials with 401. */
export function authenticate(store: Store, options: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let principal: Principal | null = null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new ProblemError(401, 'UNAUTHENTICATED', 'Gebruik "Authorization: Bearer <token>".');
      const token = match[1]!;
      if (options.adminToken && sameSecret(token, options.adminToken)) {
        principal = { name: 'admin (RULES_ADMIN_TOKEN)', role: 'admin', scope: null, via: 'bootstrap' };
      } else {
        const row = store.accounts.tokenByHash(sha256(token));
        if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= options.now())) {
          throw new ProblemError(401, 'UNAUTHENTICATED', 'Dit token is onbekend, ingetrokken of verlopen.');
        }
        principal = { name: row.name, role: row.role, scope: row.scope, via: 'token' };
      }
    } else {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) {
        const session = store.accounts.session(sha256(sessionId));
        const user = session && session.expiresAt > options.now() ? store.accounts.user(session.username) : undefined;
        if (user && !user.disabledAt) {
          principal = {
            name: user.username,
            role: user.role,
            scope: user.scope,
            via: 'session',
            csrfToken: session!.csrfToken,
          };
          // cookies ride along with any request a browser makes: writes must prove they come from our page
          if (
            !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) &&
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
    if (!principal && !options.adminToken && !store.accounts.any()) {
      // a demo has no accounts; a caller may still name itself so that the log says who it was
      principal = { name: c.req.header('x-user')?.slice(0, 100) || 'demo', role: 'demo', scope: null, via: 'demo' };
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

/** The name recorded with what a caller does. */
export function actorName(c: Context): string {
  return principalOf(c).name;
}
