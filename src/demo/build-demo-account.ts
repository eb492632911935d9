/**
 * One demo customer of the fictional vendor, with its whole history: contract chain, weekly usage,
 * tickets, surveys, stakeholders, signals and closed renewals.
 *
 * Every account follows a *story* (growing, steady, near its seat limit, slowly declining, a sharp
 * drop, a departed champion, a competitor threat) or, for former customers, a *churn story*. The
 * story drives every file at once, so the numbers agree with each other (a champion who left shows
 * up as a stakeholder with `left_on`, falling usage after that date, stale contacts and, for churned
 * accounts, a loss with `champion_left` among the reasons). That correlation is what lets a renewal
 * model learn from the demo.
 *
 * The account's randomness comes from its own stream `(seed, index)`; ids for contracts, tickets and
 * stakeholders are drawn from counters shared in account order. Both make account i independent of
 * the total number of accounts.
 */
import { addYears, type CalendarDate, fromDayNumber, toDayNumber } from '../domain/calendar.ts';
import { currencyExponent } from '../domain/money.ts';
import type {
  AccountRecord,
  ContractRecord,
  RenewalRecord,
  Segment,
  SignalKind,
  SignalRecord,
  StakeholderRecord,
  StakeholderRole,
  Stance,
  Strength,
  SurveyRecord,
  TicketPriority,
  TicketRecord,
  UsageRecord,
} from '../domain/records.ts';
import { ACCOUNTS_PER_POD, asciiSlug, demoPodTeam } from './build-demo-users.ts';
import { deriveSeed, Random, type Weighted } from './random.ts';
import {
  COMPETITORS,
  COUNTRIES,
  type Country,
  INDUSTRIES,
  LIST_PRICE_PER_SEAT,
  NAME_ROOTS_A,
  NAME_ROOTS_B,
  NAME_WORDS,
  NEGATIVE_COMMENTS,
  NEUTRAL_COMMENTS,
  PERSON_NAMES,
  type Plan,
  POSITIVE_COMMENTS,
  SIGNAL_NOTES,
  UNITS_PER_USD,
} from './vocabulary.ts';

export const DEMO_STORIES = [
  'growing',
  'steady',
  'near_limit',
  'soft_decline',
  'sharp_drop',
  'champion_lost',
  'competitor_threat',
  'lost_competitor',
  'lost_champion',
  'lost_budget',
  'lost_complexity',
  'lost_acquisition',
] as const;
export type DemoStory = (typeof DEMO_STORIES)[number];

/** Stories of active customers that a CSM should worry about (the at-risk tail). */
export const TROUBLED_STORIES: readonly DemoStory[] = ['sharp_drop', 'champion_lost', 'competitor_threat'];

const ACTIVE_STORIES: Weighted<DemoStory> = [
  ['growing', 24],
  ['steady', 39],
  ['near_limit', 10],
  ['soft_decline', 9],
  ['sharp_drop', 7],
  ['champion_lost', 6],
  ['competitor_threat', 5],
];

const CHURN_STORIES: Weighted<DemoStory> = [
  ['lost_competitor', 35],
  ['lost_champion', 20],
  ['lost_budget', 15],
  ['lost_complexity', 20],
  ['lost_acquisition', 10],
];

const CHURN_PROBABILITY: Record<Segment, number> = { enterprise: 0.05, mid_market: 0.08, smb: 0.12 };

/** Mutable id counters shared by all accounts of one generation run, advanced in account order. */
export type DemoIdCounters = { contract: number; ticket: number; stakeholder: number };

export type BuildDemoAccountOptions = {
  index: number;
  seed: number;
  asOf: CalendarDate;
  ids: DemoIdCounters;
};

export type DemoAccount = {
  story: DemoStory;
  churned: boolean;
  /** Segment by the last contract's ARR in USD-equivalent (before any override). */
  segment: Segment;
  account: AccountRecord;
  contracts: ContractRecord[];
  usage: UsageRecord[];
  tickets: TicketRecord[];
  surveys: SurveyRecord[];
  stakeholders: StakeholderRecord[];
  signals: SignalRecord[];
  renewals: RenewalRecord[];
};

const NAME_CAPACITY = NAME_ROOTS_A.length * NAME_ROOTS_B.length * NAME_WORDS.length;
/** Multipliers coprime to the name capacity (102,400 = 2^12 × 5^2), so index → name is a bijection. */
const NAME_MULTIPLIERS = [7_919, 30_011, 48_271, 69_621, 16_807] as const;

/** A company name unique per account index ("Northwind Labs"), without the legal form. */
export function demoCompanyBaseName(index: number, seed: number): string {
  const multiplier = NAME_MULTIPLIERS[deriveSeed(seed, 0x4e41) % NAME_MULTIPLIERS.length] ?? 7_919;
  const offset = deriveSeed(seed, 0x4e42) % NAME_CAPACITY;
  const round = Math.floor(index / NAME_CAPACITY);
  const slot = ((index % NAME_CAPACITY) * multiplier + offset) % NAME_CAPACITY;
  const a = NAME_ROOTS_A[slot % NAME_ROOTS_A.length];
  const rest = Math.floor(slot / NAME_ROOTS_A.length);
  const b = NAME_ROOTS_B[rest % NAME_ROOTS_B.length];
  const word = NAME_WORDS[Math.floor(rest / NAME_ROOTS_B.length)];
  return `${a}${b} ${word}${round > 0 ? ` ${round + 1}` : ''}`;
}

