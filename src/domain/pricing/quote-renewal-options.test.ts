import { describe, expect, it } from 'vitest';
import { PricingError } from './pricing-math.ts';
import { amountsOf, makeContract, makePolicy, makeQuoteInput, optionOf } from './pricing-test-helpers.ts';
import { earlyRungFor, formatBpsAsPercent, quoteRenewalOptions } from './quote-renewal-options.ts';

const codes = (warnings: { code: string }[]) => warnings.map((warning) => warning.code);
const keys = (quote: { options: { key: string }[] }) => quote.options.map((option) => option.key);

describe('quoteRenewalOptions — the options offered', () => {
  it('offers good/better/best, uplift and four multi-year schedules by default, in a stable order', () => {
    const quote = quoteRenewalOptions(makeQuoteInput());
    expect(keys(quote)).toEqual([
      'good',
      'better',
      'best',
      'uplift',
      'multi_year_2_fixed',
      'multi_year_2_escalating',
      'multi_year_3_fixed',
      'multi_year_3_escalating',
    ]);
    expect(quote).toMatchObject({ accountId: 'A-1', contractId: 'C-1', currency: 'USD', monthsEarly: null });
    expect(quote.earlyRung).toBeNull();
    expect(quote.warnings).toEqual([]);
  });

  it('good is the flat renewal at current scope: list price, no discount, manager approval only', () => {
    const good = optionOf(quoteRenewalOptions(makeQuoteInput()), 'good');
    expect(good).toMatchObject({
      termYears: 1,
      schedule: 'flat',
      seats: 100,
      years: [{ year: 1, amountMinor: 4_440_000 }],
      totalContractValueMinor: 4_440_000,
      listTotalMinor: 4_440_000,
      effectiveDiscountBps: 0,
      requiredApprovals: ['manager'],
      incentives: [],
      warnings: [],
    });
    expect(good.lineItems).toEqual([
      {
        key: 'subscription',
        label: 'Subscription (100 seats)',
        kind: 'subscription',
        years: [{ year: 1, amountMinor: 4_440_000 }],
        totalMinor: 4_440_000,
        valueMinor: null,
      },
    ]);
  });

  it('uplift is +5% by default, a negative effective discount', () => {
    const uplift = optionOf(quoteRenewalOptions(makeQuoteInput()), 'uplift');
    expect(amountsOf(uplift)).toEqual([4_662_000]);
    expect(uplift.effectiveDiscountBps).toBe(-500);
    expect(uplift.yearOneAdjustmentBps).toBe(500);
    expect(uplift.requiredApprovals).toEqual(['manager']);
    expect(uplift.label).toBe('1-year renewal, +5% price increase');
  });

  it('uses the policy uplift', () => {
    const policy = makePolicy({ uplift: { defaultBps: 725 } });
    const uplift = optionOf(quoteRenewalOptions(makeQuoteInput({ policy })), 'uplift');
    expect(amountsOf(uplift)).toEqual([4_761_900]);
    expect(uplift.label).toBe('1-year renewal, +7.25% price increase');
  });

  it('prices multi-year schedules against a list rising 5% a year', () => {
    const quote = quoteRenewalOptions(makeQuoteInput());
    const fixed2 = optionOf(quote, 'multi_year_2_fixed');
    expect(amountsOf(fixed2)).toEqual([4_440_000, 4_440_000]);
    expect(fixed2.listYears.map((year) => year.amountMinor)).toEqual([4_440_000, 4_662_000]);
    expect(fixed2.totalContractValueMinor).toBe(8_880_000);
    expect(fixed2.listTotalMinor).toBe(9_102_000);
    expect(fixed2.effectiveDiscountBps).toBe(244); // 222 000 / 9 102 000 = 2.439 %
    expect(fixed2.label).toBe('2-year, price locked');

    const escalating2 = optionOf(quote, 'multi_year_2_escalating');
    expect(amountsOf(escalating2)).toEqual([4_440_000, 4_573_200]);
    expect(escalating2.effectiveDiscountBps).toBe(98);
    expect(escalating2.label).toBe('2-year, escalating (+3% in year 2)');

    const fixed3 = optionOf(quote, 'multi_year_3_fixed');
    expect(amountsOf(fixed3)).toEqual([4_440_000, 4_440_000, 4_440_000]);
    expect(fixed3.listTotalMinor).toBe(4_440_000 + 4_662_000 + 4_895_100);
    expect(fixed3.effectiveDiscountBps).toBe(484);

    const escalating3 = optionOf(quote, 'multi_year_3_escalating');
    expect(amountsOf(escalating3)).toEqual([4_440_000, 4_573_200, 4_801_860]);
    expect(escalating3.totalContractValueMinor).toBe(13_815_060);
    expect(escalating3.effectiveDiscountBps).toBe(130);
    expect(escalating3.label).toBe('3-year, escalating (+3% in year 2, +5% in year 3)');
  });

  it('a price lock in year 2 (escalation 0) equals the fixed schedule', () => {
    const policy = makePolicy({ multiYear: { escalation: { yearTwo: { defaultBps: 0 } } } });
    const quote = quoteRenewalOptions(makeQuoteInput({ policy }));
    expect(amountsOf(optionOf(quote, 'multi_year_2_escalating'))).toEqual([4_440_000, 4_440_000]);
    expect(amountsOf(optionOf(quote, 'multi_year_3_escalating'))).toEqual([4_440_000, 4_440_000, 4_662_000]);
  });
});

