/**
 * What a renewal proposal says, before it is put into words (DOMAIN.md 4 "T-45 proposal" and 7):
 * one function turns the frozen terms of a proposal version into language-neutral facts — dates as
 * calendar dates, money as minor units, options, value facts, expansion items with their business
 * case, the timeline and approvals as keys. A template (`proposal-templates.ts`) puts them into
 * English, Japanese or German; the HTML and PDF renderers draw the same composed document.
 *
 * Option and line-item labels come from the pricing engine in English; the content model reads
 * their structure (key, term, schedule, discount, seats) instead, so each language names them
 * itself. Labels a tenant wrote in its policy (add-ons, incentives) are shown as written.
 */
import { addDays, type CalendarDate, minDate } from '../domain/calendar.ts';
import type { ApprovalStep, ProposalStatus } from '../domain/pricing/approval-workflow.ts';
import type { QuoteLineItem, QuoteOption, QuoteSchedule } from '../domain/pricing/quote-renewal-options.ts';
import type { ProposalTerms } from '../engine/commercial/proposal-records.ts';

/** Offers hold for 30 days, and never past the end of the current term. */
export const OFFER_VALID_DAYS = 30;

export function offerValidUntil(terms: ProposalTerms): CalendarDate {
  return minDate(addDays(terms.asOf, OFFER_VALID_DAYS), terms.renewal.dueDate);
}

/** How an option is named, from its structure (each template words it). */
export type OptionName =
  | {
      kind: 'package';
      tier: 'good' | 'better' | 'best';
      termYears: number;
      schedule: QuoteSchedule;
      earlyBps: number;
      extras: ScopeLine[];
    }
  | { kind: 'uplift'; upliftBps: number }
  | { kind: 'volume'; seats: number; change: number }
  | { kind: 'early'; earlyBps: number }
  | { kind: 'multi_year'; termYears: number; schedule: QuoteSchedule; earlyBps: number; stepsBps: number[] }
  | { kind: 'other'; label: string };

/** One line of an option's scope. */
export type ScopeLine =
  | { kind: 'subscription'; seats: number | null }
  | { kind: 'extra_seats'; seats: number }
  | { kind: 'extra_scope'; bps: number }
  | { kind: 'add_on'; label: string; seats: number | null }
  | { kind: 'other'; label: string };

export type OptionContent = {
  key: string;
  name: OptionName;
  termYears: number;
  years: number[];
  totalMinor: number;
  /** Positive: below list; negative: above list. */
  discountBps: number;
  recommended: boolean;
  scope: ScopeLine[];
};

export type ValueFact =
  | { kind: 'seats_active'; active: number; licensed: number; pct: number; on: CalendarDate }
  | { kind: 'active_users'; active: number; on: CalendarDate }
  | { kind: 'users_change'; pct: number; since: CalendarDate; from: number | null; to: number }
  | { kind: 'core_adoption'; pct: number }
  | { kind: 'support'; tickets: number; csatTenths: number | null }
  | { kind: 'nps'; score: number; on: CalendarDate }
  | { kind: 'time_saved'; hoursPerWeekTenths: number; hoursPerYear: number; valueMinor: number | null };

export type RoiContent = {
  activeUsers: number;
  minutesPerUserPerWeek: number;
  workingWeeks: number;
  hoursPerWeekTenths: number;
  hoursPerYear: number;
  hourlyCostMinor: number | null;
  valuePerYearMinor: number | null;
};

export type BusinessCase =
  | { kind: 'adoption'; seatAdoptionPct: number; growthPct: number | null }
  | { kind: 'headroom' }
  | { kind: 'extends_value' };

export type ExpansionItem = { option: OptionName; line: ScopeLine; perYearMinor: number; case: BusinessCase };

export type TimelineStep = 'T-60' | 'T-45' | 'T-30' | 'T-14' | 'T-7' | 'T-0' | 'sign' | 'new_term';

