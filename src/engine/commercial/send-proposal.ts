/**
 * Sends the latest version of a proposal to the customer: refused until every required approval is
 * in (`approval_required`). From here the version's terms are frozen; a change makes a new version.
 * The renewal moves to the `proposal` stage in the same transaction.
 */
import { send } from '../../domain/pricing/approval-workflow.ts';
import type { ProposalRecord } from './proposal-records.ts';
import { setRenewalStage } from './renewal-records.ts';
import { type ProposalActionOptions, transitionProposal } from './transition-proposal.ts';

export type SendProposalOptions = ProposalActionOptions;

export function sendProposal(options: SendProposalOptions): Promise<ProposalRecord> {
  return transitionProposal(
    options,
    'send',
    (state, actor) =>
      send(state, { actor, at: options.at, ...(options.comment ? { comment: options.comment } : {}) }),
    async (tx, record) => {
      await setRenewalStage({
        session: tx,
        tenantId: options.tenantId,
        contractId: record.contractId,
        accountId: record.accountId,
        dueDate: record.terms.renewal.dueDate,
        stage: 'proposal',
        actor: options.actorId,
        at: options.at,
        proposalId: record.id,
      });
    },
  );
}
