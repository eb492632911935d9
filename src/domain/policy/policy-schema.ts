/**
 * The renewal policy: every rule and number of `DOMAIN.md` as configurable data. `PolicySchema.parse({})`
 * is the default policy; a policy file only states what it changes. Structural mistakes (a weight
 * that is not a number, weights that do not sum to 100, a threshold pair in the wrong order) are
 * errors here; values that are valid but outside the guides' ranges are warnings in `checkPolicy`.
 *
 * The early-renewal discount ladder lives in `pricing.earlyRenewal.rungs` (one ladder for both the
 * qualification's suggested discount and the quote).
 *
 * Units: money thresholds are integer minor units of the reporting currency; discounts and uplifts
 * that feed money are basis points (1% = 100 bps); health thresholds and adoption rates are plain
 * 0–100 numbers; durations are calendar days or months as named.
 */
import { z } from 'zod';
import { ForecastCategoryPolicySchema } from '../forecast/categorize-forecast.ts';
import { CURRENCY_PATTERN } from '../money.ts';
import { PricingPolicySchema } from '../pricing/pricing-policy.ts';
import {
  SEGMENTS,
  type Segment,
  STAKEHOLDER_ROLES,
  type StakeholderRole,
  TICKET_PRIORITIES,
  type TicketPriority,
} from '../records.ts';
import {
  HEALTH_FACTORS,
  type HealthFactor,
  MILESTONE_KEYS,
  milestoneOffsetDays,
  OPPORTUNITY_TYPES,
  type OpportunityType,
  RISK_FLAGS,
  type RiskFlag,
  TASK_ROLES,
} from '../vocabulary.ts';
import { defaultPlaybooks } from './default-playbooks.ts';

const CurrencyCode = z.string().regex(CURRENCY_PATTERN, 'expected an ISO 4217 code such as USD');
const RateString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a positive decimal string such as "1.08"');
const MinorAmount = z.number().int().nonnegative();
const Days = z.number().int().nonnegative();
const Percent = z.number().min(0).max(100);
const Probability = z.number().min(0).max(1);
const Hours = z.number().nonnegative();

// ---------------------------------------------------------------------------------------------
// Health model
// ---------------------------------------------------------------------------------------------

/**
 * Component weights (sum 100). Usage trend weighs most because the guide's one worked example of a
 * leading indicator is usage ("down 40% in Q2 → at risk in Q4"); adoption depth and relationship
 * quality follow; risk events weigh 15 because they "spike risk immediately" (and also raise flags
 * that make the renewal at-risk on their own, see `atRisk.flags`).
 */
const DEFAULT_WEIGHTS: Record<HealthFactor, number> = {
  usage_trend: 20,
  license_adoption: 15,
  feature_adoption: 10,
  support: 10,
  sentiment: 10,
  relationship: 15,
  contact_recency: 5,
  risk_signals: 15,
};

const WeightsSchema = z
  .object({
    usage_trend: Percent.default(DEFAULT_WEIGHTS.usage_trend),
    license_adoption: Percent.default(DEFAULT_WEIGHTS.license_adoption),
    feature_adoption: Percent.default(DEFAULT_WEIGHTS.feature_adoption),
    support: Percent.default(DEFAULT_WEIGHTS.support),
    sentiment: Percent.default(DEFAULT_WEIGHTS.sentiment),
    relationship: Percent.default(DEFAULT_WEIGHTS.relationship),
    contact_recency: Percent.default(DEFAULT_WEIGHTS.contact_recency),
    risk_signals: Percent.default(DEFAULT_WEIGHTS.risk_signals),
  })
  .prefault({})
  .superRefine((weights, ctx) => {
    const total = HEALTH_FACTORS.reduce((sum, factor) => sum + weights[factor], 0);
    if (Math.abs(total - 100) > 1e-9) {
      ctx.addIssue({ code: 'custom', message: `weights must sum to 100 (they sum to ${total})` });
    }
  });

