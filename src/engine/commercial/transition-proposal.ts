/**
 * The common shape of a proposal workflow action on the store: in one transaction, load the actor
 * and the latest version, check the caller's expected sequence, run the pure action, save with the
 * optimistic lock and audit. `after` runs inside the same transaction for side effects of the step
 * (the renewal's stage on send).
 */
import type { ProposalWorkflow, WorkflowResult } from '../../domain/pricing/approval-workflow.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import {
  checkExpectedSequence,
  loadActor,
  loadProposal,
  type ProposalRecord,
  type ProposalTerms,
  requireLatest,
  saveWorkflowChange,
  type UserActor,
  unwrap,
} from './proposal-records.ts';

export type ProposalActionOptions = {
  store: Store;
  tenantId: string;
  proposalId: number;
  actorId: string;
  /** The instant of the action, ISO 8601 with offset. */
  at: string;
  comment?: string;
  /** The sequence the caller last saw; a different current sequence is a `conflict`. */
  expectedSequence?: number;
};

export async function transitionProposal(
  { store, tenantId, proposalId, actorId, at, expectedSequence }: ProposalActionOptions,
  action: string,
  step: (state: ProposalWorkflow<ProposalTerms>, actor: UserActor) => WorkflowResult<ProposalTerms>,
  after?: (tx: SqlSession, record: ProposalRecord) => Promise<void>,
): Promise<ProposalRecord> {
  return store.transaction(async (tx) => {
    const actor = await loadActor(tx, tenantId, actorId);
    const record = await loadProposal(tx, tenantId, proposalId);
    requireLatest(record);
    checkExpectedSequence(record, expectedSequence);
    const next = unwrap(step(record.workflow, actor));
    const saved = await saveWorkflowChange({
      session: tx,
      tenantId,
      record,
      next,
      at,
      actor: actor.userId,
      action,
    });
    await after?.(tx, saved);
    return saved;
  });
}
