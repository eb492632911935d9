/**
 * Money and dates, as properties over generated cases (100 000 proposals and 10 000 date × zone ×
 * offset cases in full; 5 000 and 2 000 inside `npm test`):
 * - every priced option: lines sum exactly to each year, years to the total, in the contract's
 *   currency only (an add-on without a price in that currency is left out with a warning, never
 *   priced in another); the JSON amounts parse back to the same minor units with the currency's
 *   decimals; a sum across currencies needs a rate (none → `missing_fx_rate`, never a silent mix);
 * - every renewal timeline: each milestone exactly once, on the calendar date Temporal computes
 *   (Feb 29, month ends, notice-anchored); due exactly from its date, never before;
 * - the daily schedule in a zone: the run for local day D happens at an instant whose local date is D
 *   — across DST gaps and overlaps — and exactly once (D is the latest due day from that instant
 *   until the next day's run).
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isCalendarDate } from '../../src/domain/calendar.ts';
import { DomainError } from '../../src/domain/domain-error.ts';
import { currencyExponent, parseMoney } from '../../src/domain/money.ts';
import { planRenewalTimeline } from '../../src/domain/plan-renewal-timeline.ts';
import { DEFAULT_POLICY } from '../../src/domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../src/domain/policy/to-reporting-currency.ts';
import { formatQuote } from '../../src/domain/pricing/format-quote.ts';
import { type PricingPolicyInput, PricingPolicySchema } from '../../src/domain/pricing/pricing-policy.ts';
import {
  type QuoteRenewalOptionsOptions,
  quoteRenewalOptions,
} from '../../src/domain/pricing/quote-renewal-options.ts';
import type { ContractRecord } from '../../src/domain/records.ts';
import { milestoneOffsetDays } from '../../src/domain/vocabulary.ts';
import { latestDueDay, localDate, runInstantFor } from '../../src/jobs/daily-run-schedule.ts';
import { FULL, report, size } from './support.ts';

const PROPOSALS = size(1_000, 100_000);
const DATE_CASES = size(500, 10_000);
const TIMEOUT = FULL ? 1_800_000 : 120_000;
const PRICED_IN = ['USD', 'JPY', 'BHD'];

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

const bps = (max: number) => fc.integer({ min: 0, max });
const rung = (fromMonths: number) =>
  bps(4000).map((defaultBps) => ({ fromMonths, defaultBps, minBps: 0, maxBps: 10_000 }));

const policy = fc
  .record({
    uplift: fc.record({ defaultBps: bps(3000) }),
    listIncreaseBps: bps(2000),
    earlyRenewal: fc.record({
      rungs: fc.tuple(rung(3), rung(6), rung(9)),
      maxMonthsEarly: fc.constantFrom(10, 12, 15),
    }),
    multiYear: fc.record({
      stackingCap: fc.record({
        twoYears: fc.record({ defaultBps: bps(4000), minBps: fc.constant(0), maxBps: fc.constant(10_000) }),
        threeYears: fc.record({ defaultBps: bps(4000), minBps: fc.constant(0), maxBps: fc.constant(10_000) }),
      }),
      escalation: fc.record({
        yearTwo: fc.record({ defaultBps: bps(1000) }),
        yearThree: fc.record({ defaultBps: bps(1500) }),
      }),
    }),
    discount: fc.record({ capBps: bps(5000), anchoringFromBps: bps(5000) }),
    packages: fc.record({
      better: fc.record({
        seatIncreaseBps: bps(5000),
        termYears: fc.constantFrom(1 as const, 2 as const, 3 as const),
        addOnKeys: fc.constantFrom([], ['sso'], ['analytics']),
        schedule: fc.constantFrom('fixed' as const, 'escalating' as const),
      }),
      best: fc.record({
        seatIncreaseBps: bps(5000),
        termYears: fc.constantFrom(1 as const, 2 as const, 3 as const),
        addOnKeys: fc.constantFrom([], ['analytics'], ['analytics', 'sso']),
        schedule: fc.constantFrom('fixed' as const, 'escalating' as const),
      }),
    }),
    expansion: fc.constant({
      addOns: [
        {
          key: 'analytics',
          label: 'Analytics',
          pricing: { kind: 'per_seat' as const, perSeatMinor: { USD: 1_250, JPY: 180, BHD: 4_125 } },
        },
        { key: 'sso', label: 'SSO', pricing: { kind: 'arr_pct' as const, bps: 333 } },
      ],
    }),
  })
  .map((input) => PricingPolicySchema.parse(input as unknown as PricingPolicyInput));

const contract: fc.Arbitrary<ContractRecord> = fc.record({
  contractId: fc.constant('C-1'),
  accountId: fc.constant('A-1'),
  startDate: fc.constant('2026-01-01'),
  endDate: fc.constant('2026-12-31'),
  arrMinor: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 1_000_000_000_000 })),
  currency: fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'KWD', 'CLP', 'GBP', 'ISK'),
  seats: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  autoRenew: fc.boolean(),
  paymentOnFile: fc.boolean(),
  noticeDays: fc.constant(null),
  status: fc.constant('active' as const),
  previousContractId: fc.constant(null),
});

const quoteInput: fc.Arbitrary<QuoteRenewalOptionsOptions> = fc.record({
  contract,
  segment: fc.constantFrom('enterprise' as const, 'mid_market' as const, 'smb' as const),
  monthsEarly: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 15, noNaN: true })),
  earlyQualified: fc.boolean(),
  healthBand: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const),
  expansionSignal: fc.boolean(),
  policy,
  seatsChange: fc.option(fc.integer({ min: -500, max: 500 }), { nil: undefined }),
  customTerms: fc.boolean(),
});

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('money: generated proposals', () => {
  it(`${PROPOSALS} proposals: exact sums in one currency, amounts round-trip`, { timeout: TIMEOUT }, () => {
    let options = 0;
    fc.assert(
      fc.property(quoteInput, (input) => {
        const quote = quoteRenewalOptions(input);
        const currency = input.contract.currency;
        check(quote.currency === currency, () => `quote in ${quote.currency}, contract in ${currency}`);
        const json = formatQuote(quote);
        check(json.currency === currency, () => 'json currency');
        for (const [index, option] of quote.options.entries()) {
          options += 1;
          const where = () => `${currency} ${option.key}: ${JSON.stringify(option)}`;
          const years = option.years.map((year) => year.amountMinor);
          check(years.length === option.termYears, where);
          check(sum(years) === option.totalContractValueMinor, where);
          check(sum(option.listYears.map((y) => y.amountMinor)) === option.listTotalMinor, where);
          option.years.forEach((year, y) => {
            check(
              sum(option.lineItems.map((line) => line.years[y]!.amountMinor)) === year.amountMinor,
              where,
            );
          });
          check(
            sum(option.lineItems.map((line) => line.totalMinor)) === option.totalContractValueMinor,
            where,
          );
          for (const value of [
            ...years,
            ...option.lineItems.flatMap((l) => l.years.map((y) => y.amountMinor)),
          ]) {
            check(Number.isSafeInteger(value) && value >= 0, where);
          }
          // A per-seat add-on is priced only from its price in this currency: never another currency's.
          if (!PRICED_IN.includes(currency)) {
            check(!option.lineItems.some((line) => line.key === 'add_on_analytics'), where);
          }
          const rendered = json.options[index]!;
          check(rendered.totalContractValue.currency === currency, where);
          const decimals = currencyExponent(currency);
          for (const amount of [rendered.totalContractValue.amount, ...rendered.years.map((y) => y.amount)]) {
            const fraction = amount.split('.')[1] ?? '';
            check(
              fraction.length === decimals,
              () => `${amount} should have ${decimals} decimals in ${currency}`,
            );
          }
          const parsed = parseMoney(rendered.totalContractValue.amount, currency);
          check('minor' in parsed && parsed.minor === option.totalContractValueMinor, where);
          check(
            sum(
              rendered.years.map((y) => {
                const p = parseMoney(y.amount, currency);
                return 'minor' in p ? p.minor : Number.NaN;
              }),
            ) === option.totalContractValueMinor,
            where,
          );
        }
        if (!PRICED_IN.includes(currency) && input.contract.seats !== null) {
          const wantsAnalytics =
            input.policy.packages.best.addOnKeys.includes('analytics') ||
            input.policy.packages.better.addOnKeys.includes('analytics');
          if (wantsAnalytics && quote.options.some((o) => o.key === 'best' || o.key === 'better')) {
            const warned = [...quote.warnings, ...quote.options.flatMap((o) => o.warnings)].some(
              (w) => w.code === 'add_on_price_missing',
            );
            check(warned, () => `no add_on_price_missing warning for ${currency}`);
          }
        }
      }),
      { numRuns: PROPOSALS },
    );
    report('money', { proposals: PROPOSALS, options });
  });

  it('no sum across currencies without a rate: conversion needs the policy’s rate or refuses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'CHF', 'CLP', 'KWD'),
        fc.constantFrom('USD', 'EUR', 'JPY'),
        fc.boolean(),
        (minor, currency, reporting, withRate) => {
          const fxRates: Record<string, string> = withRate ? { [currency]: '1.2345' } : {};
          const run = () =>
            toReportingCurrency({ minor, currency, policy: { reportingCurrency: reporting, fxRates } });
          if (currency === reporting) return run() === minor;
          if (!withRate) {
            const error = (() => {
              try {
                run();
                return null;
              } catch (caught) {
                return caught;
              }
            })();
            return error instanceof DomainError && error.code === 'missing_fx_rate';
          }
          const converted = run();
          return Number.isSafeInteger(converted) && converted >= 0;
        },
      ),
      { numRuns: size(500, 20_000) },
    );
  });
});

// --- dates -----------------------------------------------------------------------------------

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Europe/Berlin',
  'Europe/London',
  'Europe/Dublin',
  'Africa/Casablanca',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Auckland',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];
const SPECIAL_DATES = [
  '2024-02-29',
  '2028-02-29',
  '2026-02-28',
  '2027-03-01',
  '2026-01-31',
  '2026-03-31',
  '2026-04-30',
  '2026-12-31',
  '2027-03-14',
  '2027-03-28',
  '2027-11-07',
  '2027-10-31',
  '2026-04-05',
  '2026-09-27',
  '2027-04-04',
];

const calendarDate = fc.oneof(
  fc.constantFrom(...SPECIAL_DATES),
  fc.integer({ min: 0, max: 365 * 30 }).map((n) => addDays('2016-01-01', n)),
);

const segmentAndMotion = fc.constantFrom(
  { segment: 'enterprise' as const, motion: 'negotiated' as const, atRisk: false },
  { segment: 'mid_market' as const, motion: 'assisted' as const, atRisk: false },
  { segment: 'smb' as const, motion: 'auto' as const, atRisk: false },
  { segment: 'mid_market' as const, motion: 'assisted' as const, atRisk: true },
);

describe('dates: milestones on the right day, runs on the right local date', () => {
  it(`${DATE_CASES} date × zone × offset cases`, { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        calendarDate,
        fc.constantFrom(...ZONES),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
        fc.boolean(),
        fc.integer({ min: -200, max: 40 }),
        segmentAndMotion,
        fc.constantFrom('00:00', '00:30', '01:30', '02:00', '02:30', '03:00', '06:00', '23:59'),
        (endDate, zone, noticeDays, anchorOnNotice, asOfOffset, kind, localTime) => {
          // Milestones: each once, at the exact calendar offset Temporal computes.
          const policy = {
            ...DEFAULT_POLICY,
            timeline: { ...DEFAULT_POLICY.timeline, anchorOnNoticeDeadline: anchorOnNotice },
          };
          const record: ContractRecord = {
            contractId: 'C-1',
            accountId: 'A-1',
            startDate: addDays(endDate, -365),
            endDate,
            arrMinor: 100_000,
            currency: 'USD',
            seats: 10,
            autoRenew: noticeDays !== null,
            paymentOnFile: false,
            noticeDays,
            status: 'active',
            previousContractId: null,
          };
          const anchor = Temporal.PlainDate.from(endDate).subtract({
            days: anchorOnNotice && noticeDays !== null ? noticeDays : 0,
          });
          const asOf = anchor.add({ days: asOfOffset }).toString();
          const timeline = planRenewalTimeline({
            contract: record,
            ...kind,
            ownerRole: 'csm',
            policy,
            asOf,
          });
          check(timeline.anchorDate === anchor.toString(), () => `anchor ${timeline.anchorDate} ≠ ${anchor}`);
          const keys = timeline.milestones.map((m) => m.key);
          check(new Set(keys).size === keys.length, () => `milestone twice: ${keys.join(',')}`);
          for (const milestone of timeline.milestones) {
            const expected = anchor.subtract({ days: milestoneOffsetDays(milestone.key) }).toString();
            check(
              milestone.date === expected,
              () => `${milestone.key} on ${milestone.date}, expected ${expected}`,
            );
          }
          const dueKeys = timeline.dueTasks.map((t) => `${t.milestone}:${t.key}`);
          check(new Set(dueKeys).size === dueKeys.length, () => `a task due twice: ${dueKeys.join(',')}`);
          for (const milestone of timeline.milestones) {
            const due = timeline.dueTasks.some((t) => t.milestone === milestone.key);
            if (timeline.lapsed) check(!due, () => 'a task due after the renewal lapsed');
            else if (milestone.tasks.length > 0) {
              check(
                due === milestone.date <= asOf,
                () => `${milestone.key} (${milestone.date}) due=${due} as of ${asOf}`,
              );
            }
          }

          // The run for local day D in the zone: at an instant whose local date is D, exactly once.
          const day = endDate;
          const at = runInstantFor({ zone, localTime, day });
          check(
            localDate(zone, at) === day,
            () => `run for ${day} ${localTime} ${zone} at ${at.toISOString()}`,
          );
          check(latestDueDay({ zone, localTime, now: at }) === day, () => `${day} not due at its run`);
          check(
            latestDueDay({ zone, localTime, now: new Date(at.getTime() - 1) }) === addDays(day, -1),
            () => `${day} due before its run (${zone} ${localTime})`,
          );
          const next = runInstantFor({ zone, localTime, day: addDays(day, 1) });
          check(next.getTime() > at.getTime(), () => `next run not after ${at.toISOString()} in ${zone}`);
          check(
            latestDueDay({ zone, localTime, now: new Date(next.getTime() - 1) }) === day,
            () => `${day} not the due day until the next run (${zone})`,
          );
          return true;
        },
      ),
      { numRuns: DATE_CASES },
    );
    report('dates', { cases: DATE_CASES, zones: ZONES.length });
  });

  it('calendar arithmetic agrees with Temporal (Feb 29, month ends, 1900–2999)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400_000 }).map((n) => addDays('1900-01-01', n)),
        fc.integer({ min: -4_000, max: 4_000 }),
        fc.integer({ min: -60, max: 60 }),
        (date, days, months) => {
          const plain = Temporal.PlainDate.from(date);
          check(addDays(date, days) === plain.add({ days }).toString(), () => `${date} + ${days}d`);
          check(daysBetween(date, addDays(date, days)) === days, () => `${date} ± ${days}`);
          check(
            addMonths(date, months) === plain.add({ months }, { overflow: 'constrain' }).toString(),
            () => `${date} + ${months}m`,
          );
          check(isCalendarDate(date), () => date);
          return true;
        },
      ),
      { numRuns: size(1_000, 50_000) },
    );
    for (const text of ['2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10']) {
      expect(isCalendarDate(text), text).toBe(false);
    }
    expect(isCalendarDate('2000-02-29')).toBe(true);
  });
});
