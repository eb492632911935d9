/**
 * One pass over an account's activity records, as of a date: the numbers the health score, the
 * risk flags, early-renewal qualification and expansion detection all read. Computing them once
 * keeps those rules consistent with each other and keeps the engine linear in the size of the data
 * (no sorting: records may arrive in any order).
 *
 * Nothing dated after `asOf` is seen (no future leakage): usage, tickets opened, surveys and signals
 * after it are ignored, a stakeholder who leaves after it is still active, and a contact date after
 * it does not count.
 */
import { addDays, type CalendarDate, daysBetween } from './calendar.ts';
import type { Policy } from './policy/policy-schema.ts';
import type {
  AccountSnapshot,
  SignalKind,
  SignalRecord,
  StakeholderRecord,
  SurveyRecord,
  TicketPriority,
  UsageRecord,
} from './records.ts';

export type UsageFacts = {
  windowDays: number;
  /** Average active users over (asOf − window, asOf]; null without records there. */
  recentAverage: number | null;
  /** Average active users over the window before that. */
  priorAverage: number | null;
  /** Change of the recent average vs the prior one, in percent; null when either is unknown or prior is 0. */
  changePct: number | null;
  /** Latest usage record on or before asOf, if it is fresher than the policy's freshness limit. */
  latest: UsageRecord | null;
  /** Licensed seats: the latest usage record's, else the contract's. */
  seats: number | null;
  seatAdoptionPct: number | null;
  featureAdoptionPct: number | null;
};

export type SupportFacts = {
  lookbackDays: number;
  opened: number;
  byPriority: Record<TicketPriority, number>;
  /** Tickets opened in the lookback that were not closed by asOf. */
  stillOpen: number;
  csatAverage: number | null;
  csatCount: number;
  /** Tickets counted as escalations (policy priorities, escalation lookback). */
  escalations: number;
  escalationLookbackDays: number;
};

export type SentimentFacts = {
  lookbackDays: number;
  latestNps: SurveyRecord | null;
  latestCsat: SurveyRecord | null;
  csatAverage: number | null;
  csatCount: number;
};

export type RelationshipFacts = {
  /** Stakeholders on record (active or departed); 0 means the relationship is not mapped. */
  recorded: number;
  active: StakeholderRecord[];
  /** Stakeholders whose left_on ≤ asOf. */
  departed: StakeholderRecord[];
  champion: StakeholderRecord | null;
  executiveSponsor: StakeholderRecord | null;
  lastContact: { stakeholder: StakeholderRecord; date: CalendarDate; daysAgo: number } | null;
};

export type AccountFacts = {
  asOf: CalendarDate;
  usage: UsageFacts;
  support: SupportFacts;
  sentiment: SentimentFacts;
  relationship: RelationshipFacts;
  /** Latest signal of each kind on or before asOf. */
  signals: Partial<Record<SignalKind, SignalRecord>>;
};

export type CollectAccountFactsOptions = {
  snapshot: AccountSnapshot;
  policy: Policy;
  asOf: CalendarDate;
  /** Licensed seats of the renewal contract, used when usage records do not carry seats. */
  contractSeats?: number | null;
};

const cutoffCache = new Map<string, CalendarDate>();

/** `asOf − days`, memoised: every account of a run shares the same handful of cut-offs. */
export function daysBefore(asOf: CalendarDate, days: number): CalendarDate {
  const key = `${asOf}|${days}`;
  let cutoff = cutoffCache.get(key);
  if (cutoff === undefined) {
    if (cutoffCache.size > 4096) cutoffCache.clear();
    cutoff = addDays(asOf, -days);
    cutoffCache.set(key, cutoff);
  }
  return cutoff;
}

/** Whether a dated record falls within the last `days` days up to asOf: (asOf − days, asOf]. */
export function withinDays(date: CalendarDate, asOf: CalendarDate, days: number): boolean {
  return date <= asOf && date > daysBefore(asOf, days);
}

/** Latest departure of a stakeholder matching `roles` within `days` before asOf. */
export function recentDeparture(
  departed: StakeholderRecord[],
  roles: readonly string[],
  asOf: CalendarDate,
  days: number,
): StakeholderRecord | null {
  let latest: StakeholderRecord | null = null;
  for (const person of departed) {
    if (!roles.includes(person.role) || person.leftOn === null) continue;
    if (!withinDays(person.leftOn, asOf, days)) continue;
    if (latest === null || (latest.leftOn !== null && person.leftOn > latest.leftOn)) latest = person;
  }
  return latest;
}

export function collectAccountFacts({
  snapshot,
  policy,
  asOf,
  contractSeats = null,
}: CollectAccountFactsOptions): AccountFacts {
  return {
    asOf,
    usage: collectUsage(snapshot.usage, policy, asOf, contractSeats),
    support: collectSupport(snapshot, policy, asOf),
    sentiment: collectSentiment(snapshot.surveys, policy, asOf),
    relationship: collectRelationship(snapshot.stakeholders, asOf),
    signals: collectSignals(snapshot.signals, asOf),
  };
}

