import { describe, expect, it } from 'vitest';
import {
  addExact,
  applyFactorsExact,
  discountBps,
  discountBpsCeiling,
  exactOf,
  PricingError,
  roundExact,
  scaleExact,
} from './pricing-math.ts';

describe('roundExact', () => {
  it.each([
    [5n, 2n, 3],
    [-5n, 2n, -3],
    [7n, 3n, 2],
    [8n, 3n, 3],
    [-8n, 3n, -3],
    [0n, 7n, 0],
    [14_999n, 10_000n, 1],
    [15_000n, 10_000n, 2],
  ])('%s / %s → %s (half away from zero)', (numerator, denominator, expected) => {
    expect(roundExact({ numerator, denominator })).toBe(expected);
  });

  it('refuses results beyond safe integers', () => {
    expect(() => roundExact(exactOf(Number.MAX_SAFE_INTEGER * 2))).toThrow(PricingError);
    expect(roundExact(exactOf(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('exact composition', () => {
  it('chains basis-point factors without intermediate rounding', () => {
    expect(roundExact(applyFactorsExact(exactOf(7), [300, 500]))).toBe(8); // 7.5705
    expect(roundExact(applyFactorsExact(exactOf(100), [-2500]))).toBe(75);
    expect(roundExact(applyFactorsExact(exactOf(100), []))).toBe(100);
  });

  it('adds rationals with different denominators', () => {
    const third = scaleExact(exactOf(1), 1, 3);
    const sum = addExact(addExact(third, third), third);
    expect(roundExact(sum)).toBe(1);
    expect(sum.numerator * 1n).toBe(sum.denominator); // exactly one
  });
});

describe('discountBps', () => {
  it.each([
    [925, 1000, 750],
    [1000, 1000, 0],
    [1050, 1000, -500],
    [0, 0, 0],
    [2, 3, 3333],
    [1, 3, 6667],
  ])('total %s vs list %s → %s bps', (total, list, expected) => {
    expect(discountBps(total, list)).toBe(expected);
  });

  it.each([
    [2, 3, 3334],
    [1, 3, 6667],
    [925, 1000, 750],
    [1001, 1000, -10],
    [1, 0, 0],
    [250_001 - 62_499, 250_001, 2500],
  ])('ceiling: total %s vs list %s → %s bps', (total, list, expected) => {
    expect(discountBpsCeiling(total, list)).toBe(expected);
  });

  it('ceiling rounds negatives toward zero (toward +∞)', () => {
    // list 3, total 4: −3333.3 bps → −3333
    expect(discountBpsCeiling(4, 3)).toBe(-3333);
  });
});
