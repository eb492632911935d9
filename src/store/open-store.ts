import type { Config } from '../config/config.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

/** Opens the configured store: PostgreSQL when `DATABASE_URL` is set, otherwise embedded PGlite. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore({ url: config.databaseUrl });
  return openPgliteStore({ dataDir: config.dataDir });
}
