/** Sign-in, sign-out, who am I, and personal API tokens. */
import { z } from 'zod';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens.ts';
import { clearFailures, emailKey, lockedFor, recordFailure } from '../../auth/lockout.ts';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../auth/passwords.ts';
import { ALL_ROLES, SCOPES } from '../../auth/roles.ts';
import { sha256Hex } from '../../auth/secrets.ts';
import { createSession, revokeSession } from '../../auth/sessions.ts';
import { findSignInCandidate, findUserByEmail } from '../../auth/user-accounts.ts';
import { allow, publicRoute } from '../access-rule.ts';
import { CSRF_COOKIE, principalOf, SESSION_COOKIE } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const MeSchema = z
  .object({
    userId: z.string(),
    tenantId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    via: z.enum(['session', 'token']),
    scopes: z.array(z.enum(SCOPES)),
    csrfToken: z
      .string()
      .nullable()
      .describe('send as X-CSRF-Token on unsafe requests made with the session cookie'),
  })
  .meta({ id: 'Me' });

const TokenSchema = z
  .object({
    id: z.number().int(),
    userId: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export function registerAuthRoutes(app: ApiApp, deps: ApiDeps): void {
  const secure = deps.config.publicUrl.startsWith('https:');
  const cookieOptions = { path: '/', sameSite: 'lax', secure } as const;

  app.post(
    '/auth/login',
    {
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        security: [],
        body: z.object({
          email: z.string().trim().min(3).max(320),
          password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
          tenant: z.string().max(63).optional().describe('workspace; defaults to the server’s'),
        }),
        response: { 200: MeSchema, ...problemResponses(400, 401, 429) },
      },
      config: {
        access: publicRoute('signing in is how one stops being anonymous'),
        rateLimit: {
          max: deps.limits.loginPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) => `login:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const tenantId = request.body.tenant ?? deps.config.tenant;
      const key = emailKey(tenantId, request.body.email);
      const logged = { tenantId, emailHash: sha256Hex(key).slice(0, 16), ip: request.ip };
      const retryAfter = await lockedFor({ session: deps.store, key, ip: request.ip, now });
      if (retryAfter !== null) {
        deps.log.warn({ event: 'login_locked', ...logged, retryAfter }, 'sign-in refused: locked out');
        reply.header('Retry-After', String(retryAfter));
        throw new ApiError('locked_out', `too many failed sign-ins; try again in ${retryAfter} s`, {
          retryAfter,
        });
      }
      const candidate = await findSignInCandidate(deps.store, tenantId, request.body.email);
      const ok = await verifyPassword(candidate?.passwordHash ?? null, request.body.password);
      if (!ok || !candidate) {
        await recordFailure(deps.store, key, request.ip, now);
        deps.log.warn({ event: 'login_failed', ...logged }, 'sign-in failed');
        throw new ApiError('invalid_credentials', 'wrong email or password');
      }
      await clearFailures(deps.store, key);
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await revokeSession(deps.store, previous, now); // rotation: never reuse a pre-login id
      const session = await createSession({ session: deps.store, tenantId, userId: candidate.userId, now });
      reply.setCookie(SESSION_COOKIE, session.id, {
        ...cookieOptions,
        httpOnly: true,
        expires: session.expiresAt,
      });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, {
        ...cookieOptions,
        httpOnly: false,
        expires: session.expiresAt,
      });
      const user = (await findUserByEmail(deps.store, tenantId, request.body.email))!;
      deps.log.info({ event: 'login', tenantId, userId: user.userId, ip: request.ip }, 'signed in');
      return {
        userId: user.userId,
        tenantId,
        name: user.name,
        email: user.email,
        role: user.role,
        via: 'session' as const,
        scopes: [...SCOPES],
        csrfToken: session.csrfToken,
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: 'End the session (effective on the next request)',
        response: { 204: z.null(), ...problemResponses(401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const sessionId = request.cookies[SESSION_COOKIE];
      if (principal.via === 'session' && sessionId) await revokeSession(deps.store, sessionId, deps.now());
      reply.clearCookie(SESSION_COOKIE, cookieOptions).clearCookie(CSRF_COOKIE, cookieOptions);
      deps.log.info(
        { event: 'logout', tenantId: principal.tenantId, userId: principal.userId },
        'signed out',
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'The signed-in user, and the CSRF token of the session',
        response: { 200: MeSchema, ...problemResponses(401) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      return {
        userId: principal.userId,
        tenantId: principal.tenantId,
        name: principal.name,
        email: principal.email,
        role: principal.role,
        via: principal.via,
        scopes: [...principal.scopes],
        csrfToken: principal.csrfToken,
      };
    },
  );

  app.get(
    '/auth/tokens',
    {
      schema: {
        operationId: 'listTokens',
        tags: ['auth'],
        summary: 'Your API tokens (an admin may ask for everyone’s with all=true)',
        querystring: z.object({ all: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ items: z.array(TokenSchema) }), ...problemResponses(401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const everyone = request.query.all === 'true';
      if (everyone && principal.role !== 'admin')
        throw new ApiError('forbidden', 'only an admin may list every token');
      return {
        items: await listApiTokens(deps.store, principal.tenantId, everyone ? null : principal.userId),
      };
    },
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        operationId: 'createToken',
        tags: ['auth'],
        summary: 'Create a personal API token; the token is shown in this response only',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.enum(SCOPES)).min(1).default(['read']),
        }),
        response: {
          201: TokenSchema.extend({ token: z.string().describe('shown once; store it now') }),
          ...problemResponses(400, 401, 403),
        },
      },
      config: { access: allow(ALL_ROLES, 'write') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const beyond = request.body.scopes.filter((scope) => !principal.scopes.includes(scope));
      if (beyond.length > 0) {
        throw new ApiError(
          'insufficient_scope',
          `a token cannot grant scopes it lacks: ${beyond.join(', ')}`,
        );
      }
      const { token, info } = await createApiToken({
        session: deps.store,
        tenantId: principal.tenantId,
        userId: principal.userId,
        name: request.body.name,
        scopes: request.body.scopes,
        now: deps.now(),
      });
      deps.log.info(
        { event: 'token_created', tenantId: principal.tenantId, userId: principal.userId, tokenId: info.id },
        'API token created',
      );
      return reply.status(201).send({ ...info, token });
    },
  );

  app.delete(
    '/auth/tokens/:tokenId',
    {
      schema: {
        operationId: 'revokeToken',
        tags: ['auth'],
        summary: 'Revoke an API token (yours; an admin may revoke anyone’s)',
        params: z.object({ tokenId: z.string() }),
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'write', { record: { kind: 'token', param: 'tokenId' } }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = Number(request.params.tokenId);
      const token = await findApiToken(deps.store, principal.tenantId, id);
      if (!token) throw new ApiError('not_found');
      if (token.userId !== principal.userId && principal.role !== 'admin') {
        throw new ApiError('forbidden', 'only its owner or an admin may revoke a token');
      }
      await revokeApiToken(deps.store, principal.tenantId, id, deps.now());
      deps.log.info(
        { event: 'token_revoked', tenantId: principal.tenantId, userId: principal.userId, tokenId: id },
        'API token revoked',
      );
      return reply.status(204).send(null);
    },
  );
}
