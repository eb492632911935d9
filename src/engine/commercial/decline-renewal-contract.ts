/**
 * Records that the customer declined the renewal agreement: the signature request and the proposal
 * become declined, the renewal returns to `negotiation`, and the renewal's owner gets an alert — one
 * transaction. Declining twice changes nothing the second time.
 */
import { markDeclined } from '../../domain/pricing/approval-workflow.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { loadProposal, saveWorkflowChange, unwrap, writeAudit } from './proposal-records.ts';
import { setRenewalStage } from './renewal-records.ts';
import { ESIGN_ACTOR } from './sign-renewal-contract.ts';
import { findSignatureById } from './signature-lookup.ts';
import { findSignatureByToken } from './signature-records.ts';

export type DeclineRenewalContractOptions = {
  store: Store;
  tenantId: string;
  /** The signing link's token, or (from a signed provider webhook) the signature request id. */
  token?: string;
  signatureId?: number;
  signerName: string;
  at: string;
  reason?: string;
  /** `expired`: the provider reports the envelope expired — same path, recorded as expired. */
  as?: 'declined' | 'expired';
};

export function declineRenewalContract({
  store,
  ...options
}: DeclineRenewalContractOptions): Promise<{ alreadyDeclined: boolean; proposalId: number }> {
  return store.transaction((tx) => declineRenewalContractIn(tx, options));
}

/** The same, inside the caller's transaction (the signature webhook records its event with it). */
export async function declineRenewalContractIn(
  tx: SqlSession,
  {
    tenantId,
    token,
    signatureId,
    signerName,
    at,
    reason,
    as = 'declined',
  }: Omit<DeclineRenewalContractOptions, 'store'>,
): Promise<{ alreadyDeclined: boolean; proposalId: number }> {
  {
    const signature =
      token !== undefined
        ? await findSignatureByToken(tx, token, { forUpdate: true })
        : await findSignatureById(tx, signatureId ?? -1, { forUpdate: true });
    if (signature.tenantId !== tenantId) {
      throw new CommercialError('signature_not_found', 'no signature request matches this token');
    }
    if (signature.status === as) return { alreadyDeclined: true, proposalId: signature.proposalId };
    if (signature.status !== 'sent' && signature.status !== 'viewed') {
      throw new CommercialError('signature_closed', `this signature request was ${signature.status}`);
    }
    const record = await loadProposal(tx, tenantId, signature.proposalId);
    const text = reason?.trim() ? reason.trim() : null;
    await tx.execute(
      `UPDATE signatures SET status = $3, completed_at = $2${as === 'declined' ? ', viewed_at = coalesce(viewed_at, $2)' : ''}
       WHERE id = $1`,
      [signature.id, at, as],
    );
    await writeAudit(tx, {
      tenantId,
      at,
      actor: `signer:${signature.signerEmail}`,
      action: as === 'declined' ? 'signature.decline' : 'signature.expire',
      entity: 'signature',
      entityId: String(signature.id),
      changes: { status: { old: signature.status, new: as }, by: signerName.trim(), reason: text },
    });
    const declined = unwrap(
      markDeclined(record.workflow, {
        actor: ESIGN_ACTOR,
        at,
        comment:
          as === 'expired'
            ? 'the signature request expired unsigned'
            : `declined by ${signerName.trim() || signature.signerName}${text ? `: ${text}` : ''}`,
      }),
    );
    await saveWorkflowChange({
      session: tx,
      tenantId,
      record,
      next: declined,
      at,
      actor: ESIGN_ACTOR.userId,
      action: 'decline',
      extraChanges: { signatureId: signature.id },
    });
    await setRenewalStage({
      session: tx,
      tenantId,
      contractId: record.contractId,
      accountId: record.accountId,
      dueDate: record.terms.renewal.dueDate,
      stage: 'negotiation',
      actor: ESIGN_ACTOR.userId,
      at,
      proposalId: record.id,
    });
    await tx.execute(
      `INSERT INTO alerts (tenant_id, contract_id, account_id, key, kind, severity, recipient_role, recipient_user_id,
         message, created_on)
       VALUES ($1, $2, $3, $4, $8, 'high', 'csm', $5, $6, $7)
       ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
      [
        tenantId,
        record.contractId,
        record.accountId,
        `signature_${as}:${signature.id}`,
        record.terms.owner?.userId ?? null,
        `${record.terms.account.name} ${as === 'expired' ? 'let the renewal agreement expire unsigned' : 'declined the renewal agreement'} (proposal ${record.id} v${record.version})${text ? `: ${text}` : ''}; back to negotiation`,
        at.slice(0, 10),
        `signature_${as}`,
      ],
    );
    return { alreadyDeclined: false, proposalId: record.id };
  }
}