export function demoAccountId(index: number): string {
  return `A-${String(index + 1).padStart(5, '0')}`;
}

function contractId(ids: DemoIdCounters): string {
  ids.contract += 1;
  return `C-${String(ids.contract).padStart(6, '0')}`;
}

function ticketId(ids: DemoIdCounters): string {
  ids.ticket += 1;
  return `T-${String(ids.ticket).padStart(7, '0')}`;
}

function stakeholderId(ids: DemoIdCounters): string {
  ids.stakeholder += 1;
  return `S-${String(ids.stakeholder).padStart(6, '0')}`;
}

type Term = {
  start: number;
  end: number;
  years: number;
  seats: number;
  /** Price per seat per year in minor units. */
  seatPriceMinor: number;
};

type Transition = 'standard' | 'early' | 'auto' | 'lost';

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * clamp(t, 0, 1);
}

function isTroubled(story: DemoStory): boolean {
  return TROUBLED_STORIES.includes(story) || story.startsWith('lost_');
}

function segmentOf(usdArr: number): Segment {
  return usdArr >= 100_000 ? 'enterprise' : usdArr >= 10_000 ? 'mid_market' : 'smb';
}

/** USD-equivalent of an amount in minor units, with the demo's reference rates. */
export function demoUsdEquivalent(minor: number, currency: string): number {
  const units = minor / 10 ** currencyExponent(currency);
  const rate = UNITS_PER_USD[currency as Country['currency']] ?? 1;
  return units / rate;
}