function collectUsage(
  usage: UsageRecord[],
  policy: Policy,
  asOf: CalendarDate,
  contractSeats: number | null,
): UsageFacts {
  const windowDays = policy.health.usageWindowDays;
  const recentStart = daysBefore(asOf, windowDays);
  const priorStart = daysBefore(asOf, 2 * windowDays);
  const freshFrom = daysBefore(asOf, policy.health.usageFreshnessDays);
  let recentSum = 0;
  let recentCount = 0;
  let priorSum = 0;
  let priorCount = 0;
  let latest: UsageRecord | null = null;
  for (const record of usage) {
    const date = record.date;
    if (date > asOf) continue;
    if (date > recentStart) {
      recentSum += record.activeUsers;
      recentCount += 1;
    } else if (date > priorStart) {
      priorSum += record.activeUsers;
      priorCount += 1;
    }
    if (date > freshFrom && (latest === null || date > latest.date)) latest = record;
  }
  const recentAverage = recentCount > 0 ? recentSum / recentCount : null;
  const priorAverage = priorCount > 0 ? priorSum / priorCount : null;
  const changePct =
    recentAverage !== null && priorAverage !== null && priorAverage > 0
      ? ((recentAverage - priorAverage) / priorAverage) * 100
      : null;
  const seats = latest?.licensedSeats ?? contractSeats ?? null;
  const seatAdoptionPct =
    latest !== null && seats !== null && seats > 0 ? (latest.activeUsers / seats) * 100 : null;
  return {
    windowDays,
    recentAverage,
    priorAverage,
    changePct,
    latest,
    seats,
    seatAdoptionPct,
    featureAdoptionPct: latest?.coreFeatureAdoptionPct ?? null,
  };
}

function collectSupport(snapshot: AccountSnapshot, policy: Policy, asOf: CalendarDate): SupportFacts {
  const lookbackDays = policy.health.supportLookbackDays;
  const from = daysBefore(asOf, lookbackDays);
  const escalation = policy.riskFlags.supportEscalation;
  const escalationFrom = daysBefore(asOf, escalation.lookbackDays);
  const byPriority: Record<TicketPriority, number> = { low: 0, normal: 0, high: 0, urgent: 0 };
  let opened = 0;
  let stillOpen = 0;
  let csatSum = 0;
  let csatCount = 0;
  let escalations = 0;
  for (const ticket of snapshot.tickets) {
    const openedOn = ticket.openedOn;
    if (openedOn > asOf) continue;
    if (openedOn > escalationFrom && escalation.priorities.includes(ticket.priority)) escalations += 1;
    if (openedOn <= from) continue;
    opened += 1;
    byPriority[ticket.priority] += 1;
    if (ticket.closedOn === null || ticket.closedOn > asOf) {
      stillOpen += 1;
    } else if (ticket.csat !== null) {
      csatSum += ticket.csat;
      csatCount += 1;
    }
  }
  return {
    lookbackDays,
    opened,
    byPriority,
    stillOpen,
    csatAverage: csatCount > 0 ? csatSum / csatCount : null,
    csatCount,
    escalations,
    escalationLookbackDays: escalation.lookbackDays,
  };
}

function collectSentiment(surveys: SurveyRecord[], policy: Policy, asOf: CalendarDate): SentimentFacts {
  const lookbackDays = policy.health.sentimentLookbackDays;
  const from = daysBefore(asOf, lookbackDays);
  let latestNps: SurveyRecord | null = null;
  let latestCsat: SurveyRecord | null = null;
  let csatSum = 0;
  let csatCount = 0;
  for (const survey of surveys) {
    if (survey.date > asOf || survey.date <= from) continue;
    if (survey.kind === 'nps') {
      if (latestNps === null || survey.date > latestNps.date) latestNps = survey;
    } else {
      csatSum += survey.score;
      csatCount += 1;
      if (latestCsat === null || survey.date > latestCsat.date) latestCsat = survey;
    }
  }
  return {
    lookbackDays,
    latestNps,
    latestCsat,
    csatAverage: csatCount > 0 ? csatSum / csatCount : null,
    csatCount,
  };
}

function collectRelationship(stakeholders: StakeholderRecord[], asOf: CalendarDate): RelationshipFacts {
  const active: StakeholderRecord[] = [];
  const departed: StakeholderRecord[] = [];
  let champion: StakeholderRecord | null = null;
  let executiveSponsor: StakeholderRecord | null = null;
  let lastContactPerson: StakeholderRecord | null = null;
  let lastContactDate: CalendarDate | null = null;
  for (const stakeholder of stakeholders) {
    if (stakeholder.leftOn !== null && stakeholder.leftOn <= asOf) {
      departed.push(stakeholder);
      continue;
    }
    active.push(stakeholder);
    if (stakeholder.role === 'champion' && champion === null) champion = stakeholder;
    if (stakeholder.role === 'executive_sponsor' && executiveSponsor === null) executiveSponsor = stakeholder;
    const contact = stakeholder.lastContactOn;
    if (contact !== null && contact <= asOf && (lastContactDate === null || contact > lastContactDate)) {
      lastContactDate = contact;
      lastContactPerson = stakeholder;
    }
  }
  return {
    recorded: stakeholders.length,
    active,
    departed,
    champion,
    executiveSponsor,
    lastContact:
      lastContactPerson !== null && lastContactDate !== null
        ? {
            stakeholder: lastContactPerson,
            date: lastContactDate,
            daysAgo: daysBetween(lastContactDate, asOf),
          }
        : null,
  };
}

function collectSignals(
  signals: SignalRecord[],
  asOf: CalendarDate,
): Partial<Record<SignalKind, SignalRecord>> {
  const latest: Partial<Record<SignalKind, SignalRecord>> = {};
  for (const signal of signals) {
    if (signal.date > asOf) continue;
    const current = latest[signal.kind];
    if (current === undefined || signal.date > current.date) latest[signal.kind] = signal;
  }
  return latest;
}
