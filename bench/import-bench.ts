/**
 * Import throughput, beside the store's own `COPY` of the same files on the same store in the same
 * run: the demo portfolio's canonical files (`benchDemoImport`), and a synthetic usage.csv of N rows
 * (`benchImport`, `--usage-rows`).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addDays } from '../src/domain/calendar.ts';
import type { CanonicalFile } from '../src/import/canonical-files.ts';
import { importFiles, resolveInputFiles } from '../src/import/import-files.ts';
import { ProblemLog } from '../src/import/problems.ts';
import { openCanonicalFile } from '../src/import/read-canonical-file.ts';
import { quoteIdent, type Store } from '../src/store/store.ts';
import { freshStore, measure, round } from './support.ts';

export type ImportBenchResult = {
  store: 'pglite' | 'postgres';
  usageRows: number;
  importSeconds: number;
  importRowsPerSecond: number;
  importPeakRssMb: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  ratioToCopy: number;
};

async function writeUsageFiles(dir: string, rows: number): Promise<void> {
  const accounts = Math.max(1, Math.ceil(rows / 52));
  const accountFile = createWriteStream(path.join(dir, 'accounts.csv'));
  accountFile.write('account_id,name,currency\n');
  for (let index = 0; index < accounts; index += 1) {
    if (!accountFile.write(`A-${String(index).padStart(7, '0')},Account ${index},USD\n`))
      await once(accountFile, 'drain');
  }
  accountFile.end();
  await once(accountFile, 'finish');
  const usageFile = createWriteStream(path.join(dir, 'usage.csv'));
  usageFile.write('account_id,date,active_users,licensed_seats,core_feature_adoption_pct\n');
  for (let index = 0; index < rows; index += 1) {
    const account = index % accounts;
    const week = Math.floor(index / accounts);
    const line = `A-${String(account).padStart(7, '0')},${addDays('2025-11-24', week * 7)},${(index * 7) % 300},300,${(index % 1000) / 10}\n`;
    if (!usageFile.write(line)) await once(usageFile, 'drain');
  }
  usageFile.end();
  await once(usageFile, 'finish');
}

export async function benchImport({
  kind,
  usageRows,
  databaseUrl,
}: {
  kind: 'pglite' | 'postgres';
  usageRows: number;
  databaseUrl: string;
}): Promise<ImportBenchResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-bench-csv-'));
  try {
    await writeUsageFiles(dir, usageRows);
    const { store, close } = await freshStore(kind, databaseUrl);
    try {
      // Accounts first, so the timed import is the usage file alone.
      await importFiles({ store, tenantId: 'bench', inputs: [path.join(dir, 'accounts.csv')] });
      const imported = await measure(() =>
        importFiles({ store, tenantId: 'bench', inputs: [path.join(dir, 'usage.csv')] }),
      );
      await store.execute(
        'CREATE TABLE copy_baseline (account_id text, date date, active_users integer, licensed_seats integer, core_feature_adoption_pct double precision, PRIMARY KEY (account_id, date))',
      );
      const text = await readFile(path.join(dir, 'usage.csv'), 'utf8');
      const body = text.slice(text.indexOf('\n') + 1);
      const copied = await measure(() =>
        store.copyCsv(
          'copy_baseline',
          ['account_id', 'date', 'active_users', 'licensed_seats', 'core_feature_adoption_pct'],
          body,
        ),
      );
      return {
        store: kind,
        usageRows,
        importSeconds: round(imported.seconds),
        importRowsPerSecond: Math.round(usageRows / imported.seconds),
        importPeakRssMb: imported.peakRssMb,
        copySeconds: round(copied.seconds),
        copyRowsPerSecond: Math.round(usageRows / copied.seconds),
        ratioToCopy: round(copied.seconds / imported.seconds, 3),
      };
    } finally {
      await close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type DemoImportResult = {
  store: 'pglite' | 'postgres';
  files: number;
  rows: number;
  bytes: number;
  /** Splitting + zod validation of every file, no database: the client-side share of the import. */
  parseSeconds: number;
  importSeconds: number;
  importRowsPerSecond: number;
  importPeakRssMb: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  /** COPY time ÷ import time: 1 would be as fast as the store's own bulk load. */
  ratioToCopy: number;
};

