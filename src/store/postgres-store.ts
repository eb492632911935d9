import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from './schema.ts';
import { copyStatement, MIGRATIONS_FOLDER, type SqlSession, type Store } from './store.ts';
import { StoreError } from './store-error.ts';

const INT8_OID = 20;
const DATE_OID = 1082;
// Minor units and counts fit in a double exactly below 2^53; dates stay calendar strings.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
pg.types.setTypeParser(DATE_OID, (value) => value);

/** Any number of processes may migrate at once: the first takes this lock, the rest wait and find nothing to do. */
const MIGRATION_LOCK_KEY = 7_320_551_001;

type Client = pg.Pool | pg.PoolClient;

function session(client: Client, poolClient: pg.PoolClient | null): SqlSession {
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as Row[];
    },
    async execute(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rowCount ?? 0;
    },
    async copyCsv(table, columns, csv) {
      const target = poolClient ?? (await (client as pg.Pool).connect());
      try {
        await new Promise<void>((resolve, reject) => {
          const stream = target.query(copyFrom(copyStatement(table, columns, 'STDIN')));
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.end(csv);
        });
      } finally {
        if (poolClient === null) target.release();
      }
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export async function openPostgresStore({
  url,
  poolSize = 10,
}: {
  url: string;
  poolSize?: number;
}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // Idle clients that die are replaced on the next checkout; the query that needs one reports it.
  });
  let lockClient: pg.PoolClient;
  try {
    lockClient = await pool.connect();
  } catch (error) {
    await pool.end();
    throw new StoreError(
      'store_unavailable',
      `cannot reach PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`,
    );
  }
  const db = drizzle({ client: pool, schema });
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    lockClient.release();
    await pool.end();
    throw new StoreError(
      'migration_failed',
      `migrating ${redactUrl(url)} failed: ${(error as Error).message}`,
    );
  }
  await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  lockClient.release();
  let closed = false;
  return {
    kind: 'postgres',
    location: redactUrl(url),
    db,
    ...session(pool, null),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(session(client, client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