describe('quoteRenewalOptions — early-renewal ladder', () => {
  const early = (monthsEarly: number | null, overrides = {}) =>
    quoteRenewalOptions(makeQuoteInput({ monthsEarly, earlyQualified: true, ...overrides }));

  it.each([
    [2.9, null],
    [3, 500],
    [4.5, 500],
    [5.99, 500],
    [6, 1000],
    [8.99, 1000],
    [9, 1500],
    [11.9, 1500],
    [12, 1500],
  ])('%s months early → %s bps (rung starts are inclusive, 12 is the last month in)', (months, bps) => {
    const quote = early(months);
    if (bps === null) {
      expect(quote.earlyRung).toBeNull();
      expect(keys(quote)).not.toContain('early_renewal');
      expect(codes(quote.warnings)).toContain('early_outside_ladder');
      return;
    }
    expect(quote.earlyRung?.discountBps).toBe(bps);
    const option = optionOf(quote, 'early_renewal');
    expect(option.effectiveDiscountBps).toBe(bps);
    expect(option.yearOneAdjustmentBps).toBe(-bps);
    expect(amountsOf(option)).toEqual([(4_440_000 * (10_000 - bps)) / 10_000]);
  });

  it.each([12.01, 12.1, 13, 24])('%s months early is too early: no discount, a warning', (months) => {
    const quote = early(months);
    expect(quote.earlyRung).toBeNull();
    expect(keys(quote)).not.toContain('early_renewal');
    expect(codes(quote.warnings)).toEqual(['early_outside_ladder']);
  });

  it('reports the rung and its range', () => {
    expect(early(7).earlyRung).toEqual({ fromMonths: 6, discountBps: 1000, minBps: 1000, maxBps: 1500 });
  });

  it('earlyRungFor: null months, non-finite and below the first rung give no rung', () => {
    const policy = makePolicy();
    expect(earlyRungFor(null, policy)).toBeNull();
    expect(earlyRungFor(Number.NaN, policy)).toBeNull();
    expect(earlyRungFor(0, policy)).toBeNull();
    expect(earlyRungFor(3, makePolicy({ earlyRenewal: { rungs: [] } }))).toBeNull();
  });

  it('needs the account to qualify; otherwise warns and prices multi-year at list in year 1', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ monthsEarly: 4, earlyQualified: false }));
    expect(keys(quote)).not.toContain('early_renewal');
    expect(codes(quote.warnings)).toEqual(['early_not_qualified']);
    expect(amountsOf(optionOf(quote, 'multi_year_2_fixed'))).toEqual([4_440_000, 4_440_000]);
  });

  it('never discounts a red account, even if flagged qualified', () => {
    const quote = early(4, { healthBand: 'red' });
    expect(keys(quote)).not.toContain('early_renewal');
    expect(codes(quote.warnings)).toContain('early_at_risk');
    expect(amountsOf(optionOf(quote, 'multi_year_2_fixed'))).toEqual([4_440_000, 4_440_000]);
  });

  it('carries the early discount into better, best and multi-year year 1', () => {
    const quote = early(4);
    expect(amountsOf(optionOf(quote, 'better'))).toEqual([4_639_800]); // 110 seats × 0.95
    expect(amountsOf(optionOf(quote, 'best'))).toEqual([5_272_500, 5_272_500]); // 125 seats × 0.95
    expect(amountsOf(optionOf(quote, 'multi_year_2_fixed'))).toEqual([4_218_000, 4_218_000]);
    expect(amountsOf(optionOf(quote, 'multi_year_3_escalating'))).toEqual([4_218_000, 4_344_540, 4_561_767]);
    expect(optionOf(quote, 'multi_year_2_fixed').label).toBe(
      '2-year, price locked, 5% early-renewal discount',
    );
    expect(amountsOf(optionOf(quote, 'good'))).toEqual([4_440_000]);
  });
});