export function buildDemoAccount({ index, seed, asOf, ids }: BuildDemoAccountOptions): DemoAccount {
  const rng = new Random(deriveSeed(seed, index, 0xacc0));
  const asOfDay = toDayNumber(asOf);
  const accountId = demoAccountId(index);

  // ---- Who they are -------------------------------------------------------------------------
  const segment: Segment = rng.weighted<Segment>([
    ['smb', 55],
    ['mid_market', 35],
    ['enterprise', 10],
  ]);
  // Override cases from the guides: a 95K account with expansion potential treated as Enterprise,
  // a 110K+ account on autopilot for years run as Mid-market, a strategic logo among small accounts.
  const overrideRoll = rng.next();
  let segmentOverride: Segment | null = null;
  if (segment === 'mid_market' && overrideRoll < 0.03) segmentOverride = 'enterprise';
  else if (segment === 'enterprise' && overrideRoll < 0.08) segmentOverride = 'mid_market';
  else if (segment === 'smb' && overrideRoll < 0.006) segmentOverride = 'mid_market';

  const churned = segmentOverride === null && rng.chance(CHURN_PROBABILITY[segment]);
  let story: DemoStory = churned ? rng.weighted(CHURN_STORIES) : rng.weighted(ACTIVE_STORIES);
  if (segmentOverride === 'enterprise') story = rng.chance(0.6) ? 'near_limit' : 'growing';
  if (segmentOverride === 'mid_market' && segment === 'enterprise') story = 'steady';
  const troubled = isTroubled(story);

  const country: Country = segmentOverride !== null ? usCountry() : rng.weighted(COUNTRIES);
  const currency = country.currency;
  const exponentFactor = 10 ** currencyExponent(currency);
  /** Seat prices are whole units (hundreds of yen). */
  const priceStep = (currency === 'JPY' ? 100 : 1) * exponentFactor;
  const industry = rng.weighted(INDUSTRIES);
  const timezone = rng.weighted(country.timezones);
  let fiscalYearStartMonth = rng.weighted(country.fiscalYears);
  if (industry === 'education' && country.code === 'US' && rng.chance(0.7)) fiscalYearStartMonth = 7;
  if (industry === 'retail' && country.code === 'US' && rng.chance(0.4)) fiscalYearStartMonth = 2;

  const baseName = demoCompanyBaseName(index, seed);
  const name = `${baseName} ${rng.pick(country.legalForms)}`;
  const emailDomain = `${asciiSlug(baseName, '-')}.${country.tld}`;
  const competitor = rng.weighted(COMPETITORS);

  // ---- Price and size of the last contract ----------------------------------------------------
  const plan: Plan =
    segment === 'enterprise'
      ? 'enterprise'
      : segment === 'mid_market'
        ? rng.chance(0.75)
          ? 'professional'
          : 'business'
        : rng.chance(0.8)
          ? 'starter'
          : 'professional';
  // Targets stay ~12% clear of the segment lines so that other FX rates do not flip segments.
  let usdTarget =
    segment === 'enterprise'
      ? rng.logUniform(115_000, 650_000)
      : segment === 'mid_market'
        ? rng.logUniform(11_500, 88_000)
        : rng.logUniform(1_500, 8_800);
  if (segmentOverride === 'enterprise') usdTarget = rng.float(90_000, 97_000);
  if (segmentOverride === 'mid_market' && segment === 'enterprise') usdTarget = rng.float(110_000, 140_000);
  if (segmentOverride === 'mid_market' && segment === 'smb') usdTarget = rng.float(6_000, 8_800);
  const volumeDiscount =
    segment === 'enterprise' ? rng.float(0.15, 0.35) : segment === 'mid_market' ? rng.float(0, 0.15) : 0;
  const listPrice = LIST_PRICE_PER_SEAT[currency][plan];
  const seatPrice =
    Math.max(1, Math.round((listPrice * (1 - volumeDiscount)) / (priceStep / exponentFactor))) *
    (priceStep / exponentFactor);
  const lastSeats = Math.max(3, Math.round((usdTarget * UNITS_PER_USD[currency]) / seatPrice));

  const paymentMethod =
    segment === 'smb'
      ? rng.weighted([
          ['card', 65],
          ['direct_debit', 15],
          ['invoice', 20],
        ])
      : segment === 'mid_market'
        ? rng.weighted([
            ['invoice', 60],
            ['card', 20],
            ['direct_debit', 20],
          ])
        : rng.weighted([
            ['invoice', 70],
            ['wire', 30],
          ]);
  const paymentOnFile = paymentMethod === 'card' || paymentMethod === 'direct_debit';
  const autoRenew =
    paymentOnFile &&
    !(segmentOverride === 'enterprise') &&
    rng.chance(segment === 'smb' ? 0.8 : segment === 'mid_market' ? 0.45 : 0.1);
  const noticeDays = autoRenew
    ? segment === 'smb'
      ? rng.weighted([
          [30, 75],
          [60, 25],
        ])
      : segment === 'mid_market'
        ? rng.weighted([
            [30, 20],
            [60, 60],
            [90, 20],
          ])
        : 90
    : null;

  // ---- Contract chain -----------------------------------------------------------------------
  const termYearsFor = (): number =>
    segment === 'enterprise'
      ? rng.weighted([
          [1, 45],
          [2, 35],
          [3, 20],
        ])
      : segment === 'mid_market'
        ? rng.weighted([
            [1, 65],
            [2, 25],
            [3, 10],
          ])
        : rng.weighted([
            [1, 90],
            [2, 10],
          ]);

  const lastYears = churned ? (rng.chance(0.85) ? 1 : 2) : termYearsFor();
  let lastEnd: number;
  if (churned) {
    lastEnd = asOfDay - rng.int(10, 700);
  } else if (rng.chance(0.04)) {
    lastEnd = asOfDay - rng.int(1, 20); // renewal overdue by days, still being worked
  } else {
    lastEnd = asOfDay + rng.int(1, Math.min(lastYears * 365 - 30, 540));
  }
  const previousCount =
    segmentOverride === 'mid_market' && segment === 'enterprise'
      ? 2
      : churned
        ? rng.weighted([
            [0, 30],
            [1, 45],
            [2, 25],
          ])
        : rng.weighted([
            [0, 8],
            [1, 45],
            [2, 47],
          ]);

  const startFor = (end: number, years: number) => toDayNumber(addYears(fromDayNumber(end + 1), -years));
  const lastTerm: Term = {
    start: startFor(lastEnd, lastYears),
    end: lastEnd,
    years: lastYears,
    seats: lastSeats,
    seatPriceMinor: seatPrice * exponentFactor,
  };
  // Built backwards from the last term; `transitions[k]` is how terms[k] turned into terms[k+1].
  const terms: Term[] = [lastTerm];
  const transitions: Transition[] = [];
  const healthyStory = story === 'growing' || story === 'steady' || story === 'near_limit';
  for (let k = 0; k < previousCount; k++) {
    const next = terms[0] as Term;
    let transition: Transition = 'standard';
    if (autoRenew && rng.chance(0.85)) transition = 'auto';
    else if (healthyStory && next.years >= 2 && rng.chance(segment === 'smb' ? 0.4 : 0.7))
      transition = 'early';
    else if (healthyStory && rng.chance(0.1)) transition = 'early';
    const years = segment !== 'smb' && rng.chance(0.15) ? 2 : 1;
    let seats = next.seats;
    let seatPriceMinor = next.seatPriceMinor;
    if (story === 'growing' || story === 'near_limit' || segmentOverride === 'enterprise') {
      seats = Math.round(next.seats / rng.float(1.08, 1.4));
    } else if (troubled || story === 'soft_decline') {
      // Troubled accounts often shrank at their last renewal.
      if (k === 0 && rng.chance(0.35)) seats = Math.round(next.seats * rng.float(1.1, 1.35));
    } else if (rng.chance(0.3)) {
      seats = Math.round(next.seats * rng.float(0.9, 1.1));
    }
    seats = Math.max(3, seats);
    if (transition === 'early') {
      // The early renewal came with a discount, so the previous price was higher.
      seatPriceMinor = Math.round(next.seatPriceMinor / (1 - rng.float(0.05, 0.15)));
    } else if (rng.chance(0.5)) {
      seatPriceMinor = Math.round(next.seatPriceMinor / (1 + rng.float(0.03, 0.07)));
    }
    seatPriceMinor = Math.max(1, Math.round(seatPriceMinor / priceStep)) * priceStep;
    const end = next.start - 1;
    terms.unshift({ start: startFor(end, years), end, years, seats, seatPriceMinor });
    transitions.unshift(transition);
  }
  const firstStart = (terms[0] as Term).start;
  const anchorDay = churned ? lastEnd : asOfDay; // the day the story "ends"
  const lastArrMinor = lastTerm.seats * lastTerm.seatPriceMinor;
  const measuredSegment = segmentOf(demoUsdEquivalent(lastArrMinor, currency));

  const contracts: ContractRecord[] = [];
  for (let k = 0; k < terms.length; k++) {
    const term = terms[k] as Term;
    const isLast = k === terms.length - 1;
    contracts.push({
      contractId: contractId(ids),
      accountId,
      startDate: fromDayNumber(term.start),
      endDate: fromDayNumber(term.end),
      arrMinor: term.seats * term.seatPriceMinor,
      currency,
      seats: term.seats,
      autoRenew,
      paymentOnFile,
      noticeDays,
      status: isLast ? (churned ? 'churned' : 'active') : 'renewed',
      previousContractId: k === 0 ? null : (contracts[k - 1]?.contractId ?? null),
    });
  }

  // ---- Story timeline -------------------------------------------------------------------------
  // `eventDay`: when things turned (usage drop, champion left, competitor showed up, churn began).
  let eventDay = anchorDay - rng.int(60, 200);
  if (story === 'sharp_drop') eventDay = anchorDay - rng.int(16, 55);
  if (story === 'champion_lost') eventDay = anchorDay - rng.int(45, 200);
  if (story === 'competitor_threat') eventDay = anchorDay - rng.int(20, 110);
  if (story.startsWith('lost_')) eventDay = anchorDay - rng.int(90, 240);
  const tenure = anchorDay - firstStart;
  eventDay = Math.min(Math.max(eventDay, firstStart + 30), anchorDay - 1);
  const sharpDropCause: SignalKind = rng.weighted<SignalKind>([
    ['major_incident', 40],
    ['leadership_change', 25],
    ['acquisition', 15],
    ['budget_freeze', 20],
  ]);

  // ---- Usage ----------------------------------------------------------------------------------
  const usage: UsageRecord[] = [];
  const u0 = rng.float(0.62, 0.82);
  const growthFrom = rng.float(0.45, 0.6);
  const growthTo = rng.float(0.8, 0.92);
  const limitTo = rng.float(0.97, 1.03);
  const declineTo = rng.float(0.62, 0.75);
  const dropTo = rng.float(0.35, 0.58);
  const dropDays = rng.int(5, 14);
  const churnFloor = rng.float(0.05, 0.3);
  const adoptionBase = rng.float(45, 80);
  const wobblePhase = rng.float(0, Math.PI * 2);
  const utilisation = (day: number): number => {
    const yearPosition = (day - (anchorDay - 364)) / 364; // 0 a year ago → 1 at the anchor
    const sinceEvent = day - eventDay;
    switch (story) {
      case 'growing':
        return lerp(growthFrom, growthTo, yearPosition);
      case 'steady':
        return u0 * (1 + 0.03 * Math.sin(yearPosition * 6.283 + wobblePhase));
      case 'near_limit':
        return lerp(0.84, limitTo, yearPosition);
      case 'soft_decline':
        return u0 * lerp(1, declineTo, yearPosition);
      case 'sharp_drop':
        return sinceEvent < 0 ? u0 : u0 * lerp(1, dropTo, sinceEvent / dropDays);
      case 'champion_lost':
        return sinceEvent < 0 ? u0 : u0 * lerp(1, declineTo, sinceEvent / (anchorDay - eventDay + 1));
      case 'competitor_threat':
        return sinceEvent < 0 ? u0 : u0 * lerp(1, 0.82, sinceEvent / (anchorDay - eventDay + 1));
      case 'lost_budget':
        return sinceEvent < 0 ? u0 : u0 * lerp(1, churnFloor + 0.2, sinceEvent / 21);
      default:
        // Other churn stories: a long slide to a trickle by the end of the term.
        return sinceEvent < 0 ? u0 : u0 * lerp(1, churnFloor, sinceEvent / (anchorDay - eventDay + 1));
    }
  };
  const adoption = (day: number): number => {
    const yearPosition = (day - (anchorDay - 364)) / 364;
    const afterEvent = day >= eventDay;
    switch (story) {
      case 'growing':
        return lerp(adoptionBase - 15, adoptionBase + 10, yearPosition);
      case 'near_limit':
        return lerp(adoptionBase, adoptionBase + 12, yearPosition);
      case 'steady':
        return adoptionBase;
      case 'soft_decline':
        return lerp(adoptionBase - 5, adoptionBase - 20, yearPosition);
      default:
        return afterEvent ? adoptionBase - 25 : adoptionBase - 8;
    }
  };
  const seatsAt = (day: number): number => {
    for (const term of terms) if (day >= term.start && day <= term.end) return term.seats;
    return lastTerm.seats;
  };
  for (let week = 51; week >= 0; week--) {
    const day = asOfDay - week * 7;
    if (day < firstStart || day > anchorDay) continue;
    const date = fromDayNumber(day);
    const licensed = seatsAt(day);
    const monthDay = date.slice(5);
    const holiday = monthDay >= '12-23' || monthDay <= '01-02' ? 0.86 : 1;
    const target = lastTerm.seats * utilisation(day) * holiday * (1 + rng.normal(0, 0.03));
    const active = clamp(Math.round(target), 0, Math.ceil(licensed * 1.04));
    usage.push({
      accountId,
      date,
      activeUsers: active,
      licensedSeats: licensed,
      coreFeatureAdoptionPct: clamp(Math.round(adoption(day) + rng.normal(0, 1.5)), 3, 98),
    });
  }

  // ---- Stakeholders -----------------------------------------------------------------------------
  const stakeholders: StakeholderRecord[] = [];
  const hasSponsor =
    segment === 'enterprise'
      ? rng.chance(troubled ? 0.5 : 0.88)
      : segment === 'mid_market'
        ? rng.chance(troubled ? 0.1 : 0.25)
        : false;
  let roles: StakeholderRole[];
  if (segment === 'enterprise') {
    const count = rng.int(6, 12);
    const core: StakeholderRole[] = ['champion', 'economic_buyer'];
    if (hasSponsor) core.push('executive_sponsor');
    core.push('decision_maker', 'technical', 'procurement', 'legal');
    const extra: StakeholderRole[] = ['user', 'technical', 'user', 'champion', 'user', 'user'];
    roles = [...core, ...extra].slice(0, count);
  } else if (segment === 'mid_market') {
    const count =
      story === 'champion_lost' || story === 'lost_champion'
        ? 2
        : rng.weighted([
            [2, 25],
            [3, 35],
            [4, 25],
            [5, 15],
          ]);
    const core: StakeholderRole[] = ['champion', 'economic_buyer', 'technical'];
    core.push(hasSponsor ? 'executive_sponsor' : 'decision_maker', 'user');
    roles = core.slice(0, count);
  } else {
    roles = ['champion'];
    if (story === 'champion_lost' || story === 'lost_champion') roles.push('user');
    else if (rng.chance(0.45)) roles.push(rng.chance(0.6) ? 'economic_buyer' : 'user');
  }
  const championLeaves = story === 'champion_lost' || story === 'lost_champion';
  const oldChampionTurnover =
    !championLeaves && !troubled && rng.chance(0.04) && firstStart < anchorDay - 400;
  if (oldChampionTurnover) roles.push('champion'); // the replacement of a champion who left long ago
  const names = PERSON_NAMES[country.locale];
  const usedNames = new Set<string>();
  let championSeen = false;
  for (const role of roles) {
    let first = rng.pick(names.first);
    let last = rng.pick(names.last);
    for (let attempt = 0; attempt < 5 && usedNames.has(`${first} ${last}`); attempt++) {
      first = rng.pick(names.first);
      last = rng.pick(names.last);
    }
    usedNames.add(`${first} ${last}`);
    const personName = country.locale === 'ja' && rng.chance(0.3) ? `${last} ${first}` : `${first} ${last}`;
    const isFirstChampion = role === 'champion' && !championSeen;
    if (role === 'champion') championSeen = true;
    let leftOn: number | null = null;
    if (isFirstChampion && championLeaves) leftOn = eventDay;
    else if (isFirstChampion && oldChampionTurnover) leftOn = anchorDay - rng.int(240, 380);
    else if (role !== 'champion' && tenure > 60 && rng.chance(troubled ? 0.12 : 0.04)) {
      leftOn = anchorDay - rng.int(20, Math.min(300, tenure - 7));
    }
    if (leftOn !== null) leftOn = Math.min(Math.max(leftOn, firstStart + 7), anchorDay);
    const { strength, stance } = relationshipOf(rng, story, role, leftOn !== null);
    let lastContact: number | null;
    if (leftOn !== null) lastContact = leftOn - rng.int(5, 60);
    else if (role === 'champion') lastContact = anchorDay - contactAge(rng, story, true);
    else lastContact = rng.chance(0.2) ? null : anchorDay - contactAge(rng, story, false);
    if (lastContact !== null) lastContact = Math.max(lastContact, firstStart - 30);
    stakeholders.push({
      stakeholderId: stakeholderId(ids),
      accountId,
      name: personName,
      email: rng.chance(0.92) ? `${asciiSlug(first)}.${asciiSlug(last)}@${emailDomain}` : null,
      role,
      strength,
      stance,
      lastContactOn: lastContact === null ? null : fromDayNumber(lastContact),
      leftOn: leftOn === null ? null : fromDayNumber(leftOn),
    });
  }

  // ---- Signals --------------------------------------------------------------------------------
  const signals: SignalRecord[] = [];
  const addSignal = (kind: SignalKind, day: number) => {
    if (day < firstStart || day > anchorDay) return;
    const templates = SIGNAL_NOTES[kind] ?? [''];
    const note = rng.chance(0.85) ? rng.pick(templates).replace('{competitor}', competitor) : null;
    signals.push({ accountId, date: fromDayNumber(day), kind, note });
  };
  switch (story) {
    case 'growing':
      if (rng.chance(0.3)) addSignal('expansion_interest', anchorDay - rng.int(5, 150));
      break;
    case 'near_limit':
      if (rng.chance(0.75)) addSignal('usage_near_limit', anchorDay - rng.int(3, 60));
      if (rng.chance(0.5)) addSignal('expansion_interest', anchorDay - rng.int(5, 120));
      break;
    case 'steady':
      if (rng.chance(0.05)) addSignal('expansion_interest', anchorDay - rng.int(5, 200));
      break;
    case 'soft_decline':
      if (rng.chance(0.2)) addSignal('budget_freeze', anchorDay - rng.int(30, 200));
      break;
    case 'sharp_drop':
      addSignal(sharpDropCause, eventDay - rng.int(0, 5));
      if (sharpDropCause === 'acquisition' && rng.chance(0.5)) {
        addSignal('competitor_evaluation', eventDay + rng.int(3, 10));
      }
      break;
    case 'champion_lost':
      if (rng.chance(0.35)) addSignal('leadership_change', eventDay + rng.int(0, 30));
      if (rng.chance(0.2)) addSignal('competitor_evaluation', eventDay + rng.int(20, 40));
      break;
    case 'competitor_threat':
      addSignal('competitor_evaluation', eventDay);
      if (rng.chance(0.3)) addSignal('price_increase_announced', eventDay - rng.int(10, 60));
      if (rng.chance(0.25)) addSignal('leadership_change', eventDay - rng.int(10, 90));
      break;
    case 'lost_competitor':
      if (rng.chance(0.85)) addSignal('competitor_evaluation', eventDay + rng.int(0, 30));
      if (rng.chance(0.25)) addSignal('leadership_change', eventDay - rng.int(5, 60));
      break;
    case 'lost_champion':
      if (rng.chance(0.3)) addSignal('leadership_change', eventDay + rng.int(0, 30));
      break;
    case 'lost_budget':
      if (rng.chance(0.9)) addSignal('budget_freeze', eventDay);
      if (rng.chance(0.4)) addSignal('leadership_change', eventDay - rng.int(10, 60));
      break;
    case 'lost_complexity':
      if (rng.chance(0.3)) addSignal('major_incident', eventDay + rng.int(0, 60));
      break;
    case 'lost_acquisition':
      addSignal('acquisition', eventDay);
      if (rng.chance(0.5)) addSignal('competitor_evaluation', eventDay + rng.int(10, 45));
      break;
  }
  // Vendor-side news that reaches some accounts regardless of their story.
  if (rng.chance(0.03)) addSignal('major_release', anchorDay - rng.int(5, 120));
  if (!signals.some((s) => s.kind === 'price_increase_announced') && rng.chance(0.03)) {
    addSignal('price_increase_announced', anchorDay - rng.int(5, 120));
  }
  signals.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // ---- Tickets --------------------------------------------------------------------------------
  const tickets: TicketRecord[] = [];
  const ticketWindowStart = Math.max(firstStart, anchorDay - 365);
  const yearsCovered = (anchorDay - ticketWindowStart + 1) / 365;
  const ticketsPerYear = segment === 'enterprise' ? 14 : segment === 'mid_market' ? 5 : 1.5;
  const ticketCount = Math.round(ticketsPerYear * yearsCovered * rng.float(0.4, 1.6) * (troubled ? 1.5 : 1));
  const addTicket = (opened: number, priority: TicketPriority, unhappy: boolean) => {
    const duration =
      priority === 'urgent'
        ? rng.int(0, 3)
        : priority === 'high'
          ? rng.int(1, 8)
          : priority === 'normal'
            ? rng.int(1, 15)
            : rng.int(2, 30);
    const closed = opened + duration + (unhappy && rng.chance(0.3) ? rng.int(5, 20) : 0);
    const isClosed = closed <= asOfDay;
    let csat: number | null = null;
    if (isClosed && rng.chance(0.5)) {
      csat = unhappy
        ? rng.weighted([
            [1, 30],
            [2, 30],
            [3, 25],
            [4, 15],
          ])
        : rng.weighted([
            [5, 52],
            [4, 33],
            [3, 10],
            [2, 3],
            [1, 2],
          ]);
    }
    tickets.push({
      ticketId: '',
      accountId,
      openedOn: fromDayNumber(opened),
      closedOn: isClosed ? fromDayNumber(closed) : null,
      priority,
      csat,
    });
  };
  for (let t = 0; t < ticketCount; t++) {
    const opened = rng.int(ticketWindowStart, anchorDay);
    const priority = rng.weighted<TicketPriority>([
      ['low', 25],
      ['normal', 50],
      ['high', 18],
      ['urgent', 7],
    ]);
    addTicket(opened, priority, troubled && opened >= eventDay && rng.chance(0.6));
  }
  const urgentCluster =
    (story === 'sharp_drop' && (sharpDropCause === 'major_incident' || rng.chance(0.3))) ||
    (story === 'lost_complexity' && rng.chance(0.6)) ||
    (story === 'competitor_threat' && rng.chance(0.3));
  if (urgentCluster) {
    const clusterStart = Math.max(eventDay - rng.int(0, 7), firstStart);
    const clusterSize = segment === 'smb' ? rng.int(2, 3) : rng.int(3, 6);
    for (let t = 0; t < clusterSize; t++) {
      const opened = Math.min(clusterStart + rng.int(0, 14), anchorDay);
      addTicket(opened, rng.chance(0.7) ? 'urgent' : 'high', true);
    }
  }
  tickets.sort((a, b) => (a.openedOn < b.openedOn ? -1 : a.openedOn > b.openedOn ? 1 : 0));
  for (const ticket of tickets) ticket.ticketId = ticketId(ids);

  // ---- Surveys --------------------------------------------------------------------------------
  const surveys: SurveyRecord[] = [];
  const negativeTheme = negativeCommentFor(story, sharpDropCause);
  const commentFor = (score: number, kind: 'nps' | 'csat', afterEvent: boolean): string | null => {
    if (!rng.chance(0.3)) return null;
    const good = kind === 'nps' ? score >= 9 : score >= 5;
    const bad = kind === 'nps' ? score <= 6 : score <= 2;
    if (bad)
      return afterEvent && negativeTheme && rng.chance(0.7) ? negativeTheme : rng.pick(NEGATIVE_COMMENTS);
    if (good) return rng.pick(POSITIVE_COMMENTS);
    return rng.pick(NEUTRAL_COMMENTS);
  };
  const waveOffset = rng.int(5, 120);
  const respondents = segment === 'enterprise' ? [2, 5] : segment === 'mid_market' ? [1, 2] : [1, 1];
  for (let wave = 0; wave < 3; wave++) {
    const waveDay = anchorDay - waveOffset - wave * 182;
    if (waveDay < firstStart + 30) continue;
    const count = rng.int(respondents[0] ?? 1, respondents[1] ?? 1);
    for (let r = 0; r < count; r++) {
      if (!rng.chance(0.55)) continue;
      const day = Math.min(waveDay + rng.int(0, 14), anchorDay);
      const afterEvent = troubled && day >= eventDay;
      const mean = afterEvent
        ? 4
        : story === 'soft_decline'
          ? 6.8
          : troubled
            ? 7
            : story === 'steady'
              ? 8.2
              : 8.8;
      const score = clamp(Math.round(rng.normal(mean, 1.4)), 0, 10);
      surveys.push({
        accountId,
        date: fromDayNumber(day),
        kind: 'nps',
        score,
        comment: commentFor(score, 'nps', afterEvent),
      });
    }
  }
  if (rng.chance(0.35)) {
    const day = anchorDay - rng.int(10, 330);
    if (day >= firstStart) {
      const afterEvent = troubled && day >= eventDay;
      const score = clamp(Math.round(rng.normal(afterEvent ? 2.4 : 4.2, 0.8)), 1, 5);
      surveys.push({
        accountId,
        date: fromDayNumber(day),
        kind: 'csat',
        score,
        comment: commentFor(score, 'csat', afterEvent),
      });
    }
  }
  surveys.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // ---- Renewals -------------------------------------------------------------------------------
  const renewals: RenewalRecord[] = [];
  const hasExecutiveSponsor = stakeholders.some((s) => s.role === 'executive_sponsor');
  for (let k = 0; k < transitions.length; k++) {
    const term = terms[k] as Term;
    const next = terms[k + 1] as Term;
    const transition = transitions[k] as Transition;
    const nextArr = next.seats * next.seatPriceMinor;
    const daysEarly =
      transition === 'early'
        ? rng.int(90, 200)
        : transition === 'auto'
          ? 0
          : rng.weighted<[number, number]>([
              [[0, 10], 30],
              [[11, 30], 40],
              [[31, 60], 20],
              [[61, 89], 10],
            ]);
    const signedDaysEarly = typeof daysEarly === 'number' ? daysEarly : rng.int(daysEarly[0], daysEarly[1]);
    const reasons: string[] = [];
    if (transition === 'auto') reasons.push('auto_renewed');
    if (transition === 'early') reasons.push('early_renewal_incentive');
    if (next.years >= 2 && transition !== 'auto') reasons.push('multi_year_discount');
    // Expansion and contraction are about scope (seats); an early-renewal discount is neither.
    if (next.seats > term.seats * 1.05) reasons.push('expansion');
    if (next.seats < term.seats * 0.95) reasons.push(rng.pick(['budget_cut', 'low_adoption', 'price']));
    else if (!troubled || rng.chance(0.5)) reasons.push('value_realized');
    if (hasExecutiveSponsor && transition !== 'auto' && rng.chance(0.5)) reasons.push('executive_sponsor');
    if (!troubled && transition === 'standard' && rng.chance(0.2)) reasons.push('strong_relationship');
    renewals.push({
      contractId: (contracts[k] as ContractRecord).contractId,
      outcome: 'won',
      closedOn: fromDayNumber(term.end - signedDaysEarly),
      stage: 'closed_won',
      renewedArrMinor: nextArr,
      termYears: next.years,
      reasons,
      competitor: null,
      signedDaysEarly,
    });
  }
  const lastContract = contracts[contracts.length - 1] as ContractRecord;
  if (churned) {
    const toldUs = autoRenew ? (noticeDays ?? 30) + rng.int(0, 20) : rng.int(0, 45);
    const lostToCompetitor =
      story === 'lost_competitor' || (story === 'lost_acquisition' && rng.chance(0.6)) || rng.chance(0.05);
    renewals.push({
      contractId: lastContract.contractId,
      outcome: 'lost',
      closedOn: fromDayNumber(lastEnd - toldUs),
      stage: 'closed_lost',
      renewedArrMinor: 0,
      termYears: null,
      reasons: lossReasons(rng, story, lostToCompetitor),
      competitor: lostToCompetitor ? competitor : null,
      signedDaysEarly: null,
    });
  } else if (!autoRenew) {
    const daysToEnd = lastEnd - asOfDay;
    const openChance = segment === 'enterprise' ? 0.85 : segment === 'mid_market' ? 0.65 : 0.45;
    if (daysToEnd <= 150 && rng.chance(openChance)) {
      const stage =
        daysToEnd > 90
          ? rng.pick(['qualification', 'value_review'])
          : daysToEnd > 45
            ? rng.pick(['value_review', 'proposal'])
            : daysToEnd > 14
              ? rng.pick(['proposal', 'negotiation'])
              : rng.pick(['negotiation', 'verbal_commit']);
      const priced = stage === 'proposal' || stage === 'negotiation' || stage === 'verbal_commit';
      const factor =
        story === 'growing' || story === 'near_limit'
          ? rng.float(1.1, 1.35)
          : troubled
            ? rng.float(0.75, 1)
            : rng.float(1, 1.06);
      renewals.push({
        contractId: lastContract.contractId,
        outcome: 'pending',
        closedOn: null,
        stage,
        renewedArrMinor: priced
          ? Math.round((lastArrMinor * factor) / exponentFactor) * exponentFactor
          : null,
        termYears: priced ? (rng.chance(0.75) ? lastYears : Math.min(3, lastYears + 1)) : null,
        reasons: [],
        competitor: null,
        signedDaysEarly: null,
      });
    }
  }

  // ---- The account row ------------------------------------------------------------------------
  const team = demoPodTeam(Math.floor(index / ACCOUNTS_PER_POD));
  const effectiveSegment = segmentOverride ?? segment;
  const ownerCsm = effectiveSegment === 'smb' && rng.chance(0.35) ? null : rng.pick(team.csmIds); // tech-touch SMB: pooled
  const ownerSales =
    effectiveSegment === 'enterprise' || (effectiveSegment === 'mid_market' && rng.chance(0.7))
      ? rng.pick(team.salesIds)
      : effectiveSegment === 'smb' && rng.chance(0.25)
        ? team.specialistId
        : null;
  const strategic =
    segmentOverride === 'enterprise' ||
    (segmentOverride === 'mid_market' && segment === 'smb') ||
    (segment === 'enterprise' && segmentOverride === null && rng.chance(0.3)) ||
    (segment === 'mid_market' && rng.chance(0.03));
  const account: AccountRecord = {
    accountId,
    name,
    industry,
    country: country.code,
    currency,
    fiscalYearStartMonth,
    segmentOverride,
    strategic,
    ownerCsm,
    ownerSales,
    timezone,
    attributes: {
      plan,
      payment_method: paymentMethod,
      onboarding_year: String(Number(fromDayNumber(firstStart).slice(0, 4))),
    },
  };

  return {
    story,
    churned,
    segment: measuredSegment,
    account,
    contracts,
    usage,
    tickets,
    surveys,
    stakeholders,
    signals,
    renewals,
  };
}

