/**
 * The gate in front of every /api/v1 route, in this order:
 * 1. the route's rule (none → 403: deny by default);
 * 2. who is calling: `Authorization: Bearer prn_…` or the session cookie (none → 401);
 * 3. CSRF: a cookie-authenticated unsafe request must echo the session's token in `X-CSRF-Token`;
 * 4. token scope;
 * 5. the record the route is about, looked up in the caller's tenant only (absent → 404, so another
 *    tenant's records are indistinguishable from missing ones, whatever the caller's role);
 * 6. role; 7. record ownership for editor-only routes.
 * Every denial is logged (no secrets) before the problem document goes out.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findTokenPrincipal } from '../auth/api-tokens.ts';
import { mayEdit, type Principal } from '../auth/roles.ts';
import { findSessionPrincipal } from '../auth/sessions.ts';
import { findRecordScope } from '../engine/queries/record-scope.ts';
import { ApiError, type ProblemCode } from './problem.ts';
import type { ApiDeps } from './types.ts';

export const SESSION_COOKIE = 'perennial_session';
export const CSRF_COOKIE = 'perennial_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function identify(request: FastifyRequest, deps: ApiDeps): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    return findTokenPrincipal(deps.store, match[1]!, deps.now());
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId) return findSessionPrincipal(deps.store, sessionId, deps.now());
  return null;
}

function deny(
  request: FastifyRequest,
  deps: ApiDeps,
  code: ProblemCode,
  detail: string,
  principal: Principal | null,
): never {
  deps.log.warn(
    {
      event: 'access_denied',
      code,
      method: request.method,
      route: request.routeOptions.url,
      tenantId: principal?.tenantId,
      userId: principal?.userId,
      via: principal?.via,
      ip: request.ip,
    },
    'request denied',
  );
  throw new ApiError(code, detail);
}

export function createAuthorizeHook(deps: ApiDeps) {
  return async function authorize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.principal = null;
    request.recordScope = null;
    const rule = request.routeOptions.config.access;
    if (!rule) return deny(request, deps, 'forbidden', 'this route declares no access rule', null);
    if (rule.public) return;

    const principal = await identify(request, deps);
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer realm="perennial"');
      return deny(request, deps, 'unauthenticated', 'sign in, or send an API token as a Bearer token', null);
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== principal.csrfToken) {
        return deny(
          request,
          deps,
          'csrf_failed',
          `send the session's CSRF token in the ${CSRF_HEADER} header`,
          principal,
        );
      }
    }
    if (!principal.scopes.includes(rule.scope)) {
      return deny(
        request,
        deps,
        'insufficient_scope',
        `this needs a token with the ${rule.scope} scope`,
        principal,
      );
    }
    if (rule.record) {
      const id = (request.params as Record<string, string | undefined>)[rule.record.param] ?? '';
      const scope = await findRecordScope(deps.store, principal.tenantId, rule.record.kind, id);
      if (!scope) return deny(request, deps, 'not_found', `no ${rule.record.kind} ${id}`, principal);
      request.recordScope = scope;
    }
    if (!rule.roles.includes(principal.role)) {
      return deny(request, deps, 'forbidden', `the ${principal.role} role may not do this`, principal);
    }
    if (rule.editorsOnly && (!request.recordScope || !mayEdit(principal, request.recordScope))) {
      return deny(
        request,
        deps,
        'not_owner',
        'only its owners, their managers or an admin may change this record',
        principal,
      );
    }
    request.principal = principal;
  };
}

/** The caller of an authenticated route (the gate has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('unauthenticated');
  return request.principal;
}
