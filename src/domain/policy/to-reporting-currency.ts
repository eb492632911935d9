import { DomainError } from '../domain-error.ts';
import { convertMinor } from '../money.ts';
import type { Policy } from './policy-schema.ts';

export type ToReportingCurrencyOptions = {
  minor: number;
  currency: string;
  policy: Pick<Policy, 'reportingCurrency' | 'fxRates'>;
};

/** Converts an amount into the policy's reporting currency with the policy's FX rate, rounded once. */
export function toReportingCurrency({ minor, currency, policy }: ToReportingCurrencyOptions): number {
  if (currency === policy.reportingCurrency) return minor;
  const rate = policy.fxRates[currency];
  if (rate === undefined) {
    throw new DomainError(
      'missing_fx_rate',
      `policy has no FX rate for ${currency} (fxRates.${currency}: units of ${policy.reportingCurrency} per 1 ${currency})`,
    );
  }
  return convertMinor(minor, currency, policy.reportingCurrency, rate);
}