function usCountry(): Country {
  const us = COUNTRIES.find(([country]) => country.code === 'US');
  if (!us) throw new Error('demo vocabulary has no US');
  return us[0];
}

function contactAge(rng: Random, story: DemoStory, champion: boolean): number {
  switch (story) {
    case 'champion_lost':
    case 'competitor_threat':
    case 'lost_champion':
    case 'lost_competitor':
    case 'lost_acquisition':
      return rng.int(60, 200);
    case 'sharp_drop':
      return rng.int(1, 25); // firefighting: everyone is talking
    case 'soft_decline':
    case 'lost_budget':
    case 'lost_complexity':
      return champion ? rng.int(20, 100) : rng.int(30, 180);
    default:
      return champion ? rng.int(2, 40) : rng.int(7, 150);
  }
}

function relationshipOf(
  rng: Random,
  story: DemoStory,
  role: StakeholderRole,
  departed: boolean,
): { strength: Strength | null; stance: Stance | null } {
  if (rng.chance(0.08)) return { strength: null, stance: null }; // never assessed
  const healthy = story === 'growing' || story === 'steady' || story === 'near_limit';
  if (departed && role === 'champion') return { strength: 'strong', stance: 'supporter' };
  if (role === 'champion' || role === 'executive_sponsor') {
    if (healthy) return { strength: rng.chance(0.8) ? 'strong' : 'medium', stance: 'supporter' };
    if (story === 'soft_decline')
      return { strength: 'medium', stance: rng.chance(0.7) ? 'supporter' : 'neutral' };
    return {
      strength: rng.chance(0.6) ? 'weak' : 'medium',
      stance: rng.weighted<Stance>([
        ['supporter', 40],
        ['neutral', 45],
        ['detractor', 15],
      ]),
    };
  }
  if (role === 'economic_buyer' || role === 'decision_maker') {
    if (healthy) {
      return {
        strength: rng.chance(0.6) ? 'medium' : 'strong',
        stance: rng.chance(0.75) ? 'supporter' : 'neutral',
      };
    }
    if (story === 'soft_decline') return { strength: 'medium', stance: 'neutral' };
    return {
      strength: rng.chance(0.7) ? 'weak' : 'medium',
      stance: rng.weighted<Stance>([
        ['neutral', 40],
        ['detractor', 60],
      ]),
    };
  }
  return {
    strength: rng.weighted<Strength>([
      ['strong', healthy ? 25 : 10],
      ['medium', 45],
      ['weak', healthy ? 30 : 45],
    ]),
    stance: rng.weighted<Stance>([
      ['supporter', healthy ? 55 : 25],
      ['neutral', 40],
      ['detractor', healthy ? 5 : 35],
    ]),
  };
}

