/**
 * The language a customer document is written in. An account may name its language in the
 * `language` (or `locale`) attribute — an extra column of accounts.csv, e.g. `ja` or `de-CH`; a
 * language without a template (`fr`) gets English. Without one, the rule of customer emails applies
 * (`chooseCustomerLanguage`: the country, else the time zone, else English).
 */
import { chooseCustomerLanguage, LANGUAGES, type Language } from '../mail/choose-language.ts';

export type AccountLanguageFacts = {
  attributes: Readonly<Record<string, string>>;
  country: string | null;
  timezone: string | null;
};

export function accountLanguage({ attributes, country, timezone }: AccountLanguageFacts): Language {
  const named = (attributes.language ?? attributes.locale)?.trim().toLowerCase();
  if (named) {
    const primary = named.split(/[-_]/)[0];
    return LANGUAGES.find((language) => language === primary) ?? 'en';
  }
  return chooseCustomerLanguage({ country, timezone });
}
