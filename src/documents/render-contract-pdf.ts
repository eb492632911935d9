/**
 * The renewal agreement generated from an approved, sent proposal: the parties, the new term, the
 * order (per-year amounts and total), the incentives and special terms agreed, the approvals behind
 * it, and the signature block. Deterministic for the same inputs.
 */
import type { ApprovalStep } from '../domain/pricing/approval-workflow.ts';
import type { ProposalTerms } from '../engine/commercial/proposal-records.ts';
import { displayMoney } from './display-money.ts';
import {
  bullets,
  finishDocument,
  footers,
  heading,
  keyValues,
  openDocument,
  paragraph,
  table,
  titleBlock,
} from './pdf-layout.ts';

export type RenderContractPdfOptions = {
  proposalId: number;
  version: number;
  terms: ProposalTerms;
  steps: readonly ApprovalStep[];
  newContractId: string;
  newTerm: { startDate: string; endDate: string };
  signer: { name: string; email: string };
  createdAt: string;
  compress?: boolean;
};

export async function renderContractPdf({
  proposalId,
  version,
  terms,
  steps,
  newContractId,
  newTerm,
  signer,
  createdAt,
  compress = true,
}: RenderContractPdfOptions): Promise<Buffer> {
  const { account, contract, chosen } = terms;
  const currency = contract.currency;
  const money = (minor: number) => displayMoney(minor, currency);
  const doc = openDocument({
    title: `Renewal agreement - ${account.name}`,
    subject: `Renewal agreement ${newContractId} from proposal ${proposalId} version ${version}`,
    author: terms.owner?.name ?? 'Perennial',
    createdAt,
    compress,
  });
  titleBlock(doc, {
    kicker: 'Renewal agreement',
    title: account.name,
    subtitle: `Agreement ${newContractId} · renews contract ${contract.contractId} · from proposal ${proposalId}, version ${version}`,
  });

  heading(doc, 'Parties and term', 1);
  keyValues(doc, [
    ['Customer', `${account.name} (${account.accountId})`],
    ['Signatory', `${signer.name}, ${signer.email}`],
    ['Renews', `Contract ${contract.contractId}, ending ${contract.endDate}`],
    [
      'New term',
      `${newTerm.startDate} to ${newTerm.endDate} (${chosen.termYears} year${chosen.termYears === 1 ? '' : 's'})`,
    ],
    ['Seats', chosen.seats === null ? 'not seat-based' : String(chosen.seats)],
  ]);

  heading(doc, 'Order', 2);
  const scope = chosen.lineItems
    .filter((line) => line.kind !== 'incentive')
    .map((line) => line.label)
    .join(' + ');
  table(
    doc,
    [
      { title: 'Period', width: 0.15 },
      { title: 'Scope', width: 0.6 },
      { title: `Amount (${currency})`, width: 0.25, align: 'right' },
    ],
    [
      ...chosen.years.map((year) => ({ cells: [`Year ${year.year}`, scope, money(year.amountMinor)] })),
      { cells: ['Total', chosen.label, money(chosen.totalContractValueMinor)], bold: true, highlight: true },
    ],
  );
  paragraph(
    doc,
    `Each year is invoiced annually in advance at the start of the year, excluding taxes. ${
      chosen.termYears > 1
        ? 'The multi-year term is one committed purchase at the prices shown; seats may be added at the same per-seat rate.'
        : 'Seats may be added during the term at the same per-seat rate.'
    }`,
    { size: 9 },
  );
  if (chosen.incentives.length > 0 || terms.customTerms) {
    heading(doc, 'Included terms', 3);
    bullets(doc, [
      ...chosen.incentives.map(
        (incentive) =>
          `${incentive.label}${incentive.valueMinor === null ? '' : ` (value ${money(incentive.valueMinor)})`}`,
      ),
      ...(terms.customTerms ? [terms.customTerms] : []),
    ]);
  }
  heading(doc, 'Approvals', chosen.incentives.length > 0 || terms.customTerms ? 4 : 3);
  bullets(
    doc,
    steps.map((step) => `${step.role}: ${step.status}${step.decidedBy ? ` by ${step.decidedBy}` : ''}`),
  );
  heading(doc, 'Signature', chosen.incentives.length > 0 || terms.customTerms ? 5 : 4);
  paragraph(
    doc,
    `By signing electronically, ${signer.name} confirms the authority to bind ${account.name} to this agreement. All other terms of the current agreement continue unchanged. The signature, its time and the signing link used are recorded with this document's SHA-256 fingerprint.`,
  );
  keyValues(doc, [
    ['Signed by', '________________________________'],
    ['Date', '________________________________'],
  ]);
  footers(doc, `${account.name} · Renewal agreement ${newContractId} · proposal ${proposalId} v${version}`);
  return finishDocument(doc);
}
