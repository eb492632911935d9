/**
 * One-click acceptance (SMB automated renewals): the customer follows a signed, expiring link
 * (`acceptanceToken`, HMAC over proposal id + expiry) and confirms. Accepting signs as the customer
 * through the same closing path as a signature: the open signature request of the proposal is used,
 * or — when none was opened yet — the agreement is generated first (recorded as the proposal's
 * author), then `signRenewalContract` closes the renewal, opens the next term and the T+0 tasks.
 * Accepting twice changes nothing the second time.
 */
import type { Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { generateRenewalContract } from './generate-renewal-contract.ts';
import { loadProposal, type ProposalRecord } from './proposal-records.ts';
import { type SignedRenewal, signRenewalContract } from './sign-renewal-contract.ts';

/** The proposal a link names, wherever its tenant (the token carries no tenant). */
export async function findProposalForAcceptance(
  store: Store,
  proposalId: number,
): Promise<ProposalRecord & { tenantId: string }> {
  const [row] = await store.query<{ tenant_id: string }>('SELECT tenant_id FROM proposals WHERE id = $1', [
    proposalId,
  ]);
  if (!row) throw new CommercialError('proposal_not_found', 'this proposal no longer exists');
  return { ...(await loadProposal(store, row.tenant_id, proposalId)), tenantId: row.tenant_id };
}

export async function acceptProposal({
  store,
  proposalId,
  at,
  signerIp,
}: {
  store: Store;
  proposalId: number;
  at: string;
  signerIp?: string;
}): Promise<SignedRenewal> {
  const record = await findProposalForAcceptance(store, proposalId);
  const tenantId = record.tenantId;
  const [open] = await store.query<{ id: number; signer_name: string }>(
    `SELECT id, signer_name FROM signatures WHERE tenant_id = $1 AND proposal_id = $2
     ORDER BY (status IN ('sent', 'viewed', 'signed')) DESC, (status = 'signed') DESC, id DESC LIMIT 1`,
    [tenantId, proposalId],
  );
  let signatureId = open ? Number(open.id) : undefined;
  let signerName = open?.signer_name;
  if (record.status !== 'signed' && (!open || !(await isOpen(store, Number(open.id))))) {
    const contract = await generateRenewalContract({
      store,
      tenantId,
      proposalId,
      actorId: record.createdBy,
      at,
    });
    signatureId = contract.signatureId;
    signerName = contract.signer.name;
  }
  if (signatureId === undefined || signerName === undefined) {
    throw new CommercialError('signature_not_found', 'this proposal has no agreement to accept');
  }
  return signRenewalContract({
    store,
    tenantId,
    signatureId,
    signerName,
    at,
    ...(signerIp ? { signerIp } : {}),
  });
}

async function isOpen(store: Store, signatureId: number): Promise<boolean> {
  const [row] = await store.query<{ status: string }>('SELECT status FROM signatures WHERE id = $1', [
    signatureId,
  ]);
  return row?.status === 'sent' || row?.status === 'viewed' || row?.status === 'signed';
}
