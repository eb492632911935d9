/**
 * Which language a message is written in, and how its dates and money are formatted.
 *
 * Customer emails: the account's country decides (JP → Japanese; DE, AT, CH, LI → German; any other
 * country → English). Without a country, the account's time zone decides (Asia/Tokyo → Japanese;
 * Europe/Berlin, Vienna, Zurich, Busingen, Vaduz → German). Otherwise English. Stakeholders carry no
 * language of their own in the data contract, so the rule is per account.
 * Internal digests: the user's `locale` (`ja…` → Japanese, `de…` → German, else English).
 * Dates and money follow the language and, when known, the country (`de-CH`, `en-GB`).
 */
export const LANGUAGES = ['en', 'ja', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

const GERMAN_COUNTRIES = new Set(['DE', 'AT', 'CH', 'LI']);
const GERMAN_ZONES = new Set([
  'Europe/Berlin',
  'Europe/Vienna',
  'Europe/Zurich',
  'Europe/Busingen',
  'Europe/Vaduz',
]);

export function chooseCustomerLanguage({
  country,
  timezone,
}: {
  country: string | null;
  timezone: string | null;
}): Language {
  const code = country?.trim().toUpperCase() || null;
  if (code === 'JP') return 'ja';
  if (code !== null && GERMAN_COUNTRIES.has(code)) return 'de';
  if (code !== null) return 'en';
  if (timezone === 'Asia/Tokyo') return 'ja';
  if (timezone !== null && GERMAN_ZONES.has(timezone)) return 'de';
  return 'en';
}

export function userLanguage(locale: string | null): Language {
  const tag = locale?.toLowerCase() ?? '';
  if (tag.startsWith('ja')) return 'ja';
  if (tag.startsWith('de')) return 'de';
  return 'en';
}

const DEFAULT_REGION: Record<Language, string> = { en: 'US', ja: 'JP', de: 'DE' };

/** A BCP 47 tag Intl supports: the language with the account's country, else the language's default. */
export function formattingLocale(language: Language, country: string | null): string {
  const region = country?.trim().toUpperCase();
  if (region && /^[A-Z]{2}$/.test(region)) {
    const tag = `${language}-${region}`;
    if (Intl.NumberFormat.supportedLocalesOf([tag]).length > 0) return tag;
  }
  return `${language}-${DEFAULT_REGION[language]}`;
}
