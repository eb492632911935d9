/**
 * `perennial restore FILE`: loads a backup into a store, in one transaction — a restore is all or
 * nothing, like an import. The target must be at the backup's schema version and empty (every
 * application table without rows) unless `force`, which first empties it. A truncated or corrupted
 * file is refused and leaves the store as it was. Sequences (bigserial ids) are moved past the
 * restored rows, so new rows never collide with restored ones.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { quoteIdent, type SqlSession, type Store } from '../store.ts';
import { BackupError } from './backup-error.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupHeader,
  CONTROL_PREFIX,
  type ControlLine,
} from './backup-format.ts';
import { listTables, readSchemaVersion, type TableInfo } from './list-tables.ts';

const BATCH_ROWS = 1_000;
const BATCH_CHARS = 4_000_000;

export type RestoreSummary = {
  file: string;
  tables: Record<string, number>;
  rows: number;
  replaced: boolean;
};

async function* readLines(file: string): AsyncGenerator<{ text: string; number: number }> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    gunzip.destroy();
  };
  source.on('error', fail);
  gunzip.on('error', fail);
  const lines = createInterface({ input: source.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const text of lines) {
      number += 1;
      yield { text, number };
    }
  } catch (error) {
    failure ??= error as Error;
  } finally {
    lines.close();
    source.destroy();
  }
  if (failure) {
    const reason =
      (failure as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a gzip file or damaged';
    throw new BackupError('backup_invalid', `${file}: ${reason} (${(failure as Error).message})`);
  }
}

function parseControl(file: string, number: number, text: string): ControlLine {
  try {
    return JSON.parse(text) as ControlLine;
  } catch {
    throw new BackupError('backup_invalid', `${file}:${number}: not a backup line`);
  }
}

async function isEmpty(tx: SqlSession, tables: readonly TableInfo[]): Promise<string[]> {
  const nonEmpty: string[] = [];
  for (const table of tables) {
    const [row] = await tx.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table.name)}) AS any`,
    );
    if (row?.any) nonEmpty.push(table.name);
  }
  return nonEmpty;
}

function checkHeader(file: string, header: ControlLine | null, target: BackupHeader['schema']) {
  if (header === null || header['@'] !== 'backup' || header.format !== BACKUP_FORMAT) {
    throw new BackupError('backup_invalid', `${file}: not a Perennial backup`);
  }
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'backup_invalid',
      `${file}: backup format ${header.formatVersion}; this version reads format ${BACKUP_FORMAT_VERSION}`,
    );
  }
  if (header.schema.migrations !== target.migrations) {
    throw new BackupError(
      'schema_mismatch',
      `${file} was taken at schema version ${header.schema.migrations} (migrations applied); this store is at ` +
        `${target.migrations}. Restore with the Perennial version that wrote the backup, then upgrade.`,
    );
  }
}

export async function restoreStore({
  store,
  file,
  force = false,
}: {
  store: Store;
  file: string;
  /** Replace the contents of a store that is not empty. */
  force?: boolean;
}): Promise<RestoreSummary> {
  return store.transaction(async (tx) => {
    const targetSchema = await readSchemaVersion(tx);
    const tables = await listTables(tx);
    const byName = new Map(tables.map((table) => [table.name, table]));
    const nonEmpty = await isEmpty(tx, tables);
    if (nonEmpty.length > 0 && !force) {
      throw new BackupError(
        'store_not_empty',
        `the store ${store.location} is not empty (${nonEmpty.join(', ')}); restore into an empty store, or pass --force to replace everything in it`,
      );
    }

    let header: ControlLine | null = null;
    let current: { table: TableInfo; rows: number } | null = null;
    let batch: string[] = [];
    let batchChars = 0;
    let complete: Record<string, number> | null = null;
    const counts: Record<string, number> = {};
    let replaced = false;

    const flush = async (firstLine: number) => {
      if (!current || batch.length === 0) return;
      const name = quoteIdent(current.table.name);
      const columns = current.table.columns.map(quoteIdent).join(', ');
      try {
        await tx.execute(
          `INSERT INTO ${name} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${name}, $1::json)`,
          [`[${batch.join(',')}]`],
        );
      } catch (error) {
        throw new BackupError(
          'backup_invalid',
          `${file}: rows of ${current.table.name} from line ${firstLine} do not load: ${(error as Error).message}`,
        );
      }
      current.rows += batch.length;
      batch = [];
      batchChars = 0;
    };

    let batchStart = 0;
    for await (const { text, number } of readLines(file)) {
      if (complete !== null) {
        if (text.trim() === '') continue;
        throw new BackupError('backup_invalid', `${file}:${number}: data after the end of the backup`);
      }
      if (header === null) {
        header = parseControl(file, number, text);
        checkHeader(file, header, targetSchema);
        if (nonEmpty.length > 0) {
          await tx.execute(
            `TRUNCATE ${tables.map((table) => quoteIdent(table.name)).join(', ')} RESTART IDENTITY CASCADE`,
          );
          replaced = true;
        }
        continue;
      }
      if (!text.startsWith(CONTROL_PREFIX)) {
        if (!current) throw new BackupError('backup_invalid', `${file}:${number}: a row outside any table`);
        if (batch.length === 0) batchStart = number;
        batch.push(text);
        batchChars += text.length;
        if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush(batchStart);
        continue;
      }
      const line = parseControl(file, number, text);
      if (line['@'] === 'table') {
        if (current)
          throw new BackupError('backup_invalid', `${file}:${number}: table ${line.table} inside another`);
        const table = byName.get(line.table);
        if (!table) {
          throw new BackupError(
            'schema_mismatch',
            `${file}:${number}: table ${line.table} does not exist in this store`,
          );
        }
        if (line.columns.join(',') !== table.columns.join(',')) {
          throw new BackupError(
            'schema_mismatch',
            `${file}:${number}: the columns of ${line.table} differ from this store's (${line.columns.join(', ')})`,
          );
        }
        current = { table, rows: 0 };
      } else if (line['@'] === 'end') {
        await flush(batchStart);
        if (!current || current.table.name !== line.table || current.rows !== line.rows) {
          throw new BackupError(
            'backup_invalid',
            `${file}:${number}: table ${line.table} should have ${line.rows} rows, found ${current?.rows ?? 0}`,
          );
        }
        counts[line.table] = current.rows;
        current = null;
      } else if (line['@'] === 'complete') {
        if (current)
          throw new BackupError(
            'backup_invalid',
            `${file}:${number}: table ${current.table.name} not closed`,
          );
        complete = line.tables;
      } else {
        throw new BackupError('backup_invalid', `${file}:${number}: unexpected line`);
      }
    }
    if (header === null) throw new BackupError('backup_invalid', `${file}: empty file, not a backup`);
    if (complete === null) {
      throw new BackupError(
        'backup_incomplete',
        `${file}: the backup is truncated (no closing line); nothing was restored`,
      );
    }
    for (const [table, rows] of Object.entries(complete)) {
      if (counts[table] !== rows) {
        throw new BackupError(
          'backup_invalid',
          `${file}: table ${table} should have ${rows} rows, found ${counts[table] ?? 0}`,
        );
      }
    }
    for (const table of tables) {
      for (const column of table.serialColumns) {
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(coalesce(max(${quoteIdent(column)}), 0), 1),
                         max(${quoteIdent(column)}) IS NOT NULL) FROM ${quoteIdent(table.name)}`,
          [table.name, column],
        );
      }
    }
    return {
      file,
      tables: counts,
      rows: Object.values(counts).reduce((sum, n) => sum + n, 0),
      replaced,
    };
  });
}
