/**
 * Property tests over generated contracts, contexts and policies (10 000 runs each for pricing).
 * Seeds are printed by fast-check on failure; re-run with `{ seed, path }` to reproduce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../money.ts';
import type { ContractRecord } from '../records.ts';
import {
  type Actor,
  approve,
  comment,
  createProposal,
  markDeclined,
  markSigned,
  type ProposalWorkflow,
  reject,
  requestApprovals,
  revise,
  send,
} from './approval-workflow.ts';
import { formatQuote } from './format-quote.ts';
import { type ApprovalRole, type PricingPolicyInput, PricingPolicySchema } from './pricing-policy.ts';
import { type QuoteRenewalOptionsOptions, quoteRenewalOptions } from './quote-renewal-options.ts';

const RUNS = 10_000;

const bps = (max: number) => fc.integer({ min: 0, max });

const policyInput: fc.Arbitrary<PricingPolicyInput> = fc.record({
  uplift: fc.record({ defaultBps: bps(3000) }),
  listIncreaseBps: bps(2000),
  earlyRenewal: fc.record({
    rungs: fc.tuple(bps(4000), bps(4000), bps(4000)).map(([a, b, c]) => [
      { fromMonths: 3, defaultBps: a, minBps: 0, maxBps: 10_000 },
      { fromMonths: 6, defaultBps: b, minBps: 0, maxBps: 10_000 },
      { fromMonths: 9, defaultBps: c, minBps: 0, maxBps: 10_000 },
    ]),
    maxMonthsEarly: fc.constantFrom(12, 10, 15),
  }),
  multiYear: fc.record({
    stackingCap: fc.record({
      twoYears: fc.record({ defaultBps: bps(4000), minBps: fc.constant(0), maxBps: fc.constant(10_000) }),
      threeYears: fc.record({ defaultBps: bps(4000), minBps: fc.constant(0), maxBps: fc.constant(10_000) }),
    }),
    escalation: fc.record({
      yearTwo: fc.record({ defaultBps: bps(1000) }),
      yearThree: fc.record({ defaultBps: bps(1500) }),
    }),
  }),
  discount: fc.record({ capBps: bps(5000), anchoringFromBps: bps(5000) }),
  approvals: fc.record({
    discountAuthority: fc.subarray(
      [
        { role: 'manager' as const, maxDiscountBps: 1000 },
        { role: 'finance' as const, maxDiscountBps: 2000 },
        { role: 'sales_leadership' as const, maxDiscountBps: 3000 },
        { role: 'executive' as const, maxDiscountBps: null },
      ],
      { minLength: 0 },
    ),
  }),
  packages: fc.record({
    better: fc.record({
      seatIncreaseBps: bps(5000),
      termYears: fc.constantFrom(1 as const, 2 as const, 3 as const),
      addOnKeys: fc.constantFrom([], ['sso']),
      schedule: fc.constantFrom('fixed' as const, 'escalating' as const),
    }),
    best: fc.record({
      seatIncreaseBps: bps(5000),
      termYears: fc.constantFrom(1 as const, 2 as const, 3 as const),
      addOnKeys: fc.constantFrom([], ['analytics'], ['analytics', 'sso']),
      schedule: fc.constantFrom('fixed' as const, 'escalating' as const),
    }),
  }),
  expansion: fc.constant({
    addOns: [
      {
        key: 'analytics',
        label: 'Analytics',
        pricing: { kind: 'per_seat' as const, perSeatMinor: { USD: 1_250, JPY: 180, BHD: 4_125 } },
      },
      { key: 'sso', label: 'SSO', pricing: { kind: 'arr_pct' as const, bps: 333 } },
    ],
  }),
});

const contract: fc.Arbitrary<ContractRecord> = fc.record({
  contractId: fc.constant('C-1'),
  accountId: fc.constant('A-1'),
  startDate: fc.constant('2026-01-01'),
  endDate: fc.constant('2026-12-31'),
  arrMinor: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 1_000_000_000_000 })),
  currency: fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'KWD', 'CLP'),
  seats: fc.option(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 100_000 })), {
    nil: null,
  }),
  autoRenew: fc.boolean(),
  paymentOnFile: fc.boolean(),
  noticeDays: fc.constant(null),
  status: fc.constant('active' as const),
  previousContractId: fc.constant(null),
});

const quoteInput: fc.Arbitrary<QuoteRenewalOptionsOptions> = fc.record({
  contract,
  segment: fc.constantFrom('enterprise' as const, 'mid_market' as const, 'smb' as const),
  monthsEarly: fc.oneof(
    fc.constant(null),
    fc.constantFrom(2.99, 3, 6, 9, 12, 12.01),
    fc.double({ min: 0, max: 15, noNaN: true }),
  ),
  earlyQualified: fc.boolean(),
  healthBand: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const),
  expansionSignal: fc.boolean(),
  policy: policyInput.map((input) => PricingPolicySchema.parse(input)),
  seatsChange: fc.option(fc.integer({ min: -500, max: 500 }), { nil: undefined }),
  customTerms: fc.boolean(),
});

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Plain checks inside hot properties: `expect` per amount would dominate the run time. */
function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

