/**
 * Streams one canonical CSV file: parses it with csv-parse (RFC 4180, BOM accepted), checks the header,
 * validates each row with the file's zod schema and yields typed records with their line numbers.
 * Bad rows are logged, not thrown, so one pass reports every problem in the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { CanonicalFile, RawRow } from './canonical-files.ts';
import type { ProblemLog } from './problems.ts';

export type ParsedRow<R> = { line: number; record: R; extras: Record<string, string> };

export type OpenedFile<R> = {
  /** CSV columns present in the header (canonical ones). */
  presentColumns: ReadonlySet<string>;
  extraColumns: readonly string[];
  sizeBytes: number;
  rows: AsyncGenerator<ParsedRow<R>>;
  bytesRead: () => number;
};

const FORMULA_ESCAPE = /^'[=+\-@\t]/;
const MAX_CELL = 100_000;
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
  const source = createReadStream(path);
  source.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_CELL * 10,
    }),
  );
  const iterator: AsyncIterator<{ record: string[]; info: { lines: number } }> =
    parser[Symbol.asyncIterator]();
  const parseError = (error: unknown) => {
    // csv-parse quotes the offending character, which may be a line break: keep the report one line per problem.
    const message = (error as Error).message
      .replace(/^Invalid Record Length: /, '')
      .replace(CONTROL_CHARACTERS, (char) => JSON.stringify(char).slice(1, -1));
    const lines = (error as { lines?: number }).lines ?? null;
    problems.error({ file, line: lines, column: null, message: `not valid CSV: ${message}` });
  };

  let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    first = await iterator.next();
  } catch (error) {
    parseError(error);
    source.destroy();
    return null;
  }
  if (first.done) {
    problems.error({ file, line: 1, column: null, message: 'is empty: a header row is required' });
    return null;
  }
  const header = first.value.record.map((name) => name.trim().toLowerCase());
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

  async function* rows(): AsyncGenerator<ParsedRow<R>> {
    try {
      while (true) {
        let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
        try {
          next = await iterator.next();
        } catch (error) {
          parseError(error);
          return;
        }
        if (next.done) return;
        const { record, info } = next.value;
        const line = info.lines;
        if (record.length !== header.length) {
          problems.error({
            file,
            line,
            column: null,
            message: `has ${record.length} cells but the header has ${header.length}`,
          });
          continue;
        }
        const raw: RawRow = {};
        const extras: Record<string, string> = {};
        let rowOk = true;
        for (let index = 0; index < header.length; index += 1) {
          const name = header[index]!;
          const cell = record[index]!;
          if (cell.includes('\uFFFD')) {
            problems.error({ file, line, column: name, message: 'is not valid UTF-8 text' });
            rowOk = false;
          } else if (cell.includes('\u0000')) {
            problems.error({ file, line, column: name, message: NUL_MESSAGE });
            rowOk = false;
          }
          if (cell.length > MAX_CELL) {
            problems.error({ file, line, column: name, message: `is longer than ${MAX_CELL} characters` });
            rowOk = false;
            continue;
          }
          const value = unescapeCell(cell.trim());
          if (canonical.has(name)) raw[name] = value === '' ? undefined : value;
          else if (keepExtras.includes(name) && value !== '') extras[name] = value;
        }
        if (!rowOk) continue;
        const parsed = spec.schema.safeParse(raw);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const column = issue.path.length > 0 ? String(issue.path[0]) : null;
            problems.error({ file, line, column, message: issue.message });
          }
          continue;
        }
        yield { line, record: parsed.data, extras };
      }
    } finally {
      source.destroy();
    }
  }

  return { presentColumns, extraColumns: keepExtras, sizeBytes, rows: rows(), bytesRead: () => bytes };
}
