/**
 * The health score (0–100), its band, and why: every component of the policy's health model scores
 * 0–100 against a neutral 50 (what "no data" scores), and contributes `weight × (score − 50) / 100`
 * points. The drivers therefore add up to `score − 50` (up to rounding), so a reader can see exactly
 * what moved the account, and `toGreen` lists the smallest set of changes that would make it green.
 */
import { type AccountFacts, recentDeparture, withinDays } from './collect-account-facts.ts';
import type { Policy } from './policy/policy-schema.ts';
import type { SignalKind, TicketPriority } from './records.ts';
import { HEALTH_FACTORS, type HealthBand, type HealthFactor } from './vocabulary.ts';

/** What a component scores when its data is missing, and the baseline impacts are measured from. */
const NEUTRAL_COMPONENT_SCORE = 50;

/** Usage trend: a stable account scores 70; each percent of change moves it 1.5 points. */
const STABLE_USAGE_SCORE = 70;
const USAGE_POINTS_PER_PCT = 1.5;
/** Support: the score with no tickets in the lookback (quiet is good, not proof of value). */
const NO_TICKETS_SCORE = 80;
const TICKET_CSAT_POINTS = 7.5;

export type HealthDriver = {
  factor: HealthFactor;
  /** Signed points this component adds to the score vs the neutral baseline (one decimal). */
  impact: number;
  detail: string;
  /** The component's own 0–100 score and its weight. */
  componentScore: number;
  weight: number;
  dataMissing: boolean;
};

export type ToGreenStep = { factor: HealthFactor; points: number; action: string };

export type AccountHealth = {
  score: number;
  band: HealthBand;
  drivers: HealthDriver[];
  /** The smallest set of component improvements that brings the score to green (empty when green). */
  toGreen: ToGreenStep[];
  expansionSignal: boolean;
  expansionEvidence: string[];
};

export type ScoreAccountHealthOptions = { facts: AccountFacts; policy: Policy };

type Component = { score: number | null; detail: string; action: (targetScore: number) => string };

export function scoreAccountHealth({ facts, policy }: ScoreAccountHealthOptions): AccountHealth {
  const components = scoreComponents(facts, policy);
  const weights = policy.health.weights;
  let raw = 0;
  const drivers: HealthDriver[] = HEALTH_FACTORS.map((factor) => {
    const component = components[factor];
    const componentScore = component.score ?? NEUTRAL_COMPONENT_SCORE;
    const weight = weights[factor];
    raw += (weight * componentScore) / 100;
    return {
      factor,
      impact: round1((weight * (componentScore - NEUTRAL_COMPONENT_SCORE)) / 100),
      detail: component.detail,
      componentScore: round1(componentScore),
      weight,
      dataMissing: component.score === null,
    };
  });
  drivers.sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact));
  const score = clamp(Math.round(raw), 0, 100);
  const band = healthBand(score, policy);
  const expansion = band === 'green' ? detectExpansion(facts, policy, components.risk_signals.score) : [];
  return {
    score,
    band,
    drivers,
    toGreen: planToGreen(raw, components, policy),
    expansionSignal: expansion.length > 0,
    expansionEvidence: expansion,
  };
}

export function healthBand(score: number, policy: Pick<Policy, 'health'>): HealthBand {
  if (score >= policy.health.bands.greenMin) return 'green';
  if (score < policy.health.bands.redBelow) return 'red';
  return 'yellow';
}

function scoreComponents(facts: AccountFacts, policy: Policy): Record<HealthFactor, Component> {
  return {
    usage_trend: usageTrend(facts),
    license_adoption: licenseAdoption(facts, policy),
    feature_adoption: featureAdoption(facts, policy),
    support: support(facts, policy),
    sentiment: sentiment(facts),
    relationship: relationship(facts),
    contact_recency: contactRecency(facts, policy),
    risk_signals: riskSignals(facts, policy),
  };
}

