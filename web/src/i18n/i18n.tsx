/**
 * Language and formatting: the user's locale (users.locale, or their choice in the user menu, kept in
 * this browser) picks the strings and the Intl formats of dates, numbers, percentages and money.
 */
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { de } from './de.ts';
import { ja } from './ja.ts';
import { en, type MessageKey, type Messages } from './messages.ts';

export const LOCALES = ['en', 'ja', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ja: '日本語', de: 'Deutsch' };
const DICTIONARIES: Record<Locale, Messages> = { en, ja, de };
const STORAGE_KEY = 'perennial.locale';

export function toLocale(value: string | null | undefined): Locale {
  const base = (value ?? '').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(base) ? (base as Locale) : 'en';
}

export type Formatter = {
  locale: Locale;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A decimal amount string in a currency, e.g. ("38133.00", "EUR"). */
  money: (
    amount: string | number | null | undefined,
    currency: string,
    options?: { compact?: boolean },
  ) => string;
  date: (day: string | null | undefined) => string;
  dateTime: (instant: string | null | undefined) => string;
  number: (value: number | null | undefined, digits?: number) => string;
  percent: (ratio: number | null | undefined, digits?: number) => string;
};

function makeFormatter(locale: Locale): Formatter {
  const dictionary = DICTIONARIES[locale];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string, compact: boolean) => {
    const key = `${currency}|${compact}`;
    let format = moneyFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        ...(compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 }),
      });
      moneyFormats.set(key, format);
    }
    return format;
  };
  // Building an Intl format costs far more than using one (a table of 50 rows formats ~100 numbers).
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const numberFormat = (style: 'decimal' | 'percent', digits: number) => {
    const key = `${style}|${digits}`;
    let format = numberFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style, maximumFractionDigits: digits });
      numberFormats.set(key, format);
    }
    return format;
  };
  return {
    locale,
    t(key, values) {
      const text = dictionary[key] ?? en[key] ?? key;
      if (!values) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        values[name] === undefined ? whole : String(values[name]),
      );
    },
    money(amount, currency, options = {}) {
      if (amount === null || amount === undefined || amount === '') return '–';
      return moneyFormat(currency, options.compact ?? false).format(Number(amount));
    },
    date(day) {
      if (!day) return '–';
      return dateFormat.format(new Date(`${day.slice(0, 10)}T00:00:00Z`));
    },
    dateTime(instant) {
      if (!instant) return '–';
      return dateTimeFormat.format(new Date(instant));
    },
    number(value, digits = 0) {
      if (value === null || value === undefined) return '–';
      return numberFormat('decimal', digits).format(value);
    },
    percent(ratio, digits = 1) {
      if (ratio === null || ratio === undefined) return '–';
      return numberFormat('percent', digits).format(ratio);
    },
  };
}

type I18nState = Formatter & { setLocale: (locale: Locale) => void; chosen: Locale | null };
const I18nContext = createContext<I18nState | null>(null);

export function I18nProvider({ userLocale, children }: { userLocale: string | null; children: ReactNode }) {
  const [chosen, setChosen] = useState<Locale | null>(() => {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored ? toLocale(stored) : null;
  });
  const locale = chosen ?? toLocale(userLocale ?? navigator.language);
  const value = useMemo<I18nState>(
    () => ({
      ...makeFormatter(locale),
      chosen,
      setLocale(next) {
        window.localStorage.setItem(STORAGE_KEY, next);
        setChosen(next);
      },
    }),
    [locale, chosen],
  );
  document.documentElement.lang = locale;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nState {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
