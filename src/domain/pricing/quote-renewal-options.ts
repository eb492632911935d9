/**
 * Prices the commercial options of one renewal (DOMAIN.md 6–7, issue 4): the good / better / best
 * packages (good is the flat renewal), a price uplift, a seat change, an early-renewal discount, and
 * 2- and 3-year schedules, fixed and escalating. Each option carries its per-year amounts, total
 * contract value, the list price of the same term and scope, the effective discount, line items,
 * non-discount incentives and the approvals it needs.
 *
 * ROUNDING RULE (the only one): each year's amount is computed exactly (a BigInt rational of minor
 * units from ARR, the seat ratio and basis-point factors) and rounded once to the currency's minor
 * unit, half away from zero. The total contract value is the sum of the rounded years. Line items
 * are each rounded the same way and any residual unit goes to the subscription line, so lines sum to
 * their year exactly. List prices follow the same rule. The effective discount is
 * `1 − total / list total` in basis points, rounded half away from zero; approvals and cap warnings
 * are decided on the exact discount (rounded up to the next basis point), never on the display value.
 *
 * Prices:
 * - List price, year 1 = current ARR scaled to the option's seats; year n = year n−1 + the policy's
 *   expected yearly list increase (default 5 %).
 * - Year 1 of an option = list year 1 adjusted by the option's year-one basis points (−early discount,
 *   +uplift, 0). Year n of a multi-year option = year n−1 + its schedule step (fixed: 0; escalating:
 *   +3 % in year 2, +5 % in year 3 by default).
 * - The early discount applies when the caller says the account qualifies, it is not red, and the
 *   months early fall on a rung of the ladder; it goes to early_renewal, better, best and the
 *   multi-year options. On multi-year options it stacks with the price lock and is reduced (to the
 *   largest whole basis point that fits) so the term's effective discount stays within the stacking
 *   cap.
 * - Expansion (better / best) adds seats (or a share of ARR when seats are unknown) and the package's
 *   add-ons; it is never bundled into a red renewal.
 * - Segment incentives (payment terms, services, training…) ride on options that ask for a
 *   commitment: early_renewal, multi-year and best. They are stated, never deducted from the price.
 */
import { applyBasisPoints, scaleMinor } from '../money.ts';
import type { ContractRecord, Segment } from '../records.ts';
import type { HealthBand } from '../vocabulary.ts';
import {
  addExact,
  applyFactorsExact,
  BPS_SCALE,
  discountBps,
  discountBpsCeiling,
  type Exact,
  exactOf,
  PricingError,
  roundExact,
  scaleExact,
  ZERO,
} from './pricing-math.ts';
import {
  type ApprovalRole,
  checkPricingPolicy,
  type EarlyRung,
  type IncentiveKind,
  type PricingPolicy,
} from './pricing-policy.ts';
import { requiredApprovals } from './required-approvals.ts';

export type QuoteWarningCode =
  | 'policy_out_of_range'
  | 'expansion_not_bundled_at_risk'
  | 'expansion_exploratory'
  | 'early_not_qualified'
  | 'early_outside_ladder'
  | 'early_at_risk'
  | 'seats_unknown'
  | 'volume_change_invalid'
  | 'add_on_price_missing'
  | 'add_on_needs_seats'
  | 'discount_above_cap'
  | 'discount_anchoring'
  | 'stacking_cap_applied';

export type QuoteWarning = { code: QuoteWarningCode; message: string };

export type YearAmount = { year: number; amountMinor: number };

export type QuoteLineItem = {
  key: string;
  label: string;
  kind: 'subscription' | 'expansion' | 'incentive';
  years: YearAmount[];
  totalMinor: number;
  /** For incentives (charged at 0): the stated value, when the policy gives one. */
  valueMinor: number | null;
};

export type QuoteIncentive = { kind: IncentiveKind; label: string; valueMinor: number | null };

export type QuoteSchedule = 'flat' | 'uplift' | 'fixed' | 'escalating';

export type QuoteOption = {
  key: string;
  label: string;
  termYears: number;
  schedule: QuoteSchedule;
  /** Seats priced (null when the contract has no seat count). */
  seats: number | null;
  /** Year 1 against list: negative = discount, positive = uplift. */
  yearOneAdjustmentBps: number;
  years: YearAmount[];
  totalContractValueMinor: number;
  listYears: YearAmount[];
  listTotalMinor: number;
  effectiveDiscountBps: number;
  lineItems: QuoteLineItem[];
  incentives: QuoteIncentive[];
  requiredApprovals: ApprovalRole[];
  warnings: QuoteWarning[];
};

