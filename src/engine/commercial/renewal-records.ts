/** Writes to the `renewals` row of a contract from the commercial flow (stage changes, closing won). */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { SqlSession } from '../../store/store.ts';
import { writeAuditEntry } from '../queries/audit-trail.ts';
import { raiseRenewalEvents } from '../queries/raise-renewal-events.ts';

export type SetRenewalStageOptions = {
  /** The caller's transaction: the stage, its audit row and its webhook event commit with the step. */
  session: SqlSession;
  tenantId: string;
  contractId: string;
  accountId: string;
  dueDate: CalendarDate;
  stage: string;
  /** Who moved it: the user who sent the proposal or the contract, or the e-signature system. */
  actor: string;
  /** The instant of the step, ISO 8601 with offset. */
  at: string;
  /** The proposal whose step moved the stage, kept in the audit row beside the old and new stage. */
  proposalId?: number;
};

type StageRow = { stage: string | null; outcome: string; account_id: string };

/**
 * Moves an open renewal to a stage (`proposal`, `contract_sent`, `negotiation`), creating the row
 * when the daily run has not yet; a closed renewal, or one already at the stage, is left alone. Like a
 * record update (update-renewal.ts), a move bumps `version` and `updated_at`, writes an audit row with
 * the old and new stage, and raises `renewal.stage_changed` — all in the caller's transaction.
 */
export async function setRenewalStage({
  session,
  tenantId,
  contractId,
  accountId,
  dueDate,
  stage,
  actor,
  at,
  proposalId,
}: SetRenewalStageOptions): Promise<{ previous: string | null; changed: boolean }> {
  const find = async () =>
    (
      await session.query<StageRow>(
        'SELECT stage, outcome, account_id FROM renewals WHERE tenant_id = $1 AND contract_id = $2 FOR UPDATE',
        [tenantId, contractId],
      )
    )[0];
  let before = await find();
  if (!before) {
    const inserted = await session.execute(
      `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date, stage, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, contract_id) DO NOTHING`,
      [tenantId, contractId, accountId, dueDate, stage, at],
    );
    // Created meanwhile by another transaction (the daily run): move it like any existing row.
    if (inserted === 0) before = await find();
  }
  if (before) {
    if (before.outcome !== 'pending' || before.stage === stage) {
      return { previous: before.stage, changed: false };
    }
    await session.execute(
      `UPDATE renewals SET stage = $3, version = version + 1, updated_at = $4
        WHERE tenant_id = $1 AND contract_id = $2`,
      [tenantId, contractId, stage, at],
    );
  }
  const previous = before?.stage ?? null;
  const when = new Date(at);
  await writeAuditEntry(session, {
    tenantId,
    at: when,
    actor,
    action: 'update',
    entity: 'renewal',
    entityId: contractId,
    changes: {
      stage: { old: previous, new: stage },
      ...(proposalId === undefined ? {} : { proposalId }),
    },
  });
  await raiseRenewalEvents({
    session,
    tenantId,
    contractId,
    before: { stage: previous, outcome: 'pending' },
    actor,
    at: when,
  });
  return { previous, changed: true };
}