function usageTrend({ usage }: AccountFacts): Component {
  const window = `${usage.windowDays}d vs prior ${usage.windowDays}d`;
  if (usage.recentAverage === 0) {
    return {
      score: 0,
      detail: `no active users in the last ${usage.windowDays}d`,
      action: () => 'get users active again',
    };
  }
  if (usage.changePct === null || usage.priorAverage === null) {
    return {
      score: null,
      detail: `usage trend unknown: no usage records for both of the last two ${usage.windowDays}d windows`,
      action: () => 'record usage to show a stable or growing trend',
    };
  }
  const prior = usage.priorAverage;
  const change = usage.changePct;
  return {
    score: clamp(STABLE_USAGE_SCORE + USAGE_POINTS_PER_PCT * change, 0, 100),
    detail: `active users ${signedPct(change)} (${window})`,
    action: (target) => {
      const neededPct = (target - STABLE_USAGE_SCORE) / USAGE_POINTS_PER_PCT;
      const users = Math.ceil(prior * (1 + neededPct / 100));
      return `raise active users to ${users} on average over ${usage.windowDays}d (${signedPct(neededPct)} vs prior ${usage.windowDays}d)`;
    },
  };
}

function licenseAdoption({ usage }: AccountFacts, policy: Policy): Component {
  const target = policy.health.seatAdoptionTargetPct;
  if (usage.seatAdoptionPct === null || usage.latest === null || usage.seats === null) {
    return {
      score: null,
      detail: 'seat adoption unknown (no recent usage or no licensed seats)',
      action: () => 'record active users and licensed seats',
    };
  }
  const seats = usage.seats;
  return {
    score: clamp((usage.seatAdoptionPct / target) * 100, 0, 100),
    detail: `${usage.latest.activeUsers} of ${seats} seats active (${Math.round(usage.seatAdoptionPct)}%) on ${usage.latest.date}`,
    action: (targetScore) => {
      const pct = (targetScore / 100) * target;
      return `activate ${Math.ceil((pct / 100) * seats)} of ${seats} seats (${Math.ceil(pct)}%)`;
    },
  };
}

function featureAdoption({ usage }: AccountFacts, policy: Policy): Component {
  const target = policy.health.featureAdoptionTargetPct;
  if (usage.featureAdoptionPct === null || usage.latest === null) {
    return {
      score: null,
      detail: 'core-feature adoption not reported',
      action: () => 'record core-feature adoption',
    };
  }
  return {
    score: clamp((usage.featureAdoptionPct / target) * 100, 0, 100),
    detail: `core-feature adoption ${Math.round(usage.featureAdoptionPct)}% on ${usage.latest.date}`,
    action: (targetScore) => `raise core-feature adoption to ${Math.ceil((targetScore / 100) * target)}%`,
  };
}

const PRIORITIES_BY_SEVERITY: TicketPriority[] = ['urgent', 'high', 'normal', 'low'];

function support({ support: facts }: AccountFacts, policy: Policy): Component {
  const window = `${facts.lookbackDays}d`;
  if (facts.opened === 0) {
    return {
      score: NO_TICKETS_SCORE,
      detail: `no tickets in ${window}`,
      action: () => 'keep the support queue quiet',
    };
  }
  const penalty = policy.health.ticketPenalty;
  let score = NO_TICKETS_SCORE;
  const counts: string[] = [];
  for (const priority of PRIORITIES_BY_SEVERITY) {
    const count = facts.byPriority[priority];
    score -= count * penalty[priority];
    if (count > 0) counts.push(`${count} ${priority}`);
  }
  let detail = `${counts.join(', ')} ${facts.opened === 1 ? 'ticket' : 'tickets'} in ${window}`;
  if (facts.stillOpen > 0) detail += `, ${facts.stillOpen} still open`;
  if (facts.csatAverage !== null) {
    score += (facts.csatAverage - 3) * TICKET_CSAT_POINTS;
    detail += `, ticket CSAT ${round1(facts.csatAverage)}`;
  }
  return {
    score: clamp(score, 0, 100),
    detail,
    action: () => `resolve open tickets and escalations (${counts.join(', ')} in ${window})`,
  };
}

/** NPS 0–10 as a 0–100 score: detractors (0–6) up to 42, passives 60–75, promoters 90–100. */
export function npsComponentScore(nps: number): number {
  if (nps >= 9) return 90 + (nps - 9) * 10;
  if (nps >= 7) return 60 + (nps - 7) * 15;
  return nps * 7;
}