export type EarlyRungChosen = {
  fromMonths: number;
  discountBps: number;
  minBps: number;
  maxBps: number;
};

export type RenewalQuote = {
  accountId: string;
  contractId: string;
  currency: string;
  monthsEarly: number | null;
  /** The ladder rung the early discount came from, null when none applies. */
  earlyRung: EarlyRungChosen | null;
  options: QuoteOption[];
  warnings: QuoteWarning[];
};

export type QuoteRenewalOptionsOptions = {
  contract: ContractRecord;
  segment: Segment;
  /** Months between signing and the end date (only picks the ladder rung); null when unknown. */
  monthsEarly: number | null;
  earlyQualified: boolean;
  healthBand: HealthBand;
  expansionSignal: boolean;
  policy: PricingPolicy;
  /** Seats to add (positive) or remove (negative) for the volume-change option. */
  seatsChange?: number;
  /** Non-standard terms requested: every option then needs legal. */
  customTerms?: boolean;
};

type LineSpec = { key: string; label: string; kind: 'subscription' | 'expansion'; listBase: Exact };

type ScheduleSpec = {
  termYears: number;
  schedule: QuoteSchedule;
  yearOneAdjustmentBps: number;
  /** Step over the previous year for years 2..termYears. */
  stepsBps: number[];
};

type OptionSpec = {
  key: string;
  label: string;
  seats: number | null;
  lines: LineSpec[];
  schedule: ScheduleSpec;
  incentives: QuoteIncentive[];
  warnings: QuoteWarning[];
};

type Priced = {
  years: YearAmount[];
  listYears: YearAmount[];
  lineYears: number[][];
  total: number;
  listTotal: number;
};

