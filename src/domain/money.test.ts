import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  convertMinor,
  currencyExponent,
  formatMinor,
  formatMoney,
  isKnownCurrency,
  money,
  parseMoney,
  scaleMinor,
} from './money.ts';

describe('currency exponents', () => {
  it('knows currencies without, with two and with three minor digits', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('KWD')).toBe(3);
  });
  it('recognises ISO codes', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('JPY')).toBe(true);
    expect(isKnownCurrency('usd')).toBe(false);
    expect(isKnownCurrency('XYZ1')).toBe(false);
  });
});

describe('parseMoney', () => {
  it('parses decimal strings into minor units', () => {
    expect(parseMoney('120000.00', 'USD')).toEqual({ minor: 12_000_000 });
    expect(parseMoney('9800', 'USD')).toEqual({ minor: 980_000 });
    expect(parseMoney('0.5', 'USD')).toEqual({ minor: 50 });
    expect(parseMoney('9800', 'JPY')).toEqual({ minor: 9800 });
    expect(parseMoney('9800.00', 'JPY')).toEqual({ minor: 9800 });
    expect(parseMoney('1.234', 'BHD')).toEqual({ minor: 1234 });
    expect(parseMoney('-12.50', 'EUR')).toEqual({ minor: -1250 });
    expect(parseMoney(' 7 ', 'USD')).toEqual({ minor: 700 });
  });
  it('refuses what it cannot represent exactly', () => {
    expect(parseMoney('9800.5', 'JPY')).toHaveProperty('problem');
    expect(parseMoney('1.005', 'USD')).toHaveProperty('problem');
    expect(parseMoney('1.2345', 'BHD')).toHaveProperty('problem');
    expect(parseMoney('12,000', 'USD')).toHaveProperty('problem');
    expect(parseMoney('1e5', 'USD')).toHaveProperty('problem');
    expect(parseMoney('99999999999999999', 'USD')).toHaveProperty('problem');
  });
});

describe('formatMinor', () => {
  it('formats canonically', () => {
    expect(formatMinor(12_000_000, 'USD')).toBe('120000.00');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(-5, 'USD')).toBe('-0.05');
    expect(formatMinor(9800, 'JPY')).toBe('9800');
    expect(formatMinor(1234, 'BHD')).toBe('1.234');
    expect(formatMinor(7, 'BHD')).toBe('0.007');
    expect(formatMoney(money(108, 'EUR'))).toEqual({ amount: '1.08', currency: 'EUR' });
  });
  it.each(['JPY', 'USD', 'BHD'])('round-trips %s through parse (property)', (currency) => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => {
        const parsed = parseMoney(formatMinor(minor, currency), currency);
        return 'minor' in parsed && parsed.minor === minor;
      }),
    );
  });
});

describe('basis points and scaling', () => {
  it('rounds half away from zero, once', () => {
    expect(applyBasisPoints(10_000, 500)).toBe(500);
    expect(applyBasisPoints(1, 5000)).toBe(1); // 0.5 → 1
    expect(applyBasisPoints(-1, 5000)).toBe(-1);
    expect(applyBasisPoints(3, 3333)).toBe(1);
    expect(scaleMinor(100, 1, 3)).toBe(33);
    expect(scaleMinor(200, 1, 3)).toBe(67);
    expect(scaleMinor(-200, 1, 3)).toBe(-67);
  });
  it('never drifts more than half a unit from the exact product (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 10_000 }), (minor, bps) => {
        const exact = (minor * bps) / 10_000;
        return Math.abs(applyBasisPoints(minor, bps) - exact) <= 0.5 + 1e-9;
      }),
    );
  });
});

describe('convertMinor', () => {
  it('converts with decimal rates across exponents', () => {
    expect(convertMinor(12_000_000, 'EUR', 'USD', '1.08')).toBe(12_960_000);
    expect(convertMinor(9_000_000, 'JPY', 'USD', '0.0067')).toBe(6_030_000); // ¥9M = $60,300.00
    expect(convertMinor(100, 'USD', 'JPY', '150')).toBe(150); // $1.00 = ¥150
    expect(convertMinor(1000, 'BHD', 'USD', '2.65')).toBe(265); // 1.000 BHD = $2.65
    expect(convertMinor(500, 'USD', 'USD', '3')).toBe(500);
  });
  it('rounds once, half away from zero', () => {
    expect(convertMinor(1, 'EUR', 'USD', '1.5')).toBe(2); // 1.5 cents
    expect(convertMinor(-1, 'EUR', 'USD', '1.5')).toBe(-2);
    expect(convertMinor(1, 'EUR', 'USD', '1.49')).toBe(1);
    expect(convertMinor(149, 'JPY', 'USD', '0.0067')).toBe(100); // 0.9983 USD
  });
  it('rejects a malformed rate', () => {
    expect(() => convertMinor(1, 'EUR', 'USD', '-1')).toThrow(RangeError);
    expect(() => convertMinor(1, 'EUR', 'USD', '1,08')).toThrow(RangeError);
  });
  it('is within half a minor unit of the exact conversion (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 1, max: 100_000 }),
        (minor, rateTenThousandths) => {
          const rate = (rateTenThousandths / 10_000).toFixed(4);
          const exact = (minor * rateTenThousandths) / 10_000;
          return Math.abs(convertMinor(minor, 'EUR', 'USD', rate) - exact) <= 0.5 + 1e-6;
        },
      ),
    );
  });
});
