/**
 * CSV fuzzing: canonical file sets mutated by fast-check — BOM, Latin-1 and UTF-16 bytes, CRLF, broken
 * quotes, huge cells, many rows, wrong types, duplicate ids, missing headers and columns, unknown
 * columns, truncated and deleted files, control characters — go through `importFiles` (into a real
 * store that already holds data) and `loadCsvPortfolio` (the dry-run loader). Each must either succeed
 * or throw an InputError whose every problem reads `file(:line)?: (column: )?reason` and names a real
 * file, line and column; after a failed import every row of the tenant is as it was (fingerprint of
 * every table). Nothing else may escape: no TypeError, no database error, no crash.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { loadCsvPortfolio } from '../../src/engine/load-csv-portfolio.ts';
import { CANONICAL_FILES } from '../../src/import/canonical-files.ts';
import { importFiles } from '../../src/import/import-files.ts';
import { formatProblem, InputError } from '../../src/import/problems.ts';
import { deleteTenant } from '../../src/store/backup/delete-tenant.ts';
import { BASE_FILES } from '../support/csv-fixture.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { FULL, report, size } from './support.ts';

const SETS = size(50, 5_000);
const MANY_ROWS = size(200, 20_000);
const BIG_FILE_ROWS = size(3_000, 100_000);
const RESET_AFTER = size(10, 25);
const TENANT = 'fuzz';
const FILE_NAMES = Object.keys(BASE_FILES);
const CANONICAL_NAMES = new Set(CANONICAL_FILES.map((spec) => spec.file));
const PROBLEM_LINE = /^[a-z_]+\.csv(:\d+)?: ([^\n:]*: )?[^\n]+$/;

type Table = string[][];
type Encoding = 'utf8' | 'utf8-bom' | 'latin1' | 'utf16le-bom';

type Structural =
  | { kind: 'wrongType'; file: string; row: number; col: number; value: string }
  | { kind: 'nonAscii'; file: string; row: number; col: number; value: string }
  | { kind: 'hugeCell'; file: string; row: number; col: number; length: number }
  | { kind: 'duplicateRow'; file: string; row: number }
  | { kind: 'dropColumn'; file: string; col: number }
  | { kind: 'dropHeader'; file: string }
  | { kind: 'unknownColumn'; file: string; name: string }
  | { kind: 'manyRows'; file: 'usage.csv' | 'tickets.csv'; n: number }
  | { kind: 'extraCell'; file: string; row: number }
  | { kind: 'deleteFile'; file: string }
  | { kind: 'emptyFile'; file: string }
  | { kind: 'onlyFile'; file: string };

type Textual =
  | { kind: 'crlf'; file: string }
  | { kind: 'breakQuote'; file: string; at: number }
  | { kind: 'truncate'; file: string; at: number }
  | { kind: 'insert'; file: string; at: number; text: string };

type FuzzSet = {
  structural: Structural[];
  textual: Textual[];
  encodings: { file: string; encoding: Encoding }[];
};

const file = fc.constantFrom(...FILE_NAMES);
const index = fc.nat({ max: 40 });
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'abc',
    '-1',
    '0',
    '1e9',
    '2026-02-30',
    '2027-02-29',
    '2024-02-29',
    '31/12/2026',
    'NaN',
    'Infinity',
    'true',
    'null',
    '9999999999999999999999',
    '12.345',
    '120000.001',
    '1,000.00',
    'usd',
    'XXX',
    'Mars/Olympus',
    '=HYPERLINK("x")',
    "'=1+1",
    '"',
    'A-1',
    'C-1',
    'U-1',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer().map(String),
  fc.double().map(String),
);

const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc.record({ kind: fc.constant('wrongType' as const), file, row: index, col: index, value: oddValue }),
  fc.record({
    kind: fc.constant('nonAscii' as const),
    file,
    row: index,
    col: index,
    value: fc.constantFrom('Zoë', 'Ærøskøbing', '東京', '🎉', 'naïve café'),
  }),
  fc.record({
    kind: fc.constant('hugeCell' as const),
    file,
    row: index,
    col: index,
    length: fc.constantFrom(5_000, 100_001, 1_200_000),
  }),
  fc.record({ kind: fc.constant('duplicateRow' as const), file, row: index }),
  fc.record({ kind: fc.constant('dropColumn' as const), file, col: index }),
  fc.record({ kind: fc.constant('dropHeader' as const), file }),
  fc.record({
    kind: fc.constant('unknownColumn' as const),
    file,
    name: fc.oneof(
      fc.constantFrom('plan', 'extra', 'Account_ID', ' name ', ''),
      fc.string({ maxLength: 10 }),
    ),
  }),
  fc.record({
    kind: fc.constant('manyRows' as const),
    file: fc.constantFrom('usage.csv' as const, 'tickets.csv' as const),
    n: fc.integer({ min: 1, max: MANY_ROWS }),
  }),
  fc.record({ kind: fc.constant('extraCell' as const), file, row: index }),
  fc.record({ kind: fc.constant('deleteFile' as const), file }),
  fc.record({ kind: fc.constant('emptyFile' as const), file }),
  fc.record({ kind: fc.constant('onlyFile' as const), file }),
);

const textual: fc.Arbitrary<Textual> = fc.oneof(
  fc.record({ kind: fc.constant('crlf' as const), file }),
  fc.record({ kind: fc.constant('breakQuote' as const), file, at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), file, at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    file,
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        '"',
        '""',
        ',',
        '\n',
        '\r',
        '\r\n',
        '\u0000',
        '\uFEFF',
        '\uFFFD',
        ',,,,',
        '"a""b',
        '\n\n\n',
      ),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
  }),
);

const fuzzSet: fc.Arbitrary<FuzzSet> = fc.record({
  structural: fc.array(structural, { maxLength: 4 }),
  textual: fc.array(textual, { maxLength: 2 }),
  encodings: fc.array(
    fc.record({ file, encoding: fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'latin1', 'utf16le-bom') }),
    { maxLength: 2 },
  ),
});

const BASE_TABLES: Record<string, Table> = Object.fromEntries(
  Object.entries(BASE_FILES).map(([name, text]) => [
    name,
    parse(text, { relax_column_count: true }) as Table,
  ]),
);

function manyRows(kind: 'usage.csv' | 'tickets.csv', header: string[], n: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < n; i += 1) {
    const values: Record<string, string> =
      kind === 'usage.csv'
        ? {
            account_id: 'A-3',
            date: addDays('2020-01-01', i),
            active_users: String(i % 60),
            licensed_seats: '60',
          }
        : {
            ticket_id: `TF-${i}`,
            account_id: 'A-1',
            opened_on: addDays('2020-01-01', i % 2000),
            priority: 'low',
          };
    rows.push(header.map((column) => values[column] ?? ''));
  }
  return rows;
}

function applyStructural(tables: Map<string, Table | null>, op: Structural): void {
  const table = tables.get(op.file);
  if (op.kind === 'deleteFile') return void tables.delete(op.file);
  if (op.kind === 'onlyFile') {
    for (const name of [...tables.keys()]) if (name !== op.file) tables.delete(name);
    return;
  }
  if (!table) return;
  if (op.kind === 'emptyFile') return void tables.set(op.file, []);
  const width = table[0]?.length ?? 1;
  const dataRows = table.length - 1;
  const cell = (row: number, col: number): [number, number] | null =>
    dataRows < 1 ? null : [1 + (row % dataRows), col % width];
  switch (op.kind) {
    case 'wrongType':
    case 'nonAscii': {
      const at = cell(op.row, op.col);
      if (at) table[at[0]]![at[1]] = op.value;
      return;
    }
    case 'hugeCell': {
      const at = cell(op.row, op.col);
      if (at) table[at[0]]![at[1]] = 'x'.repeat(op.length);
      return;
    }
    case 'duplicateRow':
      if (dataRows > 0) table.push([...table[1 + (op.row % dataRows)]!]);
      return;
    case 'dropColumn': {
      const col = op.col % width;
      for (const row of table) row.splice(col, 1);
      return;
    }
    case 'dropHeader':
      table.shift();
      return;
    case 'unknownColumn':
      table.forEach((row, i) => {
        row.push(i === 0 ? op.name : 'value');
      });
      return;
    case 'manyRows':
      if (table[0]) table.push(...manyRows(op.file, table[0], op.n));
      return;
    case 'extraCell':
      if (dataRows > 0) table[1 + (op.row % dataRows)]!.push('surplus');
      return;
  }
}

function applyTextual(text: string, op: Textual): string {
  if (op.kind === 'crlf') return text.replaceAll('\n', '\r\n');
  const at = text.length === 0 ? 0 : op.at % (text.length + 1);
  if (op.kind === 'truncate') return text.slice(0, at);
  if (op.kind === 'breakQuote') return `${text.slice(0, at)}"${text.slice(at)}`;
  return `${text.slice(0, at)}${op.text}${text.slice(at)}`;
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.from(`\uFEFF${text}`, 'utf8');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  }
}

async function writeSet(set: FuzzSet): Promise<string> {
  const tables = new Map<string, Table | null>(
    Object.entries(BASE_TABLES).map(([name, table]) => [name, table.map((row) => [...row])]),
  );
  for (const op of set.structural) applyStructural(tables, op);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-fuzz-'));
  for (const [name, table] of tables) {
    let text = table && table.length > 0 ? stringify(table, { record_delimiter: 'unix' }) : '';
    for (const op of set.textual) if (op.file === name) text = applyTextual(text, op);
    const encoding = set.encodings.find((candidate) => candidate.file === name)?.encoding ?? 'utf8';
    await writeFile(path.join(dir, name), encode(text, encoding));
  }
  return dir;
}

/** Every problem names a canonical file, a real line, a column, a one-line reason — and reads so. */
function checkInputError(error: unknown, dir: string): void {
  if (!(error instanceof InputError)) {
    throw new Error(
      `not an InputError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  const { problems } = error;
  expect(problems.errors.length).toBeGreaterThan(0);
  expect(problems.errorCount).toBeGreaterThanOrEqual(problems.errors.length);
  for (const problem of problems.errors) {
    const text = formatProblem(problem);
    const where = `${text} (${dir})`;
    if (problem.file === dir) {
      expect(problem.line, where).toBeNull();
      continue;
    }
    expect(CANONICAL_NAMES.has(problem.file), where).toBe(true);
    if (problem.line !== null) expect(Number.isInteger(problem.line) && problem.line >= 1, where).toBe(true);
    expect(problem.message.length, where).toBeGreaterThan(0);
    expect(problem.message, where).not.toMatch(/\n|\s+at .+:\d+:\d+/);
    expect(text, where).toMatch(PROBLEM_LINE);
  }
}

/** One query: a digest of every row of the tenant in every table the importer may write. */
async function fingerprint(store: TestStore['store']): Promise<string> {
  const tables = [
    'tenants',
    'users',
    'accounts',
    'contracts',
    'usage',
    'tickets',
    'surveys',
    'stakeholders',
    'signals',
    'renewals',
    'import_runs',
  ];
  const parts = tables.map(
    (table) =>
      `SELECT '${table}' AS t, count(*)::int AS n, md5(coalesce(string_agg(row_to_json(x)::text, '|' ORDER BY row_to_json(x)::text), '')) AS h
         FROM ${table} x WHERE ${table === 'tenants' ? 'id' : 'tenant_id'} = '${TENANT}'`,
  );
  const rows = await store.query<{ t: string; n: number; h: string }>(parts.join(' UNION ALL '));
  return rows.map((row) => `${row.t}:${row.n}:${row.h}`).join(',');
}

let test: TestStore;
let baseDir: string;

beforeAll(async () => {
  test = await openTestStore();
  baseDir = await writeSet({ structural: [], textual: [], encodings: [] });
  await importFiles({ store: test.store, tenantId: TENANT, inputs: [baseDir] });
});

afterAll(async () => {
  await test?.close();
  if (baseDir) await rm(baseDir, { recursive: true, force: true });
});

describe('CSV fuzzing', () => {
  it(`${SETS} mutated file sets: success or a located InputError, the store unchanged on failure`, {
    timeout: FULL ? 3_600_000 : 120_000,
  }, async () => {
    const tally = { imported: 0, rejected: 0, loaded: 0, loadRejected: 0, problems: 0, resets: 0 };
    const started = Date.now();
    let accepted = 0;
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(fuzzSet, async (set) => {
        const dir = await writeSet(set);
        seen += 1;
        if (FULL && seen % 250 === 0) {
          process.stderr.write(
            `[csv-fuzz] ${seen}/${SETS} sets, ${Math.round((Date.now() - started) / 1000)} s\n`,
          );
        }
        try {
          const before = await fingerprint(test.store);
          try {
            await importFiles({ store: test.store, tenantId: TENANT, inputs: [dir] });
            tally.imported += 1;
            // Accepted sets add their generated rows (up to 20K each in full). Without a bound the tenant
            // grows to millions of rows and each set's digest costs more than the set: start again from
            // the canonical data every RESET_AFTER accepted sets (still a store that holds data).
            if (++accepted % RESET_AFTER === 0) {
              await deleteTenant({ store: test.store, tenantId: TENANT });
              await importFiles({ store: test.store, tenantId: TENANT, inputs: [baseDir] });
              tally.resets += 1;
            }
          } catch (error) {
            checkInputError(error, dir);
            tally.rejected += 1;
            tally.problems += (error as InputError).problems.errorCount;
            expect(await fingerprint(test.store)).toBe(before);
          }
          try {
            await loadCsvPortfolio({ inputDir: dir, asOf: '2026-11-23' });
            tally.loaded += 1;
          } catch (error) {
            checkInputError(error, dir);
            tally.loadRejected += 1;
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: SETS },
    );
    report('csv-fuzz', { sets: SETS, ...tally, ms: Date.now() - started });
  });

  it(`a file of ${BIG_FILE_ROWS} rows with one bad row near the end is refused whole; a clean one loads`, {
    timeout: FULL ? 600_000 : 60_000,
  }, async () => {
    const header = BASE_TABLES['usage.csv']![0]!;
    const rows = manyRows('usage.csv', header, BIG_FILE_ROWS);
    const bad = rows.length - 3;
    const badRows = rows.map((row, i) => (i === bad ? row.map((cell, c) => (c === 2 ? 'many' : cell)) : row));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-fuzz-big-'));
    try {
      await writeFile(path.join(dir, 'usage.csv'), stringify([header, ...badRows]));
      const before = await fingerprint(test.store);
      const error = await importFiles({ store: test.store, tenantId: TENANT, inputs: [dir] }).catch(
        (e: unknown) => e,
      );
      checkInputError(error, dir);
      expect((error as InputError).problems.errorLines()).toEqual([
        `usage.csv:${bad + 2}: active_users: ${(error as InputError).problems.errors[0]!.message}`,
      ]);
      expect(await fingerprint(test.store)).toBe(before);
      await writeFile(path.join(dir, 'usage.csv'), stringify([header, ...rows]));
      const started = Date.now();
      const summary = await importFiles({ store: test.store, tenantId: TENANT, inputs: [dir] });
      expect(summary.rows).toBe(BIG_FILE_ROWS);
      report('csv-big-file', { rows: BIG_FILE_ROWS, importMs: Date.now() - started });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