const HealthSchema = z
  .object({
    weights: WeightsSchema,
    /**
     * Bands: green ≥ 70, red < 40, yellow between. Each component scores 0–100 around a neutral 50
     * (no data), so an account nobody knows anything about lands at ~60, yellow ("mixed signals"),
     * while one with stable usage, most seats active, a champion and a sponsor lands in the 80s. 70
     * needs clearly positive evidence on most components; below 40 needs several negative ones.
     */
    bands: z
      .object({ greenMin: Percent.default(70), redBelow: Percent.default(40) })
      .prefault({})
      .refine((bands) => bands.redBelow <= bands.greenMin, {
        message: 'redBelow must not be above greenMin',
      }),
    /** Usage trend compares the average active users of the last N days with the N days before. */
    usageWindowDays: z.number().int().min(7).max(180).default(30),
    /** The latest usage record older than this is not used for adoption. */
    usageFreshnessDays: Days.default(90),
    /** Seat adoption (active users / licensed seats) at which the component scores 100. */
    seatAdoptionTargetPct: Percent.default(80),
    /** Core-feature adoption at which the component scores 100. */
    featureAdoptionTargetPct: Percent.default(70),
    supportLookbackDays: Days.default(90),
    /** Score points one ticket of each priority costs (from 80 with no tickets). */
    ticketPenalty: z
      .object({
        low: z.number().nonnegative().default(1),
        normal: z.number().nonnegative().default(3),
        high: z.number().nonnegative().default(10),
        urgent: z.number().nonnegative().default(20),
      })
      .prefault({}),
    sentimentLookbackDays: Days.default(180),
    /** Contact recency: full marks within this many days, zero at `contactZeroDays`. */
    contactFullMarksDays: Days.default(14),
    contactZeroDays: Days.default(180),
    /** Points a risk event within its lookback takes from the risk component (from 100). */
    riskEventPenalty: z
      .object({
        competitor_evaluation: z.number().nonnegative().default(40),
        acquisition: z.number().nonnegative().default(30),
        budget_freeze: z.number().nonnegative().default(30),
        leadership_change: z.number().nonnegative().default(25),
        major_incident: z.number().nonnegative().default(25),
        champion_left: z.number().nonnegative().default(35),
        key_contact_left: z.number().nonnegative().default(20),
      })
      .prefault({}),
    /** Growth signals for the expansion band (all green + at least one of these). */
    expansion: z
      .object({
        usageGrowthPct: z.number().nonnegative().default(10),
        seatUtilizationPct: Percent.default(90),
        signalLookbackDays: Days.default(90),
      })
      .prefault({}),
  })
  .prefault({});

/**
 * When a renewal becomes at-risk on its own, without anyone re-checking scores (guide §3). The
 * default score threshold equals the red band: yellow accounts get value reinforcement, not save
 * mode (guide §2). Two risk events are severe enough to start save mode at any score.
 */
const AtRiskSchema = z
  .object({
    healthBelow: Percent.default(40),
    flags: z.array(z.enum(RISK_FLAGS)).default((): RiskFlag[] => ['competitor_evaluation', 'champion_left']),
  })
  .prefault({});

// ---------------------------------------------------------------------------------------------
// Touch model, playbooks, timeline
// ---------------------------------------------------------------------------------------------

const TouchSchema = z
  .object({
    /** Auto-renewal only for small contracts (below the mid-market floor by default). */
    autoMaxArrMinor: MinorAmount.default(1_000_000),
    negotiatedSegments: z.array(z.enum(SEGMENTS)).default((): Segment[] => ['enterprise']),
    /** Opportunity types that need a full sales process in `negotiatedTypeSegments`. */
    negotiatedTypes: z
      .array(z.enum(OPPORTUNITY_TYPES))
      .default((): OpportunityType[] => ['expansion', 'at_risk']),
    negotiatedTypeSegments: z.array(z.enum(SEGMENTS)).default((): Segment[] => ['mid_market']),
  })
  .prefault({});

const EMAIL_AUDIENCES = [...STAKEHOLDER_ROLES, 'primary_contact'] as const;
const ESCALATION_CONDITIONS = ['always', 'unsigned', 'not_late_stage', 'no_response'] as const;

const TaskSchema = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case key'),
  title: z.string().min(1),
  ownerRole: z.enum(TASK_ROLES),
  estimateHours: Hours,
});

const EmailStepSchema = z.object({
  key: z.string().min(1),
  template: z.string().min(1),
  audience: z.enum(EMAIL_AUDIENCES),
});

const EscalationSchema = z.object({
  key: z.string().min(1),
  condition: z.enum(ESCALATION_CONDITIONS),
  to: z.enum(TASK_ROLES),
});

const MilestoneSchema = z.object({
  key: z.enum(MILESTONE_KEYS),
  tasks: z.array(TaskSchema).default(() => []),
  emails: z.array(EmailStepSchema).default(() => []),
  escalations: z.array(EscalationSchema).default(() => []),
});

