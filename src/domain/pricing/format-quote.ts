/**
 * A renewal quote as the public JSON of `perennial quote --json` (DATA-CONTRACT.md section 3).
 * Amounts become exact decimal strings in the contract currency (`formatMinor`: `44400.00`, `9800`
 * for JPY, `1.250` for BHD). The contract's fields come first and unchanged; the extra fields
 * (schedule, list total, line items, incentives, warnings) are additions the contract welcomes.
 */
import { formatMinor } from '../money.ts';
import type { ApprovalRole } from './pricing-policy.ts';
import type { QuoteOption, QuoteSchedule, QuoteWarning, RenewalQuote } from './quote-renewal-options.ts';

export type MoneyJson = { amount: string; currency: string };

export type QuoteOptionJson = {
  key: string;
  label: string;
  termYears: number;
  years: { year: number; amount: string }[];
  totalContractValue: MoneyJson;
  effectiveDiscountPct: number;
  requiredApprovals: ApprovalRole[];
  schedule: QuoteSchedule;
  seats: number | null;
  listYears: { year: number; amount: string }[];
  listTotal: MoneyJson;
  lineItems: {
    key: string;
    label: string;
    kind: 'subscription' | 'expansion' | 'incentive';
    years: { year: number; amount: string }[];
    total: MoneyJson;
    value: MoneyJson | null;
  }[];
  incentives: { kind: string; label: string; value: MoneyJson | null }[];
  warnings: QuoteWarning[];
};

export type QuoteJson = {
  accountId: string;
  contractId: string;
  currency: string;
  monthsEarly: number | null;
  earlyRenewal: { fromMonths: number; discountPct: number; rangePct: { min: number; max: number } } | null;
  options: QuoteOptionJson[];
  warnings: QuoteWarning[];
};

/** Basis points as the percentage number of the contract (750 → 7.5). Display only. */
export function bpsToPct(bps: number): number {
  return bps === 0 ? 0 : bps / 100;
}

function formatOption(option: QuoteOption, currency: string): QuoteOptionJson {
  const moneyOf = (minor: number): MoneyJson => ({ amount: formatMinor(minor, currency), currency });
  const yearsOf = (years: { year: number; amountMinor: number }[]) =>
    years.map(({ year, amountMinor }) => ({ year, amount: formatMinor(amountMinor, currency) }));
  return {
    key: option.key,
    label: option.label,
    termYears: option.termYears,
    years: yearsOf(option.years),
    totalContractValue: moneyOf(option.totalContractValueMinor),
    effectiveDiscountPct: bpsToPct(option.effectiveDiscountBps),
    requiredApprovals: [...option.requiredApprovals],
    schedule: option.schedule,
    seats: option.seats,
    listYears: yearsOf(option.listYears),
    listTotal: moneyOf(option.listTotalMinor),
    lineItems: option.lineItems.map((line) => ({
      key: line.key,
      label: line.label,
      kind: line.kind,
      years: yearsOf(line.years),
      total: moneyOf(line.totalMinor),
      value: line.valueMinor === null ? null : moneyOf(line.valueMinor),
    })),
    incentives: option.incentives.map((incentive) => ({
      kind: incentive.kind,
      label: incentive.label,
      value: incentive.valueMinor === null ? null : moneyOf(incentive.valueMinor),
    })),
    warnings: option.warnings.map((warning) => ({ ...warning })),
  };
}

export function formatQuote(quote: RenewalQuote): QuoteJson {
  return {
    accountId: quote.accountId,
    contractId: quote.contractId,
    currency: quote.currency,
    monthsEarly: quote.monthsEarly,
    earlyRenewal:
      quote.earlyRung === null
        ? null
        : {
            fromMonths: quote.earlyRung.fromMonths,
            discountPct: bpsToPct(quote.earlyRung.discountBps),
            rangePct: { min: bpsToPct(quote.earlyRung.minBps), max: bpsToPct(quote.earlyRung.maxBps) },
          },
    options: quote.options.map((option) => formatOption(option, quote.currency)),
    warnings: quote.warnings.map((warning) => ({ ...warning })),
  };
}