export type ProposalContent = {
  proposalId: number;
  version: number;
  status: ProposalStatus;
  /** Not an offer yet: a DRAFT banner says why. */
  draft: 'pending' | 'rejected' | null;
  createdAt: string;
  preparedOn: CalendarDate;
  currency: string;
  account: { accountId: string; name: string; country: string | null };
  contract: {
    contractId: string;
    startDate: CalendarDate;
    endDate: CalendarDate;
    arrMinor: number;
    seats: number | null;
    autoRenew: boolean;
  };
  preparedFor: { name: string; role: string } | null;
  owner: { name: string; email: string } | null;
  recommended: OptionContent;
  /** The first value fact, for the executive summary. */
  headline: ValueFact | null;
  roi: RoiContent | null;
  /** Value per year ÷ year-1 investment, in tenths (34 = 3.4×); null without a money value. */
  roiMultipleTenths: number | null;
  facts: ValueFact[];
  /** Active users over time, oldest first; empty with fewer than two points. */
  usageTrend: { date: CalendarDate; activeUsers: number }[];
  options: OptionContent[];
  incentives: { label: string; valueMinor: number | null }[];
  customTerms: string | null;
  expansion: ExpansionItem[];
  timeline: { date: CalendarDate; step: TimelineStep }[];
  approvals: { role: string; status: ApprovalStep['status']; decidedOn: CalendarDate | null }[];
  contacts: { role: string; name: string; email: string | null }[];
  validUntil: CalendarDate;
};

export type BuildProposalContentOptions = {
  proposalId: number;
  version: number;
  status: ProposalStatus;
  terms: ProposalTerms;
  steps: readonly ApprovalStep[];
  /** The version's creation instant: the document date and the PDF's creation date. */
  createdAt: string;
};

const MILESTONE_STEPS: ReadonlySet<string> = new Set(['T-60', 'T-45', 'T-30', 'T-14', 'T-7', 'T-0']);

function scopeLine(line: QuoteLineItem, option: QuoteOption, baseSeats: number | null): ScopeLine {
  if (line.key === 'subscription')
    return { kind: 'subscription', seats: option.seats === null ? null : baseSeats };
  if (line.key === 'expansion_seats' && option.seats !== null && baseSeats !== null) {
    return { kind: 'extra_seats', seats: option.seats - baseSeats };
  }
  const scope = line.key === 'expansion_scope' ? /\(\+(\d+(?:\.\d{1,2})?)%\)/.exec(line.label) : null;
  if (scope) return { kind: 'extra_scope', bps: Math.round(Number(scope[1]) * 100) };
  if (line.key.startsWith('add_on_')) {
    const perSeat = /^(.*) \((\d+) seats\)$/.exec(line.label);
    return perSeat
      ? { kind: 'add_on', label: perSeat[1]!, seats: Number(perSeat[2]) }
      : { kind: 'add_on', label: line.label, seats: null };
  }
  return { kind: 'other', label: line.label };
}

/** The subscription line of a volume change names its new seat count. */
function scopeOf(option: QuoteOption, contractSeats: number | null): ScopeLine[] {
  const base = option.key === 'volume_change' ? option.seats : contractSeats;
  return option.lineItems
    .filter((line) => line.kind !== 'incentive')
    .map((line) => scopeLine(line, option, base));
}

function stepsOf(option: QuoteOption): number[] {
  const steps: number[] = [];
  for (let index = 1; index < option.years.length; index++) {
    const before = option.years[index - 1]!.amountMinor;
    const now = option.years[index]!.amountMinor;
    steps.push(before > 0 ? Math.round(((now - before) * 10_000) / before) : 0);
  }
  return steps;
}