const PlaybookSchema = z
  .object({ milestones: z.array(MilestoneSchema).min(1) })
  .superRefine((playbook, ctx) => {
    const milestoneKeys = new Set<string>();
    const taskKeys = new Set<string>();
    playbook.milestones.forEach((milestone, index) => {
      if (milestoneKeys.has(milestone.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['milestones', index, 'key'],
          message: `milestone ${milestone.key} appears twice`,
        });
      }
      milestoneKeys.add(milestone.key);
      milestone.tasks.forEach((task, taskIndex) => {
        if (taskKeys.has(task.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['milestones', index, 'tasks', taskIndex, 'key'],
            message: `task key ${task.key} appears twice in the playbook`,
          });
        }
        taskKeys.add(task.key);
      });
    });
  })
  .transform((playbook) => ({
    // Earliest milestone first, whatever order the file used.
    milestones: [...playbook.milestones].sort(
      (a, b) => milestoneOffsetDays(b.key) - milestoneOffsetDays(a.key),
    ),
  }));

const PlaybooksSchema = z
  .object({
    enterprise: PlaybookSchema.default(() => defaultPlaybooks().enterprise),
    mid_market: PlaybookSchema.default(() => defaultPlaybooks().mid_market),
    smb: PlaybookSchema.default(() => defaultPlaybooks().smb),
    /** For renewals whose motion is auto (no human). */
    smb_automated: PlaybookSchema.default(() => defaultPlaybooks().smb_automated),
    /** Save mode, starting at T-180 whatever the segment. */
    at_risk: PlaybookSchema.default(() => defaultPlaybooks().at_risk),
  })
  .prefault({});

const TimelineSchema = z
  .object({
    /**
     * A contract stays "the renewal" for this many days after its end date (late signatures are
     * common), and its tasks stay due that long after T-0.
     */
    overdueGraceDays: Days.default(30),
    /**
     * Anchor auto-renewing contracts with a notice period on the notice deadline instead of the end
     * date. Off by default: milestone dates stay T-n from the due date (the data contract) and a
     * notice reminder is scheduled `noticeLeadDays` before the deadline instead (guide §9).
     */
    anchorOnNoticeDeadline: z.boolean().default(false),
    /** Reach the customer at least this many days before an auto-renewal's notice deadline. */
    noticeLeadDays: Days.default(30),
  })
  .prefault({});

// ---------------------------------------------------------------------------------------------
// Ownership, early renewal, calendar
// ---------------------------------------------------------------------------------------------

const OwnershipSchema = z
  .object({
    /** Guide §5 models; the hybrid example rule set is the default. */
    model: z.enum(['hybrid', 'cs_led', 'sales_led', 'specialists']).default('hybrid'),
    /** Hybrid: Sales owns from 50K (CSM below). */
    salesMinArrMinor: MinorAmount.default(5_000_000),
    /** Hybrid: Sales takes any red account whatever its size. */
    salesTakesRed: z.boolean().default(true),
    /** Hybrid: specialists own the high-volume tail below 10K, when the tenant has specialists. */
    specialistsBelowArrMinor: MinorAmount.default(1_000_000),
    /** Whether the tenant has renewal specialists (also true when a specialist list is passed). */
    tenantHasSpecialists: z.boolean().default(false),
    executiveEngagement: z
      .object({
        strategic: z.boolean().default(true),
        minArrMinor: MinorAmount.default(10_000_000),
        /** Red accounts from this size get executive escalation (guide §2, "full intervention"). */
        redMinArrMinor: MinorAmount.default(1_000_000),
      })
      .prefault({}),
  })
  .prefault({});

const EarlyRenewalSchema = z
  .object({
    minHealth: Percent.default(75),
    /** "Target accounts ≥ 80": informational, reported as `targetAccount`. */
    targetHealth: Percent.default(80),
    minSeatAdoptionPct: Percent.default(60),
    /** "... or strong core-feature engagement". */
    strongFeatureAdoptionPct: Percent.default(70),
    requireMultiThreaded: z.boolean().default(true),
    minThreads: z.number().int().min(1).default(2),
    requireExecutiveSponsor: z.boolean().default(true),
    /** Whole calendar months before the end date (3 months before 2027-03-31 is 2026-12-31). */
    minMonthsEarly: z.number().int().min(0).default(3),
    maxMonthsEarly: z.number().int().min(0).default(12),
    sweetSpot: z
      .object({
        fromMonths: z.number().int().min(0).default(3),
        toMonths: z.number().int().min(0).default(6),
      })
      .prefault({}),
  })
  .prefault({})
  .refine((early) => early.minMonthsEarly <= early.maxMonthsEarly, {
    message: 'minMonthsEarly must not be above maxMonthsEarly',
  });

