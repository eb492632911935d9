/**
 * Approves one step of the latest version of a proposal. Segregation of duties, authority and the
 * step rules are the domain workflow's; the step defaults to the actor's own role (an executive names
 * the discount step they decide, e.g. `sales_leadership`). The approval that completes the last step
 * raises `proposal.approved` for webhook subscribers, in the same transaction.
 */
import { approve } from '../../domain/pricing/approval-workflow.ts';
import type { ApprovalRole } from '../../domain/pricing/pricing-policy.ts';
import type { SqlSession } from '../../store/store.ts';
import { enqueueWebhookEvent } from '../queries/webhook-events.ts';
import type { ProposalRecord } from './proposal-records.ts';
import { type ProposalActionOptions, transitionProposal } from './transition-proposal.ts';

export type ApproveProposalOptions = ProposalActionOptions & { step?: ApprovalRole };

export function approveProposal(options: ApproveProposalOptions): Promise<ProposalRecord> {
  return transitionProposal(
    options,
    'approve',
    (state, actor) =>
      approve(state, {
        actor,
        at: options.at,
        ...(options.comment ? { comment: options.comment } : {}),
        ...(options.step ? { step: options.step } : {}),
      }),
    (tx, saved) => raiseProposalApproved(tx, options.tenantId, saved, options.at, options.actorId),
  );
}

/** Raises `proposal.approved` when `saved` is fully approved (a no-op for a partial approval). */
export async function raiseProposalApproved(
  tx: SqlSession,
  tenantId: string,
  saved: ProposalRecord,
  at: string,
  approvedBy: string,
): Promise<void> {
  if (saved.status !== 'approved') return;
  await enqueueWebhookEvent({
    session: tx,
    tenantId,
    event: 'proposal.approved',
    eventKey: `proposal-${saved.id}:v${saved.version}`,
    contractId: saved.contractId,
    at: new Date(at),
    data: {
      proposalId: saved.id,
      version: saved.version,
      contractId: saved.contractId,
      accountId: saved.accountId,
      currency: saved.currency,
      approvals: saved.workflow.steps.map((step) => ({
        role: step.role,
        decidedBy: step.decidedBy,
        decidedAt: step.decidedAt,
      })),
      approvedBy,
    },
  });
}
