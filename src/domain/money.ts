/**
 * Money as integer minor units with an ISO 4217 currency. No float ever holds an amount: decimal
 * strings are parsed digit by digit, percentages are basis points, and products are taken in BigInt
 * and rounded once (half away from zero).
 */
export type Money = { minor: number; currency: string };

const exponentCache = new Map<string, number>();

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** Number of minor-unit digits of a currency (JPY 0, USD 2, BHD 3), from the ICU data built into Node. */
export function currencyExponent(currency: string): number {
  const cached = exponentCache.get(currency);
  if (cached !== undefined) return cached;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    digits = 2;
  }
  exponentCache.set(currency, digits);
  return digits;
}

export function isKnownCurrency(currency: string): boolean {
  if (!CURRENCY_PATTERN.test(currency)) return false;
  return Intl.supportedValuesOf('currency').includes(currency);
}

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses `120000.00` / `9800` in a currency into minor units, or returns the reason it cannot. */
export function parseMoney(text: string, currency: string): { minor: number } | { problem: string } {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) return { problem: `${text} is not a decimal amount` };
  const exponent = currencyExponent(currency);
  const fraction = match[3] ?? '';
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    return {
      problem:
        exponent === 0
          ? `${text} has decimals but ${currency} has no minor unit`
          : `${text} has more than ${exponent} decimals for ${currency}`,
    };
  }
  const digits = `${match[2]}${significant.padEnd(exponent, '0')}`;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { problem: `${text} is too large` };
  return { minor: match[1] === '-' ? -value : value };
}

/** Formats minor units as the canonical decimal string (`120000.00`, `9800` for JPY). */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function money(minor: number, currency: string): Money {
  return { minor, currency };
}

export function formatMoney(value: Money): { amount: string; currency: string } {
  return { amount: formatMinor(value.minor, value.currency), currency: value.currency };
}

/** Divides in BigInt and rounds half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

/** `minor × bps / 10_000`, rounded once. 1 bp = 0.01%. */
export function applyBasisPoints(minor: number, bps: number): number {
  return Number(divideRounded(BigInt(minor) * BigInt(bps), 10_000n));
}

/** Scales an amount by `numerator / denominator` (both integers), rounded once. */
export function scaleMinor(minor: number, numerator: number, denominator: number): number {
  return Number(divideRounded(BigInt(minor) * BigInt(numerator), BigInt(denominator)));
}

/**
 * Converts between currencies with a rate given as a decimal string: units of `to` per one unit of
 * `from` (e.g. EUR→USD "1.08"). Exponent differences are handled exactly; the result is rounded once.
 */
export function convertMinor(minor: number, from: string, to: string, rate: string): number {
  if (from === to) return minor;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  if (!match) throw new RangeError(`FX rate ${rate} is not a positive decimal`);
  const fraction = match[2] ?? '';
  const rateScaled = BigInt(`${match[1]}${fraction}`);
  const shift = currencyExponent(to) - currencyExponent(from) - fraction.length;
  let numerator = BigInt(minor) * rateScaled;
  let denominator = 1n;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator = 10n ** BigInt(-shift);
  return Number(divideRounded(numerator, denominator));
}
