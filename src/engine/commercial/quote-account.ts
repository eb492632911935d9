/**
 * Evaluates one account and prices its upcoming renewal: the shared core of the dry-run
 * `perennial quote` and of proposals on the store. The renewal (the active contract ending soonest)
 * gives the months early, the early-renewal qualification, the health band, the expansion signal and
 * the segment the pricing policy needs.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import {
  type AccountEvaluation,
  evaluateAccount,
  type RenewalEvaluation,
} from '../../domain/evaluate-account.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { quoteRenewalOptions, type RenewalQuote } from '../../domain/pricing/quote-renewal-options.ts';
import type { AccountSnapshot, ContractRecord } from '../../domain/records.ts';
import { CommercialError } from './commercial-error.ts';

export type QuoteAccountOptions = {
  snapshot: AccountSnapshot;
  policy: Policy;
  asOf: CalendarDate;
  specialists?: readonly string[];
  /** Seats to add or remove for the volume-change option. */
  seatsChange?: number;
  /** Non-standard terms requested (every option then needs legal). */
  customTerms?: boolean;
};

export type AccountQuote = {
  evaluation: AccountEvaluation;
  renewal: RenewalEvaluation;
  contract: ContractRecord;
  quote: RenewalQuote;
};

export function quoteAccount({
  snapshot,
  policy,
  asOf,
  specialists = [],
  seatsChange,
  customTerms = false,
}: QuoteAccountOptions): AccountQuote {
  const evaluation = evaluateAccount({ snapshot, policy, asOf, specialists });
  const renewal = evaluation.renewal;
  if (renewal === null) {
    throw new CommercialError(
      'no_renewal',
      `account ${snapshot.account.accountId} has no active contract to renew as of ${asOf}`,
    );
  }
  const contract = snapshot.contracts.find((candidate) => candidate.contractId === renewal.contractId)!;
  const quote = quoteRenewalOptions({
    contract,
    segment: evaluation.segment,
    monthsEarly: renewal.earlyRenewal.monthsEarly,
    earlyQualified: renewal.earlyRenewal.qualified,
    healthBand: evaluation.health.band,
    expansionSignal: evaluation.expansionSignal,
    policy: policy.pricing,
    ...(seatsChange === undefined ? {} : { seatsChange }),
    customTerms,
  });
  return { evaluation, renewal, contract, quote };
}
