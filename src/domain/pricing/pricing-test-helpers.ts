/** Deterministic seed objects for the pricing tests, with overrides. */
import type { ContractRecord } from '../records.ts';
import { type PricingPolicy, type PricingPolicyInput, PricingPolicySchema } from './pricing-policy.ts';
import type { QuoteOption, QuoteRenewalOptionsOptions, RenewalQuote } from './quote-renewal-options.ts';

export function makeContract(overrides: Partial<ContractRecord> = {}): ContractRecord {
  return {
    contractId: 'C-1',
    accountId: 'A-1',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    arrMinor: 4_440_000,
    currency: 'USD',
    seats: 100,
    autoRenew: false,
    paymentOnFile: false,
    noticeDays: null,
    status: 'active',
    previousContractId: null,
    ...overrides,
  };
}

export function makePolicy(input: PricingPolicyInput = {}): PricingPolicy {
  return PricingPolicySchema.parse(input);
}

export function makeQuoteInput(
  overrides: Partial<QuoteRenewalOptionsOptions> = {},
): QuoteRenewalOptionsOptions {
  return {
    contract: makeContract(),
    segment: 'mid_market',
    monthsEarly: null,
    earlyQualified: false,
    healthBand: 'green',
    expansionSignal: true,
    policy: makePolicy(),
    ...overrides,
  };
}

export function optionOf(quote: RenewalQuote, key: string): QuoteOption {
  const option = quote.options.find((candidate) => candidate.key === key);
  if (!option) throw new Error(`no option ${key} in ${quote.options.map((o) => o.key).join(', ')}`);
  return option;
}

export function amountsOf(option: QuoteOption): number[] {
  return option.years.map((year) => year.amountMinor);
}