describe('quoteRenewalOptions — multi-year stacking cap', () => {
  const policy = makePolicy({
    earlyRenewal: {
      rungs: [
        { fromMonths: 3, defaultBps: 500, minBps: 500, maxBps: 1000 },
        { fromMonths: 6, defaultBps: 1000, minBps: 1000, maxBps: 1500 },
        { fromMonths: 9, defaultBps: 2000, minBps: 1500, maxBps: 2000 },
      ],
    },
  });

  it('reduces the year-1 discount to the largest whole bp keeping the 2-year discount at 18%', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ policy, monthsEarly: 10, earlyQualified: true }));
    const fixed2 = optionOf(quote, 'multi_year_2_fixed');
    // 2 × 4 440 000 × (1 − d) ≤ 0.82 × 9 102 000 → d = 15.95 % exactly lands on 18.00 %
    expect(fixed2.yearOneAdjustmentBps).toBe(-1595);
    expect(amountsOf(fixed2)).toEqual([3_731_820, 3_731_820]);
    expect(fixed2.effectiveDiscountBps).toBe(1800);
    expect(codes(fixed2.warnings)).toEqual(['stacking_cap_applied']);
    expect(fixed2.label).toBe('2-year, price locked, 15.95% early-renewal discount');
    // the one-year early renewal is not capped by stacking
    expect(optionOf(quote, 'early_renewal').effectiveDiscountBps).toBe(2000);
  });

  it('leaves a 3-year term under its 25% cap alone', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ policy, monthsEarly: 10, earlyQualified: true }));
    const fixed3 = optionOf(quote, 'multi_year_3_fixed');
    expect(fixed3.yearOneAdjustmentBps).toBe(-2000);
    expect(fixed3.effectiveDiscountBps).toBe(2387);
    expect(fixed3.warnings).toEqual([]);
    expect(fixed3.requiredApprovals).toEqual(['manager', 'executive']);
  });

  it('drops the early discount when the price lock alone exceeds the cap, and says so', () => {
    const tight = makePolicy({ multiYear: { stackingCap: { twoYears: { defaultBps: 100 } } } });
    const quote = quoteRenewalOptions(
      makeQuoteInput({ policy: tight, monthsEarly: 4, earlyQualified: true }),
    );
    const fixed2 = optionOf(quote, 'multi_year_2_fixed');
    expect(fixed2.yearOneAdjustmentBps).toBe(0);
    expect(fixed2.effectiveDiscountBps).toBe(244);
    expect(fixed2.warnings).toEqual([
      {
        code: 'stacking_cap_applied',
        message: 'Early discount dropped: the 2-year price lock alone exceeds the 1% stacking cap',
      },
    ]);
    expect(fixed2.label).toBe('2-year, price locked');
  });

  it('never reports a negative zero adjustment', () => {
    for (const option of quoteRenewalOptions(makeQuoteInput()).options) {
      expect(Object.is(option.yearOneAdjustmentBps, -0)).toBe(false);
    }
  });

  it('with defaults, 2- and 3-year stacks stay below their caps', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ monthsEarly: 12, earlyQualified: true }));
    expect(optionOf(quote, 'multi_year_2_fixed').effectiveDiscountBps).toBe(1707);
    expect(optionOf(quote, 'multi_year_3_fixed').effectiveDiscountBps).toBe(1911);
    expect(quote.options.flatMap((option) => codes(option.warnings))).not.toContain('stacking_cap_applied');
  });
});

