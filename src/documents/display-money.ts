/**
 * Money for people to read (`$120,000.00`, `¥9,000,000`, `€45,000.50`). The exact decimal string of
 * `formatMinor` is handed to Intl as a string, so no float ever holds the amount. `whole: true`
 * drops the minor unit for approximate figures ("≈ $75,000/year"); it rounds half away from zero.
 */
import { formatMinor } from '../domain/money.ts';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, whole: boolean): Intl.NumberFormat {
  const key = `${currency}:${whole}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      ...(whole ? { maximumFractionDigits: 0, minimumFractionDigits: 0 } : {}),
    });
    formatters.set(key, cached);
  }
  return cached;
}

export function displayMoney(minor: number, currency: string, { whole = false } = {}): string {
  return formatter(currency, whole).format(formatMinor(minor, currency) as `${number}`);
}
