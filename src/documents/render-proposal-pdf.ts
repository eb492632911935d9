/**
 * The renewal proposal as a PDF and as HTML (DOMAIN.md 4 "T-45 proposal" and 7): executive summary,
 * value delivered (usage and adoption trend, outcomes, ROI in hours and money), current contract,
 * the good / better / best options with per-year amounts, total contract value and effective
 * discount, optional expansion items with their business case, and next steps (timeline to the due
 * date, approvals, contacts, how to accept) — in English, Japanese or German. Everything comes from
 * the frozen terms of one version, so the document of a sent version regenerates byte for byte.
 */
import { formattingLocale, type Language } from '../mail/choose-language.ts';
import { composeProposal } from './compose-proposal.ts';
import type { ComposedDocument } from './document-blocks.ts';
import { type BuildProposalContentOptions, buildProposalContent } from './proposal-content.ts';
import { renderDocumentHtml } from './render-document-html.ts';
import { type RenderedPdf, renderDocumentPdf } from './render-document-pdf.ts';

export type RenderProposalOptions = BuildProposalContentOptions & {
  /** The reader's language (default English). */
  language?: Language;
  /** Dates and numbers (default: the language with the account's country, see `formattingLocale`). */
  locale?: string;
};

export function composeProposalDocument({
  language = 'en',
  locale,
  ...options
}: RenderProposalOptions): ComposedDocument {
  const content = buildProposalContent(options);
  return composeProposal({
    content,
    language,
    locale: locale ?? formattingLocale(language, content.account.country),
  });
}

export async function renderProposalPdf({
  compress = true,
  ...options
}: RenderProposalOptions & { compress?: boolean }): Promise<RenderedPdf> {
  return renderDocumentPdf(composeProposalDocument(options), { compress });
}

export function renderProposalHtml(options: RenderProposalOptions): string {
  return renderDocumentHtml(composeProposalDocument(options));
}
