/**
 * Renders one version of a proposal as a PDF from its frozen terms and stores it in `documents`
 * (base64 + sha256). Any version can be rendered (a draft carries a DRAFT banner); the same version
 * renders to the same bytes, so regenerating does not add a row.
 */
import { renderProposalPdf } from '../../documents/render-proposal-pdf.ts';
import type { Store } from '../../store/store.ts';
import { loadProposal } from './proposal-records.ts';
import { type StoredDocument, storeDocument } from './store-document.ts';

export type GenerateProposalDocumentOptions = {
  store: Store;
  tenantId: string;
  proposalId: number;
  at: string;
  actor: string;
  /** Uncompressed content streams (tests search the text). */
  compress?: boolean;
};

export async function generateProposalDocument({
  store,
  tenantId,
  proposalId,
  at,
  actor,
  compress = true,
}: GenerateProposalDocumentOptions): Promise<StoredDocument & { content: Buffer }> {
  return store.transaction(async (tx) => {
    const record = await loadProposal(tx, tenantId, proposalId);
    const content = await renderProposalPdf({
      proposalId: record.id,
      version: record.version,
      status: record.status,
      terms: record.terms,
      steps: record.workflow.steps,
      createdAt: record.createdAt,
      compress,
    });
    const stored = await storeDocument({
      session: tx,
      tenantId,
      kind: 'proposal',
      proposalId: record.id,
      contractId: record.contractId,
      fileName: `proposal-${record.contractId}-v${record.version}.pdf`,
      content,
      at,
      actor,
    });
    return { ...stored, content };
  });
}