/** Percent text for labels and messages (display only; never feeds money). */
export function formatBpsAsPercent(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const abs = Math.abs(bps);
  const whole = Math.trunc(abs / 100);
  const fraction = String(abs % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}%`;
}

function sumAmounts(values: readonly number[]): number {
  let total = 0n;
  for (const value of values) total += BigInt(value);
  return roundExact({ numerator: total, denominator: 1n });
}

function priceSchedule(lines: readonly LineSpec[], schedule: ScheduleSpec, listIncreaseBps: number): Priced {
  const years: YearAmount[] = [];
  const listYears: YearAmount[] = [];
  const lineYears: number[][] = lines.map(() => []);
  for (let year = 1; year <= schedule.termYears; year++) {
    const priceFactors = [schedule.yearOneAdjustmentBps, ...schedule.stepsBps.slice(0, year - 1)];
    const listFactors = Array.from({ length: year - 1 }, () => listIncreaseBps);
    let exactYear = ZERO;
    let exactList = ZERO;
    const lineExacts = lines.map((line) => applyFactorsExact(line.listBase, priceFactors));
    for (const value of lineExacts) exactYear = addExact(exactYear, value);
    for (const line of lines) exactList = addExact(exactList, applyFactorsExact(line.listBase, listFactors));
    const amount = roundExact(exactYear);
    const lineAmounts = lineExacts.map(roundExact);
    const residual = amount - sumAmounts(lineAmounts);
    if (lineAmounts.length > 0) lineAmounts[0] = lineAmounts[0]! + residual;
    lineAmounts.forEach((value, index) => {
      lineYears[index]!.push(value);
    });
    years.push({ year, amountMinor: amount });
    listYears.push({ year, amountMinor: roundExact(exactList) });
  }
  return {
    years,
    listYears,
    lineYears,
    total: sumAmounts(years.map((entry) => entry.amountMinor)),
    listTotal: sumAmounts(listYears.map((entry) => entry.amountMinor)),
  };
}

function buildOption(spec: OptionSpec, { policy, customTerms }: QuoteRenewalOptionsOptions): QuoteOption {
  const priced = priceSchedule(spec.lines, spec.schedule, policy.listIncreaseBps);
  const effective = discountBps(priced.total, priced.listTotal);
  const exceeding = discountBpsCeiling(priced.total, priced.listTotal);
  const warnings = [...spec.warnings];
  if (exceeding > policy.discount.capBps) {
    warnings.push({
      code: 'discount_above_cap',
      message: `Effective discount ${formatBpsAsPercent(effective)} is above the ${formatBpsAsPercent(policy.discount.capBps)} policy cap: executive approval required`,
    });
  }
  if (exceeding >= policy.discount.anchoringFromBps) {
    warnings.push({
      code: 'discount_anchoring',
      message: `Effective discount ${formatBpsAsPercent(effective)} anchors the customer on a low price for future renewals`,
    });
  }
  const termYears = spec.schedule.termYears;
  const lineItems: QuoteLineItem[] = spec.lines.map((line, index) => {
    const amounts = priced.lineYears[index]!;
    return {
      key: line.key,
      label: line.label,
      kind: line.kind,
      years: amounts.map((amountMinor, yearIndex) => ({ year: yearIndex + 1, amountMinor })),
      totalMinor: sumAmounts(amounts),
      valueMinor: null,
    };
  });
  for (const incentive of spec.incentives) {
    lineItems.push({
      key: `incentive_${incentive.kind}`,
      label: incentive.label,
      kind: 'incentive',
      years: Array.from({ length: termYears }, (_, yearIndex) => ({ year: yearIndex + 1, amountMinor: 0 })),
      totalMinor: 0,
      valueMinor: incentive.valueMinor,
    });
  }
  return {
    key: spec.key,
    label: spec.label,
    termYears,
    schedule: spec.schedule.schedule,
    seats: spec.seats,
    // `+ 0` turns the −0 of "minus no discount" into 0
    yearOneAdjustmentBps: spec.schedule.yearOneAdjustmentBps + 0,
    years: priced.years,
    totalContractValueMinor: priced.total,
    listYears: priced.listYears,
    listTotalMinor: priced.listTotal,
    effectiveDiscountBps: effective,
    lineItems,
    incentives: spec.incentives,
    requiredApprovals: requiredApprovals({
      discountBps: exceeding,
      customTerms: customTerms ?? false,
      policy,
    }),
    warnings,
  };
}

/** The rung for `monthsEarly`: the last rung starting at or below it, up to `maxMonthsEarly`. */
export function earlyRungFor(monthsEarly: number | null, policy: PricingPolicy): EarlyRung | null {
  if (monthsEarly === null || !Number.isFinite(monthsEarly)) return null;
  if (monthsEarly > policy.earlyRenewal.maxMonthsEarly) return null;
  let chosen: EarlyRung | null = null;
  for (const rung of policy.earlyRenewal.rungs) {
    if (rung.fromMonths <= monthsEarly) chosen = rung;
  }
  return chosen;
}

function validate(options: QuoteRenewalOptionsOptions): void {
  const { contract, monthsEarly, seatsChange } = options;
  const problems: string[] = [];
  if (!Number.isSafeInteger(contract.arrMinor) || contract.arrMinor < 0) {
    problems.push(`arrMinor ${contract.arrMinor} must be a non-negative integer`);
  }
  if (contract.seats !== null && (!Number.isSafeInteger(contract.seats) || contract.seats < 0)) {
    problems.push(`seats ${contract.seats} must be a non-negative integer`);
  }
  if (monthsEarly !== null && !Number.isFinite(monthsEarly)) {
    problems.push(`monthsEarly ${monthsEarly} must be a finite number`);
  }
  if (seatsChange !== undefined && !Number.isSafeInteger(seatsChange)) {
    problems.push(`seatsChange ${seatsChange} must be an integer`);
  }
  if (problems.length > 0) {
    throw new PricingError('invalid_contract', `contract ${contract.contractId}: ${problems.join('; ')}`);
  }
}

function pushUnique(warnings: QuoteWarning[], warning: QuoteWarning): void {
  if (!warnings.some((entry) => entry.code === warning.code && entry.message === warning.message)) {
    warnings.push(warning);
  }
}

export function quoteRenewalOptions(options: QuoteRenewalOptionsOptions): RenewalQuote {
  validate(options);
  const { contract, segment, monthsEarly, earlyQualified, healthBand, expansionSignal, policy } = options;
  const { seatsChange } = options;
  const warnings: QuoteWarning[] = checkPricingPolicy(policy).map((warning) => ({
    code: warning.code,
    message: warning.message,
  }));
  const currency = contract.currency;
  const arr = exactOf(contract.arrMinor);
  const seats = contract.seats !== null && contract.seats > 0 ? contract.seats : null;
  const atRisk = healthBand === 'red';

  // --- early-renewal discount -------------------------------------------------------------
  const rung = earlyRungFor(monthsEarly, policy);
  let earlyBps = 0;
  let earlyRung: EarlyRungChosen | null = null;
  if (earlyQualified && atRisk) {
    warnings.push({
      code: 'early_at_risk',
      message: 'No early-renewal discount: the account is red (do not chase low-health accounts)',
    });
  } else if (earlyQualified && rung === null && monthsEarly !== null) {
    warnings.push({
      code: 'early_outside_ladder',
      message: `No early-renewal discount: ${monthsEarly} months early is outside the ladder (${policy.earlyRenewal.rungs[0]?.fromMonths ?? '–'} to ${policy.earlyRenewal.maxMonthsEarly} months)`,
    });
  } else if (!earlyQualified && rung !== null) {
    warnings.push({
      code: 'early_not_qualified',
      message: 'No early-renewal discount: the account does not qualify for early renewal',
    });
  } else if (earlyQualified && rung !== null) {
    earlyBps = rung.defaultBps;
    earlyRung = {
      fromMonths: rung.fromMonths,
      discountBps: rung.defaultBps,
      minBps: rung.minBps,
      maxBps: rung.maxBps,
    };
  }

  const incentives: QuoteIncentive[] = policy.incentives[segment].map((incentive) => ({
    kind: incentive.kind,
    label: incentive.label,
    valueMinor: incentive.valueBps === null ? null : applyBasisPoints(contract.arrMinor, incentive.valueBps),
  }));

  const subscription = (label: string, base: Exact): LineSpec => ({
    key: 'subscription',
    label,
    kind: 'subscription',
    listBase: base,
  });
  const currentLine = subscription(seats === null ? 'Subscription' : `Subscription (${seats} seats)`, arr);
  const oneYear = (schedule: QuoteSchedule, yearOneAdjustmentBps: number): ScheduleSpec => ({
    termYears: 1,
    schedule,
    yearOneAdjustmentBps,
    stepsBps: [],
  });
  const multiYearSchedule = (
    termYears: 2 | 3,
    schedule: 'fixed' | 'escalating',
    discount: number,
  ): ScheduleSpec => {
    const steps =
      schedule === 'fixed'
        ? [0, 0]
        : [policy.multiYear.escalation.yearTwo.defaultBps, policy.multiYear.escalation.yearThree.defaultBps];
    return { termYears, schedule, yearOneAdjustmentBps: -discount, stepsBps: steps.slice(0, termYears - 1) };
  };

  /**
   * A multi-year option with the early discount stacked on the lock: the largest year-one discount
   * up to `earlyBps` whose term discount stays within the stacking cap (monotone, so bisect).
   */
  const buildMultiYear = (
    spec: Omit<OptionSpec, 'schedule'>,
    termYears: 2 | 3,
    schedule: 'fixed' | 'escalating',
  ) => {
    const cap =
      termYears === 2
        ? policy.multiYear.stackingCap.twoYears.defaultBps
        : policy.multiYear.stackingCap.threeYears.defaultBps;
    const exceeds = (discount: number) => {
      const priced = priceSchedule(
        spec.lines,
        multiYearSchedule(termYears, schedule, discount),
        policy.listIncreaseBps,
      );
      return discountBpsCeiling(priced.total, priced.listTotal) > cap;
    };
    let discount = earlyBps;
    const extraWarnings: QuoteWarning[] = [];
    if (discount > 0 && exceeds(discount)) {
      let low = 0;
      let high = discount;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (exceeds(middle)) high = middle - 1;
        else low = middle;
      }
      extraWarnings.push({
        code: 'stacking_cap_applied',
        message:
          low === 0 && exceeds(0)
            ? `Early discount dropped: the ${termYears}-year price lock alone exceeds the ${formatBpsAsPercent(cap)} stacking cap`
            : `Early discount reduced from ${formatBpsAsPercent(earlyBps)} to ${formatBpsAsPercent(low)} in year 1 to keep the ${termYears}-year discount within the ${formatBpsAsPercent(cap)} stacking cap`,
      });
      discount = low;
    }
    return buildOption(
      {
        ...spec,
        label:
          discount > 0 ? `${spec.label}, ${formatBpsAsPercent(discount)} early-renewal discount` : spec.label,
        warnings: [...spec.warnings, ...extraWarnings],
        schedule: multiYearSchedule(termYears, schedule, discount),
      },
      options,
    );
  };

  const escalationText = `+${formatBpsAsPercent(policy.multiYear.escalation.yearTwo.defaultBps)} in year 2`;
  const escalationText3 = `${escalationText}, +${formatBpsAsPercent(policy.multiYear.escalation.yearThree.defaultBps)} in year 3`;
  const earlyText = earlyBps > 0 ? `, ${formatBpsAsPercent(earlyBps)} early-renewal discount` : '';

  /** Expansion lines for a package, or null when none can be priced. */
  const expansionLines = (
    packageName: 'better' | 'best',
  ): { lines: LineSpec[]; seats: number | null; description: string } => {
    const pkg = policy.packages[packageName];
    const lines: LineSpec[] = [];
    let packageSeats = seats;
    let description = '';
    if (pkg.seatIncreaseBps > 0) {
      if (seats !== null) {
        const extra = Math.max(1, scaleMinor(seats, pkg.seatIncreaseBps, BPS_SCALE));
        packageSeats = seats + extra;
        lines.push({
          key: 'expansion_seats',
          label: `Additional seats (+${extra})`,
          kind: 'expansion',
          listBase: scaleExact(arr, extra, seats),
        });
        description = `+${extra} seats`;
      } else {
        lines.push({
          key: 'expansion_scope',
          label: `Expanded scope (+${formatBpsAsPercent(pkg.seatIncreaseBps)})`,
          kind: 'expansion',
          listBase: scaleExact(arr, pkg.seatIncreaseBps, BPS_SCALE),
        });
        description = `+${formatBpsAsPercent(pkg.seatIncreaseBps)} scope`;
      }
    }
    for (const key of pkg.addOnKeys) {
      const addOn = policy.expansion.addOns.find((candidate) => candidate.key === key);
      if (!addOn) continue;
      if (addOn.pricing.kind === 'arr_pct') {
        lines.push({
          key: `add_on_${addOn.key}`,
          label: addOn.label,
          kind: 'expansion',
          listBase: scaleExact(arr, addOn.pricing.bps, BPS_SCALE),
        });
      } else {
        const perSeat = addOn.pricing.perSeatMinor[currency];
        if (packageSeats === null) {
          pushUnique(warnings, {
            code: 'add_on_needs_seats',
            message: `Add-on ${addOn.key} is priced per seat but contract ${contract.contractId} has no seat count`,
          });
          continue;
        }
        if (perSeat === undefined) {
          pushUnique(warnings, {
            code: 'add_on_price_missing',
            message: `Add-on ${addOn.key} has no per-seat price in ${currency}`,
          });
          continue;
        }
        lines.push({
          key: `add_on_${addOn.key}`,
          label: `${addOn.label} (${packageSeats} seats)`,
          kind: 'expansion',
          listBase: scaleExact(exactOf(perSeat), packageSeats, 1),
        });
      }
      description = description ? `${description}, ${addOn.label}` : addOn.label;
    }
    return { lines, seats: packageSeats, description };
  };

  if (seats === null) {
    warnings.push({
      code: 'seats_unknown',
      message: `Contract ${contract.contractId} has no seat count: expansion is priced as a share of ARR and no volume change is quoted`,
    });
  }

  const quoted: QuoteOption[] = [];

  // --- good / better / best --------------------------------------------------------------
  quoted.push(
    buildOption(
      {
        key: 'good',
        label: 'Good: flat renewal, 1 year, current scope',
        seats,
        lines: [currentLine],
        schedule: oneYear('flat', 0),
        incentives: [],
        warnings: [],
      },
      options,
    ),
  );
  if (atRisk) {
    warnings.push({
      code: 'expansion_not_bundled_at_risk',
      message:
        'The renewal is at risk (red): expansion is not bundled into it (no better/best packages); run expansion as a separate track once the renewal is saved',
    });
  } else {
    const exploratory: QuoteWarning[] = expansionSignal
      ? []
      : [
          {
            code: 'expansion_exploratory',
            message: 'No expansion signal: present the expansion as optional, not as the renewal itself',
          },
        ];
    const better = expansionLines('better');
    const betterPkg = policy.packages.better;
    const betterSpec: Omit<OptionSpec, 'schedule'> = {
      key: 'better',
      label: `Better: renewal + modest expansion${better.description ? ` (${better.description})` : ''}`,
      seats: better.seats,
      lines: [currentLine, ...better.lines],
      incentives: betterPkg.termYears > 1 ? incentives : [],
      warnings: exploratory,
    };
    quoted.push(
      betterPkg.termYears === 1
        ? buildOption(
            {
              ...betterSpec,
              label: `${betterSpec.label}, 1 year${earlyText}`,
              schedule: oneYear('flat', -earlyBps),
            },
            options,
          )
        : buildMultiYear(
            { ...betterSpec, label: `${betterSpec.label}, ${betterPkg.termYears} years` },
            betterPkg.termYears,
            betterPkg.schedule,
          ),
    );
    const best = expansionLines('best');
    const bestPkg = policy.packages.best;
    const bestSpec: Omit<OptionSpec, 'schedule'> = {
      key: 'best',
      label: `Best: renewal + full expansion${best.description ? ` (${best.description})` : ''}`,
      seats: best.seats,
      lines: [currentLine, ...best.lines],
      incentives,
      warnings: exploratory,
    };
    quoted.push(
      bestPkg.termYears === 1
        ? buildOption(
            {
              ...bestSpec,
              label: `${bestSpec.label}, 1 year${earlyText}`,
              schedule: oneYear('flat', -earlyBps),
            },
            options,
          )
        : buildMultiYear(
            {
              ...bestSpec,
              label: `${bestSpec.label}, ${bestPkg.termYears} years ${bestPkg.schedule === 'fixed' ? 'price locked' : 'escalating'}`,
            },
            bestPkg.termYears,
            bestPkg.schedule,
          ),
    );
  }

  // --- uplift, volume change, early renewal -----------------------------------------------
  const uplift = policy.uplift.defaultBps;
  quoted.push(
    buildOption(
      {
        key: 'uplift',
        label: `1-year renewal, +${formatBpsAsPercent(uplift)} price increase`,
        seats,
        lines: [currentLine],
        schedule: oneYear('uplift', uplift),
        incentives: [],
        warnings: [],
      },
      options,
    ),
  );

  if (seatsChange !== undefined && seatsChange !== 0) {
    if (seats === null) {
      warnings.push({
        code: 'volume_change_invalid',
        message: `A seat change of ${seatsChange} cannot be priced: contract ${contract.contractId} has no seat count`,
      });
    } else if (seats + seatsChange <= 0) {
      warnings.push({
        code: 'volume_change_invalid',
        message: `A seat change of ${seatsChange} leaves ${seats + seatsChange} seats: not a renewal (churn)`,
      });
    } else {
      const newSeats = seats + seatsChange;
      quoted.push(
        buildOption(
          {
            key: 'volume_change',
            label: `1-year renewal, ${newSeats} seats (${seatsChange > 0 ? '+' : ''}${seatsChange})`,
            seats: newSeats,
            lines: [subscription(`Subscription (${newSeats} seats)`, scaleExact(arr, newSeats, seats))],
            schedule: oneYear('flat', 0),
            incentives: [],
            warnings: [],
          },
          options,
        ),
      );
    }
  }

  if (earlyBps > 0) {
    quoted.push(
      buildOption(
        {
          key: 'early_renewal',
          label: `Early renewal, 1 year, ${formatBpsAsPercent(earlyBps)} off`,
          seats,
          lines: [currentLine],
          schedule: oneYear('flat', -earlyBps),
          incentives,
          warnings: [],
        },
        options,
      ),
    );
  }

  // --- multi-year -------------------------------------------------------------------------
  for (const termYears of [2, 3] as const) {
    for (const schedule of ['fixed', 'escalating'] as const) {
      quoted.push(
        buildMultiYear(
          {
            key: `multi_year_${termYears}_${schedule}`,
            label: `${termYears}-year, ${
              schedule === 'fixed'
                ? 'price locked'
                : `escalating (${termYears === 2 ? escalationText : escalationText3})`
            }`,
            seats,
            lines: [currentLine],
            incentives,
            warnings: [],
          },
          termYears,
          schedule,
        ),
      );
    }
  }

  return {
    accountId: contract.accountId,
    contractId: contract.contractId,
    currency,
    monthsEarly,
    earlyRung,
    options: quoted,
    warnings,
  };
}
