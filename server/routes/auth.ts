/** Tokens, users and editor sessions. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { MunicipalityId, RegionId } from '../../engine/schema.js';
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
import { ROLES, type Role } from '../db/schema.js';
import { ProblemError } from '../problems.js';
import type { RulesService } from '../service.js';
import { jsonBody, parseWith } from '../validate.js';

const SESSION_HOURS = 8;

/** A role with the scope it needs: a region for advisors, a municipality for officers. */
const RoleAndScope = z.object({ role: z.enum(ROLES), scope: z.string().optional() }).superRefine((v, ctx) => {
  if (v.role === 'policy-advisor' && !RegionId.safeParse(v.scope).success)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: 'Een beleidsadviseur heeft een regio als scope.' });
  if (v.role === 'municipality-officer' && !MunicipalityId.safeParse(v.scope).success)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: 'Een gemeentemedewerker heeft een gemeente als scope.' });
  if (!['policy-advisor', 'municipality-officer'].includes(v.role) && v.scope !== undefined)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: `De rol ${v.role} heeft geen scope.` });
});

export const TokenBody = z
  .object({
    role: z.enum(ROLES),
    scope: z.string().optional(),
    name: z.string().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  })
  .strict()
  .and(RoleAndScope);

export const UserBody = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{2,50}$/),
    password: z.string().min(10).max(200),
    role: z.enum(ROLES),
    scope: z.string().optional(),
  })
  .strict()
  .and(RoleAndScope);

export const LoginBody = z.object({ username: z.string().max(50), password: z.string().max(200) }).strict();

export function authRoutes(service: RulesService) {
  const app = new Hono();
  const now = () => service.clock.now();

  app.post('/tokens', async (c) => {
    const by = requireRole(c, 'admin');
    const body = parseWith(TokenBody, await jsonBody(c));
    const token = `jr_${newSecret()}`;
    const id = randomUUID();
    service.store.accounts.addToken({
      id,
      name: body.name,
      role: body.role as Role,
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
  });

  app.get('/tokens', (c) => {
    requireRole(c, 'admin');
    return c.json({ tokens: service.store.accounts.tokens().map(({ tokenHash: _hidden, ...t }) => t) });
  });

  app.delete('/tokens/:id', (c) => {
    requireRole(c, 'admin');
    if (!service.store.accounts.revokeToken(c.req.param('id'), now()))
      throw new ProblemError(404, 'TOKEN_NOT_FOUND', 'Dit token bestaat niet of is al ingetrokken.');
    return c.body(null, 204);
  });

  app.post('/users', async (c) => {
    const by = requireRole(c, 'admin');
    const body = parseWith(UserBody, await jsonBody(c));
    if (service.store.accounts.user(body.username))
      throw new ProblemError(409, 'USER_EXISTS', `Gebruiker ${body.username} bestaat al.`);
    service.store.accounts.addUser({
      username: body.username,
      passwordHash: hashPassword(body.password),
      role: body.role as Role,
      scope: body.scope ?? null,
      createdBy: by.name,
      createdAt: now(),
      disabledAt: null,
    });
    return c.json({ username: body.username, role: body.role, scope: body.scope ?? null }, 201);
  });

  app.delete('/users/:username', (c) => {
    requireRole(c, 'admin');
    if (!service.store.accounts.disableUser(c.req.param('username'), now()))
      throw new ProblemError(
        404,
        'USER_NOT_FOUND',
        `Gebruiker ${c.req.param('username')} bestaat niet of is al uitgeschakeld.`,
      );
    return c.body(null, 204);
  });

  app.get('/session', (c) => {
    const p = c.get('principal');
    return c.json({
      demo: p?.via === 'demo',
      authenticated: p !== null,
      user: p ? { name: p.name, role: p.role, scope: p.scope } : null,
      csrfToken: p?.csrfToken ?? null,
      loginRequired: p === null,
    });
  });

  app.post('/session', async (c) => {
    const { username, password } = parseWith(LoginBody, await jsonBody(c));
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
    return c.json({ user: { name: user.username, role: user.role, scope: user.scope }, csrfToken });
  });

  app.delete('/session', (c) => {
    principalOf(c);
    const id = getCookie(c, SESSION_COOKIE);
    if (id) service.store.accounts.deleteSession(sha256(id));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