describe('quoteRenewalOptions — discount cap and anchoring', () => {
  const ladderAt = (bps: number, extra = {}) =>
    makePolicy({
      earlyRenewal: { rungs: [{ fromMonths: 3, defaultBps: bps, minBps: 500, maxBps: Math.max(bps, 1000) }] },
      ...extra,
    });

  it('exactly 25%: anchoring warning, not above the cap', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({ policy: ladderAt(2500), monthsEarly: 4, earlyQualified: true }),
    );
    const option = optionOf(quote, 'early_renewal');
    expect(option.effectiveDiscountBps).toBe(2500);
    expect(codes(option.warnings)).toEqual(['discount_anchoring']);
    expect(option.requiredApprovals).toEqual(['manager', 'executive']); // > 20 % by the matrix
  });

  it('25.01%: above the cap, warned, executive required', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({ policy: ladderAt(2501), monthsEarly: 4, earlyQualified: true }),
    );
    const option = optionOf(quote, 'early_renewal');
    expect(codes(option.warnings)).toEqual(['discount_above_cap', 'discount_anchoring']);
    expect(option.requiredApprovals).toContain('executive');
  });

  it('the cap adds the executive even when the matrix would not', () => {
    const approvals = {
      discountAuthority: [
        { role: 'manager' as const, maxDiscountBps: 1000 },
        { role: 'finance' as const, maxDiscountBps: null },
      ],
    };
    const at = (bps: number) =>
      optionOf(
        quoteRenewalOptions(
          makeQuoteInput({ policy: ladderAt(bps, { approvals }), monthsEarly: 4, earlyQualified: true }),
        ),
        'early_renewal',
      ).requiredApprovals;
    expect(at(2500)).toEqual(['manager', 'finance']);
    expect(at(2501)).toEqual(['manager', 'finance', 'executive']);
  });

  it('decides on the exact discount, not the displayed one (both display as 25%)', () => {
    const policy = ladderAt(2500);
    const quote = quoteRenewalOptions(
      makeQuoteInput({
        policy,
        contract: makeContract({ arrMinor: 250_001 }),
        monthsEarly: 4,
        earlyQualified: true,
      }),
    );
    const option = optionOf(quote, 'early_renewal');
    // 250 001 × 0.75 = 187 500.75 → 187 501; discount = 62 500 / 250 001 = 24.9999 %
    expect(amountsOf(option)).toEqual([187_501]);
    expect(option.effectiveDiscountBps).toBe(2500);
    expect(codes(option.warnings)).toEqual(['discount_anchoring']);

    const above = quoteRenewalOptions(
      makeQuoteInput({
        policy,
        contract: makeContract({ arrMinor: 250_003 }),
        monthsEarly: 4,
        earlyQualified: true,
      }),
    );
    const rounded = optionOf(above, 'early_renewal');
    // 250 003 × 0.75 = 187 502.25 → 187 502; discount = 62 501 / 250 003 = 25.0001 % → displays 2500
    expect(amountsOf(rounded)).toEqual([187_502]);
    expect(rounded.effectiveDiscountBps).toBe(2500);
    expect(codes(rounded.warnings)).toContain('discount_above_cap');
  });

  it('warns about a policy outside the guide ranges but still quotes', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ policy: ladderAt(2500) }));
    expect(codes(quote.warnings)).toContain('policy_out_of_range');
    expect(keys(quote)).toContain('good');
  });
});

