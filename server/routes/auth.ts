/** Tokens, users and editor sessions. */
import { randomUUID } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  IdParam,
  LoggedIn,
  LoginBody,
  Session,
  TokenBody,
  TokenCreated,
  TokenList,
  UserBody,
  UserCreated,
  UsernameParam,
} from '../api-schemas.js';
import {
  CSRF_COOKIE,
  hashPassword,
  newSecret,
  principalOf,
  requireRole,
  SESSION_COOKIE,
  sha256,
  verifyPassword,
} from '../auth.js';
import { json, problems, routeGroup } from '../openapi.js';
import { ProblemError } from '../problems.js';
import type { RulesService } from '../service.js';

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

const logIn = createRoute({
  method: 'post',
  path: '/session',
  tags: ['Accounts'],
  summary: 'Log in to the editor (session cookie and CSRF token)',
  security: [],
  request: { body: { required: true, content: json(LoginBody) } },
  responses: {
    200: { description: 'Logged in; the session is in an HttpOnly cookie', content: json(LoggedIn) },
    ...problems(400, 401, 413),
  },
});

const logOut = createRoute({
  method: 'delete',
  path: '/session',
  tags: ['Accounts'],
  summary: 'Log out',
  middleware: [signedIn],
  responses: { 204: { description: 'Logged out' }, ...problems(401, 403) },
});

/** Tokens, users and sessions, under /api. */
export function authRoutes(service: RulesService) {
  const now = () => service.clock.now();
  return routeGroup()
    .openapi(createToken, (c) => {
      const by = principalOf(c);
      const body = c.req.valid('json');
      const token = `jr_${newSecret()}`;
      const id = randomUUID();
      service.store.accounts.addToken({
        id,
        name: body.name,
        role: body.role,
        scope: body.scope ?? null,
        tokenHash: sha256(token),
        createdBy: by.name,
        createdAt: now(),
        expiresAt: body.expiresAt ?? null,
        revokedAt: null,
      });
      return c.json(
        { id, token, name: body.name, role: body.role, scope: body.scope ?? null, expiresAt: body.expiresAt ?? null },
        201,
      );
    })
    .openapi(listTokens, (c) =>
      c.json({ tokens: service.store.accounts.tokens().map(({ tokenHash: _hidden, ...t }) => t) }, 200),
    )
    .openapi(revokeToken, (c) => {
      if (!service.store.accounts.revokeToken(c.req.valid('param').id, now()))
        throw new ProblemError(404, 'TOKEN_NOT_FOUND', 'Dit token bestaat niet of is al ingetrokken.');
      return c.body(null, 204);
    })
    .openapi(createUser, (c) => {
      const by = principalOf(c);
      const body = c.req.valid('json');
      if (service.store.accounts.user(body.username))
        throw new ProblemError(409, 'USER_EXISTS', `Gebruiker ${body.username} bestaat al.`);
      service.store.accounts.addUser({
        username: body.username,
        passwordHash: hashPassword(body.password),
        role: body.role,
        scope: body.scope ?? null,
        createdBy: by.name,
        createdAt: now(),
        disabledAt: null,
      });
      return c.json({ username: body.username, role: body.role, scope: body.scope ?? null }, 201);
    })
    .openapi(disableUser, (c) => {
      const { username } = c.req.valid('param');
      if (!service.store.accounts.disableUser(username, now()))
        throw new ProblemError(404, 'USER_NOT_FOUND', `Gebruiker ${username} bestaat niet of is al uitgeschakeld.`);
      return c.body(null, 204);
    })
    .openapi(getSession, (c) => {
      const p = c.get('principal');
      return c.json(
        {
          demo: p?.via === 'demo',
          authenticated: p !== null,
          user: p ? { name: p.name, role: p.role, scope: p.scope } : null,
          csrfToken: p?.csrfToken ?? null,
          loginRequired: p === null,
        },
        200,
      );
    })
    .openapi(logIn, (c) => {
      const { username, password } = c.req.valid('json');
      const user = service.store.accounts.user(username);
      // the same answer for an unknown user and a wrong password
      if (!user || user.disabledAt || !verifyPassword(password, user.passwordHash))
        throw new ProblemError(401, 'LOGIN_FAILED', 'Gebruikersnaam of wachtwoord klopt niet.');
      const id = newSecret();
      const csrfToken = newSecret();
      const expires = new Date(Date.parse(now()) + SESSION_HOURS * 3_600_000);
      service.store.accounts.addSession({
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
    .openapi(logOut, (c) => {
      const id = getCookie(c, SESSION_COOKIE);
      if (id) service.store.accounts.deleteSession(sha256(id));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}