describe('quoteRenewalOptions — properties', () => {
  it('years sum exactly to the total, lines to their year, nothing is negative', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const quote = quoteRenewalOptions(input);
        check(quote.options.length > 0, () => 'no options');
        for (const option of quote.options) {
          const where = () => `${option.key}: ${JSON.stringify(option)}`;
          check(
            option.years.length === option.termYears &&
              option.years.every((year, index) => year.year === index + 1),
            where,
          );
          const amounts = option.years.map((year) => year.amountMinor);
          check(sum(amounts) === option.totalContractValueMinor, where);
          check(sum(option.listYears.map((year) => year.amountMinor)) === option.listTotalMinor, where);
          option.years.forEach((year, index) => {
            check(
              sum(option.lineItems.map((line) => line.years[index]!.amountMinor)) === year.amountMinor,
              where,
            );
          });
          const all = [
            ...amounts,
            ...option.listYears.map((year) => year.amountMinor),
            ...option.lineItems.flatMap((line) => line.years.map((year) => year.amountMinor)),
          ];
          check(
            all.every((value) => Number.isSafeInteger(value) && value >= 0),
            where,
          );
          for (const line of option.lineItems) {
            check(sum(line.years.map((year) => year.amountMinor)) === line.totalMinor, where);
          }
          if (input.healthBand === 'red') {
            check(!option.lineItems.some((line) => line.kind === 'expansion'), where);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('no option exceeds the discount cap without the executive; manager always; legal iff custom terms', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const quote = quoteRenewalOptions(input);
        const cap = BigInt(input.policy.discount.capBps);
        for (const option of quote.options) {
          const where = () => `${option.key}: ${JSON.stringify(option)}`;
          const list = BigInt(option.listTotalMinor);
          const total = BigInt(option.totalContractValueMinor);
          const exceeds = list > 0n && (list - total) * 10_000n > cap * list;
          if (exceeds) {
            check(option.requiredApprovals.includes('executive'), where);
            check(
              option.warnings.some((warning) => warning.code === 'discount_above_cap'),
              where,
            );
          }
          check(option.requiredApprovals[0] === 'manager', where);
          check(option.requiredApprovals.includes('legal') === (input.customTerms === true), where);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a discounted multi-year term stays within its stacking cap', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const quote = quoteRenewalOptions(input);
        for (const option of quote.options) {
          if (option.termYears === 1 || option.yearOneAdjustmentBps >= 0) continue;
          const cap =
            option.termYears === 2
              ? input.policy.multiYear.stackingCap.twoYears.defaultBps
              : input.policy.multiYear.stackingCap.threeYears.defaultBps;
          const list = BigInt(option.listTotalMinor);
          const total = BigInt(option.totalContractValueMinor);
          check((list - total) * 10_000n <= BigInt(cap) * list, () => JSON.stringify(option));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('same input → same output, and the JSON amounts parse back to the same minor units', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const quote = quoteRenewalOptions(input);
        expect(quoteRenewalOptions(structuredClone(input))).toEqual(quote);
        const json = formatQuote(quote);
        json.options.forEach((option, index) => {
          const source = quote.options[index]!;
          const parsed = (text: string) => {
            const result = parseMoney(text, json.currency);
            return 'minor' in result ? result.minor : Number.NaN;
          };
          check(
            parsed(option.totalContractValue.amount) === source.totalContractValueMinor,
            () => option.key,
          );
          option.years.forEach((year, yearIndex) => {
            check(parsed(year.amount) === source.years[yearIndex]!.amountMinor, () => option.key);
          });
          check(
            Math.round(option.effectiveDiscountPct * 100) === source.effectiveDiscountBps,
            () => option.key,
          );
        });
      }),
      { numRuns: RUNS },
    );
  });
});

// --- the approval workflow under random action sequences ------------------------------------

const actors: Actor[] = [
  { userId: 'U-csm', role: 'csm' },
  { userId: 'U-mgr', role: 'manager' },
  { userId: 'U-mgr2', role: 'manager' },
  { userId: 'U-fin', role: 'finance' },
  { userId: 'U-sl', role: 'sales_leadership' },
  { userId: 'U-exec', role: 'executive' },
  { userId: 'U-legal', role: 'legal' },
  { userId: 'U-view', role: 'viewer' },
];
const roles: ApprovalRole[] = ['manager', 'finance', 'sales_leadership', 'executive', 'legal'];

type Step = {
  kind: 'request' | 'approve' | 'reject' | 'comment' | 'send' | 'sign' | 'decline' | 'revise';
  actor: number;
  step: ApprovalRole | undefined;
  roles: ApprovalRole[];
  newVersion: boolean;
};

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom(
    'request',
    'approve',
    'approve',
    'approve',
    'reject',
    'comment',
    'send',
    'sign',
    'decline',
    'revise',
  ),
  actor: fc.integer({ min: 0, max: actors.length - 1 }),
  step: fc.option(fc.constantFrom(...roles), { nil: undefined }),
  roles: fc.subarray(roles),
  newVersion: fc.boolean(),
});

