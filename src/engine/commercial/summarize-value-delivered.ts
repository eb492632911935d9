/**
 * The "value delivered" section of a renewal proposal (DOMAIN.md 4 "value documentation" and 7):
 * usage and adoption trends, support and sentiment, and the ROI stated concretely in hours and money
 * ("78 h/week saved ≈ $585,000/year"). Pure: the account's records and the assumptions in, numbers
 * and sentences out; no I/O, no clock.
 *
 * ROI rule: hours saved per week = latest active users × minutes saved per active user per week ÷ 60;
 * value per year = hours per week × working weeks per year × the loaded hourly cost in the contract
 * currency, computed in BigInt minor units and rounded once (half away from zero). Defaults: one hour
 * per active user per week, 50 working weeks, and a loaded hourly cost of 150 (USD) — the rate the
 * guides' own example implies ("10 h/week saved = $75,000/year" = 10 × 50 × 150). Currencies
 * without a configured hourly cost get hours only, never a guessed conversion.
 */
import { z } from 'zod';
import { addDays, type CalendarDate } from '../../domain/calendar.ts';
import type { SurveyRecord, TicketRecord, UsageRecord } from '../../domain/records.ts';

export const ValueAssumptionsSchema = z.object({
  minutesSavedPerActiveUserPerWeek: z.number().int().min(0).max(2400).default(60),
  workingWeeksPerYear: z.number().int().min(1).max(52).default(50),
  /** Loaded cost of one hour of a customer employee's time, in minor units per currency. */
  loadedHourlyCostMinor: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().int().min(0)).default(() => ({
    USD: 15_000,
    EUR: 14_000,
    GBP: 12_000,
    CHF: 14_000,
    CAD: 20_000,
    AUD: 22_000,
    JPY: 22_000,
  })),
});
export type ValueAssumptionsInput = z.input<typeof ValueAssumptionsSchema>;

export type UsagePoint = { date: CalendarDate; activeUsers: number };

export type ValueReview = {
  asOf: CalendarDate;
  usage: {
    latestDate: CalendarDate;
    activeUsers: number;
    licensedSeats: number | null;
    /** Whole percent of licensed seats active. */
    seatAdoptionPct: number | null;
    /** Active users now vs the baseline (about 90 days earlier), whole percent. */
    baselineDate: CalendarDate | null;
    activeUsersChangePct: number | null;
    peakActiveUsers: number;
    coreFeatureAdoptionPct: number | null;
    coreFeatureAdoptionChangePts: number | null;
    /** Up to the last 26 data points, oldest first (for the trend chart). */
    points: UsagePoint[];
  } | null;
  support: { ticketsLastYear: number; highOrUrgent: number; averageCsatTenths: number | null };
  sentiment: { latestNps: { score: number; date: CalendarDate } | null };
  roi: {
    activeUsers: number;
    minutesSavedPerActiveUserPerWeek: number;
    workingWeeksPerYear: number;
    /** Hours per week in tenths (display: 78.5 h). */
    hoursPerWeekTenths: number;
    hoursPerYear: number;
    currency: string;
    hourlyCostMinor: number | null;
    valuePerYearMinor: number | null;
  } | null;
  /** Ready-made sentences for the proposal ("78 of 100 licensed seats are active (78%)"). */
  highlights: string[];
};

export type SummarizeValueDeliveredOptions = {
  usage: readonly UsageRecord[];
  tickets: readonly TicketRecord[];
  surveys: readonly SurveyRecord[];
  contractSeats: number | null;
  currency: string;
  asOf: CalendarDate;
  assumptions?: ValueAssumptionsInput;
  /** Formats an amount for the highlight sentences (e.g. `$75,000`). */
  formatAmount: (minor: number, currency: string) => string;
};

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function wholePercent(part: number, whole: number): number {
  return Number(divideRounded(BigInt(part) * 100n, BigInt(whole)));
}

function changePercent(now: number, before: number): number {
  const delta = BigInt(now - before) * 100n;
  const magnitude = divideRounded(delta < 0n ? -delta : delta, BigInt(before));
  return Number(delta < 0n ? -magnitude : magnitude);
}

