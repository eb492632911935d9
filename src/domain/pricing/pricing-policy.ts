/**
 * The commercial policy behind renewal quotes (`DOMAIN.md` sections 6 and 7): uplift, the
 * early-renewal ladder, multi-year schedules and stacking caps, the discount cap, the approval
 * authority matrix, segment incentives, good/better/best packages and expansion add-ons.
 *
 * Every percentage is in basis points (1 bp = 0.01 %, 10 000 = 100 %). `PricingPolicySchema.parse({})`
 * yields the defaults below. Where the guides give a range, the policy stores the default *and* the
 * range; a default outside its range (or a range outside the guides') is accepted and reported by
 * `checkPricingPolicy` as a warning, never refused (DOMAIN.md preamble).
 *
 * Defaults, and why:
 * - Uplift 5 % (range 3–10 %), and the same 5 % as the expected yearly list increase, which prices
 *   years 2 and 3 of the list a multi-year deal is compared with.
 * - Early-renewal ladder: the *minimum* of each rung (5 %, 10 %, 15 %) — "over-discounting" is a
 *   pitfall the guide names, so defaults give away the least and the range stays visible.
 *   Rungs start at 3, 6 and 9 months early; a rung covers [from, next rung's from), the last one up to
 *   and including `maxMonthsEarly` (12). More than 12 months early is "too early": no discount.
 * - Multi-year stacking caps are caps, so they default to the top of their range: 2 years 18 %,
 *   3 years 25 % of the list total over the term.
 * - Escalating schedule: year 2 +3 % (range 0–3 %; 0 = price lock), year 3 +5 %, each over the year
 *   before — again the end of the range that gives away the least.
 * - Discount cap 25 %: above it the option warns and needs executive approval; 25–30 % also warns
 *   about price anchoring.
 */
import { z } from 'zod';
import type { Segment } from '../records.ts';

export const APPROVAL_ROLES = ['manager', 'finance', 'sales_leadership', 'executive', 'legal'] as const;
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];

export const INCENTIVE_KINDS = [
  'services_credit',
  'training',
  'support_upgrade',
  'feature_unlock',
  'payment_terms',
  'consumption_floor',
] as const;
export type IncentiveKind = (typeof INCENTIVE_KINDS)[number];

const Bps = z.number().int().min(0).max(10_000);
/** Steps and uplifts may exceed 100 % in theory; keep them non-negative and bounded. */
const StepBps = z.number().int().min(0).max(100_000);

const rangeOf = (defaults: { defaultBps: number; minBps: number; maxBps: number }, bps = Bps) =>
  z
    .object({
      defaultBps: bps.default(defaults.defaultBps),
      minBps: bps.default(defaults.minBps),
      maxBps: bps.default(defaults.maxBps),
    })
    .refine((range) => range.minBps <= range.maxBps, { message: 'minBps must not exceed maxBps' })
    .prefault({});

export type BpsRange = { defaultBps: number; minBps: number; maxBps: number };

const EarlyRungSchema = z.object({
  fromMonths: z.number().min(0),
  defaultBps: Bps,
  minBps: Bps,
  maxBps: Bps,
});
export type EarlyRung = z.infer<typeof EarlyRungSchema>;

const DEFAULT_RUNGS: EarlyRung[] = [
  { fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 1000 },
  { fromMonths: 6, defaultBps: 1000, minBps: 1000, maxBps: 1500 },
  { fromMonths: 9, defaultBps: 1500, minBps: 1500, maxBps: 2000 },
];

const AddOnPricingSchema = z.discriminatedUnion('kind', [
  /** A price per seat per year, in minor units of each currency it is sold in. */
  z.object({
    kind: z.literal('per_seat'),
    perSeatMinor: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().int().min(0)),
  }),
  /** A share of the contract's current ARR per year. */
  z.object({ kind: z.literal('arr_pct'), bps: StepBps }),
]);

const AddOnSchema = z.object({
  key: z.string().min(1),
  label: z.string().min(1),
  pricing: AddOnPricingSchema,
});
export type AddOn = z.infer<typeof AddOnSchema>;

const IncentiveSchema = z.object({
  kind: z.enum(INCENTIVE_KINDS),
  label: z.string().min(1),
  /** Stated value as a share of current ARR (shown to the customer, never deducted from the price). */
  valueBps: Bps.nullable().default(null),
});
export type IncentivePolicy = z.infer<typeof IncentiveSchema>;

const DEFAULT_INCENTIVES: Record<Segment, IncentivePolicy[]> = {
  enterprise: [
    { kind: 'payment_terms', label: 'Quarterly payment at no surcharge', valueBps: null },
    { kind: 'support_upgrade', label: 'Support tier upgrade for the term', valueBps: null },
  ],
  // Mid-market prefers a direct discount: the ladder discount is its incentive.
  mid_market: [],
  smb: [
    { kind: 'training', label: 'Two live training sessions for new users', valueBps: null },
    { kind: 'services_credit', label: 'Services credit', valueBps: 500 },
  ],
};

