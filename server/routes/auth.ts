/** Tokens, users and editor sessions. */
import { randomUUID } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  IdParam,
  LoggedIn,
  LoginBody,
  PasswordChangeBody,
  PasswordResetBody,
  Session,
  TokenBody,
  TokenCreated,
  TokenList,
  UserBody,
  UserCreated,
  UsernameParam,
} from '../api-schemas.js';
import {
  clientAddress,
  CSRF_COOKIE,
  hashPassword,
  newSecret,
  principalOf,
  refuseCrossOriginWrite,
  requireRole,
  SESSION_COOKIE,
  sha256,
  unknownUserHash,
  verifyPassword,
} from '../auth.js';
import { json, problems, routeGroup } from '../openapi.js';
import { ProblemError } from '../problems.js';
import type { RulesService } from '../service.js';
import { LoginThrottle } from '../throttle.js';
import type { TokenCache } from '../token-cache.js';

const SESSION_HOURS = 8;

/** Before the request is read: who may not do this hears so whatever they sent. */
const admin: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'admin');
  await next();
};
const signedIn: MiddlewareHandler = async (c, next) => {
  principalOf(c);
  await next();
};

/** A login is refused from another site's page (login CSRF), whatever it sends. */
const ownOrigin =
  (trustProxy: boolean): MiddlewareHandler =>
  async (c, next) => {
    refuseCrossOriginWrite(c, 'login', trustProxy);
    await next();
  };

const createToken = createRoute({
  method: 'post',
  path: '/tokens',
  tags: ['Accounts'],
  summary: 'Create an API token (admin); the secret is shown once',
  middleware: [admin],
  request: { body: { required: true, content: json(TokenBody) } },
  responses: {
    201: { description: 'The token, with its secret', content: json(TokenCreated) },
    ...problems(400, 401, 403, 413),
  },
});

const listTokens = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['Accounts'],
  summary: 'List tokens without their secrets (admin)',
  middleware: [admin],
  responses: { 200: { description: 'Tokens', content: json(TokenList) }, ...problems(401, 403) },
});

const revokeToken = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  tags: ['Accounts'],
  summary: 'Revoke a token (admin)',
  middleware: [admin],
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) },
});

const createUser = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Accounts'],
  summary: 'Create an editor user (admin)',
  middleware: [admin],
  request: { body: { required: true, content: json(UserBody) } },
  responses: {
    201: { description: 'The user', content: json(UserCreated) },
    ...problems(400, 401, 403, 409, 413),
  },
});

const disableUser = createRoute({
  method: 'delete',
  path: '/users/{username}',
  tags: ['Accounts'],
  summary: 'Disable a user and end their sessions (admin)',
  middleware: [admin],
  request: { params: UsernameParam },
  responses: { 204: { description: 'Disabled' }, ...problems(401, 403, 404) },
});

const getSession = createRoute({
  method: 'get',
  path: '/session',
  tags: ['Accounts'],
  summary: 'Who is calling; whether the service runs as a local demo',
  security: [],
  responses: { 200: { description: 'The caller', content: json(Session) }, ...problems(401) },
});

const RetryAfter = {
  'Retry-After': { schema: { type: 'integer' as const }, description: 'Seconds to wait (with 429)' },
};

const logIn = (trustProxy: boolean) =>
  createRoute({
    method: 'post',
    path: '/session',
    tags: ['Accounts'],
    summary:
      'Log in to the editor (session cookie and CSRF token). After 5 failed attempts for a user name (20 from one address) each further attempt waits longer: 429 with Retry-After',
    security: [],
    middleware: [ownOrigin(trustProxy)],
    request: { body: { required: true, content: json(LoginBody) } },
    responses: {
      200: { description: 'Logged in; the session is in an HttpOnly cookie', content: json(LoggedIn) },
      ...problems(400, 401, 403, 413),
      429: { ...problems(429)[429], headers: RetryAfter },
    },
  });