function formatTenths(tenths: number): string {
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

export function summarizeValueDelivered({
  usage,
  tickets,
  surveys,
  contractSeats,
  currency,
  asOf,
  assumptions: assumptionsInput,
  formatAmount,
}: SummarizeValueDeliveredOptions): ValueReview {
  const assumptions = ValueAssumptionsSchema.parse(assumptionsInput ?? {});
  const highlights: string[] = [];
  const history = usage
    .filter((row) => row.date <= asOf)
    .slice()
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  let usageSummary: ValueReview['usage'] = null;
  const latest = history.at(-1);
  if (latest) {
    const licensed = latest.licensedSeats ?? contractSeats;
    const seatAdoptionPct = licensed && licensed > 0 ? wholePercent(latest.activeUsers, licensed) : null;
    const baselineFrom = addDays(latest.date, -90);
    const baseline = history.find((row) => row.date >= baselineFrom && row.date < latest.date) ?? null;
    const activeUsersChangePct =
      baseline && baseline.activeUsers > 0 ? changePercent(latest.activeUsers, baseline.activeUsers) : null;
    const withFeatures = history.filter((row) => row.coreFeatureAdoptionPct !== null);
    const latestFeatures = withFeatures.at(-1)?.coreFeatureAdoptionPct ?? null;
    const baselineFeatures =
      withFeatures.find((row) => row.date >= baselineFrom)?.coreFeatureAdoptionPct ?? latestFeatures;
    usageSummary = {
      latestDate: latest.date,
      activeUsers: latest.activeUsers,
      licensedSeats: licensed,
      seatAdoptionPct,
      baselineDate: baseline?.date ?? null,
      activeUsersChangePct,
      peakActiveUsers: Math.max(...history.map((row) => row.activeUsers)),
      coreFeatureAdoptionPct: latestFeatures === null ? null : Math.round(latestFeatures),
      coreFeatureAdoptionChangePts:
        latestFeatures === null || baselineFeatures === null
          ? null
          : Math.round(latestFeatures) - Math.round(baselineFeatures),
      points: history.slice(-26).map((row) => ({ date: row.date, activeUsers: row.activeUsers })),
    };
    highlights.push(
      licensed
        ? `${latest.activeUsers} of ${licensed} licensed seats are active (${seatAdoptionPct}%) as of ${latest.date}`
        : `${latest.activeUsers} active users as of ${latest.date}`,
    );
    if (activeUsersChangePct !== null && baseline) {
      highlights.push(
        activeUsersChangePct === 0
          ? `Active users held steady since ${baseline.date}`
          : `Active users ${activeUsersChangePct > 0 ? 'up' : 'down'} ${Math.abs(activeUsersChangePct)}% since ${baseline.date} (${baseline.activeUsers} → ${latest.activeUsers})`,
      );
    }
    if (usageSummary.coreFeatureAdoptionPct !== null) {
      highlights.push(`Core-feature adoption at ${usageSummary.coreFeatureAdoptionPct}%`);
    }
  }

  const yearAgo = addDays(asOf, -365);
  const recentTickets = tickets.filter((ticket) => ticket.openedOn >= yearAgo && ticket.openedOn <= asOf);
  const rated = recentTickets.filter((ticket) => ticket.csat !== null);
  const csatSum = rated.reduce((sum, ticket) => sum + (ticket.csat ?? 0), 0);
  const support = {
    ticketsLastYear: recentTickets.length,
    highOrUrgent: recentTickets.filter((ticket) => ticket.priority === 'high' || ticket.priority === 'urgent')
      .length,
    averageCsatTenths:
      rated.length === 0 ? null : Number(divideRounded(BigInt(csatSum) * 10n, BigInt(rated.length))),
  };
  highlights.push(
    `${support.ticketsLastYear} support ticket${support.ticketsLastYear === 1 ? '' : 's'} in the last 12 months${
      support.averageCsatTenths === null
        ? ''
        : `, average CSAT ${formatTenths(support.averageCsatTenths)} / 5`
    }`,
  );

  const nps = surveys
    .filter((survey) => survey.kind === 'nps' && survey.date <= asOf)
    .slice()
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .at(-1);
  const sentiment = { latestNps: nps ? { score: nps.score, date: nps.date } : null };
  if (nps) highlights.push(`Latest NPS response: ${nps.score} / 10 (${nps.date})`);

  let roi: ValueReview['roi'] = null;
  if (latest && latest.activeUsers > 0 && assumptions.minutesSavedPerActiveUserPerWeek > 0) {
    const minutesPerWeek = BigInt(latest.activeUsers) * BigInt(assumptions.minutesSavedPerActiveUserPerWeek);
    const hoursPerWeekTenths = Number(divideRounded(minutesPerWeek, 6n));
    const hoursPerYear = Number(divideRounded(minutesPerWeek * BigInt(assumptions.workingWeeksPerYear), 60n));
    const hourlyCostMinor = assumptions.loadedHourlyCostMinor[currency] ?? null;
    const valuePerYearMinor =
      hourlyCostMinor === null
        ? null
        : Number(
            divideRounded(
              minutesPerWeek * BigInt(assumptions.workingWeeksPerYear) * BigInt(hourlyCostMinor),
              60n,
            ),
          );
    roi = {
      activeUsers: latest.activeUsers,
      minutesSavedPerActiveUserPerWeek: assumptions.minutesSavedPerActiveUserPerWeek,
      workingWeeksPerYear: assumptions.workingWeeksPerYear,
      hoursPerWeekTenths,
      hoursPerYear,
      currency,
      hourlyCostMinor,
      valuePerYearMinor,
    };
    highlights.push(
      valuePerYearMinor === null
        ? `About ${formatTenths(hoursPerWeekTenths)} h/week saved (${hoursPerYear.toLocaleString('en-US')} hours a year)`
        : `About ${formatTenths(hoursPerWeekTenths)} h/week saved ≈ ${formatAmount(valuePerYearMinor, currency)}/year`,
    );
  }

  return { asOf, usage: usageSummary, support, sentiment, roi, highlights };
}