const FiscalYearSchema = z
  .object({
    /** Fiscal year starting July → approach in April–May: 3 to 2 months before the start. */
    planningFromMonthsBefore: z.number().int().min(0).max(11).default(3),
    planningToMonthsBefore: z.number().int().min(0).max(11).default(2),
  })
  .prefault({})
  .refine((fiscal) => fiscal.planningToMonthsBefore <= fiscal.planningFromMonthsBefore, {
    message: 'planningToMonthsBefore must not be above planningFromMonthsBefore',
  });

const BlackoutSchema = z.object({
  key: z.string().min(1),
  /** Values of `account.industry`, compared case-insensitively. */
  industries: z.array(z.string().min(1)).min(1),
  months: z.array(z.number().int().min(1).max(12)).min(1),
});

const DEFAULT_BLACKOUTS = [
  { key: 'retail', industries: ['retail', 'e-commerce', 'ecommerce'], months: [11] },
  { key: 'tax', industries: ['tax', 'tax software', 'accounting'], months: [3] },
  {
    key: 'education',
    industries: ['education', 'edtech', 'schools', 'higher education', 'k-12'],
    months: [8],
  },
];

const EffortBudgetSchema = z
  .object({ minHours: Hours, maxHours: Hours })
  .refine((budget) => budget.minHours <= budget.maxHours, { message: 'minHours must not be above maxHours' });

const EffortBudgetsSchema = z
  .object({
    enterprise: EffortBudgetSchema.default({ minHours: 15, maxHours: 25 }),
    mid_market: EffortBudgetSchema.default({ minHours: 5, maxHours: 10 }),
    smb: EffortBudgetSchema.default({ minHours: 1, maxHours: 3 }),
  })
  .prefault({});

// ---------------------------------------------------------------------------------------------
// Risk flags, probability, pricing
// ---------------------------------------------------------------------------------------------

const RiskFlagsSchema = z
  .object({
    /** usage_decline: active users down at least this much (usage window vs the one before). */
    usageDeclinePct: z.number().min(0).max(100).default(20),
    /** low_adoption: seat adoption below this (or core-feature adoption when seats are unknown). */
    lowAdoptionPct: Percent.default(40),
    /** single_threaded: fewer active stakeholders than this ... */
    minThreads: z.number().int().min(1).default(2),
    /** ... in these segments (an SMB account with one contact is normal, guide §5). */
    threadingSegments: z.array(z.enum(SEGMENTS)).default((): Segment[] => ['enterprise', 'mid_market']),
    executiveSponsorSegments: z
      .array(z.enum(SEGMENTS))
      .default((): Segment[] => ['enterprise', 'mid_market']),
    /** champion_left / key_contact_left: departures within this many days. */
    departureLookbackDays: Days.default(180),
    keyContactRoles: z
      .array(z.enum(STAKEHOLDER_ROLES))
      .default((): StakeholderRole[] => ['economic_buyer', 'decision_maker', 'executive_sponsor']),
    /** How long a signal keeps its flag raised. */
    signalLookbackDays: z
      .object({
        competitor_evaluation: Days.default(90),
        leadership_change: Days.default(180),
        acquisition: Days.default(180),
        budget_freeze: Days.default(180),
        major_incident: Days.default(60),
      })
      .prefault({}),
    /** negative_sentiment: latest NPS at or below (detractor) or latest CSAT at or below. */
    negativeNpsMax: z.number().min(0).max(10).default(6),
    negativeCsatMax: z.number().min(1).max(5).default(2),
    supportEscalation: z
      .object({
        lookbackDays: Days.default(90),
        priorities: z.array(z.enum(TICKET_PRIORITIES)).default((): TicketPriority[] => ['urgent']),
        minCount: z.number().int().min(1).default(2),
      })
      .prefault({}),
    /** stale_contact: no recorded contact with any active stakeholder for this many days. */
    staleContactDays: Days.default(90),
  })
  .prefault({});

/**
 * The renewal probability prior: a health-based base rate, multiplied by one factor per raised risk
 * flag, plus stage, segment and auto-renew adjustments. Priors, not a fitted model: calibrate them
 * against the forecast-accuracy report.
 */
