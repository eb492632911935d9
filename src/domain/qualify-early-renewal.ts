/**
 * Early-renewal qualification (guide §6): approach only healthy, adopted, multi-threaded accounts
 * with an executive sponsor, not evaluating alternatives and not under a budget freeze, between 3
 * and 12 months before the end date, outside their industry's seasonal blackout. Every failed
 * criterion is reported (in vocabulary order), so "why not" is never a guess. A discount band is only
 * suggested for a qualified account: never chase low-health accounts with a discount.
 *
 * Months are whole calendar months (3 months before 2027-03-31 is 2026-12-31, month ends clamp);
 * `monthsEarly` is the decimal distance for display.
 */

import { addMonths, type CalendarDate, monthOf, monthsBetween, yearOf } from './calendar.ts';
import type { AccountFacts } from './collect-account-facts.ts';
import type { Policy } from './policy/policy-schema.ts';
import type { AccountRecord } from './records.ts';
import { EARLY_REASONS, type EarlyReason, type RiskFlag } from './vocabulary.ts';

export type BudgetCycle = {
  fiscalYearStartMonth: number;
  nextFiscalYearStart: CalendarDate;
  /** Months (1–12) in which to approach: budget for the next fiscal year is being planned. */
  planningMonths: number[];
  inPlanningWindow: boolean;
};

export type EarlyRenewal = {
  qualified: boolean;
  reasons: EarlyReason[];
  monthsEarly: number;
  /** Whole calendar months between asOf and the end date. */
  wholeMonthsEarly: number;
  suggestedDiscountPct: { min: number; max: number } | null;
  sweetSpot: boolean;
  /** Health at or above the target-account bar (≥ 80 by default). */
  targetAccount: boolean;
  blackout: { key: string; month: number } | null;
  budgetCycle: BudgetCycle;
  details: string[];
};

export type QualifyEarlyRenewalOptions = {
  account: AccountRecord;
  /** The contract end date (T-0). */
  dueDate: CalendarDate;
  healthScore: number;
  facts: AccountFacts;
  riskFlags: readonly RiskFlag[];
  atRisk: boolean;
  policy: Pick<Policy, 'earlyRenewal' | 'seasonalBlackouts' | 'fiscalYear' | 'pricing'>;
  asOf: CalendarDate;
};

export function qualifyEarlyRenewal({
  account,
  dueDate,
  healthScore,
  facts,
  riskFlags,
  atRisk,
  policy,
  asOf,
}: QualifyEarlyRenewalOptions): EarlyRenewal {
  const settings = policy.earlyRenewal;
  const failed = new Set<EarlyReason>();
  const details: string[] = [];

  if (healthScore < settings.minHealth) {
    failed.add('health_below_threshold');
    details.push(`health ${healthScore} < ${settings.minHealth}`);
  }

  const { seatAdoptionPct, featureAdoptionPct } = facts.usage;
  const seatsOk = seatAdoptionPct !== null && seatAdoptionPct >= settings.minSeatAdoptionPct;
  const featuresOk = featureAdoptionPct !== null && featureAdoptionPct >= settings.strongFeatureAdoptionPct;
  if (!seatsOk && !featuresOk) {
    failed.add('adoption_below_threshold');
    details.push(
      seatAdoptionPct === null && featureAdoptionPct === null
        ? 'adoption unknown'
        : `adoption: seats ${formatPct(seatAdoptionPct)} < ${settings.minSeatAdoptionPct}%, core features ${formatPct(featureAdoptionPct)} < ${settings.strongFeatureAdoptionPct}%`,
    );
  }

  const threads = facts.relationship.active.length;
  if (settings.requireMultiThreaded && threads < settings.minThreads) {
    failed.add('single_threaded');
    details.push(`${threads} active stakeholders < ${settings.minThreads}`);
  }
  if (settings.requireExecutiveSponsor && facts.relationship.executiveSponsor === null) {
    failed.add('no_executive_sponsor');
  }
  if (riskFlags.includes('competitor_evaluation')) failed.add('evaluating_alternatives');
  if (riskFlags.includes('budget_freeze')) failed.add('budget_freeze');

  const wholeMonthsEarly = wholeMonthsBetween(asOf, dueDate);
  if (asOf < addMonths(dueDate, -settings.maxMonthsEarly)) {
    failed.add('too_early');
    details.push(`more than ${settings.maxMonthsEarly} months before ${dueDate}`);
  }
  if (asOf > addMonths(dueDate, -settings.minMonthsEarly)) {
    failed.add('too_late');
    details.push(`less than ${settings.minMonthsEarly} months before ${dueDate}`);
  }

  const blackout = findBlackout(account.industry, monthOf(asOf), policy);
  if (blackout !== null) {
    failed.add('seasonal_blackout');
    details.push(`${blackout.key} blackout in month ${blackout.month}`);
  }
  if (atRisk) failed.add('already_at_risk');

  const reasons = EARLY_REASONS.filter((reason) => failed.has(reason));
  const qualified = reasons.length === 0;
  const tier = discountTier(wholeMonthsEarly, settings.maxMonthsEarly, policy.pricing.earlyRenewal.rungs);
  return {
    qualified,
    reasons,
    monthsEarly: monthsBetween(asOf, dueDate),
    wholeMonthsEarly,
    suggestedDiscountPct:
      qualified && tier !== null ? { min: tier.minBps / 100, max: tier.maxBps / 100 } : null,
    sweetSpot:
      wholeMonthsEarly >= settings.sweetSpot.fromMonths && wholeMonthsEarly < settings.sweetSpot.toMonths,
    targetAccount: healthScore >= settings.targetHealth,
    blackout,
    budgetCycle: budgetCycle(account.fiscalYearStartMonth, asOf, policy),
    details,
  };
}

