/** Daily-run jobs that failed every retry (pg-boss `failed`), with their last error — for admins. */
import type { SqlSession } from '../store/store.ts';
import { BOSS_SCHEMA, DAILY_RUN_QUEUE } from './pg-worker.ts';

export type DeadLetter = {
  jobId: string;
  tenantId: string | null;
  day: string | null;
  retries: number;
  failedAt: string | null;
  error: string;
};

export async function listDeadLetters({
  session,
  tenantId,
}: {
  session: SqlSession;
  tenantId?: string;
}): Promise<DeadLetter[]> {
  const [installed] = await session.query<{ ok: boolean }>(
    `SELECT to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AS ok`,
  );
  if (!installed?.ok) return [];
  const rows = await session.query<{
    id: string;
    data: { tenantId?: string; day?: string } | null;
    retry_count: number;
    completed_on: Date | string | null;
    output: unknown;
  }>(
    `SELECT id::text, data, retry_count, completed_on, output FROM ${BOSS_SCHEMA}.job
      WHERE name = $1 AND state = 'failed' AND ($2::text IS NULL OR data->>'tenantId' = $2)
     UNION ALL
     SELECT id::text, data, retry_count, completed_on, output FROM ${BOSS_SCHEMA}.archive
      WHERE name = $1 AND state = 'failed' AND ($2::text IS NULL OR data->>'tenantId' = $2)
     ORDER BY completed_on DESC NULLS LAST`,
    [DAILY_RUN_QUEUE, tenantId ?? null],
  );
  return rows.map((row) => {
    const output = row.output as { message?: string } | null;
    return {
      jobId: row.id,
      tenantId: row.data?.tenantId ?? null,
      day: row.data?.day ?? null,
      retries: row.retry_count,
      failedAt: row.completed_on === null ? null : new Date(row.completed_on).toISOString(),
      error: output?.message ?? JSON.stringify(output),
    };
  });
}
