/**
 * The closed vocabularies of the renewal engine's output (`DATA-CONTRACT.md` section 2). They are
 * public interface: values may be added, never renamed or removed without a migration note.
 */

export const HEALTH_BANDS = ['green', 'yellow', 'red'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/** Health model components, in the order drivers are listed. */
export const HEALTH_FACTORS = [
  'usage_trend',
  'license_adoption',
  'feature_adoption',
  'support',
  'sentiment',
  'relationship',
  'contact_recency',
  'risk_signals',
] as const;
export type HealthFactor = (typeof HEALTH_FACTORS)[number];

export const RISK_FLAGS = [
  'health_red',
  'usage_decline',
  'low_adoption',
  'single_threaded',
  'no_executive_sponsor',
  'champion_left',
  'key_contact_left',
  'competitor_evaluation',
  'leadership_change',
  'acquisition',
  'budget_freeze',
  'negative_sentiment',
  'support_escalations',
  'major_incident',
  'stale_contact',
] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** Why an account does not qualify for early renewal (empty when it does). */
export const EARLY_REASONS = [
  'health_below_threshold',
  'adoption_below_threshold',
  'single_threaded',
  'no_executive_sponsor',
  'evaluating_alternatives',
  'budget_freeze',
  'too_early',
  'too_late',
  'seasonal_blackout',
  'already_at_risk',
] as const;
export type EarlyReason = (typeof EARLY_REASONS)[number];

export const OPPORTUNITY_TYPES = ['flat', 'expansion', 'at_risk', 'early'] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

export const MOTIONS = ['auto', 'assisted', 'negotiated'] as const;
export type Motion = (typeof MOTIONS)[number];

/** Who owns a renewal (section 5 of the domain guide). */
export const OWNER_ROLES = ['csm', 'sales', 'specialist'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

/**
 * Who does a playbook task. `owner` is resolved to the renewal's routed owner role when the timeline
 * is planned; `system` is an automated step (no human time).
 */
export const TASK_ROLES = [
  'owner',
  'csm',
  'sales',
  'specialist',
  'manager',
  'executive',
  'finance',
  'legal',
  'system',
] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/** Milestones of the renewal timeline, with their distance in calendar days before T-0. */
export const MILESTONE_KEYS = [
  'T-180',
  'T-150',
  'T-120',
  'T-90',
  'T-60',
  'T-45',
  'T-30',
  'T-14',
  'T-7',
  'T-0',
] as const;
export type MilestoneKey = (typeof MILESTONE_KEYS)[number];

export function milestoneOffsetDays(key: MilestoneKey): number {
  return Number(key.slice(2));
}