/** Whole calendar months m such that `addMonths(later, -m) ≥ earlier` (negative when later < earlier). */
export function wholeMonthsBetween(earlier: CalendarDate, later: CalendarDate): number {
  let months = yearOf(later) * 12 + monthOf(later) - (yearOf(earlier) * 12 + monthOf(earlier));
  while (addMonths(later, -months) < earlier) months -= 1;
  while (addMonths(later, -(months + 1)) >= earlier) months += 1;
  return months;
}

type DiscountRung = Policy['pricing']['earlyRenewal']['rungs'][number];

/**
 * The discount rung for `months` early (the pricing ladder, shared with quotes): a rung covers
 * [its fromMonths, the next rung's), the last one up to and including `maxMonthsEarly`.
 */
function discountTier(
  months: number,
  maxMonthsEarly: number,
  rungs: readonly DiscountRung[],
): DiscountRung | null {
  if (months > maxMonthsEarly) return null;
  let found: DiscountRung | null = null;
  for (const rung of rungs) {
    if (months >= rung.fromMonths && (found === null || rung.fromMonths > found.fromMonths)) found = rung;
  }
  return found;
}

function findBlackout(
  industry: string | null,
  month: number,
  policy: Pick<Policy, 'seasonalBlackouts'>,
): { key: string; month: number } | null {
  if (industry === null) return null;
  const normalized = industry.trim().toLowerCase();
  for (const blackout of policy.seasonalBlackouts) {
    if (!blackout.months.includes(month)) continue;
    if (blackout.industries.some((name) => name.toLowerCase() === normalized))
      return { key: blackout.key, month };
  }
  return null;
}

function budgetCycle(
  fiscalYearStartMonth: number,
  asOf: CalendarDate,
  policy: Pick<Policy, 'fiscalYear'>,
): BudgetCycle {
  const { planningFromMonthsBefore, planningToMonthsBefore } = policy.fiscalYear;
  const planningMonths: number[] = [];
  for (let before = planningFromMonthsBefore; before >= planningToMonthsBefore; before -= 1) {
    planningMonths.push(((((fiscalYearStartMonth - 1 - before) % 12) + 12) % 12) + 1);
  }
  let year = yearOf(asOf);
  let start = `${String(year).padStart(4, '0')}-${String(fiscalYearStartMonth).padStart(2, '0')}-01`;
  if (start <= asOf) {
    year += 1;
    start = `${String(year).padStart(4, '0')}-${String(fiscalYearStartMonth).padStart(2, '0')}-01`;
  }
  return {
    fiscalYearStartMonth,
    nextFiscalYearStart: start,
    planningMonths,
    inPlanningWindow: planningMonths.includes(monthOf(asOf)),
  };
}

function formatPct(value: number | null): string {
  return value === null ? 'unknown' : `${Math.round(value)}%`;
}
