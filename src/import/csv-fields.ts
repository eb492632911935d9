/**
 * zod schemas for canonical CSV cells. A cell arrives as text (an empty cell as `undefined`: not
 * known); each schema turns it into a typed value or an issue whose message names the bad value, so
 * the importer can report `contracts.csv:3: end_date: 2027-02-30 is not a date`.
 */
import { z } from 'zod';
import { dateProblem } from '../domain/calendar.ts';
import { isKnownCurrency } from '../domain/money.ts';

const REQUIRED = 'is required';
const MAX_TEXT = 10_000;

export const requiredText = z
  .string({ error: REQUIRED })
  .max(MAX_TEXT, { error: `is longer than ${MAX_TEXT} characters` });

export const optionalText = requiredText.optional().transform((value) => value ?? null);

export const identifier = z
  .string({ error: REQUIRED })
  .max(200, { error: 'is longer than 200 characters' })
  .refine((value) => !/[\r\n]/.test(value), { error: 'contains a line break' });

export const optionalIdentifier = identifier.optional().transform((value) => value ?? null);

export const requiredDate = z.string({ error: REQUIRED }).superRefine((value, ctx) => {
  const problem = dateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const optionalDate = requiredDate.optional().transform((value) => value ?? null);

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

export const optionalBoolean = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return null;
    const word = value.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({ code: 'custom', message: `${value} is not a boolean (true/false/yes/no/1/0)` });
    return z.NEVER;
  });

function integerIn(min: number, max: number) {
  return z.string({ error: REQUIRED }).transform((value, ctx) => {
    if (!/^-?\d+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${value} is not a whole number` });
      return z.NEVER;
    }
    const number = Number(value);
    if (number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `${value} is not between ${min} and ${max}` });
      return z.NEVER;
    }
    return number;
  });
}

export const requiredInteger = (min: number, max: number) => integerIn(min, max);
export const optionalInteger = (min: number, max: number) =>
  integerIn(min, max)
    .optional()
    .transform((value) => value ?? null);

export const optionalDecimal = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return null;
      if (!/^-?\d+(\.\d+)?$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: `${value} is not a number` });
        return z.NEVER;
      }
      const number = Number(value);
      if (number < min || number > max) {
        ctx.addIssue({ code: 'custom', message: `${value} is not between ${min} and ${max}` });
        return z.NEVER;
      }
      return number;
    });

export function requiredEnum<const T extends readonly string[]>(values: T) {
  return z.string({ error: REQUIRED }).transform((value, ctx) => {
    const normalized = value.toLowerCase();
    if ((values as readonly string[]).includes(normalized)) return normalized as T[number];
    ctx.addIssue({ code: 'custom', message: `${value} is not one of ${values.join(', ')}` });
    return z.NEVER;
  });
}

export function optionalEnum<const T extends readonly string[]>(values: T) {
  return requiredEnum(values)
    .optional()
    .transform((value) => value ?? null);
}

export const currencyCode = z.string({ error: REQUIRED }).transform((value, ctx) => {
  const code = value.toUpperCase();
  if (!isKnownCurrency(code)) {
    ctx.addIssue({ code: 'custom', message: `${value} is not an ISO 4217 currency code` });
    return z.NEVER;
  }
  return code;
});

export const decimalAmount = z.string({ error: REQUIRED }).superRefine((value, ctx) => {
  if (!/^\d+(\.\d+)?$/.test(value))
    ctx.addIssue({ code: 'custom', message: `${value} is not a decimal amount` });
});

const knownZones = new Map<string, boolean>();

function isTimeZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(name, known);
  }
  return known;
}

export const timezoneName = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return 'UTC';
    if (isTimeZone(value)) return value;
    ctx.addIssue({ code: 'custom', message: `${value} is not an IANA time zone` });
    return z.NEVER;
  });
