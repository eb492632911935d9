/**
 * The HTTP API: a Fastify instance (not listening) with every resource under `/api/v1`, the OpenAPI
 * 3.1 document generated from the routes' zod schemas (`/api/openapi.json`, browsable at `/api/docs`),
 * problem documents for every error, security headers, rate limits and body caps.
 *
 * Route files export `register…Routes(app, deps)`; `API_ROUTE_MODULES` lists them, and callers may
 * pass more (`routes`), so a module can add its endpoints without touching this file.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sha256Hex } from '../auth/secrets.ts';
import { AuthError } from '../auth/user-accounts.ts';
import type { Config } from '../config/config.ts';
import { PolicyError } from '../engine/policy-store.ts';
import { CursorError } from '../engine/queries/page.ts';
import { RecordError } from '../engine/queries/record-error.ts';
import { MappingError } from '../import/presets/mapping-spec.ts';
import { InputError } from '../import/problems.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import { StoreError } from '../store/store-error.ts';
import { publicRoute } from './access-rule.ts';
import { CSRF_HEADER, createAuthorizeHook, SESSION_COOKIE } from './authorize.ts';
import { ApiError, type ProblemCode, problemDocument } from './problem.ts';
import { API_ROUTE_MODULES } from './routes/index.ts';
import type { ApiApp, ApiDeps, ApiLimits, RouteEntry, RouteModule } from './types.ts';
import { loadWebShell } from './web-shell.ts';

export const API_PREFIX = '/api/v1';
export const DOCS_PREFIX = '/api/docs';

export const DEFAULT_LIMITS: ApiLimits = {
  perMinute: 600,
  loginPerMinute: 20,
  bodyBytes: 1024 * 1024,
  importBodyBytes: 64 * 1024 * 1024,
};

const RECORD_ERROR_CODES: Record<RecordError['code'], ProblemCode> = {
  not_found: 'not_found',
  version_conflict: 'version_conflict',
  invalid_value: 'invalid_value',
  unknown_user: 'unknown_user',
};

const AUTH_ERROR_CODES: Record<AuthError['code'], ProblemCode> = {
  user_exists: 'user_exists',
  user_not_found: 'not_found',
  password_too_short: 'invalid_value',
  unknown_manager: 'unknown_user',
  invalid_input: 'invalid_request',
};

function toApiError(error: unknown, log: Logger, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    return new ApiError('invalid_request', `the ${where} is not valid`, {
      errors: error.validation.map((issue) => ({
        in: where,
        path: issue.instancePath || '/',
        message: issue.message ?? 'invalid',
      })),
    });
  }
  if (error instanceof RecordError)
    return new ApiError(RECORD_ERROR_CODES[error.code], error.message, error.details);
  if (error instanceof AuthError) return new ApiError(AUTH_ERROR_CODES[error.code], error.message);
  if (error instanceof CursorError) return new ApiError('invalid_cursor', error.message);
  if (error instanceof PolicyError) {
    return new ApiError('policy_invalid', 'the policy has errors; nothing was stored', {
      errors: error.check?.errors ?? [{ path: '', message: error.message }],
      warnings: error.check?.warnings ?? [],
    });
  }
  if (error instanceof InputError) {
    return new ApiError('import_invalid', error.message, {
      errors: error.problems.errors,
      errorCount: error.problems.errorCount,
      warnings: error.problems.warnings,
    });
  }
  if (error instanceof MappingError) {
    return new ApiError('import_invalid', 'the mapping does not fit the files; nothing was written', {
      errors: error.message.split('\n'),
    });
  }
  if (error instanceof StoreError) {
    log.error({ err: { code: error.code, message: error.message } }, 'store unavailable');
    return new ApiError('unavailable');
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'the request body is over the size limit of this endpoint');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_request', 'the body is not valid JSON');
  }
  if (fastifyError.statusCode === 429) return new ApiError('rate_limited');
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new ApiError('invalid_request', fastifyError.message);
  }
  log.error(
    { err: error, method: request.method, route: request.routeOptions.url },
    'unexpected error in the API',
  );
  return new ApiError('internal', 'something went wrong on our side; it has been logged');
}

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
}

const nulRefused = () => new ApiError('invalid_request', 'text may not contain the NUL character (U+0000)');

/** Rate-limit key: the API token (hashed) when one is sent, otherwise the client address. */
function rateLimitKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+prn_/i.test(header))
    return `token:${sha256Hex(header).slice(0, 32)}`;
  return `ip:${request.ip}`;
}

