/**
 * The fixed wording of a renewal proposal per language, and how its dates, numbers, percentages and
 * money are written there (Intl with the reader's locale: `November 23, 2026` / `2026年11月23日` /
 * `23. November 2026`; `$120,000.00` / `￥9,000,000` / `45.000,50 €`). A template gets facts already
 * formatted, or the typed fact itself, and returns sentences; it never computes a figure.
 */
import type { CalendarDate } from '../domain/calendar.ts';
import type { Language } from '../mail/choose-language.ts';
import { displayMoney } from './display-money.ts';
import type { BusinessCase, OptionName, ScopeLine, TimelineStep, ValueFact } from './proposal-content.ts';
import { GERMAN_PROPOSAL } from './proposal-template-de.ts';
import { ENGLISH_PROPOSAL } from './proposal-template-en.ts';
import { JAPANESE_PROPOSAL } from './proposal-template-ja.ts';

export type Formats = {
  date: (date: CalendarDate) => string;
  money: (minor: number, options?: { whole?: boolean }) => string;
  /** A whole number with the locale's grouping (`1,250` / `1.250`). */
  count: (value: number) => string;
  /** A number given in tenths (`78.5` / `78,5`). */
  tenths: (tenths: number) => string;
  /** Basis points as a percentage (`12.5%` / `12,5 %`). */
  bps: (bps: number) => string;
  /** A whole percentage (`78%` / `78 %`). */
  percent: (whole: number) => string;
};

export function formatsFor(locale: string, currency: string): Formats {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const tenths = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  return {
    date: (date) => dates.format(new Date(`${date}T00:00:00Z`)),
    money: (minor, { whole = false } = {}) => displayMoney(minor, currency, { whole, locale }),
    count: (value) => counts.format(value),
    // Exact: the tenths go to Intl as a decimal string, never through a float division.
    tenths: (value) =>
      tenths.format(
        `${value < 0 ? '-' : ''}${Math.trunc(Math.abs(value) / 10)}.${Math.abs(value) % 10}` as `${number}`,
      ),
    bps: (bps) => percents.format(`${bps / 10_000}` as `${number}`),
    percent: (whole) => percents.format(`${whole / 100}` as `${number}`),
  };
}

export type SummaryFacts = {
  seats: number | null;
  arr: string;
  endDate: string;
  headline: string | null;
  hoursPerYear: string | null;
  valuePerYear: string | null;
  option: string;
  perYear: string[];
  termYears: number;
  total: string;
  discount: string;
};

export type RoiFacts = {
  users: string;
  minutes: string;
  hoursPerWeek: string;
  weeks: string;
  hoursPerYear: string;
  hourlyCost: string | null;
  valuePerYear: string | null;
};

/** All the words of a proposal in one language. */
export type ProposalWords = {
  kicker: string;
  metaTitle: (account: string) => string;
  metaSubject: (contractId: string, proposalId: number, version: number) => string;
  subtitle: (facts: {
    prepared: string;
    forName: string | null;
    forRole: string | null;
    by: string | null;
    proposalId: number;
    version: number;
    contractId: string;
  }) => string;
  draftBanner: (reason: 'pending' | 'rejected') => string;
  sections: {
    summary: string;
    value: string;
    contract: string;
    options: string;
    expansion: string;
    nextSteps: string;
  };
  summary: (facts: SummaryFacts) => string;
  tiles: {
    recommended: string;
    yearOne: string;
    valuePerYear: string;
    hoursSaved: (hours: string) => string;
    noUsageData: string;
    notAvailable: string;
    returnOnYearOne: string;
    returnNote: string;
    multiple: (value: string) => string;
  };
  term: (years: number) => string;
  fact: (fact: ValueFact, f: Formats) => string;
  chart: { caption: (from: string, to: string) => string; peak: (value: string) => string };
  roiHeading: string;
  roiMethod: (facts: RoiFacts) => string;
  contract: {
    caption: string;
    contract: string;
    term: string;
    termRange: (from: string, to: string) => string;
    annualValue: string;
    seats: string;
    notSeatBased: string;
    renewal: string;
    autoRenews: string;
    renewsOnSignature: string;
  };
  options: {
    caption: string;
    option: string;
    year: (year: number) => string;
    total: string;
    vsList: string;
    atList: string;
    recommended: (name: string) => string;
    note: (currency: string) => string;
    included: string;
    worth: (amount: string) => string;
    specialTerms: string;
  };
  discount: (bps: number, f: Formats) => string;
  optionName: (name: OptionName, f: Formats) => string;
  shortName: (name: OptionName) => string;
  scopeLine: (line: ScopeLine, f: Formats) => string;
  /** Incentive labels of the default policy, translated; a tenant's own labels are shown as written. */
  incentives: Record<string, string>;
  expansion: {
    caption: string;
    item: string;
    businessCase: string;
    price: string;
    case: (businessCase: BusinessCase, f: Formats) => string;
  };
  timeline: { heading: string; by: string; step: string; steps: Record<TimelineStep, string> };
  approvals: {
    heading: string;
    roles: Record<string, string>;
    status: (status: 'pending' | 'approved' | 'rejected', decidedOn: string | null) => string;
  };
  contacts: { heading: string; yourContact: string; roles: Record<string, string> };
  accept: { heading: string; text: (owner: string | null, validUntil: string) => string };
  footer: (account: string, proposalId: number, version: number, date: string) => string;
  page: (page: number, pages: number) => string;
  missingGlyphs: (codePoints: string, placeholder: string) => string;
};

export const PROPOSAL_TEMPLATES: Record<Language, ProposalWords> = {
  en: ENGLISH_PROPOSAL,
  ja: JAPANESE_PROPOSAL,
  de: GERMAN_PROPOSAL,
};
