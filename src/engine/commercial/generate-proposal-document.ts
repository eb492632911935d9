/**
 * Renders one version of a proposal — as a PDF or a standalone HTML page, in the account's language
 * (`accountLanguage`: its `language` attribute, else its country or time zone; English, Japanese
 * or German) — from its frozen terms, and stores it in `documents` (base64 + sha256). Any version
 * can be rendered (a draft carries a DRAFT banner); the same version in the same language and
 * format renders to the same bytes, so regenerating does not add a row.
 *
 * `renderProposalDocument` renders without storing (for readers: the API's document route).
 */
import { accountLanguage } from '../../documents/proposal-language.ts';
import { renderProposalHtml, renderProposalPdf } from '../../documents/render-proposal-pdf.ts';
import type { Language } from '../../mail/choose-language.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { loadProposal } from './proposal-records.ts';
import { type StoredDocument, storeDocument } from './store-document.ts';

export type ProposalDocumentFormat = 'pdf' | 'html';

export const MEDIA_TYPES: Record<ProposalDocumentFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

export type RenderedProposalDocument = {
  content: Buffer;
  format: ProposalDocumentFormat;
  mediaType: string;
  fileName: string;
  language: Language;
  /** Code points the PDF font could not draw (shown as a placeholder and noted in the document). */
  missingCodePoints: number[];
};

export type RenderProposalDocumentOptions = {
  session: SqlSession;
  tenantId: string;
  proposalId: number;
  format?: ProposalDocumentFormat;
  /** Overrides the account's language. */
  language?: Language;
  /** Uncompressed PDF content streams (tests search the text). */
  compress?: boolean;
};

async function languageOf(session: SqlSession, tenantId: string, accountId: string): Promise<Language> {
  const [row] = await session.query<{
    country: string | null;
    timezone: string | null;
    attributes: Record<string, string> | string | null;
  }>('SELECT country, timezone, attributes FROM accounts WHERE tenant_id = $1 AND account_id = $2', [
    tenantId,
    accountId,
  ]);
  const attributes =
    typeof row?.attributes === 'string'
      ? (JSON.parse(row.attributes) as Record<string, string>)
      : (row?.attributes ?? {});
  return accountLanguage({ attributes, country: row?.country ?? null, timezone: row?.timezone ?? null });
}

export async function renderProposalDocument({
  session,
  tenantId,
  proposalId,
  format = 'pdf',
  language,
  compress = true,
}: RenderProposalDocumentOptions): Promise<RenderedProposalDocument> {
  const record = await loadProposal(session, tenantId, proposalId);
  const chosen = language ?? (await languageOf(session, tenantId, record.accountId));
  const options = {
    proposalId: record.id,
    version: record.version,
    status: record.status,
    terms: record.terms,
    steps: record.workflow.steps,
    createdAt: record.createdAt,
    language: chosen,
  };
  const suffix = chosen === 'en' ? '' : `-${chosen}`;
  const fileName = `proposal-${record.contractId}-v${record.version}${suffix}.${format}`;
  if (format === 'html') {
    return {
      content: Buffer.from(renderProposalHtml(options), 'utf8'),
      format,
      mediaType: MEDIA_TYPES.html,
      fileName,
      language: chosen,
      missingCodePoints: [],
    };
  }
  const pdf = await renderProposalPdf({ ...options, compress });
  return {
    content: pdf.content,
    format,
    mediaType: MEDIA_TYPES.pdf,
    fileName,
    language: chosen,
    missingCodePoints: pdf.missingCodePoints,
  };
}

export type GenerateProposalDocumentOptions = {
  store: Store;
  tenantId: string;
  proposalId: number;
  at: string;
  actor: string;
  format?: ProposalDocumentFormat;
  language?: Language;
  /** Uncompressed content streams (tests search the text). */
  compress?: boolean;
};

export async function generateProposalDocument({
  store,
  tenantId,
  proposalId,
  at,
  actor,
  format = 'pdf',
  language,
  compress = true,
}: GenerateProposalDocumentOptions): Promise<StoredDocument & RenderedProposalDocument> {
  return store.transaction(async (tx) => {
    const rendered = await renderProposalDocument({
      session: tx,
      tenantId,
      proposalId,
      format,
      compress,
      ...(language ? { language } : {}),
    });
    const record = await loadProposal(tx, tenantId, proposalId);
    const stored = await storeDocument({
      session: tx,
      tenantId,
      kind: 'proposal',
      proposalId: record.id,
      contractId: record.contractId,
      fileName: rendered.fileName,
      mediaType: rendered.mediaType,
      content: rendered.content,
      at,
      actor,
    });
    return { ...rendered, ...stored };
  });
}
