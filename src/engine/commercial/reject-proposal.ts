/** Rejects one step of the latest version of a proposal (a comment saying why is required). */
import { reject } from '../../domain/pricing/approval-workflow.ts';
import type { ApprovalRole } from '../../domain/pricing/pricing-policy.ts';
import type { ProposalRecord } from './proposal-records.ts';
import { type ProposalActionOptions, transitionProposal } from './transition-proposal.ts';

export type RejectProposalOptions = ProposalActionOptions & { step?: ApprovalRole };

export function rejectProposal(options: RejectProposalOptions): Promise<ProposalRecord> {
  return transitionProposal(options, 'reject', (state, actor) =>
    reject(state, {
      actor,
      at: options.at,
      ...(options.comment ? { comment: options.comment } : {}),
      ...(options.step ? { step: options.step } : {}),
    }),
  );
}