describe('approval workflow — properties', () => {
  it('never self-approved, never sent unapproved, sent terms never change, one audit entry per change', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.subarray(roles),
        fc.array(stepArb, { maxLength: 40 }),
        (author, initialRoles, steps) => {
          const created = createProposal({
            proposalId: 'P',
            terms: { version: 1 },
            requiredApprovals: initialRoles,
            actor: actors[author]!,
            at: '2026-10-01T00:00:00Z',
          });
          if (!created.ok) throw new Error(created.error.message);
          let state: ProposalWorkflow<{ version: number }> = created.state;
          const sentTerms = new Map<number, unknown>();
          steps.forEach((step, index) => {
            const actor = actors[step.actor]!;
            const at = `2026-10-01T00:${String(index % 60).padStart(2, '0')}:00Z`;
            const before = state;
            const result =
              step.kind === 'request'
                ? requestApprovals(state, { actor, at })
                : step.kind === 'approve'
                  ? approve(state, { actor, at, step: step.step })
                  : step.kind === 'reject'
                    ? reject(state, { actor, at, step: step.step, comment: 'no' })
                    : step.kind === 'comment'
                      ? comment(state, { actor, at, comment: 'note' })
                      : step.kind === 'send'
                        ? send(state, { actor, at })
                        : step.kind === 'sign'
                          ? markSigned(state, { actor, at })
                          : step.kind === 'decline'
                            ? markDeclined(state, { actor, at })
                            : revise(state, {
                                actor,
                                at,
                                terms: { version: state.version + 1 },
                                requiredApprovals: step.roles,
                                startNewVersion: step.newVersion,
                              });
            if (!result.ok) {
              expect(state).toBe(before);
              return;
            }
            state = result.state;
            expect(state.sequence).toBe(before.sequence + 1);
            expect(state.audit).toHaveLength(before.audit.length + 1);
            expect(state.audit.slice(0, -1)).toEqual(before.audit);
            if (state.status === 'sent' && before.status !== 'sent') {
              expect(state.steps.every((candidate) => candidate.status === 'approved')).toBe(true);
              sentTerms.set(state.version, structuredClone(state.terms));
            }
            for (const decided of state.steps) {
              if (decided.decidedBy !== null) {
                expect(decided.decidedBy).not.toBe(state.requestedBy);
                expect(decided.decidedBy).not.toBe(state.authoredBy);
              }
            }
            expect(state.requiredApprovals).toContain('manager');
            if (state.status === 'approved') {
              expect(state.steps.every((candidate) => candidate.status === 'approved')).toBe(true);
            }
          });
          for (const version of [...state.previousVersions, state]) {
            if (sentTerms.has(version.version)) expect(version.terms).toEqual(sentTerms.get(version.version));
          }
          expect(state.audit.every((entry) => entry.actor !== 'U-view')).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
