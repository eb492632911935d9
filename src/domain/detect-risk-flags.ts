/**
 * Risk flags (guide §3): the events and conditions that put a renewal at risk, each with the
 * evidence that raised it, in the fixed order of the RISK_FLAG vocabulary. Windows come from the
 * policy; nothing after asOf is seen (see `collectAccountFacts`).
 */
import { type AccountFacts, recentDeparture, withinDays } from './collect-account-facts.ts';
import type { Policy } from './policy/policy-schema.ts';
import type { Segment } from './records.ts';
import { type HealthBand, RISK_FLAGS, type RiskFlag } from './vocabulary.ts';

export type RiskEvidence = { flag: RiskFlag; detail: string };

export type RiskFlags = { flags: RiskFlag[]; evidence: RiskEvidence[] };

export type DetectRiskFlagsOptions = {
  facts: AccountFacts;
  policy: Policy;
  segment: Segment;
  healthBand: HealthBand;
  healthScore: number;
};

const SIGNAL_FLAGS = [
  'competitor_evaluation',
  'leadership_change',
  'acquisition',
  'budget_freeze',
  'major_incident',
] as const satisfies readonly RiskFlag[];

export function detectRiskFlags({
  facts,
  policy,
  segment,
  healthBand,
  healthScore,
}: DetectRiskFlagsOptions): RiskFlags {
  const settings = policy.riskFlags;
  const raised = new Map<RiskFlag, string>();
  const { usage, relationship, sentiment, support, asOf } = facts;

  if (healthBand === 'red')
    raised.set('health_red', `health ${healthScore} (red below ${policy.health.bands.redBelow})`);

  if (usage.changePct !== null && usage.changePct <= -settings.usageDeclinePct) {
    raised.set(
      'usage_decline',
      `active users ${Math.round(usage.changePct)}% (${usage.windowDays}d vs prior ${usage.windowDays}d)`,
    );
  } else if (usage.recentAverage === 0 && (usage.priorAverage ?? 0) > 0) {
    raised.set('usage_decline', `no active users in the last ${usage.windowDays}d`);
  }

  if (usage.seatAdoptionPct !== null) {
    if (usage.seatAdoptionPct < settings.lowAdoptionPct) {
      raised.set(
        'low_adoption',
        `${Math.round(usage.seatAdoptionPct)}% of seats active (below ${settings.lowAdoptionPct}%)`,
      );
    }
  } else if (usage.featureAdoptionPct !== null && usage.featureAdoptionPct < settings.lowAdoptionPct) {
    raised.set(
      'low_adoption',
      `core-feature adoption ${Math.round(usage.featureAdoptionPct)}% (below ${settings.lowAdoptionPct}%)`,
    );
  }

  // Relationship flags need a mapped relationship: with no stakeholder on record we do not know.
  if (relationship.recorded > 0) {
    const activeCount = relationship.active.length;
    if (settings.threadingSegments.includes(segment) && activeCount < settings.minThreads) {
      raised.set(
        'single_threaded',
        `${activeCount} active ${activeCount === 1 ? 'stakeholder' : 'stakeholders'}`,
      );
    }
    if (settings.executiveSponsorSegments.includes(segment) && relationship.executiveSponsor === null) {
      raised.set('no_executive_sponsor', 'no active executive sponsor');
    }
    const champion = recentDeparture(
      relationship.departed,
      ['champion'],
      asOf,
      settings.departureLookbackDays,
    );
    if (champion !== null) raised.set('champion_left', `champion ${champion.name} left ${champion.leftOn}`);
    const keyContact = recentDeparture(
      relationship.departed,
      settings.keyContactRoles,
      asOf,
      settings.departureLookbackDays,
    );
    if (keyContact !== null) {
      raised.set(
        'key_contact_left',
        `${keyContact.role.replaceAll('_', ' ')} ${keyContact.name} left ${keyContact.leftOn}`,
      );
    }
    const contact = relationship.lastContact;
    if (contact !== null && contact.daysAgo > settings.staleContactDays) {
      raised.set(
        'stale_contact',
        `last contact ${contact.daysAgo}d ago (${contact.stakeholder.name}, ${contact.date}; stale after ${settings.staleContactDays}d)`,
      );
    }
  }

  for (const flag of SIGNAL_FLAGS) {
    const signal = facts.signals[flag];
    if (signal !== undefined && withinDays(signal.date, asOf, settings.signalLookbackDays[flag])) {
      raised.set(
        flag,
        `${flag.replaceAll('_', ' ')} on ${signal.date}${signal.note ? `: ${signal.note}` : ''}`,
      );
    }
  }

  const negative: string[] = [];
  if (sentiment.latestNps !== null && sentiment.latestNps.score <= settings.negativeNpsMax) {
    negative.push(`NPS ${sentiment.latestNps.score} on ${sentiment.latestNps.date}`);
  }
  if (sentiment.latestCsat !== null && sentiment.latestCsat.score <= settings.negativeCsatMax) {
    negative.push(`CSAT ${sentiment.latestCsat.score} on ${sentiment.latestCsat.date}`);
  }
  if (negative.length > 0) raised.set('negative_sentiment', negative.join('; '));

  if (support.escalations >= settings.supportEscalation.minCount) {
    raised.set(
      'support_escalations',
      `${support.escalations} ${settings.supportEscalation.priorities.join('/')} tickets in ${support.escalationLookbackDays}d`,
    );
  }

  const flags = RISK_FLAGS.filter((flag) => raised.has(flag));
  return { flags, evidence: flags.map((flag) => ({ flag, detail: raised.get(flag) ?? '' })) };
}
