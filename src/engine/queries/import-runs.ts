/** Past import runs of a workspace, newest first. */
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toIso, toPage } from './page.ts';

export type ImportRunView = {
  id: number;
  startedAt: string;
  finishedAt: string;
  files: string[];
  summary: Record<string, unknown>;
};

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
  const rows = await session.query<{
    id: number;
    started_at: Date | string;
    finished_at: Date | string;
    files: string[];
    summary: Record<string, unknown>;
  }>(
    `SELECT id, started_at, finished_at, files, summary FROM import_runs WHERE ${where.join(' AND ')}
      ORDER BY id DESC LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(
    rows,
    limit,
    (row) => [Number(row.id)],
    (row) => ({
      id: Number(row.id),
      startedAt: toIso(row.started_at)!,
      finishedAt: toIso(row.finished_at)!,
      files: row.files,
      summary: row.summary,
    }),
  );
}