/** Parses and validates every canonical file of a directory without a database. */
export async function parseOnly(dir: string): Promise<number> {
  const problems = new ProblemLog();
  const files = await resolveInputFiles([dir], problems);
  let rows = 0;
  for (const [spec, filePath] of files) {
    const opened = await openCanonicalFile({
      path: filePath,
      spec: spec as CanonicalFile<unknown>,
      problems,
    });
    if (!opened) continue;
    for await (const batch of opened.batches) rows += batch.length;
  }
  if (problems.hasErrors) throw new Error(`bench files are not valid: ${problems.errorCount} problems`);
  return rows;
}

/**
 * The store's own COPY of the same files: one table per file with the file's columns, typed like the
 * real table's column of the same name (text otherwise), keyed like the real table where the key's
 * columns are in the file — the least any loader of these rows must do.
 */
async function copyBaseline(store: Store, dir: string): Promise<number> {
  let rows = 0;
  const problems = new ProblemLog();
  for (const [spec, filePath] of await resolveInputFiles([dir], problems)) {
    const text = await readFile(filePath, 'utf8');
    const newline = text.indexOf('\n');
    const header = text.slice(0, newline).trim().split(',');
    const types = new Map(
      (
        await store.query<{ name: string; type: string }>(
          `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
          [spec.table],
        )
      )
        // Lists (renewals' reasons) arrive as text in the file: only scalar types are comparable.
        .filter(({ type }) => !type.endsWith('[]'))
        .map(({ name, type }) => [name, type]),
    );
    const table = `copy_${spec.table}`;
    const key = spec.key.every((column) => header.includes(column))
      ? `, PRIMARY KEY (${spec.key.map(quoteIdent).join(', ')})`
      : '';
    await store.execute(
      `CREATE TABLE ${table} (${header.map((name) => `${quoteIdent(name)} ${types.get(name) ?? 'text'}`).join(', ')}${key})`,
    );
    // The same 20K-row batches as the importer, so neither side gets one giant statement.
    const body = text.slice(newline + 1).split('\n');
    if (body.at(-1) === '') body.pop();
    for (let start = 0; start < body.length; start += 20_000) {
      await store.copyCsv(table, header, `${body.slice(start, start + 20_000).join('\n')}\n`);
    }
    rows += body.length;
  }
  return rows;
}

/** Imports a directory of demo files into `store` (tenant `bench` by default), beside the same files COPYed. */
export async function benchDemoImport({
  kind,
  store,
  dir,
  parseSeconds,
  tenantId = 'bench',
}: {
  kind: 'pglite' | 'postgres';
  store: Store;
  dir: string;
  parseSeconds: number;
  tenantId?: string;
}): Promise<DemoImportResult> {
  const imported = await measure(() => importFiles({ store, tenantId, inputs: [dir] }));
  const copied = await measure(() => copyBaseline(store, dir));
  const rows = imported.value.rows;
  let bytes = 0;
  for (const file of imported.value.files) bytes += (await stat(path.join(dir, file.file))).size;
  for (const file of imported.value.files)
    await store.execute(`DROP TABLE IF EXISTS ${quoteIdent(`copy_${file.file.replace('.csv', '')}`)}`);
  return {
    store: kind,
    files: imported.value.files.length,
    rows,
    bytes,
    parseSeconds: round(parseSeconds),
    importSeconds: round(imported.seconds),
    importRowsPerSecond: Math.round(rows / imported.seconds),
    importPeakRssMb: imported.peakRssMb,
    copySeconds: round(copied.seconds),
    copyRowsPerSecond: Math.round(copied.value / copied.seconds),
    ratioToCopy: round(copied.seconds / imported.seconds, 3),
  };
}