export function optionName(option: QuoteOption, contractSeats: number | null): OptionName {
  const earlyBps = Math.max(0, -option.yearOneAdjustmentBps);
  if (option.key === 'good' || option.key === 'better' || option.key === 'best') {
    return {
      kind: 'package',
      tier: option.key,
      termYears: option.termYears,
      schedule: option.schedule,
      earlyBps,
      extras: scopeOf(option, contractSeats).filter((line) => line.kind !== 'subscription'),
    };
  }
  if (option.key === 'uplift') return { kind: 'uplift', upliftBps: option.yearOneAdjustmentBps };
  if (option.key === 'volume_change' && option.seats !== null && contractSeats !== null) {
    return { kind: 'volume', seats: option.seats, change: option.seats - contractSeats };
  }
  if (option.key === 'early_renewal') return { kind: 'early', earlyBps };
  if (option.key.startsWith('multi_year_')) {
    return {
      kind: 'multi_year',
      termYears: option.termYears,
      schedule: option.schedule,
      earlyBps,
      stepsBps: option.schedule === 'escalating' ? stepsOf(option) : [],
    };
  }
  return { kind: 'other', label: option.label };
}

function optionContent(option: QuoteOption, terms: ProposalTerms): OptionContent {
  return {
    key: option.key,
    name: optionName(option, terms.contract.seats),
    termYears: option.termYears,
    years: option.years.map((year) => year.amountMinor),
    totalMinor: option.totalContractValueMinor,
    discountBps: option.effectiveDiscountBps,
    recommended: option.key === terms.chosenOptionKey,
    scope: scopeOf(option, terms.contract.seats),
  };
}

/** Good / better / best, plus the recommended option when it is none of them. */
function presentedOptions(terms: ProposalTerms): QuoteOption[] {
  const packages = terms.options.filter((option) => ['good', 'better', 'best'].includes(option.key));
  if (!packages.some((option) => option.key === terms.chosenOptionKey)) packages.push(terms.chosen);
  return packages;
}

function valueFacts(terms: ProposalTerms): ValueFact[] {
  const { usage, support, sentiment, roi } = terms.value;
  const facts: ValueFact[] = [];
  if (usage) {
    facts.push(
      usage.licensedSeats && usage.seatAdoptionPct !== null
        ? {
            kind: 'seats_active',
            active: usage.activeUsers,
            licensed: usage.licensedSeats,
            pct: usage.seatAdoptionPct,
            on: usage.latestDate,
          }
        : { kind: 'active_users', active: usage.activeUsers, on: usage.latestDate },
    );
    if (usage.activeUsersChangePct !== null && usage.baselineDate !== null) {
      const baseline = usage.points.find((point) => point.date === usage.baselineDate);
      facts.push({
        kind: 'users_change',
        pct: usage.activeUsersChangePct,
        since: usage.baselineDate,
        from: baseline?.activeUsers ?? null,
        to: usage.activeUsers,
      });
    }
    if (usage.coreFeatureAdoptionPct !== null) {
      facts.push({ kind: 'core_adoption', pct: usage.coreFeatureAdoptionPct });
    }
  }
  facts.push({ kind: 'support', tickets: support.ticketsLastYear, csatTenths: support.averageCsatTenths });
  if (sentiment.latestNps) {
    facts.push({ kind: 'nps', score: sentiment.latestNps.score, on: sentiment.latestNps.date });
  }
  if (roi) {
    facts.push({
      kind: 'time_saved',
      hoursPerWeekTenths: roi.hoursPerWeekTenths,
      hoursPerYear: roi.hoursPerYear,
      valueMinor: roi.valuePerYearMinor,
    });
  }
  return facts;
}

function businessCase(terms: ProposalTerms, line: ScopeLine): BusinessCase {
  if (line.kind !== 'extra_seats' && line.kind !== 'extra_scope') return { kind: 'extends_value' };
  const usage = terms.value.usage;
  if (usage?.seatAdoptionPct != null) {
    return {
      kind: 'adoption',
      seatAdoptionPct: usage.seatAdoptionPct,
      growthPct:
        usage.activeUsersChangePct !== null && usage.activeUsersChangePct > 0
          ? usage.activeUsersChangePct
          : null,
    };
  }
  return { kind: 'headroom' };
}

