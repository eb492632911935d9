/**
 * Who owns the renewal (guide §5). The default is the hybrid rule set, stated so that there is never
 * a "Sales helps when needed": Sales takes any red account and everything from 50K; renewal
 * specialists take the high-volume tail below 10K when the tenant has them; the CSM owns the rest.
 * Executive engagement is separate from ownership: strategic accounts whatever their size, accounts
 * from 100K, and red accounts from 10K (full intervention).
 */
import { formatMinor } from './money.ts';
import type { Policy } from './policy/policy-schema.ts';
import type { AccountRecord } from './records.ts';
import type { HealthBand, OwnerRole } from './vocabulary.ts';

export type RenewalOwner = { role: OwnerRole; userId: string | null; rule: string };

export type OwnerRouting = {
  owner: RenewalOwner;
  executiveEngagement: boolean;
  /** Why executives are engaged, or null when they are not. */
  executiveRule: string | null;
};

export type RouteOwnerOptions = {
  account: AccountRecord;
  /** The account's ARR in the reporting currency. */
  arrReportingMinor: number;
  healthBand: HealthBand;
  policy: Pick<Policy, 'ownership' | 'reportingCurrency'>;
  /** The tenant's renewal specialists (user ids), assigned round-robin by a hash of the account id. */
  specialists?: readonly string[];
};

export function routeOwner({
  account,
  arrReportingMinor,
  healthBand,
  policy,
  specialists = [],
}: RouteOwnerOptions): OwnerRouting {
  const ownership = policy.ownership;
  const money = (minor: number) =>
    `${formatMinor(minor, policy.reportingCurrency)} ${policy.reportingCurrency}`;
  const arr = money(arrReportingMinor);
  const sales = (rule: string): RenewalOwner => ({
    role: 'sales',
    userId: account.ownerSales,
    rule: account.ownerSales === null ? `${rule} (no sales owner on the account)` : rule,
  });
  const csm = (rule: string): RenewalOwner => ({
    role: 'csm',
    userId: account.ownerCsm,
    rule: account.ownerCsm === null ? `${rule} (no CSM on the account)` : rule,
  });
  const specialist = (rule: string): RenewalOwner => ({
    role: 'specialist',
    userId: pickSpecialist(account.accountId, specialists),
    rule,
  });
  const hasSpecialists = ownership.tenantHasSpecialists || specialists.length > 0;

  let owner: RenewalOwner;
  switch (ownership.model) {
    case 'cs_led':
      owner = csm('CS-led: the CSM owns every renewal');
      break;
    case 'sales_led':
      owner = sales('Sales-led: Sales owns every renewal with CS support');
      break;
    case 'specialists':
      owner = hasSpecialists
        ? specialist('renewal specialists own every renewal from T-60')
        : csm('specialist model but the tenant has no specialists: the CSM owns it');
      break;
    default:
      if (healthBand === 'red' && ownership.salesTakesRed) {
        owner = sales('red account: Sales takes any red account');
      } else if (arrReportingMinor >= ownership.salesMinArrMinor) {
        owner = sales(`ARR ${arr} ≥ ${money(ownership.salesMinArrMinor)}: Sales owns`);
      } else if (hasSpecialists && arrReportingMinor < ownership.specialistsBelowArrMinor) {
        owner = specialist(
          `ARR ${arr} < ${money(ownership.specialistsBelowArrMinor)}: renewal specialists own`,
        );
      } else {
        owner = csm(`ARR ${arr} < ${money(ownership.salesMinArrMinor)}: the CSM owns`);
      }
  }

  const engagement = ownership.executiveEngagement;
  let executiveRule: string | null = null;
  if (engagement.strategic && account.strategic) executiveRule = 'strategic account';
  else if (arrReportingMinor >= engagement.minArrMinor)
    executiveRule = `ARR ${arr} ≥ ${money(engagement.minArrMinor)}`;
  else if (healthBand === 'red' && arrReportingMinor >= engagement.redMinArrMinor) {
    executiveRule = `red account with ARR ${arr} ≥ ${money(engagement.redMinArrMinor)}`;
  }
  return { owner, executiveEngagement: executiveRule !== null, executiveRule };
}

/** Deterministic round-robin: FNV-1a hash of the account id modulo the number of specialists. */
export function pickSpecialist(accountId: string, specialists: readonly string[]): string | null {
  if (specialists.length === 0) return null;
  return specialists[fnv1a(accountId) % specialists.length] ?? null;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