describe('quoteRenewalOptions — currencies and rounding', () => {
  it('JPY has no minor unit: amounts are whole yen, rounded half away from zero', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({
        contract: makeContract({ currency: 'JPY', arrMinor: 1_234_567, seats: 10 }),
        monthsEarly: 4,
        earlyQualified: true,
      }),
    );
    expect(quote.currency).toBe('JPY');
    expect(amountsOf(optionOf(quote, 'early_renewal'))).toEqual([1_172_839]); // 1 172 838.65
    expect(amountsOf(optionOf(quote, 'uplift'))).toEqual([1_296_295]); // 1 296 295.35
    // 11 seats: 1 358 023.7 × 0.95 = 1 290 122.515, rounded once
    expect(amountsOf(optionOf(quote, 'better'))).toEqual([1_290_123]);
  });

  it('BHD has three decimals: the same integer maths on fils', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({
        contract: makeContract({ currency: 'BHD', arrMinor: 1_234_567, seats: 10 }),
        monthsEarly: 4,
        earlyQualified: true,
      }),
    );
    expect(amountsOf(optionOf(quote, 'early_renewal'))).toEqual([1_172_839]);
    expect(amountsOf(optionOf(quote, 'multi_year_3_escalating'))).toEqual([1_172_839, 1_208_024, 1_268_425]);
  });

  it('a 1-cent case: 10.10 less 5% = 9.595 rounds half away from zero to 9.60', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({
        contract: makeContract({ arrMinor: 1010, seats: 1 }),
        monthsEarly: 3,
        earlyQualified: true,
      }),
    );
    expect(amountsOf(optionOf(quote, 'early_renewal'))).toEqual([960]);
    expect(optionOf(quote, 'early_renewal').effectiveDiscountBps).toBe(495); // 50 / 1010 = 4.95 %
  });

  it('rounds each year once, never year on year: 7 × 1.03 × 1.05 = 7.5705 → 8 (twice would give 7)', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ contract: makeContract({ arrMinor: 7, seats: 1 }) }));
    expect(amountsOf(optionOf(quote, 'multi_year_3_escalating'))).toEqual([7, 7, 8]);
    expect(optionOf(quote, 'multi_year_3_escalating').totalContractValueMinor).toBe(22);
  });

  it('line items sum to their year exactly (the residual unit goes to the subscription)', () => {
    const policy = makePolicy({
      expansion: { addOns: [{ key: 'sso', label: 'SSO', pricing: { kind: 'arr_pct', bps: 333 } }] },
      packages: { best: { addOnKeys: ['sso'] } },
    });
    const quote = quoteRenewalOptions(
      makeQuoteInput({
        policy,
        contract: makeContract({ arrMinor: 1001, seats: 3 }),
        monthsEarly: 7,
        earlyQualified: true,
      }),
    );
    for (const option of quote.options) {
      option.years.forEach((year, index) => {
        const sum = option.lineItems.reduce((total, line) => total + line.years[index]!.amountMinor, 0);
        expect(sum).toBe(year.amountMinor);
      });
      expect(option.lineItems.reduce((total, line) => total + line.totalMinor, 0)).toBe(
        option.totalContractValueMinor,
      );
    }
  });

  it('a zero ARR quotes zeros without dividing by zero', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ contract: makeContract({ arrMinor: 0 }) }));
    for (const option of quote.options) {
      expect(option.totalContractValueMinor).toBe(0);
      expect(option.effectiveDiscountBps).toBe(0);
    }
  });

  it('refuses amounts beyond exact integers with a coded error', () => {
    expect(() =>
      quoteRenewalOptions(makeQuoteInput({ contract: makeContract({ arrMinor: Number.MAX_SAFE_INTEGER }) })),
    ).toThrow(expect.objectContaining({ code: 'amount_out_of_range' }));
  });
});

