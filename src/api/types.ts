/** What route modules receive: the typed Fastify instance and the app's dependencies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../auth/roles.ts';
import type { Config } from '../config/config.ts';
import type { RecordScope } from '../engine/queries/record-scope.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import type { AccessRule } from './access-rule.ts';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type ApiLimits = {
  /** Requests per minute per API token, session or IP. */
  perMinute: number;
  /** Sign-in attempts per minute per IP (the lockout counts failures on top of this). */
  loginPerMinute: number;
  /** Default body cap in bytes; imports have their own. */
  bodyBytes: number;
  importBodyBytes: number;
};

export type ApiDeps = {
  store: Store;
  config: Config;
  log: Logger;
  now: () => Date;
  limits: ApiLimits;
};

/** A resource file's `register…Routes(app, deps)`; the app mounts each under `/api/v1`. */
export type RouteModule = (app: ApiApp, deps: ApiDeps) => void;

export type RouteEntry = { method: string; url: string; access: AccessRule | undefined };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route under /api/v1 must declare one (deny by default). */
    access?: AccessRule;
  }
  interface FastifyRequest {
    principal: Principal | null;
    recordScope: RecordScope | null;
  }
  interface FastifyInstance {
    /** Every route registered, with its access rule (for the deny-by-default test and docs). */
    apiRoutes: RouteEntry[];
  }
}
