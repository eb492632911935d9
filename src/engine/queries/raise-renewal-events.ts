/**
 * The webhook events of a change to a renewal, raised in the transaction that made it: one place, so a
 * stage moved by the API, by the proposal flow or by a signature reads the same to a subscriber.
 * `renewal.stage_changed` when the stage moved; `renewal.closed` when it closed (or its outcome was corrected).
 * The event key is the renewal's new version, so re-running a change queues nothing new.
 */
import type { SqlSession } from '../../store/store.ts';
import { findRenewal, toRenewalView } from './renewal-view.ts';
import { enqueueWebhookEvent } from './webhook-events.ts';

export type RaiseRenewalEventsOptions = {
  session: SqlSession;
  tenantId: string;
  contractId: string;
  /** The renewal's stage and outcome before the change (null stage: it had none, or no row). */
  before: { stage: string | null; outcome: string };
  actor: string;
  at: Date;
};

export async function raiseRenewalEvents({
  session,
  tenantId,
  contractId,
  before,
  actor,
  at,
}: RaiseRenewalEventsOptions): Promise<void> {
  const after = await findRenewal(session, tenantId, contractId);
  if (!after) return;
  const eventKey = `${contractId}:v${after.version}`;
  if (after.stage !== before.stage) {
    await enqueueWebhookEvent({
      session,
      tenantId,
      event: 'renewal.stage_changed',
      eventKey,
      contractId,
      at,
      data: {
        contractId,
        accountId: after.account_id,
        from: before.stage,
        to: after.stage,
        version: after.version,
        changedBy: actor,
      },
    });
  }
  if (after.outcome !== 'pending' && after.outcome !== before.outcome) {
    const view = toRenewalView(after);
    await enqueueWebhookEvent({
      session,
      tenantId,
      event: 'renewal.closed',
      eventKey,
      contractId,
      at,
      data: {
        contractId,
        accountId: after.account_id,
        outcome: after.outcome,
        closedOn: after.closed_on,
        arr: view.arr,
        renewedArr: view.renewedArr,
        reasons: after.reasons,
        version: after.version,
        changedBy: actor,
      },
    });
  }
}
