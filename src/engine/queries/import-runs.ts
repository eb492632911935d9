/**
 * Import runs of a workspace: the history (newest first), one run's state while an upload is queued
 * or running, and a failed run's problem report as CSV.
 */
import { stringify } from 'csv-stringify/sync';
import type { Problem } from '../../import/problems.ts';
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toIso, toPage } from './page.ts';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** What `import_runs.problems` holds for a failed run: every problem counted, the first ones kept. */
export type StoredProblems = { count: number; items: Problem[] };

export type ImportRunView = {
  id: number;
  status: ImportStatus;
  startedAt: string;
  /** Null while an upload is queued or running. */
  finishedAt: string | null;
  files: string[];
  summary: Record<string, unknown>;
};

export type ImportRunProgress = { file: string; rows: number; bytesRead: number; sizeBytes: number };

export type ImportRunState = Omit<ImportRunView, 'summary'> & {
  progress: ImportRunProgress | null;
  /** The import's summary once done; null before and when it failed. */
  summary: Record<string, unknown> | null;
  problemCount: number;
};

type RunRow = {
  id: number;
  status: ImportStatus;
  started_at: Date | string;
  finished_at: Date | string | null;
  files: string[];
  summary: Record<string, unknown>;
};

const viewOf = (row: RunRow): ImportRunView => ({
  id: Number(row.id),
  status: row.status,
  startedAt: toIso(row.started_at)!,
  finishedAt: toIso(row.finished_at),
  files: row.files,
  summary: row.summary,
});

export async function listImportRuns({
  session,
  tenantId,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  cursor?: string | null;
  limit: number;
}): Promise<Page<ImportRunView>> {
  const { list, p } = params();
  const where = [`tenant_id = ${p(tenantId)}`];
  if (cursor) {
    const [id] = decodeCursor(cursor, 1);
    where.push(`id < ${p(Number(id))}`);
  }
  const rows = await session.query<RunRow>(
    `SELECT id, status, started_at, finished_at, files, summary FROM import_runs WHERE ${where.join(' AND ')}
      ORDER BY id DESC LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(rows, limit, (row) => [Number(row.id)], viewOf);
}

/** One run of the workspace, or null when it has no run of that id. */
export async function getImportRun({
  session,
  tenantId,
  id,
}: {
  session: SqlSession;
  tenantId: string;
  id: number;
}): Promise<ImportRunState | null> {
  const [row] = await session.query<
    RunRow & { progress: Partial<ImportRunProgress> | null; problems: StoredProblems | null }
  >(
    `SELECT id, status, started_at, finished_at, files, summary, progress, problems FROM import_runs
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  if (!row) return null;
  const { progress } = row;
  const view = viewOf(row);
  return {
    ...view,
    // The stored progress also carries the runner's heartbeat; a run that has not read a file yet has none.
    progress:
      progress && typeof progress.file === 'string'
        ? {
            file: progress.file,
            rows: progress.rows ?? 0,
            bytesRead: progress.bytesRead ?? 0,
            sizeBytes: progress.sizeBytes ?? 0,
          }
        : null,
    summary: row.status === 'done' ? view.summary : null,
    problemCount: row.problems?.count ?? 0,
  };
}

const FORMULA_START = /^[=+\-@\t]/;
/** A spreadsheet must not run a cell as a formula (the text may quote a value from the file). */
const cell = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * A run's problems as CSV (`file,line,column,problem`, one row each; a closing row counts those not
 * kept), or null when the workspace has no run of that id. A run without problems gives the header.
 */
export async function importProblemsCsv({
  session,
  tenantId,
  id,
}: {
  session: SqlSession;
  tenantId: string;
  id: number;
}): Promise<string | null> {
  const [row] = await session.query<{ problems: StoredProblems | null }>(
    'SELECT problems FROM import_runs WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  if (!row) return null;
  const items = row.problems?.items ?? [];
  const records = items.map((problem) => [
    cell(problem.file),
    problem.line === null ? '' : String(problem.line),
    cell(problem.column ?? ''),
    cell(problem.message),
  ]);
  const more = (row.problems?.count ?? 0) - items.length;
  if (more > 0)
    records.push(['', '', '', `… and ${more} more problems (the first ${items.length} are listed)`]);
  return stringify(records, { header: true, columns: ['file', 'line', 'column', 'problem'] });
}
