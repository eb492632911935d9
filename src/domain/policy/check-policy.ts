/**
 * Checks a policy document: errors make it unusable (a weight that is not a number, weights that do
 * not sum to 100, an unknown milestone key), warnings flag values the product accepts but the guides
 * advise against (an early-renewal discount that anchors the price, an SMB effort budget above 3 h,
 * an uplift outside 3–10 %) and keys that are not part of the policy (a typo is otherwise silently
 * ignored). Every issue carries a dotted path into the document.
 */
import type { z } from 'zod';
import { checkPricingPolicy } from '../pricing/pricing-policy.ts';
import { SEGMENTS, type Segment } from '../records.ts';
import { type MilestoneKey, milestoneOffsetDays } from '../vocabulary.ts';
import { type PlaybookKey, type Policy, PolicySchema } from './policy-schema.ts';

export type PolicyIssue = { path: string; message: string };

export type PolicyCheck = {
  ok: boolean;
  policy?: Policy;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
};

export function checkPolicy(raw: unknown): PolicyCheck {
  const result = PolicySchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map(toIssue), warnings: unknownKeys(raw, null, '') };
  }
  const policy = result.data;
  return {
    ok: true,
    policy,
    errors: [],
    warnings: [...unknownKeys(raw, policy, ''), ...guideWarnings(policy)],
  };
}

function toIssue(issue: z.core.$ZodIssue): PolicyIssue {
  const path = issue.path.map(String).join('.');
  const inner =
    issue.code === 'invalid_key' || issue.code === 'invalid_element' ? issue.issues[0] : undefined;
  const message = (inner?.message ?? issue.message).replace(/^Invalid input: /, '');
  return { path, message };
}

/** Keys of the raw document the schema does not know (dropped by parsing). */
function unknownKeys(raw: unknown, parsed: unknown, path: string): PolicyIssue[] {
  if (parsed === null || typeof raw !== 'object' || raw === null) return [];
  if (Array.isArray(raw)) {
    if (!Array.isArray(parsed)) return [];
    return raw.flatMap((item, index) => unknownKeys(item, parsed[index] ?? null, join(path, String(index))));
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  const known = parsed as Record<string, unknown>;
  return Object.entries(raw).flatMap(([key, value]) =>
    key in known
      ? unknownKeys(value, known[key], join(path, key))
      : [{ path: join(path, key), message: 'unknown key, ignored' }],
  );
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Guide §2: where each segment's playbook should start (latest and earliest first milestone). */
const START_RANGES: Partial<Record<PlaybookKey, { latest: number; earliest: number; text: string }>> = {
  enterprise: { latest: 120, earliest: 180, text: 'T-120 or earlier (often T-150+)' },
  mid_market: { latest: 60, earliest: 90, text: 'T-90 to T-60' },
  smb: { latest: 30, earliest: 60, text: 'T-60 to T-30' },
  at_risk: { latest: 180, earliest: 180, text: 'T-180' },
};

const GUIDE_EFFORT: Record<Segment, { minHours: number; maxHours: number; note: string }> = {
  enterprise: { minHours: 15, maxHours: 25, note: '15–25 h' },
  mid_market: { minHours: 5, maxHours: 10, note: '5–10 h' },
  smb: { minHours: 1, maxHours: 3, note: '1–3 h max ("more = broken process")' },
};

const ANCHORING_FROM_BPS = 2500;

function guideWarnings(policy: Policy): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  const warn = (path: string, message: string) => warnings.push({ path, message });

  const early = policy.earlyRenewal;
  if (early.minHealth < 75) {
    warn('earlyRenewal.minHealth', `${early.minHealth} is below the guide's 75: chasing low-health accounts`);
  }
  if (early.minSeatAdoptionPct < 60) {
    warn(
      'earlyRenewal.minSeatAdoptionPct',
      `${early.minSeatAdoptionPct}% is below the guide's 60% of licenses`,
    );
  }
  if (early.maxMonthsEarly > 12) {
    warn('earlyRenewal.maxMonthsEarly', 'more than 12 months before the end date is too early per the guide');
  }
  if (early.minMonthsEarly < 3) {
    warn('earlyRenewal.minMonthsEarly', 'less than 3 months early is not an early renewal per the guide');
  }
  if (!early.requireMultiThreaded) {
    warn('earlyRenewal.requireMultiThreaded', 'the guide calls single-threaded early renewals too risky');
  }
  if (early.maxMonthsEarly !== policy.pricing.earlyRenewal.maxMonthsEarly) {
    warn(
      'earlyRenewal.maxMonthsEarly',
      `differs from pricing.earlyRenewal.maxMonthsEarly (${policy.pricing.earlyRenewal.maxMonthsEarly})`,
    );
  }
  policy.pricing.earlyRenewal.rungs.forEach((rung, index) => {
    if (rung.maxBps >= ANCHORING_FROM_BPS) {
      warn(
        `pricing.earlyRenewal.rungs.${index}.maxBps`,
        `an early-renewal discount of ${rung.maxBps / 100}% creates price-anchoring problems (25–30%)`,
      );
    }
  });
  for (const warning of checkPricingPolicy(policy.pricing)) {
    warn(`pricing.${warning.path}`, warning.message);
  }

  for (const segment of SEGMENTS) {
    const budget = policy.effortBudgets[segment];
    const guide = GUIDE_EFFORT[segment];
    if (budget.minHours < guide.minHours || budget.maxHours > guide.maxHours) {
      warn(
        `effortBudgets.${segment}`,
        `${budget.minHours}–${budget.maxHours} h leaves the guide's ${guide.note}`,
      );
    }
    const effort = playbookEffort(policy, segment);
    if (effort < budget.minHours || effort > budget.maxHours) {
      warn(
        `playbooks.${segment}`,
        `tasks total ${effort} h, outside the ${segment} effort budget of ${budget.minHours}–${budget.maxHours} h`,
      );
    }
  }

  for (const [key, range] of Object.entries(START_RANGES) as [
    PlaybookKey,
    (typeof START_RANGES)[PlaybookKey],
  ][]) {
    if (range === undefined) continue;
    const first = policy.playbooks[key].milestones[0]?.key as MilestoneKey | undefined;
    if (first === undefined) continue;
    const offset = milestoneOffsetDays(first);
    if (offset < range.latest || offset > range.earliest) {
      warn(`playbooks.${key}`, `starts at ${first}; the guide starts ${key} renewals at ${range.text}`);
    }
  }

  if (policy.atRisk.healthBelow > policy.health.bands.greenMin) {
    warn('atRisk.healthBelow', 'above the green band: green accounts would be flagged at-risk');
  }
  const selfRate = policy.fxRates[policy.reportingCurrency];
  if (selfRate !== undefined && Number(selfRate) !== 1) {
    warn(
      `fxRates.${policy.reportingCurrency}`,
      `the reporting currency's own rate is ignored (it is always 1)`,
    );
  }
  return warnings;
}

function playbookEffort(policy: Policy, key: PlaybookKey): number {
  let hours = 0;
  for (const milestone of policy.playbooks[key].milestones) {
    for (const task of milestone.tasks) hours += task.estimateHours;
  }
  return hours;
}