function negativeCommentFor(story: DemoStory, sharpDropCause: SignalKind): string | null {
  switch (story) {
    case 'champion_lost':
    case 'lost_champion':
      return 'Hard to see the value since our champion left.';
    case 'competitor_threat':
    case 'lost_competitor':
      return 'Evaluating alternatives that are cheaper, frankly.';
    case 'lost_complexity':
      return 'Too complex for most of our team, only two people really use it.';
    case 'lost_budget':
      return 'Price increase was hard to justify to finance.';
    case 'lost_acquisition':
      return 'Our new CFO wants to consolidate tools, "one BI platform".';
    case 'sharp_drop':
      return sharpDropCause === 'major_incident' ? 'The outage last month cost us a board report.' : null;
    default:
      return null;
  }
}

function lossReasons(rng: Random, story: DemoStory, lostToCompetitor: boolean): string[] {
  const reasons: string[] = [];
  switch (story) {
    case 'lost_competitor':
      reasons.push('competitor', rng.pick(['price', 'missing_feature', 'price', 'too_complex']));
      break;
    case 'lost_champion':
      reasons.push('champion_left', rng.pick(['low_adoption', 'no_executive_sponsor', 'too_complex']));
      break;
    case 'lost_budget':
      reasons.push('budget_cut');
      if (rng.chance(0.5)) reasons.push('price');
      break;
    case 'lost_complexity':
      reasons.push(rng.chance(0.6) ? 'too_complex' : 'poor_support', 'low_adoption');
      break;
    case 'lost_acquisition':
      reasons.push('acquisition');
      break;
  }
  if (lostToCompetitor && !reasons.includes('competitor')) reasons.push('competitor');
  return reasons;
}
