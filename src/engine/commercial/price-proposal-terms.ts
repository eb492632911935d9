/**
 * Prices the terms of a proposal version from the store as of a date: the account's snapshot, the
 * tenant's policy, the evaluation of its renewal, the quote, the chosen option, the value delivered
 * and who to contact. The contract must be the account's open renewal (the active contract ending
 * soonest); the option must be one of the quote's.
 */

import { displayMoney } from '../../documents/display-money.ts';
import type { CalendarDate } from '../../domain/calendar.ts';
import type { SqlSession } from '../../store/store.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import { loadStoreSnapshots, loadUsers } from '../load-store-snapshots.ts';
import { loadPolicy } from '../policy-store.ts';
import { CommercialError } from './commercial-error.ts';
import type { ProposalTerms } from './proposal-records.ts';
import { quoteAccount } from './quote-account.ts';
import { summarizeValueDelivered, type ValueAssumptionsInput } from './summarize-value-delivered.ts';

export type PriceProposalTermsOptions = {
  session: SqlSession;
  tenantId: string;
  contractId: string;
  optionKey: string;
  asOf: CalendarDate;
  seatsChange?: number;
  customTerms?: string;
  valueAssumptions?: ValueAssumptionsInput;
};

const CONTACT_ORDER = [
  'economic_buyer',
  'decision_maker',
  'executive_sponsor',
  'champion',
  'procurement',
  'legal',
  'technical',
  'user',
] as const;

export async function priceProposalTerms({
  session,
  tenantId,
  contractId,
  optionKey,
  asOf,
  seatsChange,
  customTerms,
  valueAssumptions,
}: PriceProposalTermsOptions): Promise<ProposalTerms> {
  const [contractRow] = await session.query<{ account_id: string }>(
    'SELECT account_id FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
    [tenantId, contractId],
  );
  if (!contractRow) throw new CommercialError('contract_not_found', `contract ${contractId} does not exist`);
  const accountId = contractRow.account_id;
  const { policy } = await loadPolicy(session, tenantId);
  const users = await loadUsers(session, tenantId);
  let snapshot = null;
  for await (const batch of loadStoreSnapshots({ session, tenantId, asOf, accountIds: [accountId] })) {
    snapshot = batch[0] ?? snapshot;
  }
  if (!snapshot) throw new CommercialError('account_not_found', `account ${accountId} does not exist`);
  const custom = customTerms?.trim() ? customTerms.trim() : null;
  const { evaluation, renewal, contract, quote } = quoteAccount({
    snapshot,
    policy,
    asOf,
    specialists: specialistsOf(users),
    ...(seatsChange ? { seatsChange } : {}),
    customTerms: custom !== null,
  });
  if (renewal.contractId !== contractId) {
    throw new CommercialError(
      'no_renewal',
      `contract ${contractId} is not the open renewal of account ${accountId} as of ${asOf} (${renewal.contractId} is)`,
    );
  }
  const chosen = quote.options.find((option) => option.key === optionKey);
  if (!chosen) {
    throw new CommercialError(
      'option_not_found',
      `option ${optionKey} is not among the quoted options: ${quote.options.map((option) => option.key).join(', ')}`,
    );
  }
  const ownerId = renewal.owner.userId ?? snapshot.account.ownerCsm;
  const owner = users.find((user) => user.userId === ownerId) ?? null;
  const contacts = snapshot.stakeholders
    .filter((stakeholder) => stakeholder.leftOn === null || stakeholder.leftOn > asOf)
    .sort(
      (a, b) => CONTACT_ORDER.indexOf(a.role) - CONTACT_ORDER.indexOf(b.role) || (a.name < b.name ? -1 : 1),
    )
    .map((stakeholder) => ({ name: stakeholder.name, role: stakeholder.role, email: stakeholder.email }));
  return {
    asOf,
    account: {
      accountId,
      name: snapshot.account.name,
      industry: snapshot.account.industry,
      country: snapshot.account.country,
      segment: evaluation.segment,
    },
    contract: {
      contractId: contract.contractId,
      startDate: contract.startDate,
      endDate: contract.endDate,
      arrMinor: contract.arrMinor,
      currency: contract.currency,
      seats: contract.seats,
      autoRenew: contract.autoRenew,
    },
    renewal: {
      dueDate: renewal.dueDate,
      daysToRenewal: renewal.daysToRenewal,
      healthScore: evaluation.health.score,
      healthBand: evaluation.health.band,
      type: renewal.type,
      motion: renewal.motion,
      monthsEarly: renewal.earlyRenewal.monthsEarly,
      earlyQualified: renewal.earlyRenewal.qualified,
      expansionSignal: evaluation.expansionSignal,
      milestones: renewal.timeline.milestones.map((milestone) => ({
        key: milestone.key,
        date: milestone.date,
      })),
    },
    chosenOptionKey: chosen.key,
    chosen,
    options: quote.options,
    quoteWarnings: quote.warnings,
    seatsChange: seatsChange ?? null,
    customTerms: custom,
    value: summarizeValueDelivered({
      usage: snapshot.usage,
      tickets: snapshot.tickets,
      surveys: snapshot.surveys,
      contractSeats: contract.seats,
      currency: contract.currency,
      asOf,
      ...(valueAssumptions ? { assumptions: valueAssumptions } : {}),
      formatAmount: (minor, currency) => displayMoney(minor, currency, { whole: true }),
    }),
    contacts,
    owner: owner ? { userId: owner.userId, name: owner.name, email: owner.email } : null,
  };
}