const ProbabilitySchema = z
  .object({
    /** Probability at health 0 and at health 100; linear between. */
    healthFloor: Probability.default(0.3),
    healthCeiling: Probability.default(0.95),
    flagMultipliers: z.partialRecord(z.enum(RISK_FLAGS), Probability).default(() => ({
      usage_decline: 0.92,
      low_adoption: 0.95,
      single_threaded: 0.95,
      no_executive_sponsor: 0.97,
      champion_left: 0.85,
      key_contact_left: 0.9,
      competitor_evaluation: 0.8,
      leadership_change: 0.9,
      acquisition: 0.85,
      budget_freeze: 0.85,
      negative_sentiment: 0.9,
      support_escalations: 0.95,
      major_incident: 0.9,
      stale_contact: 0.95,
    })),
    /** Added for the renewal's current stage (renewals.csv `stage`, compared case-insensitively). */
    stageAdjustments: z.record(z.string(), z.number().min(-1).max(1)).default(() => ({
      proposal: 0.02,
      negotiation: 0.04,
      verbal_commit: 0.1,
      contract_sent: 0.12,
      stalled: -0.1,
    })),
    segmentAdjustments: z
      .object({
        enterprise: z.number().min(-1).max(1).default(0.02),
        mid_market: z.number().min(-1).max(1).default(0),
        smb: z.number().min(-1).max(1).default(-0.02),
      })
      .prefault({}),
    /** Auto-renewing contract with payment on file: the customer must act to leave. */
    autoRenewBonus: z.number().min(0).max(1).default(0.05),
  })
  .prefault({})
  .refine((probability) => probability.healthFloor <= probability.healthCeiling, {
    message: 'healthFloor must not be above healthCeiling',
  });

/**
 * Forecasting (issue 5): category thresholds, the retention targets the forecast is read against
 * (DOMAIN.md section 1: NRR ≥ 90% is the healthy line), and when the tenant has enough closed
 * renewals to fit its own model instead of using the transparent prior.
 */
const ForecastSchema = z
  .object({
    categories: ForecastCategoryPolicySchema.prefault({}),
    targetNrr: z.number().min(0).max(5).default(0.9),
    targetGrr: Probability.default(0.9),
    model: z
      .object({
        /** Closed renewals (won + lost) needed before a model is fitted; below it the prior is used. */
        minClosedRenewals: z.number().int().min(2).default(40),
        /** …with at least this many of each outcome. */
        minEachOutcome: z.number().int().min(1).default(5),
        /** L2 penalty (precision of the Gaussian prior on standardized weights). */
        l2: z.number().nonnegative().default(1),
        /** Features are read this many days before the due date (T-90). */
        featureLeadDays: Days.default(90),
      })
      .prefault({}),
  })
  .prefault({});

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

export const PolicySchema = z.object({
  name: z.string().min(1).default('Perennial default policy'),
  version: z.string().min(1).default('1'),
  reportingCurrency: CurrencyCode.default('USD'),
  /** Units of the reporting currency per one unit of the key currency (illustrative defaults). */
  fxRates: z.record(CurrencyCode, RateString).default(() => ({
    EUR: '1.08',
    GBP: '1.27',
    JPY: '0.0067',
    CAD: '0.73',
    AUD: '0.66',
    CHF: '1.13',
    SGD: '0.74',
    MYR: '0.21',
  })),
  segments: z
    .object({
      enterpriseMinArrMinor: MinorAmount.default(10_000_000),
      midMarketMinArrMinor: MinorAmount.default(1_000_000),
    })
    .prefault({})
    .refine((segments) => segments.midMarketMinArrMinor <= segments.enterpriseMinArrMinor, {
      message: 'midMarketMinArrMinor must not be above enterpriseMinArrMinor',
    }),
  health: HealthSchema,
  atRisk: AtRiskSchema,
  touch: TouchSchema,
  playbooks: PlaybooksSchema,
  timeline: TimelineSchema,
  ownership: OwnershipSchema,
  earlyRenewal: EarlyRenewalSchema,
  fiscalYear: FiscalYearSchema,
  seasonalBlackouts: z.array(BlackoutSchema).default(() => structuredClone(DEFAULT_BLACKOUTS)),
  effortBudgets: EffortBudgetsSchema,
  riskFlags: RiskFlagsSchema,
  probability: ProbabilitySchema,
  /** Commercial rules for quotes (uplift, early-renewal discount rungs, multi-year, approvals). */
  pricing: PricingPolicySchema.prefault({}),
  forecast: ForecastSchema,
});

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type Playbook = z.output<typeof PlaybookSchema>;
export type PlaybookKey = keyof Policy['playbooks'];
export type PlaybookMilestone = Policy['playbooks']['enterprise']['milestones'][number];

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});
