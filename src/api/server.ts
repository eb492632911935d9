/**
 * Runs the API on a store: makes sure the workspace has an admin who can sign in (printing a
 * generated password once), builds the app and listens. `close()` stops taking requests, lets the
 * ones in flight finish, and leaves the store open for the caller to close.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureFirstAdmin } from '../auth/user-accounts.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import { buildApp } from './build-app.ts';
import type { ApiApp, ApiLimits, RouteModule } from './types.ts';

/** The web workspace built by `npm run build:web`; served at `/` when present. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

export type RunningServer = { app: ApiApp; url: string; close: () => Promise<void> };

export async function startServer({
  store,
  config,
  log,
  out,
  port = config.port,
  host = config.host,
  routes = [],
  limits = {},
  webRoot = DEFAULT_WEB_ROOT,
}: {
  store: Store;
  config: Config;
  log: Logger;
  /** Where the one-time admin password is printed (the operator's terminal). */
  out: (text: string) => void;
  port?: number;
  host?: string;
  routes?: readonly RouteModule[];
  limits?: Partial<ApiLimits>;
  /** Where the built web workspace is; null serves the API alone. */
  webRoot?: string | null;
}): Promise<RunningServer> {
  const fallbackEmail = `admin@${new URL(config.publicUrl).hostname || 'localhost'}`;
  const created = await ensureFirstAdmin({
    store,
    tenantId: config.tenant,
    admin: config.admin,
    fallbackEmail,
  });
  if (created) {
    log.info({ event: 'first_admin', tenantId: config.tenant }, 'first admin created');
    out(`First admin: ${created.email}`);
    if (created.generatedPassword) {
      out(`Password (shown once — sign in and keep it safe): ${created.generatedPassword}`);
    }
  }
  const web = webRoot && existsSync(`${webRoot}/index.html`) ? webRoot : null;
  if (webRoot && !web)
    log.warn({ webRoot }, 'web workspace not built (npm run build:web); serving the API only');
  const app = await buildApp({ store, config, log, routes, limits, webRoot: web });
  const address = await app.listen({ port, host });
  let closing: Promise<void> | null = null;
  return {
    app,
    url: address,
    close() {
      closing ??= app.close();
      return closing;
    },
  };
}