const changePassword = createRoute({
  method: 'put',
  path: '/session/password',
  tags: ['Accounts'],
  summary: "Change the signed-in user's own password (with the current one); ends the user's other sessions",
  middleware: [signedIn],
  request: { body: { required: true, content: json(PasswordChangeBody) } },
  responses: {
    204: { description: 'Changed' },
    ...problems(400, 401, 403, 413),
    429: { ...problems(429)[429], headers: RetryAfter },
  },
});

const resetPassword = createRoute({
  method: 'put',
  path: '/users/{username}/password',
  tags: ['Accounts'],
  summary: "Set a user's password (admin); ends that user's sessions",
  middleware: [admin],
  request: { params: UsernameParam, body: { required: true, content: json(PasswordResetBody) } },
  responses: { 204: { description: 'Set' }, ...problems(400, 401, 403, 404, 413) },
});

const logOut = createRoute({
  method: 'delete',
  path: '/session',
  tags: ['Accounts'],
  summary: 'Log out',
  middleware: [signedIn],
  responses: { 204: { description: 'Logged out' }, ...problems(401, 403) },
});

/**
 * Tokens, users and sessions, under /api; `tokens`: the cache `authenticate` reads tokens through,
 * emptied when a token is revoked.
 */
export function authRoutes(
  service: RulesService,
  options: { trustProxy?: boolean | undefined; tokens?: TokenCache | undefined } = {},
) {
  const now = () => service.clock.now();
  const trustProxy = options.trustProxy ?? false;
  const throttle = new LoginThrottle();
  void unknownUserHash(); // made now, so that the first unknown user name takes no longer than the rest

  /** 429 with Retry-After while the user name or address must wait. */
  const waitTurn = (c: Context, username: string, address: string) => {
    const wait = throttle.waitFor(username, address);
    if (wait <= 0) return;
    const seconds = Math.ceil(wait / 1000);
    c.header('Retry-After', String(seconds));
    throw new ProblemError(
      429,
      'TOO_MANY_ATTEMPTS',
      `Te veel mislukte pogingen. Probeer het over ${seconds} seconde${seconds === 1 ? '' : 'n'} opnieuw.`,
      [],
      { retryAfter: seconds },
    );
  };

  /** Checks a password with the throttle: the same work for unknown and disabled users. */
  const passwordMatches = async (c: Context, username: string, password: string, address: string) => {
    waitTurn(c, username, address);
    const user = await service.store.accounts.user(username);
    const active = user && !user.disabledAt ? user : undefined;
    const stored = active?.passwordHash ?? (await unknownUserHash());
    const ok = (await throttle.check(() => verifyPassword(password, stored))) && active !== undefined;
    if (ok) throttle.succeed(username);
    else throttle.fail(username, address);
    return ok ? active : undefined;
  };

  return routeGroup()
    .openapi(createToken, async (c) => {
      const by = principalOf(c);
      const body = c.req.valid('json');
      const token = `jr_${newSecret()}`;
      // kept as an instant in UTC, so that it compares as one whatever offset it was given with
      const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt).toISOString();
      const id = randomUUID();
      await service.store.accounts.addToken({
        id,
        name: body.name,
        role: body.role,
        scope: body.scope ?? null,
        tokenHash: sha256(token),
        createdBy: by.name,
        createdAt: now(),
        expiresAt,
        revokedAt: null,
      });
      return c.json({ id, token, name: body.name, role: body.role, scope: body.scope ?? null, expiresAt }, 201);
    })
    .openapi(listTokens, async (c) =>
      c.json({ tokens: (await service.store.accounts.tokens()).map(({ tokenHash: _hidden, ...t }) => t) }, 200),
    )
    .openapi(revokeToken, async (c) => {
      const revoked = await service.store.accounts.revokeToken(c.req.valid('param').id, now());
      // refused from the next request on, here; other processes and nodes within the cache's second
      options.tokens?.forget();
      if (!revoked) throw new ProblemError(404, 'TOKEN_NOT_FOUND', 'Dit token bestaat niet of is al ingetrokken.');
      return c.body(null, 204);
    })
    .openapi(createUser, async (c) => {
      const by = principalOf(c);
      const body = c.req.valid('json');
      if (await service.store.accounts.user(body.username))
        throw new ProblemError(409, 'USER_EXISTS', `Gebruiker ${body.username} bestaat al.`);
      await service.store.accounts.addUser({
        username: body.username,
        passwordHash: await hashPassword(body.password),
        role: body.role,
        scope: body.scope ?? null,
        createdBy: by.name,
        createdAt: now(),
        disabledAt: null,
      });
      return c.json({ username: body.username, role: body.role, scope: body.scope ?? null }, 201);
    })
    .openapi(disableUser, async (c) => {
      const { username } = c.req.valid('param');
      if (!(await service.store.accounts.disableUser(username, now())))
        throw new ProblemError(404, 'USER_NOT_FOUND', `Gebruiker ${username} bestaat niet of is al uitgeschakeld.`);
      return c.body(null, 204);
    })
    .openapi(getSession, async (c) => {
      const p = c.get('principal');
      return c.json(
        {
          demo: p?.via === 'demo',
          authenticated: p !== null,
          user: p ? { name: p.name, role: p.role, scope: p.scope } : null,
          csrfToken: p?.csrfToken ?? null,
          loginRequired: p === null,
          fourEyes: service.fourEyes && p?.via !== 'demo',
        },
        200,
      );
    })
    .openapi(logIn(trustProxy), async (c) => {
      const { username, password } = c.req.valid('json');
      const user = await passwordMatches(c, username, password, clientAddress(c, trustProxy));
      // the same answer for an unknown user and a wrong password
      if (!user) throw new ProblemError(401, 'LOGIN_FAILED', 'Gebruikersnaam of wachtwoord klopt niet.');
      await service.store.accounts.purgeExpiredSessions(now());
      const id = newSecret();
      const csrfToken = newSecret();
      const expires = new Date(Date.parse(now()) + SESSION_HOURS * 3_600_000);
      await service.store.accounts.addSession({
        idHash: sha256(id),
        username,
        csrfToken,
        createdAt: now(),
        expiresAt: expires.toISOString(),
      });
      const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', secure, path: '/', expires });
      setCookie(c, CSRF_COOKIE, csrfToken, { httpOnly: false, sameSite: 'Strict', secure, path: '/', expires });
      return c.json({ user: { name: user.username, role: user.role, scope: user.scope }, csrfToken }, 200);
    })
    .openapi(changePassword, async (c) => {
      const p = principalOf(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (p.via !== 'session' || !sessionId)
        throw new ProblemError(
          403,
          'FORBIDDEN',
          'Alleen een ingelogde gebruiker wijzigt zijn wachtwoord; een beheerder zet dat van een ander (PUT /api/users/{username}/password).',
        );
      const { currentPassword, newPassword } = c.req.valid('json');
      if (!(await passwordMatches(c, p.name, currentPassword, clientAddress(c, trustProxy))))
        throw new ProblemError(403, 'PASSWORD_INCORRECT', 'Het huidige wachtwoord klopt niet.', [
          { path: '$.currentPassword', message: 'Klopt niet.', code: 'PASSWORD_INCORRECT' },
        ]);
      await service.store.accounts.setPassword(p.name, await hashPassword(newPassword), sha256(sessionId));
      return c.body(null, 204);
    })
    .openapi(resetPassword, async (c) => {
      const { username } = c.req.valid('param');
      const hash = await hashPassword(c.req.valid('json').password);
      if (!(await service.store.accounts.setPassword(username, hash)))
        throw new ProblemError(404, 'USER_NOT_FOUND', `Gebruiker ${username} bestaat niet of is uitgeschakeld.`);
      return c.body(null, 204);
    })
    .openapi(logOut, async (c) => {
      const id = getCookie(c, SESSION_COOKIE);
      if (id) await service.store.accounts.deleteSession(sha256(id));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}
