/**
 * Money for people to read (`$120,000.00`, `￥9,000,000`, `45.000,50 €`), in the reader's locale
 * (default `en-US`). The exact decimal string of `formatMinor` is handed to Intl as a string, so no
 * float ever holds the amount; currencies without minor units (JPY) show none. `whole: true` drops
 * the minor unit for approximate figures ("≈ $75,000/year"); it rounds half away from zero.
 */
import { formatMinor } from '../domain/money.ts';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, whole: boolean, locale: string): Intl.NumberFormat {
  const key = `${locale}:${currency}:${whole}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      ...(whole ? { maximumFractionDigits: 0, minimumFractionDigits: 0 } : {}),
    });
    formatters.set(key, cached);
  }
  return cached;
}

export function displayMoney(
  minor: number,
  currency: string,
  { whole = false, locale = 'en-US' }: { whole?: boolean; locale?: string } = {},
): string {
  return formatter(currency, whole, locale).format(formatMinor(minor, currency) as `${number}`);
}
