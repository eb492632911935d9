/**
 * A real store for one test file: PostgreSQL when DATABASE_URL is set (a fresh database per call,
 * dropped afterwards), otherwise in-memory PGlite. Never a mock.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';

export const testDatabaseUrl = process.env.DATABASE_URL || undefined;

export async function createTestDatabase(
  baseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `perennial_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export type TestStore = { store: Store; close: () => Promise<void> };

export async function openTestStore(): Promise<TestStore> {
  if (testDatabaseUrl) {
    const database = await createTestDatabase(testDatabaseUrl);
    const store = await openPostgresStore({ url: database.url, poolSize: 4 });
    return {
      store,
      async close() {
        await store.close();
        await database.drop();
      },
    };
  }
  const store = await openPgliteStore({ dataDir: null });
  return { store, close: () => store.close() };
}

/** Every tenant row of every table, for "nothing changed" assertions. */
export async function dumpTenant(store: Store, tenantId: string): Promise<Record<string, unknown[]>> {
  const tables = [
    'users',
    'accounts',
    'contracts',
    'usage',
    'tickets',
    'surveys',
    'stakeholders',
    'signals',
    'renewals',
    'health_snapshots',
    'tasks',
    'alerts',
    'outbox',
    'daily_runs',
    'policies',
    'import_runs',
    'forecast_snapshots',
    'proposals',
    'documents',
    'signatures',
    'audit_log',
    'api_tokens',
    'webhooks',
    'email_opt_outs',
    'delivery_attempts',
    'renewal_models',
    'signature_events',
  ];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    dump[table] = await store.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY 1, 2, 3`, [
      tenantId,
    ]);
  }
  return dump;
}
