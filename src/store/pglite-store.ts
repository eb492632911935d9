import { PGlite, types } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { acquireDataDirLock } from './data-dir-lock.ts';
import * as schema from './schema.ts';
import { copyStatement, MIGRATIONS_FOLDER, type SqlSession, type Store } from './store.ts';

type Queryable = Pick<PGlite, 'query'>;

function session(client: Queryable): SqlSession {
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query<Row>(text, params)).rows;
    },
    async execute(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).affectedRows ?? 0;
    },
    async copyCsv(table, columns, csv) {
      await client.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([csv]) });
    },
  };
}

/** Opens PGlite in `dataDir` (or in memory when `dataDir` is null), locked and migrated. */
export async function openPgliteStore({ dataDir }: { dataDir: string | null }): Promise<Store> {
  const lock = dataDir === null ? null : acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create(dataDir ?? undefined, {
      parsers: { [types.DATE]: (value: string) => value },
    });
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    let closed = false;
    return {
      kind: 'pglite',
      location: dataDir ?? 'memory',
      db,
      ...session(client),
      transaction: (work) => client.transaction((tx) => work(session(tx))),
      async close() {
        if (closed) return;
        closed = true;
        await client.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