function expansionItems(terms: ProposalTerms, options: readonly QuoteOption[]): ExpansionItem[] {
  const items = new Map<string, ExpansionItem>();
  for (const option of [...options].reverse()) {
    for (const line of option.lineItems) {
      const key = `${option.key}:${line.key}`;
      if (line.kind !== 'expansion' || items.has(key)) continue;
      const scope = scopeLine(line, option, terms.contract.seats);
      items.set(key, {
        option: optionName(option, terms.contract.seats),
        line: scope,
        perYearMinor: line.years[0]?.amountMinor ?? 0,
        case: businessCase(terms, scope),
      });
    }
  }
  return [...items.values()];
}

export function buildProposalContent({
  proposalId,
  version,
  status,
  terms,
  steps,
  createdAt,
}: BuildProposalContentOptions): ProposalContent {
  const { account, contract, renewal, chosen, value } = terms;
  const presented = presentedOptions(terms);
  const roi = value.roi;
  const firstYear = chosen.years[0]?.amountMinor ?? 0;
  const validUntil = offerValidUntil(terms);
  const facts = valueFacts(terms);
  const buyer = terms.contacts[0];
  return {
    proposalId,
    version,
    status,
    draft:
      status === 'rejected'
        ? 'rejected'
        : status === 'draft' || status === 'pending_approval'
          ? 'pending'
          : null,
    createdAt,
    preparedOn: terms.asOf,
    currency: contract.currency,
    account: { accountId: account.accountId, name: account.name, country: account.country },
    contract: {
      contractId: contract.contractId,
      startDate: contract.startDate,
      endDate: contract.endDate,
      arrMinor: contract.arrMinor,
      seats: contract.seats,
      autoRenew: contract.autoRenew,
    },
    preparedFor: buyer ? { name: buyer.name, role: buyer.role } : null,
    owner: terms.owner ? { name: terms.owner.name, email: terms.owner.email } : null,
    recommended: optionContent(chosen, terms),
    headline: facts[0] ?? null,
    roi: roi
      ? {
          activeUsers: roi.activeUsers,
          minutesPerUserPerWeek: roi.minutesSavedPerActiveUserPerWeek,
          workingWeeks: roi.workingWeeksPerYear,
          hoursPerWeekTenths: roi.hoursPerWeekTenths,
          hoursPerYear: roi.hoursPerYear,
          hourlyCostMinor: roi.hourlyCostMinor,
          valuePerYearMinor: roi.valuePerYearMinor,
        }
      : null,
    roiMultipleTenths:
      roi?.valuePerYearMinor != null && firstYear > 0
        ? Number((BigInt(roi.valuePerYearMinor) * 10n) / BigInt(firstYear))
        : null,
    facts,
    usageTrend: value.usage && value.usage.points.length > 1 ? value.usage.points : [],
    options: presented.map((option) => optionContent(option, terms)),
    incentives: chosen.incentives.map((incentive) => ({
      label: incentive.label,
      valueMinor: incentive.valueMinor,
    })),
    customTerms: terms.customTerms,
    expansion: expansionItems(terms, presented),
    timeline: [
      ...renewal.milestones
        .filter(
          (milestone) =>
            milestone.date > terms.asOf && milestone.date < validUntil && MILESTONE_STEPS.has(milestone.key),
        )
        .map((milestone) => ({ date: milestone.date, step: milestone.key as TimelineStep })),
      { date: validUntil, step: 'sign' },
      { date: addDays(renewal.dueDate, 1), step: 'new_term' },
    ],
    approvals: steps.map((step) => ({
      role: step.role,
      status: step.status,
      decidedOn: step.status === 'approved' && step.decidedAt ? step.decidedAt.slice(0, 10) : null,
    })),
    contacts: terms.contacts.slice(0, 4).map((contact) => ({
      role: contact.role,
      name: contact.name,
      email: contact.email,
    })),
    validUntil,
  };
}
