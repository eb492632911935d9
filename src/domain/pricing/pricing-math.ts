/**
 * Exact arithmetic for quotes. An amount under construction is a rational number of minor units held
 * in BigInt (`numerator / denominator`), so a price built from ARR × seats ratio × several basis-point
 * factors is rounded exactly once, with the same rule as `money.ts` (half away from zero).
 * `money.ts`'s `applyBasisPoints` / `scaleMinor` round after each step; chaining them would round a
 * year-3 price three times, hence this small companion.
 */

export const BPS_SCALE = 10_000;

export type PricingErrorCode = 'invalid_contract' | 'amount_out_of_range';

/** A pricing failure with a code (bad input, or an amount beyond Number's safe integers). */
export class PricingError extends Error {
  readonly code: PricingErrorCode;
  constructor(code: PricingErrorCode, message: string) {
    super(message);
    this.name = 'PricingError';
    this.code = code;
  }
}

/** A non-negative-denominator rational number of minor units. */
export type Exact = { readonly numerator: bigint; readonly denominator: bigint };

export function exactOf(minor: number): Exact {
  return { numerator: BigInt(minor), denominator: 1n };
}

/** `value × numerator / denominator`, exactly (denominator > 0). */
export function scaleExact(value: Exact, numerator: number | bigint, denominator: number | bigint): Exact {
  return {
    numerator: value.numerator * BigInt(numerator),
    denominator: value.denominator * BigInt(denominator),
  };
}

/** `value × (10 000 + bps) / 10 000` for each factor in turn, exactly. */
export function applyFactorsExact(value: Exact, factorsBps: readonly number[]): Exact {
  let result = value;
  for (const bps of factorsBps) result = scaleExact(result, BPS_SCALE + bps, BPS_SCALE);
  return result;
}

export function addExact(a: Exact, b: Exact): Exact {
  if (a.denominator === b.denominator) {
    return { numerator: a.numerator + b.numerator, denominator: a.denominator };
  }
  return {
    numerator: a.numerator * b.denominator + b.numerator * a.denominator,
    denominator: a.denominator * b.denominator,
  };
}

export const ZERO: Exact = { numerator: 0n, denominator: 1n };

function divideHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new PricingError('amount_out_of_range', `amount ${value} minor units is beyond exact arithmetic`);
  }
  return Number(value);
}

/** THE rounding rule: an exact amount becomes integer minor units once, half away from zero. */
export function roundExact(value: Exact): number {
  return toSafeNumber(divideHalfAwayFromZero(value.numerator, value.denominator));
}

/**
 * `1 − total / list` in basis points, rounded half away from zero (0 when the list is 0). Negative
 * when the price is above list (an uplift).
 */
export function discountBps(totalMinor: number, listMinor: number): number {
  if (listMinor === 0) return 0;
  const value = divideHalfAwayFromZero(
    (BigInt(listMinor) - BigInt(totalMinor)) * BigInt(BPS_SCALE),
    BigInt(listMinor),
  );
  return Number(value);
}

/**
 * The same discount rounded *up* to the next basis point: what approvals are decided on, so that a
 * discount of 25.004 % counts as above a 25 % limit even though it displays as 25.00 %.
 */
export function discountBpsCeiling(totalMinor: number, listMinor: number): number {
  if (listMinor === 0) return 0;
  const numerator = (BigInt(listMinor) - BigInt(totalMinor)) * BigInt(BPS_SCALE);
  const denominator = BigInt(listMinor);
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  const ceiling = remainder !== 0n && numerator > 0n === denominator > 0n ? quotient + 1n : quotient;
  return Number(ceiling);
}