export async function buildApp({
  store,
  config,
  log,
  now = () => new Date(),
  limits = {},
  routes = [],
  webRoot = null,
}: {
  store: Store;
  config: Config;
  log: Logger;
  now?: () => Date;
  limits?: Partial<ApiLimits>;
  /** More route modules (e.g. forecast, proposals), mounted under /api/v1 like the built-in ones. */
  routes?: readonly RouteModule[];
  /** The built web workspace (web/dist) to serve at `/`, with index.html for any non-API path. */
  webRoot?: string | null;
}): Promise<ApiApp> {
  const deps: ApiDeps = { store, config, log, now, limits: { ...DEFAULT_LIMITS, ...limits } };
  const { trustProxy } = config;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: deps.limits.bodyBytes,
    // Off unless configured: X-Forwarded-For is believed only from the proxies an operator names.
    // A hop count becomes the function Fastify would build from it (its types omit the number form).
    trustProxy:
      typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    return503OnClosing: true,
    // The router refuses some URLs before any route runs (bad %-encoding, a path parameter over the
    // length limit): answer those as problem documents too, not Fastify's own JSON.
    frameworkErrors: (error, _request, reply) => {
      const detail =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path parameter is longer than allowed'
          : 'the URL is not valid (check its %-encoding)';
      // The reply is typed for a route schema it does not have here.
      void (reply as unknown as FastifyReply)
        .status(400)
        .type('application/problem+json')
        .send(problemDocument('invalid_request', detail, undefined));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const catalog: RouteEntry[] = [];
  app.decorate('apiRoutes', catalog);
  app.decorateRequest('principal', null);
  app.decorateRequest('recordScope', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access;
    for (const method of methods) catalog.push({ method, url: route.url, access });
    if (route.url.startsWith(API_PREFIX) && !access) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, log, request);
    const instance = request.url.split('?')[0];
    void reply
      .status(apiError.statusCode)
      .type('application/problem+json')
      .send(problemDocument(apiError.code, apiError.message, instance, apiError.extras));
  });
  const webShell = webRoot ? loadWebShell(webRoot) : null;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (webRoot && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/')) {
      void reply
        .status(200)
        .header('Cache-Control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(webShell?.html(path));
      return;
    }
    void reply
      .status(404)
      .type('application/problem+json')
      .send(
        problemDocument('not_found', `no route ${request.method} ${request.url.split('?')[0]}`, undefined),
      );
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, { global: true });
  await app.register(fastifyRateLimit, {
    global: true,
    max: deps.limits.perMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new ApiError('rate_limited', `limit of ${context.max} requests reached; retry in ${context.after}`),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Perennial API',
        version: '1.0.0',
        description:
          'The renewal engine over HTTP. Errors are RFC 9457 problem documents with stable codes; see docs/API.md.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (`prn_…`)' },
          csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
        },
      },
      security: [{ bearer: [] }, { session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
  if (webRoot) {
    // Hashed assets are immutable; index.html is revalidated so a deploy is picked up at once.
    // preCompressed: the .br/.gz copies the web build writes (web/vite.config.ts, scripts/compress-web-assets.ts).
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      decorateReply: true,
      preCompressed: true,
      // `/` is answered by the not-found handler like every page: index.html with that page's preloads.
      index: false,
      setHeaders: (response, file) => {
        response.header(
          'Cache-Control',
          file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
  }

  app.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { access: publicRoute('the API description is public') } },
    async () => app.swagger(),
  );

  // PostgreSQL text cannot hold U+0000: refuse it in any parameter or body before a query sees it
  // (params and query before authorization, which looks records up; bodies once parsed).
  app.addHook('onRequest', async (request) => {
    if (containsNul(request.params) || containsNul(request.query)) throw nulRefused();
  });
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.body)) throw nulRefused();
  });

  const authorize = createAuthorizeHook(deps);
  await app.register(
    async (api) => {
      api.addHook('onRequest', authorize);
      for (const register of [...API_ROUTE_MODULES, ...routes]) register(api as ApiApp, deps);
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return app;
}
