/** Writes to the `renewals` row of a contract from the commercial flow (stage changes, closing won). */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { SqlSession } from '../../store/store.ts';

/**
 * Moves an open renewal to a stage (`proposal`, `contract_sent`, `negotiation`), creating the row
 * when the daily run has not yet; a closed renewal is left alone. Returns the previous stage.
 */
export async function setRenewalStage({
  session,
  tenantId,
  contractId,
  accountId,
  dueDate,
  stage,
}: {
  session: SqlSession;
  tenantId: string;
  contractId: string;
  accountId: string;
  dueDate: CalendarDate;
  stage: string;
}): Promise<{ previous: string | null; changed: boolean }> {
  const [before] = await session.query<{ stage: string | null }>(
    'SELECT stage FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
    [tenantId, contractId],
  );
  const changed = await session.execute(
    `INSERT INTO renewals AS r (tenant_id, contract_id, account_id, due_date, stage)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, contract_id) DO UPDATE SET stage = EXCLUDED.stage, version = r.version + 1,
       updated_at = now()
     WHERE r.outcome = 'pending' AND r.stage IS DISTINCT FROM EXCLUDED.stage`,
    [tenantId, contractId, accountId, dueDate, stage],
  );
  return { previous: before?.stage ?? null, changed: changed > 0 };
}