describe('quoteRenewalOptions — seats, volume and expansion', () => {
  it('volume change scales ARR by seats, rounded once', () => {
    const up = quoteRenewalOptions(makeQuoteInput({ seatsChange: 20 }));
    expect(optionOf(up, 'volume_change')).toMatchObject({
      seats: 120,
      years: [{ year: 1, amountMinor: 5_328_000 }],
      effectiveDiscountBps: 0,
      label: '1-year renewal, 120 seats (+20)',
    });
    const down = quoteRenewalOptions(makeQuoteInput({ seatsChange: -10 }));
    expect(amountsOf(optionOf(down, 'volume_change'))).toEqual([3_996_000]);
    const thirds = quoteRenewalOptions(
      makeQuoteInput({ contract: makeContract({ arrMinor: 1000, seats: 3 }), seatsChange: 1 }),
    );
    expect(amountsOf(optionOf(thirds, 'volume_change'))).toEqual([1333]);
  });

  it('no volume option for a zero change; a warning when seats would reach zero or are unknown', () => {
    expect(keys(quoteRenewalOptions(makeQuoteInput({ seatsChange: 0 })))).not.toContain('volume_change');
    const gone = quoteRenewalOptions(makeQuoteInput({ seatsChange: -100 }));
    expect(keys(gone)).not.toContain('volume_change');
    expect(codes(gone.warnings)).toEqual(['volume_change_invalid']);
    const unknown = quoteRenewalOptions(
      makeQuoteInput({ contract: makeContract({ seats: null }), seatsChange: 5 }),
    );
    expect(codes(unknown.warnings)).toEqual(['seats_unknown', 'volume_change_invalid']);
  });

  it('better adds 10% seats and best 25% seats over 2 years, price locked', () => {
    const quote = quoteRenewalOptions(makeQuoteInput());
    const better = optionOf(quote, 'better');
    expect(better).toMatchObject({ termYears: 1, seats: 110, effectiveDiscountBps: 0, incentives: [] });
    expect(better.lineItems.map((line) => [line.key, line.kind, line.totalMinor])).toEqual([
      ['subscription', 'subscription', 4_440_000],
      ['expansion_seats', 'expansion', 444_000],
    ]);
    expect(better.label).toBe('Better: renewal + modest expansion (+10 seats), 1 year');
    const best = optionOf(quote, 'best');
    expect(best).toMatchObject({ termYears: 2, seats: 125, schedule: 'fixed' });
    expect(amountsOf(best)).toEqual([5_550_000, 5_550_000]);
    expect(best.listTotalMinor).toBe(5_550_000 + 5_827_500);
    expect(best.label).toBe('Best: renewal + full expansion (+25 seats), 2 years price locked');
  });

  it('adds at least one seat to a tiny account', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({ contract: makeContract({ arrMinor: 300_000, seats: 3 }) }),
    );
    expect(optionOf(quote, 'better').seats).toBe(4);
    expect(optionOf(quote, 'best').seats).toBe(4); // 0.75 rounds to 1
  });

  it('without a seat count, expansion is a share of ARR', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ contract: makeContract({ seats: null }) }));
    const better = optionOf(quote, 'better');
    expect(better.seats).toBeNull();
    expect(better.lineItems[1]).toMatchObject({ key: 'expansion_scope', totalMinor: 444_000 });
    expect(codes(quote.warnings)).toEqual(['seats_unknown']);
  });

  it('prices add-ons per seat in the contract currency, or as a share of ARR', () => {
    const policy = makePolicy({
      expansion: {
        addOns: [
          {
            key: 'analytics',
            label: 'Analytics',
            pricing: { kind: 'per_seat', perSeatMinor: { USD: 1200, JPY: 150 } },
          },
          { key: 'sso', label: 'SSO', pricing: { kind: 'arr_pct', bps: 500 } },
        ],
      },
      packages: { best: { addOnKeys: ['analytics', 'sso'] } },
    });
    const quote = quoteRenewalOptions(makeQuoteInput({ policy }));
    const best = optionOf(quote, 'best');
    expect(best.lineItems.map((line) => [line.key, line.years[0]!.amountMinor])).toEqual([
      ['subscription', 4_440_000],
      ['expansion_seats', 1_110_000],
      ['add_on_analytics', 150_000], // 125 seats × 12.00
      ['add_on_sso', 222_000],
    ]);
    expect(best.label).toBe(
      'Best: renewal + full expansion (+25 seats, Analytics, SSO), 2 years price locked',
    );

    const eur = quoteRenewalOptions(makeQuoteInput({ policy, contract: makeContract({ currency: 'EUR' }) }));
    expect(optionOf(eur, 'best').lineItems.map((line) => line.key)).toEqual([
      'subscription',
      'expansion_seats',
      'add_on_sso',
    ]);
    expect(codes(eur.warnings)).toEqual(['add_on_price_missing']);
  });

  it('never bundles expansion into a red renewal, and says so', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ healthBand: 'red' }));
    expect(keys(quote)).not.toContain('better');
    expect(keys(quote)).not.toContain('best');
    expect(keys(quote)).toContain('good');
    expect(codes(quote.warnings)).toEqual(['expansion_not_bundled_at_risk']);
    for (const option of quote.options) {
      expect(option.lineItems.some((line) => line.kind === 'expansion')).toBe(false);
    }
  });

  it('yellow still bundles; no expansion signal marks better/best exploratory', () => {
    expect(keys(quoteRenewalOptions(makeQuoteInput({ healthBand: 'yellow' })))).toContain('best');
    const quote = quoteRenewalOptions(makeQuoteInput({ expansionSignal: false }));
    expect(codes(optionOf(quote, 'better').warnings)).toEqual(['expansion_exploratory']);
    expect(codes(optionOf(quote, 'best').warnings)).toEqual(['expansion_exploratory']);
    expect(optionOf(quote, 'good').warnings).toEqual([]);
  });
});