const AuthorityTierSchema = z.object({
  role: z.enum(['manager', 'finance', 'sales_leadership', 'executive']),
  /** Highest discount this role may approve; null = no limit. */
  maxDiscountBps: Bps.nullable(),
});
export type AuthorityTier = z.infer<typeof AuthorityTierSchema>;

const DEFAULT_AUTHORITY: AuthorityTier[] = [
  { role: 'manager', maxDiscountBps: 1000 },
  { role: 'finance', maxDiscountBps: 2000 },
  { role: 'sales_leadership', maxDiscountBps: 2000 },
  { role: 'executive', maxDiscountBps: null },
];

const PackageSchema = (defaults: { seatIncreaseBps: number; termYears: 1 | 2 | 3 }) =>
  z
    .object({
      /** Added seats as a share of current seats (of ARR when seats are unknown). */
      seatIncreaseBps: StepBps.default(defaults.seatIncreaseBps),
      /** Keys of `expansion.addOns` included in the package. */
      addOnKeys: z.array(z.string()).default([]),
      termYears: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(defaults.termYears),
      schedule: z.enum(['fixed', 'escalating']).default('fixed'),
    })
    .prefault({});

export const PricingPolicySchema = z
  .object({
    /** Price increase on a one-year renewal; market standard 3–10 %. */
    uplift: rangeOf({ defaultBps: 500, minBps: 300, maxBps: 1000 }),
    /** Expected yearly list-price increase: list years 2 and 3 of a multi-year term rise by this. */
    listIncreaseBps: Bps.default(500),
    earlyRenewal: z
      .object({
        rungs: z.array(EarlyRungSchema).default(DEFAULT_RUNGS),
        /** More months early than this is too early: no discount. */
        maxMonthsEarly: z.number().min(0).default(12),
      })
      .prefault({}),
    multiYear: z
      .object({
        /** Cap on the effective discount over the whole term when early discount and lock stack. */
        stackingCap: z
          .object({
            twoYears: rangeOf({ defaultBps: 1800, minBps: 1200, maxBps: 1800 }),
            threeYears: rangeOf({ defaultBps: 2500, minBps: 2000, maxBps: 2500 }),
          })
          .prefault({}),
        /** Escalating schedule, each step over the year before. Year 2 of 0 = price lock. */
        escalation: z
          .object({
            yearTwo: rangeOf({ defaultBps: 300, minBps: 0, maxBps: 300 }, StepBps),
            yearThree: rangeOf({ defaultBps: 500, minBps: 500, maxBps: 500 }, StepBps),
          })
          .prefault({}),
      })
      .prefault({}),
    discount: z
      .object({
        /** Above this the option warns and needs executive approval. */
        capBps: Bps.default(2500),
        /** From this discount (inclusive) up, warn about price anchoring. */
        anchoringFromBps: Bps.default(2500),
      })
      .prefault({}),
    approvals: z
      .object({
        /** Discount authority, any order; the lowest limit covering a discount decides who approves. */
        discountAuthority: z.array(AuthorityTierSchema).default(DEFAULT_AUTHORITY),
      })
      .prefault({}),
    incentives: z
      .object({
        enterprise: z.array(IncentiveSchema).default(DEFAULT_INCENTIVES.enterprise),
        mid_market: z.array(IncentiveSchema).default(DEFAULT_INCENTIVES.mid_market),
        smb: z.array(IncentiveSchema).default(DEFAULT_INCENTIVES.smb),
      })
      .prefault({}),
    packages: z
      .object({
        /** Good is always the flat renewal at current scope; better and best are configurable. */
        better: PackageSchema({ seatIncreaseBps: 1000, termYears: 1 }),
        best: PackageSchema({ seatIncreaseBps: 2500, termYears: 2 }),
      })
      .prefault({}),
    expansion: z
      .object({
        addOns: z.array(AddOnSchema).default([]),
      })
      .prefault({}),
  })
  .superRefine((policy, ctx) => {
    const rungs = policy.earlyRenewal.rungs;
    for (let index = 0; index < rungs.length; index++) {
      const rung = rungs[index]!;
      if (rung.minBps > rung.maxBps) {
        ctx.addIssue({
          code: 'custom',
          path: ['earlyRenewal', 'rungs', index],
          message: 'minBps must not exceed maxBps',
        });
      }
      const previous = rungs[index - 1];
      if (previous && previous.fromMonths >= rung.fromMonths) {
        ctx.addIssue({
          code: 'custom',
          path: ['earlyRenewal', 'rungs', index, 'fromMonths'],
          message: 'rungs must be in strictly increasing fromMonths order',
        });
      }
    }
    const keys = new Set<string>();
    policy.expansion.addOns.forEach((addOn, index) => {
      if (keys.has(addOn.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['expansion', 'addOns', index, 'key'],
          message: `duplicate add-on key ${addOn.key}`,
        });
      }
      keys.add(addOn.key);
    });
    for (const name of ['better', 'best'] as const) {
      policy.packages[name].addOnKeys.forEach((key, index) => {
        if (!keys.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['packages', name, 'addOnKeys', index],
            message: `unknown add-on ${key}`,
          });
        }
      });
    }
  });

