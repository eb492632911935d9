/**
 * `perennial export`: writes the store back as canonical CSV files, so `import → export → import` is a
 * lossless round trip. Tables are read in keyset-paginated pages (memory flat in table size) and
 * streamed through csv-stringify. Text cells that a spreadsheet would run as a formula (starting with
 * `= + - @` or a tab) are prefixed with `'`; the importer strips that prefix again.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import { formatMinor } from '../domain/money.ts';
import { type AnyCanonicalFile, CANONICAL_FILES, type CanonicalFile } from '../import/canonical-files.ts';
import { quoteIdent, type Store } from '../store/store.ts';

const PAGE_ROWS = 10_000;
const FORMULA_START = /^[=+\-@\t]/;

export type ExportSummary = { files: { file: string; rows: number }[]; outputDir: string };

type DbRow = Record<string, unknown>;

function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return neutralize(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return neutralize(value.join(';'));
  return String(value);
}

function csvValue(spec: CanonicalFile<unknown>, column: string, row: DbRow): string {
  if (column === 'arr') return formatMinor(row.arr_minor as number, row.currency as string);
  if (column === 'renewed_arr') {
    return row.renewed_arr_minor === null
      ? ''
      : formatMinor(row.renewed_arr_minor as number, row.currency as string);
  }
  const mapped = spec.dbColumns.find((mapping) => mapping.csv === column);
  return cell(row[mapped?.db ?? column]);
}

async function* pages(store: Store, tenantId: string, spec: CanonicalFile<unknown>): AsyncGenerator<DbRow[]> {
  const keys = spec.key.map((key) => `t.${quoteIdent(key)}`);
  const select =
    spec.table === 'renewals'
      ? 'SELECT t.*, c.currency FROM renewals t JOIN contracts c ON c.tenant_id = t.tenant_id AND c.contract_id = t.contract_id'
      : `SELECT t.* FROM ${quoteIdent(spec.table)} t`;
  let after: unknown[] | null = null;
  while (true) {
    const params: unknown[] = [tenantId];
    let where = 't.tenant_id = $1';
    if (after) {
      where += ` AND (${keys.join(', ')}) > (${after.map((_, index) => `$${index + 2}`).join(', ')})`;
      params.push(...after);
    }
    const rows: DbRow[] = await store.query<DbRow>(
      `${select} WHERE ${where} ORDER BY ${keys.join(', ')} LIMIT ${PAGE_ROWS}`,
      params,
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE_ROWS) return;
    const last: DbRow = rows[rows.length - 1]!;
    after = spec.key.map((key) => last[key]);
  }
}

async function exportFile(
  store: Store,
  tenantId: string,
  spec: AnyCanonicalFile,
  outputDir: string,
): Promise<{ file: string; rows: number }> {
  const generic = spec as CanonicalFile<unknown>;
  const extraColumns =
    spec.table === 'accounts'
      ? (
          await store.query<{ key: string }>(
            'SELECT DISTINCT jsonb_object_keys(attributes) AS key FROM accounts WHERE tenant_id = $1 ORDER BY 1',
            [tenantId],
          )
        ).map(({ key }) => key)
      : [];
  const header = [...spec.columns.map((column) => column.name), ...extraColumns];
  const target = path.join(outputDir, spec.file);
  const partial = `${target}.partial`;
  const output = createWriteStream(partial);
  const csv = stringify({ header: true, columns: header, record_delimiter: 'unix' });
  csv.pipe(output);
  let rows = 0;
  for await (const page of pages(store, tenantId, generic)) {
    for (const row of page) {
      const attributes = (row.attributes ?? {}) as Record<string, string>;
      const record = [
        ...spec.columns.map((column) => csvValue(generic, column.name, row)),
        ...extraColumns.map((key) => cell(attributes[key] ?? null)),
      ];
      if (!csv.write(record)) await once(csv, 'drain');
      rows += 1;
    }
  }
  csv.end();
  await once(output, 'finish');
  await rename(partial, target);
  return { file: spec.file, rows };
}

export async function exportFiles({
  store,
  tenantId,
  outputDir,
}: {
  store: Store;
  tenantId: string;
  outputDir: string;
}): Promise<ExportSummary> {
  await mkdir(outputDir, { recursive: true });
  const files = [];
  for (const spec of CANONICAL_FILES) files.push(await exportFile(store, tenantId, spec, outputDir));
  return { files, outputDir };
}
