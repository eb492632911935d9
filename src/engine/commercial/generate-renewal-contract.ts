/**
 * Generates the renewal agreement from the latest, sent version of a proposal and opens a signature
 * request for it, in one transaction: the contract PDF goes into `documents`, earlier open requests
 * for the proposal expire, a new request stores the sha256 of a random token (the token itself is
 * returned once, for the signing link), and the renewal moves to `contract_sent`.
 */
import { renderContractPdf } from '../../documents/render-contract-pdf.ts';
import type { Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { planNextTerm } from './plan-next-term.ts';
import { loadActor, loadProposal, requireLatest, writeAudit } from './proposal-records.ts';
import { setRenewalStage } from './renewal-records.ts';
import { hashToken, newSignatureToken, SIGNATURE_VALID_DAYS } from './signature-records.ts';
import { storeDocument } from './store-document.ts';

export type GenerateRenewalContractOptions = {
  store: Store;
  tenantId: string;
  proposalId: number;
  actorId: string;
  at: string;
  /** The signer; defaults to the first contact with an email (economic buyer first). */
  signer?: { name: string; email: string };
  compress?: boolean;
  /** Token source (tests may fix it); a 256-bit random base64url string by default. */
  newToken?: () => string;
};

export type GeneratedContract = {
  proposalId: number;
  documentId: number;
  sha256: string;
  content: Buffer;
  signatureId: number;
  token: string;
  signer: { name: string; email: string };
  newContractId: string;
  expiresAt: string;
};

export async function generateRenewalContract({
  store,
  tenantId,
  proposalId,
  actorId,
  at,
  signer: signerOption,
  compress = true,
  newToken = newSignatureToken,
}: GenerateRenewalContractOptions): Promise<GeneratedContract> {
  return store.transaction(async (tx) => {
    const actor = await loadActor(tx, tenantId, actorId);
    const record = await loadProposal(tx, tenantId, proposalId);
    requireLatest(record);
    if (record.status !== 'sent') {
      throw new CommercialError(
        'proposal_not_sent',
        `proposal ${proposalId} is ${record.status}: a contract is generated from an approved proposal once it was sent`,
      );
    }
    const contact = record.terms.contacts.find((candidate) => candidate.email !== null);
    const signer = signerOption ?? (contact ? { name: contact.name, email: contact.email! } : null);
    if (signer === null) {
      throw new CommercialError(
        'signer_unknown',
        `account ${record.accountId} has no contact with an email: name the signer (--signer-name, --signer-email)`,
      );
    }
    const next = planNextTerm({
      contractId: record.contractId,
      endDate: record.terms.contract.endDate,
      termYears: record.terms.chosen.termYears,
    });
    const content = await renderContractPdf({
      proposalId: record.id,
      version: record.version,
      terms: record.terms,
      steps: record.workflow.steps,
      newContractId: next.contractId,
      newTerm: next,
      signer,
      createdAt: record.sentAt ?? record.createdAt,
      compress,
    });
    const document = await storeDocument({
      session: tx,
      tenantId,
      kind: 'contract',
      proposalId: record.id,
      contractId: record.contractId,
      fileName: `agreement-${next.contractId}.pdf`,
      content,
      at,
      actor: actor.userId,
    });
    const expired = await tx.execute(
      `UPDATE signatures SET status = 'expired', completed_at = $3
       WHERE tenant_id = $1 AND proposal_id = $2 AND status IN ('sent', 'viewed')`,
      [tenantId, record.id, at],
    );
    const token = newToken();
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO signatures (tenant_id, proposal_id, document_id, signer_name, signer_email, token_hash, status, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sent', $7) RETURNING id`,
      [tenantId, record.id, document.documentId, signer.name, signer.email, hashToken(token), at],
    );
    const signatureId = Number(row!.id);
    await writeAudit(tx, {
      tenantId,
      at,
      actor: actor.userId,
      action: 'signature.request',
      entity: 'signature',
      entityId: String(signatureId),
      changes: {
        proposalId: record.id,
        documentId: document.documentId,
        signer,
        status: { old: null, new: 'sent' },
        expiredEarlierRequests: expired,
      },
    });
    await setRenewalStage({
      session: tx,
      tenantId,
      contractId: record.contractId,
      accountId: record.accountId,
      dueDate: record.terms.renewal.dueDate,
      stage: 'contract_sent',
      actor: actor.userId,
      at,
      proposalId: record.id,
    });
    return {
      proposalId: record.id,
      documentId: document.documentId,
      sha256: document.sha256,
      content,
      signatureId,
      token,
      signer,
      newContractId: next.contractId,
      expiresAt: new Date(Date.parse(at) + SIGNATURE_VALID_DAYS * 86_400_000).toISOString(),
    };
  });
}
