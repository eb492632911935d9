/**
 * Escalations of a renewal that is stalling (guide §4): at T-14 a deal not yet in a late stage goes
 * to the manager ("still far apart at T-14 = something is wrong"); at T-7 an unsigned renewal goes to
 * management. Each escalation is due once its milestone date has come and its condition holds.
 */
import { type CalendarDate, daysBetween } from './calendar.ts';
import type { PlannedMilestone } from './plan-renewal-timeline.ts';
import type { MilestoneKey } from './vocabulary.ts';

/** Stages in which a renewal counts as late (negotiated, agreed, or being signed). */
export const LATE_STAGES: readonly string[] = [
  'negotiation',
  'verbal_commit',
  'contracting',
  'contract_sent',
  'signature',
  'closed_won',
];

const SIGNED_STAGES: readonly string[] = ['closed_won', 'signed'];

/** Days without any customer contact after which a `no_response` escalation fires. */
export const NO_RESPONSE_DAYS = 14;

export type DueEscalation = {
  key: string;
  milestone: MilestoneKey;
  dueDate: CalendarDate;
  to: string;
  reason: string;
};

export type PlanEscalationsOptions = {
  milestones: readonly PlannedMilestone[];
  asOf: CalendarDate;
  lapsed: boolean;
  stage: string | null;
  outcome: 'won' | 'lost' | 'pending';
  lastContactOn: CalendarDate | null;
};

export function planEscalations({
  milestones,
  asOf,
  lapsed,
  stage,
  outcome,
  lastContactOn,
}: PlanEscalationsOptions): DueEscalation[] {
  if (lapsed || outcome !== 'pending') return [];
  const normalized = stage?.toLowerCase().replaceAll(' ', '_') ?? null;
  const due: DueEscalation[] = [];
  for (const milestone of milestones) {
    if (milestone.date > asOf) continue;
    for (const escalation of milestone.escalations) {
      let reason: string | null = null;
      switch (escalation.condition) {
        case 'always':
          reason = `${milestone.key} reached`;
          break;
        case 'unsigned':
          if (normalized === null || !SIGNED_STAGES.includes(normalized)) {
            reason = `${milestone.key}: not signed (stage ${normalized ?? 'not set'})`;
          }
          break;
        case 'not_late_stage':
          if (normalized === null || !LATE_STAGES.includes(normalized)) {
            reason = `${milestone.key}: not in a late stage (stage ${normalized ?? 'not set'})`;
          }
          break;
        case 'no_response':
          if (lastContactOn === null || daysBetween(lastContactOn, asOf) > NO_RESPONSE_DAYS) {
            reason = `${milestone.key}: no customer contact ${lastContactOn ? `since ${lastContactOn}` : 'recorded'}`;
          }
          break;
      }
      if (reason !== null) {
        due.push({
          key: escalation.key,
          milestone: milestone.key,
          dueDate: milestone.date,
          to: escalation.to,
          reason,
        });
      }
    }
  }
  return due;
}