describe('quoteRenewalOptions — incentives, approvals and input', () => {
  it('SMB gets training and a services credit on committed options, stated not deducted', () => {
    const quote = quoteRenewalOptions(
      makeQuoteInput({ segment: 'smb', monthsEarly: 4, earlyQualified: true }),
    );
    const early = optionOf(quote, 'early_renewal');
    expect(early.incentives).toEqual([
      { kind: 'training', label: 'Two live training sessions for new users', valueMinor: null },
      { kind: 'services_credit', label: 'Services credit', valueMinor: 222_000 },
    ]);
    expect(early.lineItems.filter((line) => line.kind === 'incentive')).toEqual([
      {
        key: 'incentive_training',
        label: 'Two live training sessions for new users',
        kind: 'incentive',
        years: [{ year: 1, amountMinor: 0 }],
        totalMinor: 0,
        valueMinor: null,
      },
      {
        key: 'incentive_services_credit',
        label: 'Services credit',
        kind: 'incentive',
        years: [{ year: 1, amountMinor: 0 }],
        totalMinor: 0,
        valueMinor: 222_000,
      },
    ]);
    expect(amountsOf(early)).toEqual([4_218_000]);
    expect(optionOf(quote, 'best').incentives).toHaveLength(2);
    expect(optionOf(quote, 'multi_year_3_fixed').incentives).toHaveLength(2);
    expect(optionOf(quote, 'good').incentives).toEqual([]);
    expect(optionOf(quote, 'better').incentives).toEqual([]);
  });

  it('Enterprise gets payment terms; mid-market gets the direct discount only', () => {
    const enterprise = quoteRenewalOptions(makeQuoteInput({ segment: 'enterprise' }));
    expect(optionOf(enterprise, 'multi_year_2_fixed').incentives.map((incentive) => incentive.kind)).toEqual([
      'payment_terms',
      'support_upgrade',
    ]);
    const mid = quoteRenewalOptions(makeQuoteInput({ segment: 'mid_market' }));
    expect(optionOf(mid, 'multi_year_2_fixed').incentives).toEqual([]);
  });

  it('custom terms need legal on every option', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ customTerms: true }));
    for (const option of quote.options) expect(option.requiredApprovals).toContain('legal');
    expect(optionOf(quote, 'good').requiredApprovals).toEqual(['manager', 'legal']);
  });

  it('approvals follow the effective discount: 15% needs finance and sales leadership', () => {
    const quote = quoteRenewalOptions(makeQuoteInput({ monthsEarly: 9, earlyQualified: true }));
    expect(optionOf(quote, 'early_renewal').requiredApprovals).toEqual([
      'manager',
      'finance',
      'sales_leadership',
    ]);
    expect(optionOf(quote, 'uplift').requiredApprovals).toEqual(['manager']);
  });

  it('rejects impossible input with a coded error', () => {
    const bad = [
      makeQuoteInput({ contract: makeContract({ arrMinor: -1 }) }),
      makeQuoteInput({ contract: makeContract({ arrMinor: 1.5 }) }),
      makeQuoteInput({ contract: makeContract({ seats: 2.5 }) }),
      makeQuoteInput({ monthsEarly: Number.POSITIVE_INFINITY }),
      makeQuoteInput({ seatsChange: 1.5 }),
    ];
    for (const input of bad) {
      expect(() => quoteRenewalOptions(input)).toThrow(PricingError);
      expect(() => quoteRenewalOptions(input)).toThrow(expect.objectContaining({ code: 'invalid_contract' }));
    }
  });

  it('is deterministic', () => {
    const input = makeQuoteInput({ segment: 'smb', monthsEarly: 7.3, earlyQualified: true, seatsChange: 7 });
    expect(quoteRenewalOptions(input)).toEqual(quoteRenewalOptions(structuredClone(input)));
  });
});

describe('formatBpsAsPercent', () => {
  it.each([
    [0, '0%'],
    [5, '0.05%'],
    [50, '0.5%'],
    [500, '5%'],
    [1595, '15.95%'],
    [-250, '-2.5%'],
  ])('%s → %s', (bps, text) => {
    expect(formatBpsAsPercent(bps)).toBe(text);
  });
});
