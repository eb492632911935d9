/** Submits the latest version of a proposal for its required approvals (draft → pending_approval). */
import { requestApprovals } from '../../domain/pricing/approval-workflow.ts';
import type { ProposalRecord } from './proposal-records.ts';
import { type ProposalActionOptions, transitionProposal } from './transition-proposal.ts';

export type RequestProposalApprovalOptions = ProposalActionOptions;

export function requestProposalApproval(options: RequestProposalApprovalOptions): Promise<ProposalRecord> {
  return transitionProposal(options, 'request_approval', (state, actor) =>
    requestApprovals(state, {
      actor,
      at: options.at,
      ...(options.comment ? { comment: options.comment } : {}),
    }),
  );
}