export type PricingPolicy = z.infer<typeof PricingPolicySchema>;
export type PricingPolicyInput = z.input<typeof PricingPolicySchema>;

/** The policy with every default. */
export function defaultPricingPolicy(): PricingPolicy {
  return PricingPolicySchema.parse({});
}

/** The ranges the guides give (DOMAIN.md 6–7); a policy may leave them, with a warning. */
export const GUIDE_RANGES = {
  uplift: { minBps: 300, maxBps: 1000 },
  earlyRungs: [
    { fromMonths: 3, minBps: 500, maxBps: 1000 },
    { fromMonths: 6, minBps: 1000, maxBps: 1500 },
    { fromMonths: 9, minBps: 1500, maxBps: 2000 },
  ],
  stackingTwoYears: { minBps: 1200, maxBps: 1800 },
  stackingThreeYears: { minBps: 2000, maxBps: 2500 },
  escalationYearTwo: { minBps: 0, maxBps: 300 },
  escalationYearThree: { minBps: 500, maxBps: 500 },
  anchoring: { minBps: 2500, maxBps: 3000 },
} as const;

export type PolicyWarning = { code: 'policy_out_of_range'; path: string; message: string };

function pct(bps: number): string {
  return `${bps / 100}%`;
}

function checkRange(
  path: string,
  range: BpsRange,
  guide: { minBps: number; maxBps: number },
  warnings: PolicyWarning[],
): void {
  if (range.defaultBps < range.minBps || range.defaultBps > range.maxBps) {
    warnings.push({
      code: 'policy_out_of_range',
      path,
      message: `${path}: default ${pct(range.defaultBps)} is outside its range ${pct(range.minBps)}–${pct(range.maxBps)}`,
    });
  }
  if (range.minBps < guide.minBps || range.maxBps > guide.maxBps) {
    warnings.push({
      code: 'policy_out_of_range',
      path,
      message: `${path}: range ${pct(range.minBps)}–${pct(range.maxBps)} leaves the guide's ${pct(guide.minBps)}–${pct(guide.maxBps)}`,
    });
  }
}

/** Values a policy may hold but the product warns about (outside their range or the guides'). */
export function checkPricingPolicy(policy: PricingPolicy): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  checkRange('uplift', policy.uplift, GUIDE_RANGES.uplift, warnings);
  policy.earlyRenewal.rungs.forEach((rung, index) => {
    const guide = GUIDE_RANGES.earlyRungs.find((candidate) => candidate.fromMonths === rung.fromMonths);
    checkRange(
      `earlyRenewal.rungs.${index}`,
      rung,
      guide ?? { minBps: rung.minBps, maxBps: rung.maxBps },
      warnings,
    );
  });
  if (policy.earlyRenewal.maxMonthsEarly > 12) {
    warnings.push({
      code: 'policy_out_of_range',
      path: 'earlyRenewal.maxMonthsEarly',
      message: 'earlyRenewal.maxMonthsEarly: more than 12 months early is too early per the guide',
    });
  }
  checkRange(
    'multiYear.stackingCap.twoYears',
    policy.multiYear.stackingCap.twoYears,
    GUIDE_RANGES.stackingTwoYears,
    warnings,
  );
  checkRange(
    'multiYear.stackingCap.threeYears',
    policy.multiYear.stackingCap.threeYears,
    GUIDE_RANGES.stackingThreeYears,
    warnings,
  );
  checkRange(
    'multiYear.escalation.yearTwo',
    policy.multiYear.escalation.yearTwo,
    GUIDE_RANGES.escalationYearTwo,
    warnings,
  );
  checkRange(
    'multiYear.escalation.yearThree',
    policy.multiYear.escalation.yearThree,
    GUIDE_RANGES.escalationYearThree,
    warnings,
  );
  if (policy.discount.capBps > GUIDE_RANGES.anchoring.minBps) {
    warnings.push({
      code: 'policy_out_of_range',
      path: 'discount.capBps',
      message: `discount.capBps: a cap of ${pct(policy.discount.capBps)} allows discounts that anchor the price (25–30% and above)`,
    });
  }
  return warnings;
}
