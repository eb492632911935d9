/**
 * Streams one canonical CSV file: splits it (`csv-records.ts`: RFC 4180, BOM accepted), checks the
 * header, validates each row (`fastParse`, and zod's schema for any row it gives up on) and yields
 * typed records with their line numbers, a chunk's rows at a time.
 * Bad rows are logged, not thrown, so one pass reports every problem in the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CanonicalFile, RawRow } from './canonical-files.ts';
import { type CsvRecord, CsvSplitter, CsvSyntaxError } from './csv-records.ts';
import { FALLBACK } from './fast-fields.ts';
import type { ProblemLog } from './problems.ts';

export type ParsedRow<R> = { line: number; record: R; extras: Record<string, string> };

export type OpenedFile<R> = {
  /** CSV columns present in the header (canonical ones). */
  presentColumns: ReadonlySet<string>;
  extraColumns: readonly string[];
  sizeBytes: number;
  /** Valid rows one at a time. Read either `rows` or `batches`, not both. */
  rows: AsyncGenerator<ParsedRow<R>>;
  /** Valid rows as they are split, one array per chunk read (cheaper than one `await` per row). */
  batches: AsyncGenerator<ParsedRow<R>[]>;
  bytesRead: () => number;
};

const FORMULA_ESCAPE = /^'[=+\-@\t]/;
const APOSTROPHE = 39;
const MAX_CELL = 100_000;
const CHUNK_BYTES = 256 * 1024;
const NO_EXTRAS: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** A cell holding U+FFFD (bytes that were not UTF-8) or U+0000, each reported below. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what it looks for
const SUSPECT_CHARACTERS = /[\u0000\uFFFD]/;
/** C0 control characters (line breaks, NUL, …), escaped when quoted into a one-line message. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f]/g;
/** PostgreSQL text cannot hold U+0000: say so here rather than fail in COPY. */
const NUL_MESSAGE = 'contains a NUL character (U+0000), which text cannot hold';

/** Undoes the exporter's spreadsheet-formula neutralisation (`'=x` → `=x`), so round trips are lossless. */
function unescapeCell(cell: string): string {
  return FORMULA_ESCAPE.test(cell) ? cell.slice(1) : cell;
}

