/**
 * Approves one step of the latest version of a proposal. Segregation of duties, authority and the
 * step rules are the domain workflow's; the step defaults to the actor's own role (an executive names
 * the discount step they decide, e.g. `sales_leadership`).
 */
import { approve } from '../../domain/pricing/approval-workflow.ts';
import type { ApprovalRole } from '../../domain/pricing/pricing-policy.ts';
import type { ProposalRecord } from './proposal-records.ts';
import { type ProposalActionOptions, transitionProposal } from './transition-proposal.ts';

export type ApproveProposalOptions = ProposalActionOptions & { step?: ApprovalRole };

export function approveProposal(options: ApproveProposalOptions): Promise<ProposalRecord> {
  return transitionProposal(options, 'approve', (state, actor) =>
    approve(state, {
      actor,
      at: options.at,
      ...(options.comment ? { comment: options.comment } : {}),
      ...(options.step ? { step: options.step } : {}),
    }),
  );
}