/** CSAT 1–5 as a 0–100 score. */
export function csatComponentScore(csat: number): number {
  return clamp((csat - 1) * 25, 0, 100);
}

function sentiment({ sentiment: facts }: AccountFacts): Component {
  const parts: string[] = [];
  const scores: number[] = [];
  if (facts.latestNps !== null) {
    scores.push(npsComponentScore(facts.latestNps.score));
    parts.push(`NPS ${facts.latestNps.score} on ${facts.latestNps.date}`);
  }
  if (facts.csatAverage !== null) {
    scores.push(csatComponentScore(facts.csatAverage));
    parts.push(
      facts.csatCount === 1
        ? `CSAT ${facts.csatAverage} on ${facts.latestCsat?.date}`
        : `CSAT ${round1(facts.csatAverage)} avg of ${facts.csatCount} surveys`,
    );
  }
  if (scores.length === 0) {
    return {
      score: null,
      detail: `no NPS or CSAT survey in ${facts.lookbackDays}d`,
      action: () => 'run an NPS or CSAT survey',
    };
  }
  return {
    score: scores.reduce((sum, value) => sum + value, 0) / scores.length,
    detail: parts.join('; '),
    action: () => 'win a promoter NPS (9+) or CSAT of 4+',
  };
}

function relationship({ relationship: facts }: AccountFacts): Component {
  if (facts.recorded === 0) {
    return {
      score: null,
      detail: 'no stakeholders recorded',
      action: () => 'map the stakeholders: champion, economic buyer, executive sponsor',
    };
  }
  const active = facts.active;
  let score = Math.min(active.length, 4) * 10;
  const hasBuyer = active.some(
    (person) => person.role === 'economic_buyer' || person.role === 'decision_maker',
  );
  if (facts.champion !== null) score += 20;
  if (facts.executiveSponsor !== null) score += 20;
  if (hasBuyer) score += 10;
  let supporters = 0;
  let detractors = 0;
  for (const person of active) {
    if (person.stance === 'detractor') detractors += 1;
    else if (person.stance === 'supporter' && person.strength === 'strong') supporters += 1;
  }
  score += Math.min(supporters, 2) * 5 - detractors * 10;
  const parts = [`${active.length} active ${active.length === 1 ? 'stakeholder' : 'stakeholders'}`];
  parts.push(facts.champion !== null ? `champion ${facts.champion.name}` : 'no champion');
  parts.push(
    facts.executiveSponsor !== null ? `sponsor ${facts.executiveSponsor.name}` : 'no executive sponsor',
  );
  if (!hasBuyer) parts.push('no economic buyer');
  if (detractors > 0) parts.push(`${detractors} ${detractors === 1 ? 'detractor' : 'detractors'}`);
  const missing: string[] = [];
  if (facts.executiveSponsor === null) missing.push('an executive sponsor');
  if (facts.champion === null) missing.push('a champion');
  if (!hasBuyer) missing.push('the economic buyer');
  if (active.length < 4) missing.push(`${4 - active.length} more engaged stakeholders`);
  return {
    score: clamp(score, 0, 100),
    detail: parts.join(', '),
    action: () => (missing.length > 0 ? `engage ${missing.join(', ')}` : 'turn detractors into supporters'),
  };
}

function contactRecency({ relationship: facts }: AccountFacts, policy: Policy): Component {
  const full = policy.health.contactFullMarksDays;
  const zero = Math.max(policy.health.contactZeroDays, full + 1);
  if (facts.lastContact === null) {
    return {
      score: null,
      detail: 'no contact date recorded for an active stakeholder',
      action: () => 'contact a stakeholder and record it',
    };
  }
  const { daysAgo, stakeholder, date } = facts.lastContact;
  const score = daysAgo <= full ? 100 : clamp(100 - ((daysAgo - full) / (zero - full)) * 100, 0, 100);
  return {
    score,
    detail: `last contact ${daysAgo}d ago (${stakeholder.name}, ${date})`,
    action: () => `contact a stakeholder (last contact ${daysAgo}d ago)`,
  };
}

