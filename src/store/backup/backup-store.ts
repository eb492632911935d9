/**
 * `perennial backup FILE`: a transaction-consistent snapshot of every application table, as gzip'd
 * JSON lines (see backup-format.ts). One REPEATABLE READ, READ ONLY transaction reads all tables, so
 * the file shows the store as of one instant even while the API and workers keep writing (on
 * PostgreSQL they are not blocked; PGlite serves one connection and simply queues them). Rows are read
 * through a cursor in pages, so memory stays flat whatever the table size. The file is written beside
 * its target and renamed into place only when complete.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { createGzip } from 'node:zlib';
import { quoteIdent, type Store } from '../store.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupSummary,
  type ControlLine,
} from './backup-format.ts';
import { listTables, readSchemaVersion } from './list-tables.ts';

const PAGE_ROWS = 2_000;

export async function backupStore({
  store,
  file,
  now = () => new Date(),
}: {
  store: Store;
  file: string;
  now?: () => Date;
}): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const output = createWriteStream(partial);
  gzip.pipe(output);
  const write = async (text: string) => {
    if (!gzip.write(`${text}\n`)) await once(gzip, 'drain');
  };
  const control = (line: ControlLine) => write(JSON.stringify(line));
  try {
    const tables = await store.transaction(async (tx) => {
      await tx.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const schema = await readSchemaVersion(tx);
      const list = await listTables(tx);
      await control({
        '@': 'backup',
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        schema,
        store: store.kind,
        createdAt: now().toISOString(),
      });
      const counts: Record<string, number> = {};
      for (const table of list) {
        await control({ '@': 'table', table: table.name, columns: table.columns });
        const cursor = `backup_${table.name}`;
        await tx.execute(
          `DECLARE ${quoteIdent(cursor)} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS line FROM ${quoteIdent(table.name)} t`,
        );
        let rows = 0;
        while (true) {
          const page = await tx.query<{ line: string }>(`FETCH ${PAGE_ROWS} FROM ${quoteIdent(cursor)}`);
          for (const { line } of page) await write(line);
          rows += page.length;
          if (page.length < PAGE_ROWS) break;
        }
        await tx.execute(`CLOSE ${quoteIdent(cursor)}`);
        counts[table.name] = rows;
        await control({ '@': 'end', table: table.name, rows });
      }
      await control({ '@': 'complete', tables: counts });
      return counts;
    });
    gzip.end();
    await once(output, 'finish');
    await rename(partial, file);
    const bytes = (await stat(file)).size;
    return { file, tables, rows: Object.values(tables).reduce((sum, n) => sum + n, 0), bytes };
  } catch (error) {
    gzip.destroy();
    output.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
