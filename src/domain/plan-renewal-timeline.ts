/**
 * The renewal timeline (guide §4): the playbook for the renewal's situation, each milestone placed
 * on its exact calendar date, and what is due as of today.
 *
 * Milestones are T-n calendar days before the end date. An auto-renewing contract with a notice period
 * also gets a notice step: after the notice deadline (end date − notice days) the customer can no
 * longer cancel, so a confirmation task and a customer reminder are added to the last milestone that
 * falls at least `noticeLeadDays` before the deadline (guide §9; some jurisdictions require 30+ days).
 * A policy may instead anchor the whole timeline on the deadline (`anchorOnNoticeDeadline`). Due tasks accumulate (the engine does not know what was
 * done; the store does) and stop once T-0 is more than the policy's grace period in the past.
 */
import { addDays, type CalendarDate } from './calendar.ts';
import type { Playbook, PlaybookKey, PlaybookMilestone, Policy } from './policy/policy-schema.ts';
import type { ContractRecord, Segment } from './records.ts';
import {
  type MilestoneKey,
  type Motion,
  milestoneOffsetDays,
  type OwnerRole,
  type TaskRole,
} from './vocabulary.ts';

export type PlannedTask = { key: string; title: string; ownerRole: TaskRole; estimateHours: number };

export type PlannedMilestone = {
  key: MilestoneKey;
  date: CalendarDate;
  tasks: PlannedTask[];
  emails: PlaybookMilestone['emails'];
  escalations: PlaybookMilestone['escalations'];
};

export type DueTask = {
  key: string;
  milestone: MilestoneKey;
  dueDate: CalendarDate;
  title: string;
  ownerRole: TaskRole;
};

export type DueEmail = {
  key: string;
  template: string;
  audience: string;
  milestone: MilestoneKey;
  dueDate: CalendarDate;
};

export type RenewalTimeline = {
  playbook: PlaybookKey;
  /** What the T-n dates count back from. */
  anchor: 'end_date' | 'notice_deadline';
  anchorDate: CalendarDate;
  /** Last day the customer can cancel an auto-renewing contract; null without auto-renew + notice. */
  noticeDeadline: CalendarDate | null;
  milestones: PlannedMilestone[];
  dueTasks: DueTask[];
  dueEmails: DueEmail[];
  /** The playbook's total estimated team time. */
  effortHours: number;
  /** T-0 is more than the grace period in the past: nothing is due any more. */
  lapsed: boolean;
};

export type PlanRenewalTimelineOptions = {
  contract: ContractRecord;
  segment: Segment;
  atRisk: boolean;
  motion: Motion;
  /** The routed owner's role, which playbook tasks for `owner` resolve to. */
  ownerRole: OwnerRole;
  policy: Pick<Policy, 'playbooks' | 'timeline'>;
  asOf: CalendarDate;
};

export function choosePlaybook({
  segment,
  atRisk,
  motion,
}: {
  segment: Segment;
  atRisk: boolean;
  motion: Motion;
}): PlaybookKey {
  if (atRisk) return 'at_risk';
  if (motion === 'auto') return 'smb_automated';
  return segment;
}

function noticeDeadline(contract: ContractRecord): CalendarDate | null {
  if (!contract.autoRenew || contract.noticeDays === null) return null;
  return addDays(contract.endDate, -contract.noticeDays);
}

const NOTICE_TASK_KEY = 'notice-deadline-confirmation';
const NOTICE_EMAIL_KEY = 'notice-deadline-reminder';

/** The last milestone on or before `latest`; the first milestone when all fall later. */
function noticeStepMilestone(
  playbook: Playbook,
  anchorDate: CalendarDate,
  latest: CalendarDate,
): MilestoneKey | null {
  let chosen: MilestoneKey | null = playbook.milestones[0]?.key ?? null;
  for (const milestone of playbook.milestones) {
    if (addDays(anchorDate, -milestoneOffsetDays(milestone.key)) <= latest) chosen = milestone.key;
  }
  return chosen;
}

function withNoticeStep(milestone: PlaybookMilestone, deadline: CalendarDate): PlaybookMilestone {
  return {
    ...milestone,
    tasks: [
      ...milestone.tasks,
      {
        key: NOTICE_TASK_KEY,
        title: `Confirm renewal intent before the notice deadline ${deadline}`,
        ownerRole: 'owner',
        estimateHours: 0.5,
      },
    ],
    emails: [
      ...milestone.emails,
      { key: NOTICE_EMAIL_KEY, template: 'notice_deadline_reminder', audience: 'primary_contact' },
    ],
  };
}

export function planRenewalTimeline({
  contract,
  segment,
  atRisk,
  motion,
  ownerRole,
  policy,
  asOf,
}: PlanRenewalTimelineOptions): RenewalTimeline {
  const playbookKey = choosePlaybook({ segment, atRisk, motion });
  const playbook: Playbook = policy.playbooks[playbookKey];
  const deadline = noticeDeadline(contract);
  const anchoredOnNotice = deadline !== null && policy.timeline.anchorOnNoticeDeadline;
  const anchorDate = anchoredOnNotice ? deadline : contract.endDate;
  const lapsed = asOf > addDays(anchorDate, policy.timeline.overdueGraceDays);

  const noticeStep =
    deadline !== null && !anchoredOnNotice
      ? noticeStepMilestone(playbook, anchorDate, addDays(deadline, -policy.timeline.noticeLeadDays))
      : null;

  const milestones: PlannedMilestone[] = [];
  const dueTasks: DueTask[] = [];
  const dueEmails: DueEmail[] = [];
  let effortHours = 0;
  for (const playbookMilestone of playbook.milestones) {
    const milestone =
      noticeStep === playbookMilestone.key && deadline !== null
        ? withNoticeStep(playbookMilestone, deadline)
        : playbookMilestone;
    const date = addDays(anchorDate, -milestoneOffsetDays(milestone.key));
    const due = !lapsed && date <= asOf;
    const tasks = milestone.tasks.map((task) => {
      effortHours += task.estimateHours;
      const resolved: PlannedTask = {
        key: task.key,
        title: task.title,
        ownerRole: task.ownerRole === 'owner' ? ownerRole : task.ownerRole,
        estimateHours: task.estimateHours,
      };
      if (due) {
        dueTasks.push({
          key: task.key,
          milestone: milestone.key,
          dueDate: date,
          title: task.title,
          ownerRole: resolved.ownerRole,
        });
      }
      return resolved;
    });
    if (due) {
      for (const email of milestone.emails) {
        dueEmails.push({ ...email, milestone: milestone.key, dueDate: date });
      }
    }
    milestones.push({
      key: milestone.key,
      date,
      tasks,
      emails: milestone.emails,
      escalations: milestone.escalations,
    });
  }
  return {
    playbook: playbookKey,
    anchor: anchoredOnNotice ? 'notice_deadline' : 'end_date',
    anchorDate,
    noticeDeadline: deadline,
    milestones,
    dueTasks,
    dueEmails,
    effortHours,
    lapsed,
  };
}