const RISK_EVENT_SIGNALS = [
  'competitor_evaluation',
  'acquisition',
  'budget_freeze',
  'leadership_change',
  'major_incident',
] as const satisfies readonly SignalKind[];

function riskSignals(facts: AccountFacts, policy: Policy): Component {
  const penalties = policy.health.riskEventPenalty;
  const lookback = policy.riskFlags.signalLookbackDays;
  let score = 100;
  const events: string[] = [];
  for (const kind of RISK_EVENT_SIGNALS) {
    const signal = facts.signals[kind];
    if (signal === undefined || !withinDays(signal.date, facts.asOf, lookback[kind])) continue;
    score -= penalties[kind];
    events.push(`${kind.replaceAll('_', ' ')} on ${signal.date}${signal.note ? ` (${signal.note})` : ''}`);
  }
  const departureDays = policy.riskFlags.departureLookbackDays;
  const departed = facts.relationship.departed;
  const champion = recentDeparture(departed, ['champion'], facts.asOf, departureDays);
  if (champion !== null) {
    score -= penalties.champion_left;
    events.push(`champion ${champion.name} left ${champion.leftOn}`);
  }
  const keyContact = recentDeparture(departed, policy.riskFlags.keyContactRoles, facts.asOf, departureDays);
  if (keyContact !== null) {
    score -= penalties.key_contact_left;
    events.push(`${keyContact.role.replaceAll('_', ' ')} ${keyContact.name} left ${keyContact.leftOn}`);
  }
  // A risk event never reads as a plus: with any event the component falls below neutral (50).
  return {
    score: events.length > 0 ? clamp(score - 50, 0, 50) : 100,
    detail: events.length > 0 ? events.join('; ') : 'no risk events',
    action: () => `address the risk events (${events.join('; ')})`,
  };
}

/**
 * The fewest components to improve, largest available gain first; the last one only as far as
 * needed. Score rounds half up, so the raw score must reach `greenMin − 0.5`.
 */
function planToGreen(
  raw: number,
  components: Record<HealthFactor, Component>,
  policy: Policy,
): ToGreenStep[] {
  let needed = policy.health.bands.greenMin - 0.5 - raw;
  if (needed <= 0) return [];
  const weights = policy.health.weights;
  const candidates = HEALTH_FACTORS.map((factor) => {
    const current = components[factor].score ?? NEUTRAL_COMPONENT_SCORE;
    return { factor, current, gain: (weights[factor] * (100 - current)) / 100 };
  })
    .filter((candidate) => candidate.gain > 0)
    .sort((a, b) => b.gain - a.gain);
  const steps: ToGreenStep[] = [];
  for (const candidate of candidates) {
    if (needed <= 0) break;
    const points = Math.min(candidate.gain, needed);
    const target = Math.min(100, candidate.current + (points * 100) / weights[candidate.factor]);
    steps.push({
      factor: candidate.factor,
      points: Math.ceil(points * 10) / 10,
      action: components[candidate.factor].action(target),
    });
    needed -= points;
  }
  return steps;
}

function detectExpansion(facts: AccountFacts, policy: Policy, riskScore: number | null): string[] {
  // "All green signals": no risk event may be live.
  if (riskScore !== null && riskScore < 100) return [];
  const settings = policy.health.expansion;
  const evidence: string[] = [];
  const { usage, signals, asOf } = facts;
  if (usage.changePct !== null && usage.changePct >= settings.usageGrowthPct) {
    evidence.push(
      `active users ${signedPct(usage.changePct)} (${usage.windowDays}d vs prior ${usage.windowDays}d)`,
    );
  }
  if (usage.seatAdoptionPct !== null && usage.seatAdoptionPct >= settings.seatUtilizationPct) {
    evidence.push(`${Math.round(usage.seatAdoptionPct)}% of licensed seats in use`);
  }
  for (const kind of ['usage_near_limit', 'expansion_interest'] as const) {
    const signal = signals[kind];
    if (signal !== undefined && withinDays(signal.date, asOf, settings.signalLookbackDays)) {
      evidence.push(`${kind.replaceAll('_', ' ')} on ${signal.date}`);
    }
  }
  return evidence;
}

function signedPct(value: number): string {
  const rounded = Math.round(value);
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10 + 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
