/**
 * Standard SMB renewals need no human approval (guide §4: the SMB sequence is automated, with a
 * one-click renewal): a proposal is approved automatically when the account is SMB, the chosen option
 * gives no discount, there are no custom terms, and the only approval the authority matrix asks for is
 * the manager's sign-off on the whole proposal. The approval is recorded as the system actor
 * `system:auto-approval` with an `auto_approved` audit entry, so it reads differently from a person's.
 */

import { approve } from '../../domain/pricing/approval-workflow.ts';
import type { Store } from '../../store/store.ts';
import { raiseProposalApproved } from './approve-proposal.ts';
import {
  loadProposal,
  type ProposalRecord,
  requireLatest,
  saveWorkflowChange,
  unwrap,
} from './proposal-records.ts';

export const AUTO_APPROVER = 'system:auto-approval';

/** Why the proposal cannot be approved automatically; null when it can. */
export function autoApprovalBlocker(record: ProposalRecord): string | null {
  const { terms } = record;
  if (terms.account.segment !== 'smb') return `the account is ${terms.account.segment}, not SMB`;
  if (terms.chosen.effectiveDiscountBps > 0) return 'the chosen option gives a discount';
  if (terms.customTerms !== null) return 'it has custom terms';
  const pending = record.workflow.steps.filter((step) => step.status !== 'approved').map((step) => step.role);
  if (pending.some((role) => role !== 'manager')) return `it needs ${pending.join(', ')}`;
  return null;
}

export async function autoApproveProposal({
  store,
  tenantId,
  proposalId,
  at,
}: {
  store: Store;
  tenantId: string;
  proposalId: number;
  at: string;
}): Promise<ProposalRecord | null> {
  return store.transaction(async (tx) => {
    const record = await loadProposal(tx, tenantId, proposalId);
    requireLatest(record);
    if (record.status !== 'pending_approval' || autoApprovalBlocker(record) !== null) return null;
    const next = unwrap(
      approve(record.workflow, {
        actor: { userId: AUTO_APPROVER, role: 'manager' },
        at,
        comment: 'standard SMB renewal: no discount, no custom terms',
        step: 'manager',
      }),
    );
    const saved = await saveWorkflowChange({
      session: tx,
      tenantId,
      record,
      next,
      at,
      actor: AUTO_APPROVER,
      action: 'auto_approved',
    });
    await raiseProposalApproved(tx, tenantId, saved, at, AUTO_APPROVER);
    return saved;
  });
}