export async function openCanonicalFile<R>({
  path,
  spec,
  problems,
}: {
  path: string;
  spec: CanonicalFile<R>;
  problems: ProblemLog;
}): Promise<OpenedFile<R> | null> {
  const file = spec.file;
  let sizeBytes: number;
  try {
    sizeBytes = (await stat(path)).size;
  } catch (error) {
    problems.error({ file, line: null, column: null, message: `cannot read: ${(error as Error).message}` });
    return null;
  }
  let bytes = 0;
  const source = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  source.on('data', (chunk) => {
    bytes += chunk.length;
  });
  source.setEncoding('utf8');
  const chunks: AsyncIterator<string> = source[Symbol.asyncIterator]();
  const splitter = new CsvSplitter(MAX_CELL * 10);
  let ended = false;
  /** The next records of the file (several per chunk read); empty once the file is done. */
  const nextRecords = async (): Promise<CsvRecord[]> => {
    const out: CsvRecord[] = [];
    while (out.length === 0 && !ended) {
      const chunk = await chunks.next();
      if (chunk.done) {
        ended = true;
        splitter.end(out);
      } else splitter.push(chunk.value, out);
    }
    return out;
  };
  const parseError = (error: unknown) => {
    if (!(error instanceof CsvSyntaxError)) {
      problems.error({ file, line: null, column: null, message: `cannot read: ${(error as Error).message}` });
      return;
    }
    // The message may quote a line break: keep the report one line per problem.
    const message = error.message.replace(CONTROL_CHARACTERS, (char) => JSON.stringify(char).slice(1, -1));
    problems.error({ file, line: error.line, column: null, message: `not valid CSV: ${message}` });
  };

  let pending: CsvRecord[];
  try {
    pending = await nextRecords();
  } catch (error) {
    parseError(error);
    source.destroy();
    return null;
  }
  const first = pending.shift();
  if (!first) {
    source.destroy();
    problems.error({ file, line: 1, column: null, message: 'is empty: a header row is required' });
    return null;
  }
  const header = first.cells.map((name) => name.trim().toLowerCase());
  const canonical = new Set(spec.columns.map((column) => column.name));
  const seen = new Set<string>();
  let headerOk = true;
  for (const name of header) {
    if (name.includes('\u0000') || name.includes('\uFFFD')) {
      problems.error({
        file,
        line: 1,
        column: null,
        message: `header ${JSON.stringify(name)}: ${name.includes('\u0000') ? NUL_MESSAGE : 'is not valid UTF-8 text'}`,
      });
      headerOk = false;
    }
    if (seen.has(name)) {
      problems.error({ file, line: 1, column: name, message: 'appears twice in the header' });
      headerOk = false;
    }
    seen.add(name);
  }
  for (const column of spec.columns) {
    if (column.required && !seen.has(column.name)) {
      problems.error({
        file,
        line: 1,
        column: column.name,
        message: 'required column is missing from the header',
      });
      headerOk = false;
    }
  }
  const extraColumns = header.filter((name) => !canonical.has(name) && name !== '');
  if (!spec.keepsExtraColumns) {
    for (const name of extraColumns) {
      problems.warn({ file, line: 1, column: name, message: 'unknown column, ignored' });
    }
  }
  if (!headerOk) {
    source.destroy();
    return null;
  }
  const presentColumns = new Set(header.filter((name) => canonical.has(name)));
  const keepExtras = spec.keepsExtraColumns ? extraColumns : [];

  // Per header position: its canonical column name, its extra column name (kept), or neither (ignored).
  const canonicalAt = header.map((name) => (canonical.has(name) ? name : null));
  const extraAt = header.map((name) => (keepExtras.includes(name) ? name : null));
  const keepsExtras = keepExtras.length > 0;

  /** Checks one record's cells and validates it; null (after logging why) when it is not a row. */
  const toParsedRow = (cells: string[], line: number): ParsedRow<R> | null => {
    if (cells.length !== header.length) {
      problems.error({
        file,
        line,
        column: null,
        message: `has ${cells.length} cells but the header has ${header.length}`,
      });
      return null;
    }
    const raw: RawRow = {};
    const extras: Record<string, string> = keepsExtras ? {} : NO_EXTRAS;
    let rowOk = true;
    for (let index = 0; index < cells.length; index += 1) {
      let cell = cells[index]!;
      if (SUSPECT_CHARACTERS.test(cell)) {
        const name = header[index]!;
        if (cell.includes('\uFFFD')) {
          problems.error({ file, line, column: name, message: 'is not valid UTF-8 text' });
        } else problems.error({ file, line, column: name, message: NUL_MESSAGE });
        rowOk = false;
      }
      if (cell.length > MAX_CELL) {
        problems.error({
          file,
          line,
          column: header[index]!,
          message: `is longer than ${MAX_CELL} characters`,
        });
        rowOk = false;
        continue;
      }
      cell = cell.trim();
      if (cell.charCodeAt(0) === APOSTROPHE) cell = unescapeCell(cell);
      const name = canonicalAt[index];
      if (name !== null && name !== undefined) raw[name] = cell === '' ? undefined : cell;
      else if (keepsExtras && cell !== '') {
        const extra = extraAt[index];
        if (extra) extras[extra] = cell;
      }
    }
    if (!rowOk) return null;
    const record = spec.fastParse(raw);
    if (record !== FALLBACK) return { line, record, extras };
    // Not plainly valid: zod decides, and says what is wrong.
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = issue.path.length > 0 ? String(issue.path[0]) : null;
        problems.error({ file, line, column, message: issue.message });
      }
      return null;
    }
    return { line, record: parsed.data, extras };
  };

  async function* batches(): AsyncGenerator<ParsedRow<R>[]> {
    try {
      let records = pending;
      while (true) {
        const batch: ParsedRow<R>[] = [];
        for (const { cells, line } of records) {
          const row = toParsedRow(cells, line);
          if (row) batch.push(row);
        }
        if (batch.length > 0) yield batch;
        if (ended) return;
        try {
          records = await nextRecords();
        } catch (error) {
          parseError(error);
          return;
        }
      }
    } finally {
      source.destroy();
    }
  }

  const batchIterator = batches();
  async function* rows(): AsyncGenerator<ParsedRow<R>> {
    for await (const batch of batchIterator) yield* batch;
  }

  return {
    presentColumns,
    extraColumns: keepExtras,
    sizeBytes,
    rows: rows(),
    batches: batchIterator,
    bytesRead: () => bytes,
  };
}
